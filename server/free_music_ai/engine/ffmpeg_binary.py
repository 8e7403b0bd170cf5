"""Which ffmpeg binary to run: the one bundled by imageio-ffmpeg unless a setting names another."""

from __future__ import annotations

import contextlib
import shutil
import threading
from functools import lru_cache
from pathlib import Path

from free_music_ai.errors import ConfigError


@lru_cache(maxsize=8)
def ffmpeg_exe(configured: str | None = None) -> str:
    """Return the ffmpeg path to run. ``configured`` is the FMAI_FFMPEG setting (a path or a name on PATH)."""
    if configured:
        found = shutil.which(configured) or (configured if Path(configured).is_file() else None)
        if found is None:
            raise ConfigError(
                f"FMAI_FFMPEG names {configured!r}, which is not an ffmpeg binary here. "
                "Unset it to use the bundled ffmpeg, or give the full path of one."
            )
        return found
    import imageio_ffmpeg  # heavy-ish: only when a render actually needs ffmpeg

    try:
        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except RuntimeError as exc:  # the wheel has no binary for this platform
        raise ConfigError(
            f"The bundled ffmpeg is missing ({exc}). Reinstall free-music-ai-generator, or set FMAI_FFMPEG "
            "to an ffmpeg with libx264."
        ) from None


def look_up_beside(configured: str | None = None) -> None:
    """Find the ffmpeg binary in a thread of its own, ahead of a render that needs its path: the bundled one is
    checked by running it once (imageio-ffmpeg), 10-40 ms that a render's picture key would otherwise wait for.
    A binary that cannot be found is said by the render's own call."""

    def look_up() -> None:
        with contextlib.suppress(ConfigError):  # the render asks again, and says why
            ffmpeg_exe(configured)

    threading.Thread(target=look_up, name="ffmpeg-look-up", daemon=True).start()
