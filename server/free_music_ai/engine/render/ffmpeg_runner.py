"""Run ffmpeg with its output captured and its progress turned into ``on_progress(fraction, message)``."""

from __future__ import annotations

import logging
import os
import subprocess
import threading
from collections import deque
from collections.abc import Callable, Sequence

from free_music_ai.engine.leftovers import child_ended, start_child, stop
from free_music_ai.errors import InputError, RenderError

log = logging.getLogger(__name__)

ProgressCallback = Callable[[float, str], None]
LOG_TAIL_LINES = 30


def run_ffmpeg(
    args: Sequence[str],
    total_s: float,
    *,
    on_progress: ProgressCallback | None = None,
    message: str = "Rendering",
    environment: dict[str, str] | None = None,
) -> None:
    """Run ``ffmpeg args`` to completion (``environment`` added to ours). stdout and stderr are captured: on
    stdio MCP, stdout is the protocol."""
    command = [args[0], "-hide_banner", "-nostdin", "-loglevel", "error", "-progress", "pipe:1", "-nostats", *args[1:]]
    log.debug("ffmpeg %s", " ".join(command[1:]))
    tail: deque[str] = deque(maxlen=LOG_TAIL_LINES)
    with start_child(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={**os.environ, **environment} if environment else None,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        stderr = process.stderr
        reader = threading.Thread(target=lambda: tail.extend(line.rstrip() for line in stderr), daemon=True)
        reader.start()
        try:
            for line in process.stdout:
                key, _, value = line.strip().partition("=")
                if key == "out_time_us" and on_progress is not None and total_s > 0 and value.lstrip("-").isdigit():
                    on_progress(min(0.999, max(0.0, int(value) / 1e6 / total_s)), message)
            code = process.wait()
        except BaseException:  # interrupted (Ctrl+C, a cancelled task): stop ffmpeg before the caller cleans up
            stop(process)
            raise
        finally:
            child_ended(process)
            reader.join(timeout=5)
    if code != 0:
        details = "\n".join(tail) or f"exit code {code}"
        if any(sign in line for line in tail for sign in _DISK_SIGNS):
            # the output's disk, not the inputs: "convert them to H.264" would send the user the wrong way
            log.warning("ffmpeg could not write (%s):\n%s", code, details)
            raise InputError("The disk is full (or does not take the file): the video could not be written. "
                             "Free some space or choose another folder, then try again.")  # fmt: skip
        log.error("ffmpeg failed (%s):\n%s", code, details)
        raise RenderError(
            f"Rendering failed: {_last_line(tail) or f'ffmpeg exit code {code}'}. "
            "Check that the inputs play in a media player; convert them to MP4 (H.264) if not."
        )
    if on_progress is not None:
        on_progress(1.0, message)


_DISK_SIGNS = ("No space left on device", "Disk quota exceeded", "File too large", "Read-only file system")


def _last_line(tail: deque[str]) -> str:
    return tail[-1][:300] if tail else ""
