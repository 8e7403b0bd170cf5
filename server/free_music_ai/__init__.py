"""free-music-ai-generator: original, royalty-free music for videos, made on the user's own machine.

The public API, as httpx does it: the modules are private in spirit and their useful names are here.

    import free_music_ai as fmai

    music = fmai.compose(fmai.MusicSpec(duration_s=30, genre=fmai.Genre.LOFI, seed=7))   # audio, composition
    facts = fmai.analyze([Path("clip.mp4")])                                            # mood, energy, cuts
    result = fmai.render(fmai.RenderRequest(...), fmai.load_settings())                  # an MP4
    server = fmai.create_server()                                                       # the MCP server

Names are imported on first use, so ``import free_music_ai`` stays instant (the MCP server starts fast).
Errors: ``MusicAIError`` and its tree (``InputError``, ``RenderError``, ...) in ``free_music_ai.errors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:  # what a type checker sees: the real names and types (at run time they load on first use)
    from free_music_ai.config import Settings, load_settings
    from free_music_ai.engine.analysis.analyze import analyze
    from free_music_ai.engine.analysis.model import Analysis
    from free_music_ai.engine.music.produce import Music
    from free_music_ai.engine.music.produce import produce as compose
    from free_music_ai.engine.music.spec import Genre, MusicSpec
    from free_music_ai.engine.render.models import RenderRequest
    from free_music_ai.engine.render.render import render
    from free_music_ai.errors import InputError, MusicAIError, RenderError
    from free_music_ai.mcp_server.server import create_server

_EXPORTS = {
    "compose": ("free_music_ai.engine.music.produce", "produce"),
    "Music": ("free_music_ai.engine.music.produce", "Music"),
    "MusicSpec": ("free_music_ai.engine.music.spec", "MusicSpec"),
    "Genre": ("free_music_ai.engine.music.spec", "Genre"),
    "analyze": ("free_music_ai.engine.analysis.analyze", "analyze"),
    "Analysis": ("free_music_ai.engine.analysis.model", "Analysis"),
    "render": ("free_music_ai.engine.render.render", "render"),
    "RenderRequest": ("free_music_ai.engine.render.models", "RenderRequest"),
    "create_server": ("free_music_ai.mcp_server.server", "create_server"),
    "Settings": ("free_music_ai.config", "Settings"),
    "load_settings": ("free_music_ai.config", "load_settings"),
    "MusicAIError": ("free_music_ai.errors", "MusicAIError"),
    "InputError": ("free_music_ai.errors", "InputError"),
    "RenderError": ("free_music_ai.errors", "RenderError"),
}


def __getattr__(name: str) -> Any:
    found = _EXPORTS.get(name)
    if found is None:
        raise AttributeError(f"module 'free_music_ai' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(found[0]), found[1])
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


__all__ = [  # written out (not built from _EXPORTS) so that a type checker reads it; a test checks they agree
    "Analysis",
    "Genre",
    "InputError",
    "Music",
    "MusicAIError",
    "MusicSpec",
    "RenderError",
    "RenderRequest",
    "Settings",
    "__version__",
    "analyze",
    "compose",
    "create_server",
    "load_settings",
    "render",
]
