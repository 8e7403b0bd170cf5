"""Peak resident memory of a command and every process it starts (ffmpeg included), sampled from /proc.

ru_maxrss of the children gives only the largest single process; a render runs Python and ffmpeg side by
side, so what the machine must hold is their sum at the worst moment. Linux only.

Usage: python tools/tree_memory.py COMMAND [ARGS...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

SAMPLE_S = 0.02


def tree_rss_mb(root: int) -> float:
    """The summed resident memory of ``root`` and its descendants now."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        rss[pid] = int(fields[21]) * page
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total / 1e6


def peak_tree_mb(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float, int]:
    """Run ``command``; its peak tree memory (MB), its time (s) and its exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(SAMPLE_S)
    process.wait()
    return peak, time.perf_counter() - start, process.returncode


if __name__ == "__main__":
    mb, seconds, code = peak_tree_mb(sys.argv[1:])
    print(f"peak tree memory {mb:.0f} MB, {seconds:.1f} s, exit {code}")
