"""``python -m free_music_ai``: the same as the ``free-music-ai`` command."""

from free_music_ai.launch import main

main()
