"""Decoding started the moment a command knows its videos, before the rest of the program has loaded.

The one-shot command spends its first few hundred milliseconds importing pydantic, the engine and the
backends, with a core idle. Reading a video's picture and sound needs only numpy and PyAV, so it starts
first, in the background; the analysis then takes the result (or waits for it) instead of decoding the
file itself. Whatever nobody takes is stopped when the command ends.

A ``ReadAhead`` is made by the entry point and handed down (command, backend, engine, analysis), so
nothing but the command that started a reading can take it.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from free_music_ai.engine.analysis.cuts import Transition, find_transitions
from free_music_ai.engine.analysis.frames import FrameFeatures, read_frames
from free_music_ai.engine.analysis.sound import SoundFeatures, read_sound
from free_music_ai.engine.analysis.stop import check
from free_music_ai.engine.analysis.windowed import read_windowed
from free_music_ai.engine.media_claims import check_claims

Decoded = tuple[FrameFeatures, list[Transition], SoundFeatures]
Key = tuple[str, int, int]


def read_video(path: Path, duration_s: float, *, stopping: threading.Event | None = None,
               decoding: threading.Event | None = None) -> Decoded:  # fmt: skip
    """The picture's features and scene changes, and the sound's, read side by side (``decoding``: see
    read_frames)."""
    # the sound pass runs beside the picture pass: both spend their time in C code that releases the GIL
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="sound-pass") as pool:
        sound_job = pool.submit(read_sound, path, duration_s, stopping)
        # keyframes first where the stream's keyframes tell where scenes change; else every I- and P-frame
        picture = read_windowed(path, stopping=stopping, decoding=decoding)
        if picture is None:
            frames = read_frames(path, stopping=stopping, decoding=decoding)
            check(stopping)
            picture = frames, find_transitions(frames, path)
        return picture[0], picture[1], sound_job.result()


def videos_among(paths: list[Path], video_extensions: frozenset[str]) -> list[Path]:
    """The paths that are existing files with a video extension: the ones worth reading ahead."""
    return [path for path in paths if path.suffix.lower() in video_extensions and path.is_file()]


class ReadAhead:
    """Videos being read in the background for the analysis that will need them."""

    def __init__(self) -> None:
        self._started: dict[Key, tuple[Future[Decoded], threading.Event]] = {}
        self._lock = threading.Lock()
        self._decoding = threading.Event()  # the first video read ahead is past its setup and decoding

    def start(self, paths: list[Path], video_extensions: frozenset[str]) -> None:
        """Begin reading each of ``videos_among(paths)`` in the background (one at a time)."""
        videos = [path.absolute() for path in videos_among(paths, video_extensions)]
        jobs = []
        with self._lock:
            for path in videos:
                key = _key(path)
                if key is not None and key not in self._started:
                    self._started[key] = (Future(), threading.Event())
                    jobs.append((path, *self._started[key]))
        if not jobs:
            return
        self._decoding.clear()

        def run_all() -> None:
            for path, future, stopping in jobs:
                self._run(path, future, stopping)

        threading.Thread(target=run_all, name="prefetch", daemon=True).start()

    def _run(self, path: Path, future: Future[Decoded], stopping: threading.Event) -> None:
        if not future.set_running_or_notify_cancel():
            self._decoding.set()
            return
        try:
            check_claims(path)  # a bomb is refused from its headers, here as in probe, before PyAV opens it
            duration = _duration(path)
            if duration <= 0:  # no duration in the header: left to the analysis, which reads it from the packets
                raise ValueError(f"{path.name} states no duration")
            future.set_result(read_video(path, duration, stopping=stopping, decoding=self._decoding))
        except BaseException as exc:  # handed to whoever takes it: they decode the file themselves
            future.set_exception(exc)
        finally:
            self._decoding.set()  # nobody waits for a setup that failed

    def wait_until_decoding(self, timeout_s: float) -> bool:
        """Wait (at most ``timeout_s``) until the reading started last is decoding; whether it is.

        Opening a file and finding where to split it is Python work that needs the GIL; an import running
        beside it would hold the GIL most of the time and delay the decoding that keeps the other core busy.
        """
        return self._decoding.wait(timeout_s)

    def take(self, path: Path) -> Decoded | None:
        """What was read ahead for ``path`` (waiting for it), once; None when nothing was or it failed."""
        key = _key(path.absolute())
        with self._lock:
            started = self._started.pop(key, None) if key is not None else None
        if started is None:
            return None
        try:
            return started[0].result()
        except Exception:
            return None

    def drop(self, path: Path) -> None:
        """Stop reading ``path`` ahead: its analysis is known already."""
        key = _key(path.absolute())
        with self._lock:
            started = self._started.pop(key, None) if key is not None else None
        if started is not None:
            started[1].set()
            started[0].cancel()

    def stop_all(self) -> None:
        """Stop reading ahead (the command took another way, or ended)."""
        with self._lock:
            started = list(self._started.values())
            self._started.clear()
        for future, stopping in started:
            stopping.set()
            future.cancel()


def _key(path: Path) -> Key | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (str(path), stat.st_size, stat.st_mtime_ns)


def _duration(path: Path) -> float:
    import av

    with av.open(str(path)) as container:
        return float(container.duration or 0) / 1_000_000
