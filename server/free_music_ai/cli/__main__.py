"""`python -m free_music_ai.cli`: the command line."""

from free_music_ai.cli.commands import main

main()
