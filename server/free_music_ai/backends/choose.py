"""Which backend runs the work: the embedded engine unless the cloud is configured or asked for.

What chose the cloud is kept with it (``BackendChoice``): advice about the cloud names it and the way back
to this machine that undoes it, never a variable that did not choose it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from free_music_ai.backends.base import Backend
from free_music_ai.config import Settings
from free_music_ai.errors import ConfigError

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead

BACKENDS = ("local", "nemo")
CLOUD_VARIABLES = ("NEMO_TOKEN", "NEMO_API_URL")  # either one set makes the cloud the default


@dataclass(frozen=True)
class BackendChoice:
    """The backend that does the work, why (a clause: "you ran with --backend nemo"; empty when it is not
    known) and what brings the work back to this machine."""

    name: str
    because: str = ""
    way_back: str = "run with --backend local or set FMAI_BACKEND=local"

    @property
    def to_local(self) -> str:
        """The sentence cloud errors end with: what chose the cloud, and how to work on this machine instead."""
        why = f"The NemoVideo cloud does this work because {self.because}; to" if self.because else "To"
        return f"{why} work on this machine instead (free, nothing uploaded), {self.way_back}."


def choose_backend(settings: Settings, flag: str | None = None,
                   environ: Mapping[str, str] | None = None) -> BackendChoice:  # fmt: skip
    """``flag`` (--backend) wins over the setting (FMAI_BACKEND); then NEMO_TOKEN or NEMO_API_URL choose the
    cloud; else local."""
    env = os.environ if environ is None else environ
    if flag:
        return BackendChoice(flag, f"you ran with --backend {flag}", "run with --backend local")
    if settings.backend:
        return BackendChoice(settings.backend, f"FMAI_BACKEND is {settings.backend}", "set FMAI_BACKEND=local")
    named = [name for name in CLOUD_VARIABLES if env.get(name)]
    if not named:
        return BackendChoice("local", "nothing chose the cloud", "")
    setting = " and ".join(named)
    return BackendChoice("nemo", f"{setting} {'is' if len(named) == 1 else 'are'} set",
                         f"unset {setting}, or set FMAI_BACKEND=local")  # fmt: skip


def make_backend(settings: Settings, name: str | None = None, read_ahead: ReadAhead | None = None) -> Backend:
    """The backend ``choose_backend`` picks (``name``: the --backend flag). ``read_ahead``: videos the command
    started reading, for the local engine's analysis."""
    choice = choose_backend(settings, name)
    if choice.name not in BACKENDS:
        raise ConfigError(f"Unknown backend {choice.name!r}. Use one of: {', '.join(BACKENDS)}.")
    if choice.name == "nemo":
        from free_music_ai.backends.nemo import NemoBackend

        return NemoBackend(settings, choice=choice)
    from free_music_ai.backends.local import LocalBackend

    return LocalBackend(settings, read_ahead)


class BackendOnDemand:
    """The backend the settings choose, made on first call: a server (MCP or the web page) starts and answers
    without loading any media library, and closes the backend only if it was made."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._backend: Backend | None = None

    @property
    def choice(self) -> BackendChoice:
        """The backend the settings choose, known without making it (for what the tools say of themselves)."""
        return choose_backend(self.settings)

    def __call__(self) -> Backend:
        if self._backend is None:
            self._backend = make_backend(self.settings)
        return self._backend

    async def aclose(self) -> None:
        if self._backend is not None:
            backend, self._backend = self._backend, None
            await backend.aclose()
