"""Following an export job: the command line's progress bar, the MCP tool's progress notifications and the
web page's event stream all read the same statuses, in the same way."""

from __future__ import annotations

import time
from collections.abc import AsyncGenerator

import anyio

from free_music_ai.backends.base import Backend
from free_music_ai.backends.models import ExportStatus
from free_music_ai.errors import RenderError

POLL_S = 0.05  # a local status read is one SQLite query: asking often costs nothing and a finished job shows at once


async def watch_export(backend: Backend, job: str, *, poll_s: float = POLL_S,
                       stall_s: float | None = None) -> AsyncGenerator[ExportStatus, None]:  # fmt: skip
    """The job's status whenever its progress or stage moves, and last its final one (done or failed).

    With ``stall_s``, a job whose progress and stage stay the same that long is stuck, not slow: RenderError.
    """
    seen: tuple[float, str] | None = None
    moved = time.monotonic()
    while True:
        status = await backend.export_status(job)
        if not status.running:
            yield status
            return
        now = (status.progress, status.stage)
        if now != seen:
            seen, moved = now, time.monotonic()
            yield status
        elif stall_s is not None and time.monotonic() - moved > stall_s:
            raise RenderError(f"The export made no progress for {stall_s / 60:.0f} minutes, so it was given up. "
                              "Run the command again; if it stops at the same place, report it.")  # fmt: skip
        await anyio.sleep(poll_s)
