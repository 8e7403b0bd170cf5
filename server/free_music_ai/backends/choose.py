"""Which backend runs the work: the embedded engine unless the cloud is configured or asked for."""

from __future__ import annotations

from free_music_ai.backends.base import Backend
from free_music_ai.config import Settings
from free_music_ai.errors import ConfigError

BACKENDS = ("local", "nemo")


def make_backend(settings: Settings, name: str | None = None) -> Backend:
    """``name`` (a flag) wins over the setting; the local engine is the default."""
    chosen = name or settings.backend or "local"
    if chosen not in BACKENDS:
        raise ConfigError(f"Unknown backend {chosen!r}. Use one of: {', '.join(BACKENDS)}.")
    from free_music_ai.backends.local import LocalBackend

    return LocalBackend(settings)
