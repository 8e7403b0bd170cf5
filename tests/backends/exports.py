"""Waiting for an export in a test: the backends answer a job's status at once; a test waits for its end."""

from __future__ import annotations

import anyio

from free_music_ai.backends.base import Backend
from free_music_ai.backends.models import ExportStatus


async def finished(backend: Backend, job: str, timeout_s: float) -> ExportStatus:
    """The job's status once it is no longer running, or as it is after ``timeout_s``."""
    with anyio.move_on_after(timeout_s):
        while (status := await backend.export_status(job)).running:
            await anyio.sleep(0.05)
        return status
    return await backend.export_status(job)
