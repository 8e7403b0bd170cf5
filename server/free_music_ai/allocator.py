"""Memory the process frees is kept for its next arrays, for commands that run once and exit (glibc only).

An export handles a dozen arrays of tens of megabytes (buses, effect stretches, the mix, the limiter's
output), each made in whichever thread does that step. By default glibc gives each thread its own arena and
hands large blocks back to the system when they are freed, so nearly every new array lands on fresh pages,
and the kernel (more so in a virtual machine) spends about 7 us on each 4 KiB page it first maps: about a
second of system time per one-minute video, half the one-shot's. One shared arena that keeps what it frees
halves the pages mapped (the end-to-end benchmark: 131 000 page faults down to 85 000, 0.82 s of system time
down to 0.49 s). A server (MCP, the web page) keeps what it frees while a request works and gives it back when
the request ends (``request_ended``): its tool flow's export 0.84 s against 1.10 s with glibc's defaults.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# mallopt parameters (glibc's malloc.h)
_M_TRIM_THRESHOLD = -1
_M_TOP_PAD = -2
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
_MMAP_THRESHOLD = 32 * 1024 * 1024  # the most glibc allows: blocks up to this size come from the arena
_TOP_PAD = 64 * 1024 * 1024  # the arena grows in big steps rather than one system call per array
_TRIM_THRESHOLD = 2**31 - 1  # the most mallopt takes (an int): freed memory is not handed back before the exit


_given_back_after_requests = False  # set for a server: what a request freed goes back when it ends


def keep_freed_memory(*, until_exit: bool = True) -> bool:
    """Set glibc's allocator to reuse freed blocks (call before any thread starts); whether it applies.
    ``until_exit=False`` (a server): ``request_ended`` hands what was freed back to the system."""
    global _given_back_after_requests
    if not sys.platform.startswith("linux") or not _is_glibc():
        return False
    import ctypes

    _given_back_after_requests = not until_exit

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    settings = ((_M_ARENA_MAX, 1), (_M_MMAP_THRESHOLD, _MMAP_THRESHOLD), (_M_TOP_PAD, _TOP_PAD),
                (_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))  # fmt: skip
    return all(mallopt(parameter, value) == 1 for parameter, value in settings)


# Python's cycle collector runs after every 700 new objects, and each tenth run looks again at every object the
# earlier runs kept: a one-shot's imports and music plan (tens of thousands of notes, events and zones, nearly all
# kept until the end) made 300 collections, 75-85 ms of CPU on 2 cores, for a few dozen objects found in cycles.
# After every 10 000 new objects: 18 collections, 25 ms, the same peak memory. Cycles are still collected.
YOUNG_OBJECTS_BEFORE_COLLECTION = 10_000


def collect_cycles_seldom() -> None:
    """Run Python's cycle collector less often: an export's objects (its plan, its notes) mostly live to its end."""
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_OBJECTS_BEFORE_COLLECTION, older, oldest)


def request_ended() -> None:
    """A server's request (an upload, a message, an export) ended: what it freed goes back to the system. Nothing
    for a command that runs once, which keeps it for its next step."""
    if _given_back_after_requests:
        give_back_free_memory()


def a_request(work: Callable[P, R]) -> Callable[P, R]:
    """``work`` is one request of a server's: ``request_ended`` once it returns or fails."""

    @functools.wraps(work)
    def done_then_given_back(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return work(*args, **kwargs)
        finally:
            request_ended()

    return done_then_given_back


def give_back_free_memory() -> None:
    """Hand memory the process has freed back to the system (glibc's malloc_trim), before a long wait on a
    child such as ffmpeg: with ``keep_freed_memory`` nothing would be given back until the exit."""
    if not sys.platform.startswith("linux") or not _is_glibc():
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):
        return
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    trim(0)


def _is_glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") is not None
    except (ValueError, OSError, AttributeError):
        return False
