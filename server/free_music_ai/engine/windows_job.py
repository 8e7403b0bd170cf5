"""On Windows, helper programs end with this process however it ends, through a job object.

Linux has PR_SET_PDEATHSIG (leftovers.py); Windows has no signal for a parent's death, but a job object whose
last handle closes with "kill on close" ends every process in it, and the kernel closes our handles when this
process ends, even when it is killed outright. One job per process, made on the first helper started; the
handle is kept open on purpose until the process ends.

Everything here is best effort: where a call fails (an old Windows that forbids nested jobs), the helper runs
as it would have without it, and the orderly exits still stop it (leftovers.stop).
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
from ctypes import c_int64, c_size_t, c_uint32, c_uint64
from typing import Any

log = logging.getLogger(__name__)

JOB_OBJECT_EXTENDED_LIMIT_INFORMATION = 9  # the JOBOBJECTINFOCLASS for the structure below
JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE = 0x2000
PROCESS_SET_QUOTA = 0x0100  # both rights are what AssignProcessToJobObject asks of the process handle
PROCESS_TERMINATE = 0x0001


class _BasicLimits(ctypes.Structure):  # JOBOBJECT_BASIC_LIMIT_INFORMATION (winnt.h)
    _fields_ = [
        ("per_process_user_time_limit", c_int64),
        ("per_job_user_time_limit", c_int64),
        ("limit_flags", c_uint32),
        ("minimum_working_set_size", c_size_t),
        ("maximum_working_set_size", c_size_t),
        ("active_process_limit", c_uint32),
        ("affinity", c_size_t),
        ("priority_class", c_uint32),
        ("scheduling_class", c_uint32),
    ]


class _IoCounters(ctypes.Structure):  # IO_COUNTERS
    _fields_ = [(name, c_uint64) for name in ("read_ops", "write_ops", "other_ops", "read_bytes", "write_bytes",
                                              "other_bytes")]  # fmt: skip


class ExtendedLimits(ctypes.Structure):  # JOBOBJECT_EXTENDED_LIMIT_INFORMATION
    _fields_ = [
        ("basic", _BasicLimits),
        ("io", _IoCounters),
        ("process_memory_limit", c_size_t),
        ("job_memory_limit", c_size_t),
        ("peak_process_memory_used", c_size_t),
        ("peak_job_memory_used", c_size_t),
    ]


_lock = threading.Lock()
_job: int | None = None


def end_with_this_process(pid: int) -> bool:
    """Put process ``pid`` in this process's kill-on-close job; whether it is there."""
    if sys.platform != "win32":
        return False
    try:
        kernel32 = _kernel32()
        job = _the_job(kernel32)
        if job is None:
            return False
        handle = kernel32.OpenProcess(PROCESS_SET_QUOTA | PROCESS_TERMINATE, False, pid)
        if not handle:
            return False
        try:
            return bool(kernel32.AssignProcessToJobObject(job, handle))
        finally:
            kernel32.CloseHandle(handle)
    except (AttributeError, OSError):
        log.debug("no job object for helper %s", pid, exc_info=True)
        return False


def _kernel32() -> Any:
    """kernel32 with the types of the calls used here (a HANDLE is pointer-sized: the default int would cut it)."""
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = ctypes.c_void_p
    kernel32.CreateJobObjectW.restype = handle
    kernel32.CreateJobObjectW.argtypes = [ctypes.c_void_p, ctypes.c_wchar_p]
    kernel32.SetInformationJobObject.argtypes = [handle, ctypes.c_int, ctypes.c_void_p, c_uint32]
    kernel32.OpenProcess.restype = handle
    kernel32.OpenProcess.argtypes = [c_uint32, ctypes.c_int, c_uint32]
    kernel32.AssignProcessToJobObject.argtypes = [handle, handle]
    kernel32.CloseHandle.argtypes = [handle]
    return kernel32


def _the_job(kernel32: Any) -> int | None:
    global _job
    with _lock:
        if _job is None:
            job = kernel32.CreateJobObjectW(None, None)
            if not job:
                return None
            limits = ExtendedLimits()
            limits.basic.limit_flags = JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
            if not kernel32.SetInformationJobObject(job, JOB_OBJECT_EXTENDED_LIMIT_INFORMATION,
                                                    ctypes.byref(limits), ctypes.sizeof(limits)):  # fmt: skip
                kernel32.CloseHandle(job)
                return None
            _job = job  # never closed: its closing, when this process ends, is what ends the helpers
        return _job
