"""What the end-to-end benchmarks share: a cold environment, and the one-shot command timed as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

PROMPT = "generate a background music track that matches the mood of my video"


def cold_env(work: Path, tag: str) -> dict[str, str]:
    """Empty session store and analysis cache of its own, and the work folder allowed to the MCP tools."""
    return {**os.environ, "FMAI_DATA_DIR": str(work / f"data-{tag}"), "FMAI_CACHE_DIR": str(work / f"cache-{tag}"),
            "FMAI_ALLOWED_DIRS": str(work)}  # fmt: skip


def compile_bytecode() -> None:
    """Compile the package's modules once, as pip does when it installs the wheel.

    A checkout run with PYTHONDONTWRITEBYTECODE set compiles every module on every start; a user's install
    never does, so timing that would measure the checkout, not the product.
    """
    import compileall

    import free_music_ai

    compileall.compile_dir(str(Path(free_music_ai.__file__).parent), quiet=1)


def time_one_shot(clip: Path, out: Path, work: Path, *extra: str) -> float:
    """Seconds for `free-music-ai render CLIP -p PROMPT -o OUT` in a fresh process, cold."""
    command = [sys.executable, "-m", "free_music_ai", "render", str(clip), "-p", PROMPT, "-o", str(out), "--json",
               *extra]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=cold_env(work, out.stem))
    return time.perf_counter() - start
