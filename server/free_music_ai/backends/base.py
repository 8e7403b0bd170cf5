"""The one interface both backends implement, so the MCP tools and the CLI never care which is active."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from free_music_ai.backends.models import Credits, ExportStatus, SessionState, UploadResult
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.words.request_fields import MessageOptions

EventKind = Literal["text", "progress", "internal", "done"]


@dataclass(frozen=True)
class Event:
    """One thing a message run reports: words for the user, progress, internal steps, or the end."""

    kind: EventKind
    text: str = ""
    fraction: float | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class InlineFile:
    """A file sent as data: its base64 text as it came in the message, decoded only where it is written (a
    piece at a time), so the server never holds the file's bytes beside the text."""

    name: str
    data_base64: str

    @property
    def size(self) -> int:
        """The decoded size, from the text's length."""
        return len(self.data_base64) // 4 * 3 - self.data_base64[-2:].count("=")


class Backend(Protocol):
    name: str

    async def create_session(self) -> str: ...

    async def upload(self, session_id: str | None, paths: list[Path], *, urls: list[str], files: list[InlineFile],
                     analyze: bool = True) -> UploadResult: ...  # fmt: skip

    def send_message(
        self, session_id: str, text: str, options: MessageOptions | None = None
    ) -> AsyncIterator[Event]: ...

    async def state(self, session_id: str) -> SessionState: ...

    async def credits(self) -> Credits: ...

    async def export_start(self, session_id: str, output: Path | None, aspect: Aspect | None, *,
                           extras: ExportExtras | None = None) -> str: ...  # fmt: skip

    async def export_status(self, job_id: str) -> ExportStatus: ...

    async def aclose(self) -> None: ...
