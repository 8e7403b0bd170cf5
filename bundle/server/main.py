"""The MCP Bundle's entry point: ``uv run server/main.py [FOLDER...]`` is ``free-music-ai mcp [FOLDER...]``.

The host (Claude Desktop) installs the bundle's pyproject.toml with uv (the wheel inside the bundle and its
dependencies from PyPI), then runs this file with the folders the user chose in the extension's settings.
"""

import sys

from free_music_ai.cli.launch import main

if __name__ == "__main__":
    sys.argv[1:1] = ["mcp"]
    main()
