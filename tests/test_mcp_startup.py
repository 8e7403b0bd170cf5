"""The MCP server answers initialize and tools/list without loading the media and music engines (issue 31)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import free_music_ai

HEAVY = ("numpy", "av", "free_music_ai.engine.soundfont", "free_music_ai.engine.render.render",
         "free_music_ai.words.message")  # fmt: skip


def test_listing_the_tools_loads_no_engine() -> None:
    code = (
        "import sys, anyio\n"
        "from free_music_ai.mcp_server.server import create_server\n"
        "tools = anyio.run(create_server().list_tools)\n"
        "assert {t.name for t in tools} >= {'upload', 'generate', 'export'}, tools\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's package, not an installed one
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([source, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_genre_argument_lists_every_genre() -> None:
    from free_music_ai.engine.music.genres import genre_names
    from free_music_ai.mcp_server.tools.generate import GENRE_NAMES

    assert genre_names() == GENRE_NAMES
