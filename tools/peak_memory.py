"""Peak resident memory, in MB, as the benchmarks report it (ru_maxrss is KiB on Linux, bytes on macOS)."""

from __future__ import annotations

import resource
import sys


def peak_mb(children: bool = False) -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF).ru_maxrss
    return usage / 1024 / 1024 if sys.platform == "darwin" else usage / 1024
