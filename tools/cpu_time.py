"""CPU time for the benchmarks: less disturbed than wall time by other work on a shared machine."""

from __future__ import annotations

import resource


def children_cpu_s() -> float:
    """CPU time (user + system) of every finished child so far, theirs included: a tree's whole CPU cost."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
