"""`python -m free_music_ai.cli`: the same as the ``free-music-ai`` command (its process set up as launch.py does)."""

from free_music_ai.cli.launch import main

main()
