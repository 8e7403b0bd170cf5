"""``python -m free_music_ai``: the same as the ``free-music-ai`` command."""

from free_music_ai.cli.launch import main

main()
