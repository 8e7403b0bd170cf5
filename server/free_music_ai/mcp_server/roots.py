"""The folders a client shares with the server (its MCP roots): asked for only from clients that declared
them, within a time limit, on every protocol version the SDK speaks.

From protocol 2026-07-28 a server cannot send the client a request in the middle of a call: the SDK's
resolver returns the question with the tool's first answer and the client calls again with its roots
(``ListRoots``). On earlier versions the request goes out mid-call, bounded by ``ROOTS_TIMEOUT_S``. A client
that declared no roots gets the configured folders (FMAI_ALLOWED_DIRS); a client that declared them and then
could not give them gets an error that says so, never a silent fallback.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
import warnings
from pathlib import Path

import anyio
from mcp import MCPDeprecationWarning
from mcp.server.mcpserver import Context, ListRoots
from mcp.server.mcpserver.exceptions import ToolError
from mcp.types import ListRootsResult

from free_music_ai.errors import InputError

ROOTS_TIMEOUT_S = 10.0
_ASKS_BY_RESULT = "2026-07-28"  # from this protocol version, questions to the client ride the tool's answer


class RootsUnavailable(InputError):
    """The client declared roots but did not give them."""


async def client_roots(ctx: Context) -> ListRoots | ListRootsResult | None:
    """The client's roots (None when it declared none): the resolver of the tools that touch files."""
    capabilities = ctx.session.client_capabilities
    if capabilities is None or capabilities.roots is None:
        return None
    if ctx.session.protocol_version >= _ASKS_BY_RESULT:
        return ListRoots()
    try:
        # roots are deprecated from 2026-07-28 (SEP-2577) but hosts on earlier versions still send them
        with warnings.catch_warnings(), anyio.fail_after(ROOTS_TIMEOUT_S):
            warnings.simplefilter("ignore", MCPDeprecationWarning)
            listed: ListRootsResult = await ctx.session.list_roots()
            return listed
    except Exception as exc:  # the resolver runs before the tool: its error must already be the tool's
        raise ToolError(
            f"Your MCP client says it shares folders (roots) but did not list them within {ROOTS_TIMEOUT_S:g} s "
            f"({type(exc).__name__}). Restart the client, or set FMAI_ALLOWED_DIRS and remove its roots setting."
        ) from None


def allowed_folders(roots: ListRootsResult | None, configured: list[Path]) -> list[Path]:
    """The folders the tools may use: the client's roots (file URIs, percent-decoded) when it has them, else
    the configured folders."""
    if roots is None:
        return list(configured)
    folders = [folder for folder in (folder_of(str(root.uri)) for root in roots.roots) if folder is not None]
    if not folders:
        raise RootsUnavailable("Your MCP client shares no local folders (its roots list none). Add the folder with "
                               "your videos to the client's roots, then try again.")  # fmt: skip
    return folders


def folder_of(uri: str) -> Path | None:
    """The local path of a ``file:`` URI (``file:///Users/me/My%20Videos`` -> ``/Users/me/My Videos``);
    None for other schemes and other machines."""
    parts = urllib.parse.urlsplit(uri)
    if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
        return None
    return Path(urllib.request.url2pathname(parts.path))
