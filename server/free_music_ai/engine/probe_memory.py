"""What an engine remembers of the files it has probed: one request probes a file at upload, at analysis and at
render, and the same file unchanged is read once. Owned by the engine that probes (a LocalEngine) and handed to
whatever probes for it; two engines never share one."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from free_music_ai.engine.probe import MediaInfo

PROBES_KEPT = 256  # files whose description is kept (a few KB each)
FileKey = tuple[str, int, int]  # the path, its size and its modification time: a changed file is a new key


class ProbeMemory:
    """The descriptions of the files probed, the newest ``capacity`` of them, each read once even when two
    threads ask for the same file at the same time (an upload's watch and a request's analysis)."""

    def __init__(self, capacity: int = PROBES_KEPT) -> None:
        self.capacity = capacity
        self._known: dict[FileKey, MediaInfo] = {}
        self._reading: dict[FileKey, threading.Lock] = {}  # a lock per file being read, taken by its readers
        self._lock = threading.Lock()

    def recall(self, file: Path, read: Callable[[], MediaInfo]) -> MediaInfo:
        """The description of ``file`` as it is now: remembered, or ``read()`` once and remembered."""
        stat = file.stat()
        key = (str(file), stat.st_size, stat.st_mtime_ns)
        with self._lock:
            reading = self._reading.setdefault(key, threading.Lock())
        try:
            with reading:
                known = self._known.get(key)
                if known is None:
                    known = read()
                    self._keep(key, known)
        finally:  # a file that cannot be read leaves no lock behind either
            with self._lock:
                self._reading.pop(key, None)
        return known

    def _keep(self, key: FileKey, info: MediaInfo) -> None:
        with self._lock:
            self._known[key] = info
            while len(self._known) > self.capacity:
                self._known.pop(next(iter(self._known)))  # the oldest first

    def __len__(self) -> int:
        return len(self._known)
