"""The client's roots: asked only of clients that declared them, on the current protocol and the handshake-era
one, percent-decoded, bounded in time; a client that cannot give them hears so."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import types
from mcp.client import Client

from free_music_ai.config import load_settings
from free_music_ai.mcp_server import roots as roots_module
from free_music_ai.mcp_server.server import create_server


def _server(tmp_path: Path, configured: Path) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [configured]}))  # fmt: skip


def _sharing(*uris: str) -> Any:
    asked: list[int] = []

    async def list_roots(context: Any, *args: Any) -> types.ListRootsResult:
        asked.append(1)
        return types.ListRootsResult(roots=[types.Root(uri=uri) for uri in uris])

    list_roots.asked = asked  # type: ignore[attr-defined]
    return list_roots


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_roots_with_spaces_are_honoured(tmp_path: Path, image_png: Path, mode: str) -> None:
    shared = tmp_path / "my dir"
    shared.mkdir()
    (shared / "in.png").write_bytes(image_png.read_bytes())
    (tmp_path / "out.png").write_bytes(image_png.read_bytes())
    callback = _sharing(shared.as_uri())  # file:///.../my%20dir
    assert "%20" in shared.as_uri()
    async with Client(_server(tmp_path, tmp_path / "nowhere"), list_roots_callback=callback, mode=mode) as client:
        inside = await client.call_tool("upload", {"paths": [str(shared / "in.png")]})
        outside = await client.call_tool("upload", {"paths": [str(tmp_path / "out.png")]})
    assert not inside.is_error, inside.content
    assert outside.is_error and "outside the folders" in str(outside.content) and str(shared) in str(outside.content)
    assert callback.asked  # type: ignore[attr-defined]


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_clients_without_roots_are_not_asked(tmp_path: Path, image_png: Path, mode: str) -> None:
    (tmp_path / "in.png").write_bytes(image_png.read_bytes())
    async with Client(_server(tmp_path, tmp_path), mode=mode) as client:  # declares no roots
        with anyio.fail_after(20):
            uploaded = await client.call_tool("upload", {"paths": [str(tmp_path / "in.png")]})
    assert not uploaded.is_error, uploaded.content  # the configured folders apply


@pytest.mark.anyio
async def test_a_client_that_never_answers_is_told(tmp_path: Path, image_png: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(roots_module, "ROOTS_TIMEOUT_S", 0.5)
    (tmp_path / "in.png").write_bytes(image_png.read_bytes())

    async def silent(context: Any, *args: Any) -> types.ListRootsResult:
        await anyio.sleep(60)
        raise AssertionError("unreachable")

    async with Client(_server(tmp_path, tmp_path), list_roots_callback=silent, mode="legacy") as client:
        with anyio.fail_after(20):
            result = await client.call_tool("upload", {"paths": [str(tmp_path / "in.png")]})
    assert result.is_error and "roots" in str(result.content) and "FMAI_ALLOWED_DIRS" in str(result.content)


@pytest.mark.anyio
async def test_roots_that_name_no_local_folder_are_an_error(tmp_path: Path, image_png: Path) -> None:
    (tmp_path / "in.png").write_bytes(image_png.read_bytes())
    callback = _sharing("file://otherhost/share")
    async with Client(_server(tmp_path, tmp_path), list_roots_callback=callback) as client:
        result = await client.call_tool("upload", {"paths": [str(tmp_path / "in.png")]})
    assert result.is_error and "shares no local folders" in str(result.content)


def test_file_uris_are_percent_decoded() -> None:
    assert roots_module.folder_of("file:///Users/me/My%20Videos") == Path("/Users/me/My Videos")
    assert roots_module.folder_of("file://localhost/tmp/%E4%B8%AD") == Path("/tmp/中")
    assert roots_module.folder_of("http://example.com/x") is None
