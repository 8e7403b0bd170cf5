"""Which files the MCP tools may read and write: inside the allowed folders only.

The allowed folders are the client's MCP roots when it sends them, else the folders the server was started
with (``free-music-ai mcp FOLDER...``, which is how an MCP Bundle passes the ones chosen in its settings), else
the FMAI_ALLOWED_DIRS setting (default: the user's home). Paths are resolved first, so ``..`` and symbolic
links that lead outside are refused like any other outside path.
"""

from __future__ import annotations

from pathlib import Path

from free_music_ai.errors import InputError


class PathOutsideAllowed(InputError):
    """A tool was asked to read or write outside the allowed folders."""


def check_path(raw: str | Path, allowed: list[Path], must_exist: bool = True) -> Path:
    path = Path(raw).expanduser()
    if not path.is_absolute():
        raise PathOutsideAllowed(f"{raw} is not an absolute path. Give the full path, inside {_folders(allowed)}.")
    resolved = path.resolve(strict=False)
    if not any(resolved == root or root in resolved.parents for root in (a.resolve() for a in allowed)):
        raise PathOutsideAllowed(
            f"{raw} is outside the folders this server may use ({_folders(allowed)}). Move the file there, "
            "or add its folder to the server's folders: in Claude Desktop, the extension's settings; else the "
            "folders after `free-music-ai mcp`, FMAI_ALLOWED_DIRS, or the client's roots."
        )
    if must_exist and not resolved.exists():
        raise InputError(f"No file at {raw}. Check the path, or pass the file's content as base64 instead.")
    return resolved


def _folders(allowed: list[Path]) -> str:
    return ", ".join(str(a) for a in allowed) or "none"
