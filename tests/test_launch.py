"""The entry point: which files a command line reads ahead, and that ``python -m free_music_ai`` is the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from free_music_ai import __version__
from free_music_ai.cli.launch import render_videos

PROMPT = "generate a background music track that matches the mood of my video"


def test_only_the_videos_of_a_local_render_with_a_prompt_are_read_ahead(tmp_path: Path) -> None:
    files = {name: tmp_path / name for name in ("a.mp4", "b.MOV", "song.mp3", "old.mp4", "title.mp4", "logo.png")}
    for path in files.values():
        path.write_bytes(b"x")
    a, b, song, old, title, logo = (str(p) for p in files.values())
    missing = str(tmp_path / "missing.mp4")
    args = ["render", a, "-p", PROMPT, "-o", old, "--music", song, b, "--title", title, logo, missing, "--json"]
    assert render_videos(args) == [files["a.mp4"], files["b.MOV"]]  # option values, images and missing files left
    assert render_videos(["render", a, "--prompt=calm piano", "--seed=3", "--", b]) == [files["a.mp4"], files["b.MOV"]]
    assert render_videos(["render", a, "-o", old]) == []  # no music asked for: nothing to analyze
    assert render_videos(["render", a, "-p", PROMPT, "--backend", "nemo"]) == []  # the cloud analyzes it
    assert render_videos(["render", a, "-p", PROMPT, "--backend=nemo"]) == []
    assert render_videos(["render", a, "-p", PROMPT, "--backend", "local"]) == [files["a.mp4"]]
    assert render_videos(["analyze", a]) == [] and render_videos([]) == []


def test_the_module_runs_the_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "free_music_ai", "--version"], capture_output=True, text=True,
                          timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"free-music-ai {__version__}"


def test_a_one_off_command_keeps_freed_memory_for_reuse_on_glibc() -> None:
    """glibc accepts every setting (elsewhere nothing is changed); run apart, as it changes the process."""
    code = "from free_music_ai.allocator import keep_freed_memory; print(keep_freed_memory())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    glibc = sys.platform.startswith("linux") and os.confstr("CS_GNU_LIBC_VERSION") is not None
    assert done.stdout.strip() == str(glibc)


def test_every_command_asks_numpy_for_small_pages_and_collects_cycles_seldom() -> None:
    """numpy's large pages cost a one-shot 0.3-0.5 s of system time (launch.py); the collector's runs, 50 ms."""
    code = ("import sys, gc; from free_music_ai.cli.launch import set_up_process; set_up_process(sys.argv[1:]); "
            "import numpy; from numpy._core.multiarray import _get_madvise_hugepage; "
            "print(_get_madvise_hugepage(), gc.get_threshold()[0])")  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "NUMPY_MADVISE_HUGEPAGE"}
    found = {}
    for command in ("render", "mcp"):
        done = subprocess.run([sys.executable, "-c", code, command, "clip.mp4"], capture_output=True, text=True,
                              timeout=60, env=env)  # fmt: skip
        assert done.returncode == 0, done.stderr
        found[command] = done.stdout.split()
    assert found["render"] == found["mcp"] == ["False", "10000"]  # Python's own: True (on Linux) and 700


GIVE_BACK = """
import os, sys
from free_music_ai.allocator import a_request, keep_freed_memory
keep_freed_memory(until_exit=sys.argv[1] == "once")
import numpy as np

def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

@a_request
def export():  # an export's arrays: each under glibc's mmap threshold, so they come from the arena
    arrays = [np.ones(2_000_000) for _ in range(10)]  # 16 MB each
    return sum(float(a[-1]) for a in arrays)

before = rss_mb()
export()
print(round(rss_mb() - before))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
                    reason="glibc's allocator only")  # fmt: skip
def test_a_server_gives_back_what_a_request_freed_and_a_one_off_command_keeps_it_for_its_next_step() -> None:
    held = {}
    for kind in ("once", "server"):
        done = subprocess.run([sys.executable, "-c", GIVE_BACK, kind], capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        held[kind] = int(done.stdout)
    assert held["once"] >= 120  # 160 MB freed, kept for the next arrays
    assert held["server"] <= 20  # handed back as the request ended
