"""Which backend runs the work: the embedded engine unless the cloud is configured or asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from free_music_ai.backends.base import Backend
from free_music_ai.config import Settings
from free_music_ai.errors import ConfigError

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead

BACKENDS = ("local", "nemo")


def make_backend(settings: Settings, name: str | None = None, read_ahead: ReadAhead | None = None) -> Backend:
    """``name`` (a flag) wins over the setting; then NEMO_TOKEN or NEMO_API_URL choose the cloud; else local.
    ``read_ahead``: videos the command started reading, for the local engine's analysis."""
    from free_music_ai.backends.nemo_config import cloud_configured

    chosen = name or settings.backend or ("nemo" if cloud_configured() else "local")
    if chosen not in BACKENDS:
        raise ConfigError(f"Unknown backend {chosen!r}. Use one of: {', '.join(BACKENDS)}.")
    if chosen == "nemo":
        from free_music_ai.backends.nemo import NemoBackend

        return NemoBackend(settings)
    from free_music_ai.backends.local import LocalBackend

    return LocalBackend(settings, read_ahead)


class BackendOnDemand:
    """The backend the settings choose, made on first call: a server (MCP or the web page) starts and answers
    without loading any media library, and closes the backend only if it was made."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._backend: Backend | None = None

    def __call__(self) -> Backend:
        if self._backend is None:
            self._backend = make_backend(self.settings)
        return self._backend

    async def aclose(self) -> None:
        if self._backend is not None:
            backend, self._backend = self._backend, None
            await backend.aclose()
