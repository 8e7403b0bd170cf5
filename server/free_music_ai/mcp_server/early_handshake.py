"""The answer to a host's first message, made without the MCP SDK, so a host hears back before the SDK loads.

Importing the SDK takes over half a second (its protocol types are pydantic models of every protocol version),
while the answer to the message a host opens with is a fixed description of this server. A host on a
handshake protocol sends ``initialize``: it gets the version it asked for when the SDK negotiates it (else the
SDK's newest), the capabilities the SDK's MCPServer declares, our name, version and the instructions for the
chosen backend. A host on the stateless protocol (2026-07-28, the SDK's own Python client) sends
``server/discover`` and gets the same description in that protocol's form. Only a well-formed first message of
these two is answered here; anything else waits for the SDK. tests/test_mcp_early_handshake.py checks these
answers against the SDK's own for every protocol version, so the two cannot drift apart.
"""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from free_music_ai import __version__

SERVER_NAME = "free-music-ai-generator"
SERVER_TITLE = "Free Music AI Generator"
# what the SDK's MCPServer declares: its prompts, resources and tools handlers always exist; on a handshake
# protocol none notifies changes, on the stateless one a client is told to expect that they may
CAPABILITIES: dict[str, Any] = {"prompts": {"listChanged": False},
                                "resources": {"listChanged": False, "subscribe": False},
                                "tools": {"listChanged": False}}  # fmt: skip
STATELESS_CAPABILITIES: dict[str, Any] = {"prompts": {"listChanged": True},
                                          "resources": {"listChanged": True, "subscribe": True},
                                          "tools": {"listChanged": True}}  # fmt: skip
SERVER_INFO_KEY = "io.modelcontextprotocol/serverInfo"
_META = "io.modelcontextprotocol/"  # the stateless protocol's per-request keys


@dataclass(frozen=True)
class HandshakeVersions:
    """The protocol versions the installed SDK negotiates through ``initialize`` and those it speaks without a
    handshake (``server/discover``), oldest first."""

    handshake: tuple[str, ...]
    stateless: tuple[str, ...]

    @property
    def latest(self) -> str:
        return self.handshake[-1]


def sdk_versions() -> HandshakeVersions | None:
    """The installed SDK's own list, read from its version module alone (its package would import the SDK
    whole); None when it cannot be found, and then nothing is answered before the SDK loads."""
    try:
        found = importlib.util.find_spec("mcp_types")  # finds the package without running it
        folders = list(found.submodule_search_locations or []) if found is not None else []
        path = next((Path(folder) / "version.py" for folder in folders if (Path(folder) / "version.py").is_file()),
                    None)  # fmt: skip
        if path is None:
            return None
        spec = importlib.util.spec_from_file_location("_fmai_sdk_protocol_versions", path)
        if spec is None or spec.loader is None:
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        handshake = tuple(getattr(module, "HANDSHAKE_PROTOCOL_VERSIONS", ()))
        stateless = tuple(getattr(module, "MODERN_PROTOCOL_VERSIONS", ()))
    except Exception:  # an SDK laid out otherwise: the SDK answers, only later
        return None
    if not handshake or not all(isinstance(version, str) for version in (*handshake, *stateless)):
        return None
    return HandshakeVersions(handshake, stateless)


def early_answer(line: bytes, instructions: str, versions: HandshakeVersions) -> tuple[int | str, bytes] | None:
    """The request id and the answer line (with its newline) for ``line`` when it is a well-formed
    ``initialize`` or ``server/discover`` request; None for anything else, which the SDK answers once loaded."""
    try:
        message = json.loads(line)
    except ValueError:
        return None
    if not isinstance(message, dict) or message.get("jsonrpc") != "2.0":
        return None
    request_id, method, params = message.get("id"), message.get("method"), message.get("params")
    if isinstance(request_id, bool) or not isinstance(request_id, int | str):
        return None
    info = {"name": SERVER_NAME, "title": SERVER_TITLE, "version": __version__}
    result: dict[str, Any]
    if method == "initialize" and isinstance(params, dict) and _well_formed(params):
        requested = params["protocolVersion"]
        result = {"capabilities": CAPABILITIES, "instructions": instructions,
                  "protocolVersion": requested if requested in versions.handshake else versions.latest,
                  "serverInfo": info}  # fmt: skip
    elif method == "server/discover" and _discovers(params, versions):
        result = {"cacheScope": "private", "capabilities": STATELESS_CAPABILITIES, "instructions": instructions,
                  "resultType": "complete", "supportedVersions": list(versions.stateless), "ttlMs": 0,
                  "_meta": {SERVER_INFO_KEY: info}}  # fmt: skip
    else:
        return None
    answer = {"jsonrpc": "2.0", "id": request_id, "result": result}
    return request_id, json.dumps(answer, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def _discovers(params: object, versions: HandshakeVersions) -> bool:
    """A ``server/discover`` whose request metadata names a stateless version the SDK speaks, the client and
    its capabilities, and nothing else (the SDK checks each request's metadata)."""
    if not isinstance(params, dict) or set(params) != {"_meta"} or not isinstance(params["_meta"], dict):
        return False
    meta = params["_meta"]
    client, capabilities = meta.get(_META + "clientInfo"), meta.get(_META + "clientCapabilities")
    if set(meta) - {_META + key for key in ("protocolVersion", "clientInfo", "clientCapabilities")}:
        return False
    return (meta.get(_META + "protocolVersion") in versions.stateless and isinstance(capabilities, dict)
            and all(isinstance(value, dict) for value in capabilities.values()) and isinstance(client, dict)
            and isinstance(client.get("name"), str) and isinstance(client.get("version"), str))  # fmt: skip


def _well_formed(params: object) -> bool:
    """What the SDK's InitializeRequestParams requires; a finer fault (a capability of the wrong shape) is
    left to the SDK by answering nothing early."""
    if not isinstance(params, dict) or not isinstance(params.get("protocolVersion"), str):
        return False
    capabilities, client = params.get("capabilities"), params.get("clientInfo")
    if not isinstance(capabilities, dict) or not isinstance(client, dict):
        return False
    if not isinstance(client.get("name"), str) or not isinstance(client.get("version"), str):
        return False
    # only the shapes every client sends: each capability an object, nothing but these keys at the top
    known = {"protocolVersion", "capabilities", "clientInfo", "_meta"}
    return set(params) <= known and all(isinstance(value, dict) for value in capabilities.values())
