"""Which process owns a running render, and whether that process is still alive.

Several processes share one data folder (Claude Desktop's server, Cursor's, the command line), so a render
marked running may belong to another process that is rendering right now. A render records its owner: the
machine, the process id, the process's start time (a process id is reused once its process is gone; the
start time tells a new process from the old one) and the boot (start times count from the boot: after a restart of
the machine, the same process id started at the same tick is another process). A starting process fails only
renders whose owner is gone.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
from functools import cache
from pathlib import Path


@cache
def current_owner() -> str:
    """This process, as ``host:pid:start:boot``."""
    return owner_of(os.getpid())


def owner_of(pid: int) -> str:
    return f"{socket.gethostname()}:{pid}:{_start_time(pid) or ''}:{boot_id() or ''}"


def owner_is_gone(owner: str | None) -> bool:
    """Whether the process that recorded ``owner`` has ended. Owners on other machines (a data folder on a
    shared drive) cannot be checked and count as alive; renders from before owners were recorded count as gone,
    and so do owners recorded before the machine last started."""
    if not owner:
        return True
    host, _, rest = owner.partition(":")
    pid_text, _, times = rest.partition(":")
    start, _, boot = times.partition(":")  # owners recorded before the boot was named have none
    if host != socket.gethostname():
        return False
    if not pid_text.isdigit():
        return True
    if boot and boot_id() not in (None, boot):
        return True
    pid = int(pid_text)
    if not _alive(pid):
        return True
    return bool(start) and _start_time(pid) not in (None, start)


@cache
def boot_id() -> str | None:
    """This boot of the machine (Linux: a random id the kernel draws at each start), or None where unknown."""
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text(encoding="ascii").strip().replace(":", "") or None
    except OSError:
        return None


def _start_time(pid: int) -> str | None:
    """The process's start time in clock ticks since boot (Linux), or None where it cannot be read."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        fields = text.rsplit(")", 1)[1].split()  # the name in parentheses may hold spaces
        return fields[19]  # the 22nd field; the list starts after the name at field 3
    except (OSError, IndexError):
        return None


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    """A process that has ended but not been reaped yet (an orphan waits for init to reap it, which some
    container inits are slow to do) still answers signal 0: it has ended all the same."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
        return text.rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def _alive_windows(pid: int) -> bool:  # pragma: no cover - Windows only
    # os.kill(pid, 0) would end the process on Windows: ask the kernel for its exit code instead
    query_limited_information, still_active = 0x1000, 259
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:
        return False
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == still_active
    finally:
        kernel32.CloseHandle(handle)
