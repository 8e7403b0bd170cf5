"""What the MCP tools share: settings, the backend (made on first use), allowed folders, error mapping."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ListRootsResult

from free_music_ai.backends.choose import BackendOnDemand
from free_music_ai.config import Settings
from free_music_ai.errors import MusicAIError, unexpected_text, what_failed
from free_music_ai.mcp_server.roots import allowed_folders
from free_music_ai.mcp_server.tool_texts import tool_texts

log = logging.getLogger(__name__)
P = ParamSpec("P")
R = TypeVar("R")


class Runtime:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.backend = BackendOnDemand(settings)
        self.texts = tool_texts(self.backend.choice)  # what the tools say of themselves, for this backend

    async def close(self) -> None:
        await self.backend.aclose()

    def allowed(self, roots: ListRootsResult | None) -> list[Path]:
        """The client's roots when it declared them (roots.py), else the configured folders."""
        return allowed_folders(roots, self.settings.allowed_dirs)


def tool_errors(func: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
    """Our errors become tool errors with their advice; anything else is logged and reported in one line."""

    @functools.wraps(func)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await func(*args, **kwargs)
        except MusicAIError as exc:
            raise ToolError(exc.message) from None
        except ToolError:
            raise
        except Exception as exc:
            failed = what_failed(exc)  # what a task group raised, not the group that carried it
            if isinstance(failed, MusicAIError):
                raise ToolError(failed.message) from None
            log.exception("unexpected failure in %s", func.__name__)
            raise ToolError(f"Unexpected failure ({unexpected_text(failed)}). Details are in the server log.") from None

    return wrapper
