"""A thread whose work can wait: it yields the cores to the rest of the process (Linux).

Some work is started beside an export only so that it is done by the end (the new music written to its file):
nothing waits for it before then. On two cores, at the same priority, it takes
a share of a core from the mix, the limiter and the encoder, which the export waits for, while the cores idle
later (the mux and the seal use one). Lowered, it runs in those idle moments instead, and still at full speed
when nothing else wants the cores.
"""

from __future__ import annotations

import logging
import os
import sys
import threading

log = logging.getLogger(__name__)

BACKGROUND_NICE = 10  # added to the process's own: a tenth of the share of a thread at the process's level


def yield_to_others() -> None:
    """Lower the calling thread's priority (its own nice value; Linux only, where a thread has one: elsewhere, and
    where the system refuses, the thread keeps the process's). Meant as a thread pool's initializer."""
    if not sys.platform.startswith("linux"):
        return  # on macOS and BSD, a process's priority is its threads': lowering it would lower the whole export
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, os.getpriority(os.PRIO_PROCESS, thread) + BACKGROUND_NICE)
    except OSError as exc:  # a sandbox that forbids it: the work is done at the usual priority
        log.debug("could not lower the priority of thread %s: %s", thread, exc)
