"""Nothing this process starts or half-writes outlives it: ffmpeg, hidden partial files, scratch folders.

ffmpeg runs in its own process group (a Ctrl+C in the terminal reaches us, and we stop it) and, on Linux, is
told by the kernel to die with the thread that started it (PR_SET_PDEATHSIG), so even a SIGKILL of this
process takes it along; on Windows it joins a kill-on-close job object to the same end (windows_job.py).
Partial files and scratch folders are listed while they exist; an orderly exit (Ctrl+C, SIGTERM, the end of
the command) removes what is left. A process killed outright cannot clean up, so its list is also kept on
disk (a ledger in the data folder) and the next process to start removes what the dead one left, once its
owner is gone (process_owner.py tells).

The registry is process-wide on purpose: it mirrors what the operating system holds for this process.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from free_music_ai.engine.process_owner import current_owner, owner_is_gone, owner_of
from free_music_ai.engine.windows_job import end_with_this_process

SCRATCH_PREFIX = "fmai-"
STOP_WAIT_S = 2.0  # how long ffmpeg gets to stop after SIGTERM before SIGKILL


class _Leftovers:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.children: set[subprocess.Popen[Any]] = set()
        self.paths: set[Path] = set()
        self.ledger: Path | None = None

    def note(self, path: Path) -> None:
        with self.lock:
            self.paths.add(path)
            self._write_ledger()

    def forget(self, path: Path) -> None:
        with self.lock:
            self.paths.discard(path)
            self._write_ledger()

    def _write_ledger(self) -> None:
        if self.ledger is None:
            return
        with contextlib.suppress(OSError):  # the ledger is a help for the next start, never a reason to fail
            if self.paths:
                self.ledger.write_text("\n".join(str(p) for p in sorted(self.paths)) + "\n", encoding="utf-8")
            else:
                self.ledger.unlink(missing_ok=True)


_STATE = _Leftovers()


def keep_ledger(folder: Path) -> None:
    """Also list this process's partial files in ``folder`` (the data folder's), for the next start."""
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        with _STATE.lock:
            _STATE.ledger = folder / f"{_safe(current_owner())}.txt"
            _STATE._write_ledger()


def sweep(folder: Path) -> int:
    """Remove what processes that have ended left behind: the partial files their ledgers in ``folder`` list
    and scratch folders of ended processes; how many were removed."""
    removed = 0
    if folder.is_dir():
        for ledger in folder.glob("*.txt"):
            owner = _unsafe(ledger.stem)
            if not owner_is_gone(owner):
                continue
            with contextlib.suppress(OSError):
                for line in ledger.read_text(encoding="utf-8").splitlines():
                    path = Path(line)
                    if ".partial-" in path.name or path.name.endswith(".part") or path.name.startswith(SCRATCH_PREFIX):
                        removed += _remove(path)
                ledger.unlink(missing_ok=True)
    for scratch in Path(tempfile.gettempdir()).glob(f"{SCRATCH_PREFIX}*-p*-*"):
        pid = _scratch_pid(scratch.name)
        if pid is not None and pid != os.getpid() and owner_is_gone(owner_of(pid)):
            removed += _remove(scratch)
    return removed


def note_partial(path: Path) -> Path:
    """``path`` is being written under a temporary name: remove it if the process stops first."""
    _STATE.note(path)
    return path


def partial_done(path: Path) -> None:
    _STATE.forget(path)


@contextlib.contextmanager
def scratch_folder(kind: str) -> Iterator[Path]:
    """A temporary folder named after this process (so the next start knows whose it was), removed after use."""
    with tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{kind}-p{os.getpid()}-") as work:
        path = Path(work)
        _STATE.note(path)
        try:
            yield path
        finally:
            _STATE.forget(path)


def start_child(command: Sequence[str], **options: Any) -> subprocess.Popen[Any]:
    """Start a helper program (ffmpeg) that stops when this process stops, however it stops."""
    if sys.platform == "win32":  # pragma: no cover - Windows: its own group, so our Ctrl+C handling decides
        options.setdefault("creationflags", subprocess.CREATE_NEW_PROCESS_GROUP)
    else:
        options["start_new_session"] = True
        setpriv = _death_signal_setter()
        if setpriv is not None:
            # the death signal set by util-linux's setpriv, which then executes the program in its place (same pid).
            # Not by a Python hook between fork and exec: the child then tears down every other thread's state, and
            # a thread's PyAV scaler waited there forever (sws_freeContext on a condition with waiters): ffmpeg never
            # started and the request hung (two test workers at once, session 25)
            command = [setpriv, *_PDEATHSIG_KILL, *command]
    process = subprocess.Popen(command, **options)
    if sys.platform == "win32":  # pragma: no cover - Windows: no death signal, a kill-on-close job instead
        end_with_this_process(process.pid)
    with _STATE.lock:
        _STATE.children.add(process)
    return process


def child_ended(process: subprocess.Popen[Any]) -> None:
    with _STATE.lock:
        _STATE.children.discard(process)


def stop(process: subprocess.Popen[Any]) -> None:
    """Stop a child and its own children: SIGTERM to its group, SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        if sys.platform == "win32":  # pragma: no cover
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGTERM)
        process.wait(STOP_WAIT_S)
    except (subprocess.TimeoutExpired, OSError):
        with contextlib.suppress(OSError):
            if sys.platform == "win32":  # pragma: no cover
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(STOP_WAIT_S)


def clean_up() -> None:
    """Stop every child and remove every partial file and scratch folder still listed (an orderly exit)."""
    with _STATE.lock:
        children, paths = list(_STATE.children), list(_STATE.paths)
    for process in children:
        stop(process)
    for path in paths:
        _remove(path)
    with _STATE.lock:
        _STATE.children.clear()
        _STATE.paths.clear()
        _STATE._write_ledger()


def stop_on_terminate() -> None:
    """SIGTERM (a host closing the server, ``kill``) ends the process through its normal exit, so the clean-up
    runs; call from the main thread."""
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, _terminate)


def _terminate(signum: int, frame: object) -> None:
    clean_up()
    raise SystemExit(128 + signum)


def _remove(path: Path) -> int:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        return 1
    except FileNotFoundError:
        return 0
    except OSError:
        return 0


def _scratch_pid(name: str) -> int | None:
    parts = name[len(SCRATCH_PREFIX) :].split("-")
    found = [p[1:] for p in parts if p.startswith("p") and p[1:].isdigit()]
    return int(found[0]) if found else None


def _safe(owner: str) -> str:
    return owner.replace(":", "_")


def _unsafe(stem: str) -> str:
    parts = stem.rsplit("_", 3)
    if len(parts) == 4 and parts[1].isdigit() and (parts[2].isdigit() or not parts[2]):  # host_pid_start_boot
        return ":".join(parts)
    host_pid, _, start = stem.rpartition("_")  # a ledger from before the boot was named
    host, _, pid = host_pid.rpartition("_")
    return f"{host}:{pid}:{start}"


def _load_prctl() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (AttributeError, OSError):
        return None
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return prctl


_PRCTL = _load_prctl()  # looked up before any fork: the child only calls it
_PDEATHSIG_KILL = ("--pdeathsig", "KILL", "--")


@functools.cache
def _death_signal_setter() -> str | None:
    """util-linux's setpriv, once it has set a death signal here (the option is util-linux 2.33's, 2018: an older one
    would fail every ffmpeg it started), looked up on the first helper program, not at import. Where there is none (not
    Linux, or no util-linux) a helper program has no death signal: the ledger of children this process keeps is then
    what stops them (clean_up), and a kill -9 can leave one running."""
    found = shutil.which("setpriv") if sys.platform.startswith("linux") else None
    if found is None:
        return None
    try:
        tried = subprocess.run([found, *_PDEATHSIG_KILL, "true"], capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return found if tried.returncode == 0 else None


_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def die_with(parent_pid: int) -> None:
    """Run first in a worker process (a pool's initializer): the kernel kills it when ``parent_pid`` ends, however
    it ends, as ffmpeg is (a kill -9 of a batch must not leave its workers rendering for no one). A parent that
    ended before the signal was set is seen here, and the worker ends at once."""
    if _PRCTL is None:  # pragma: no cover - not Linux: the pool's own shutdown is all there is
        return
    _die_with_parent()
    if os.getppid() != parent_pid:
        os._exit(1)


atexit.register(clean_up)
