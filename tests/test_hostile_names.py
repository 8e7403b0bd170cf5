"""Names and output paths a careless or hostile host may send: odd bytes, great lengths, a folder for a file."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from mcp.client import Client

from free_music_ai.config import load_settings
from free_music_ai.mcp_server.server import create_server
from media_checks import facts


def _server(tmp_path: Path, allowed: Path) -> Any:
    return create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                        "allowed_dirs": [allowed]}))  # fmt: skip


def _data(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    payload: dict[str, Any] = result.structured_content
    return payload


@pytest.mark.anyio
async def test_inline_names_with_odd_bytes_and_great_lengths(tmp_path: Path, image_png: Path) -> None:
    content = base64.b64encode(image_png.read_bytes()).decode()
    names = ["a\x00b.png", "x" * 300 + ".png", "../../etc/evil.png", "\u202etxt.png", "new\nline.png", "CON.png"]
    async with Client(_server(tmp_path, tmp_path)) as client:
        uploaded = _data(await client.call_tool("upload", {"files": [{"name": n, "data_base64": content}
                                                                     for n in names]}))  # fmt: skip
    saved = [Path(a["path"]) for a in uploaded["assets"]]
    assert len(saved) == len(names) and len(set(saved)) == len(names)
    uploads = tmp_path / "data" / "uploads" / uploaded["session_id"]
    for path in saved:
        assert path.parent == uploads and path.is_file()  # never outside the session's folder
        assert len(path.name.encode()) <= 200 and "\x00" not in path.name and "\n" not in path.name
        assert path.suffix == ".png"
    assert not [p for p in uploads.iterdir() if p.name.startswith(".")]  # no temporary file left


@pytest.mark.anyio
async def test_the_allowed_folder_as_output_writes_inside_it(tmp_path: Path, clip_1080: Path) -> None:
    allowed = tmp_path / "work"
    allowed.mkdir()
    long_name = "l" * 236 + ".mp4"  # its temporary name would pass the 255-byte limit if not shortened
    clip = allowed / long_name
    clip.write_bytes(clip_1080.read_bytes())
    async with Client(_server(tmp_path, allowed)) as client:
        session = _data(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
        done = _data(await client.call_tool("export", {"session_id": session, "output_path": str(allowed)}))
        beside = await client.call_tool("export", {"session_id": session, "output_path": str(allowed) + ".mp4"})
    output = Path(done["output_path"])
    assert output.parent == allowed and output.name.endswith("-music.mp4")
    assert facts(output).video_duration_s > 1
    assert not list(tmp_path.glob("work.*"))  # nothing beside the folder
    assert beside.is_error and "outside the folders" in str(beside.content)


def test_a_full_disk_is_a_clear_error_and_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    import numpy as np

    from free_music_ai.errors import InputError
    from free_music_ai.service import media_cache
    from free_music_ai.service.uploads import save_inline

    def full(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    folder = tmp_path / "uploads"
    monkeypatch.setattr(Path, "open", full)
    with pytest.raises(InputError, match="disk is full"):
        save_inline(folder, "clip.mp4", "ZGF0YQ==", max_bytes=1_000_000)
    assert list(folder.iterdir()) == []
    monkeypatch.setattr(np, "save", full)
    with pytest.raises(InputError, match="disk is full"):
        media_cache._save_music(tmp_path / "music.npy", np.zeros((10, 2), np.float32))
    assert [p.name for p in tmp_path.iterdir()] == ["uploads"]  # no music.npy.part


def test_a_job_that_fails_before_its_render_is_failed_with_its_reason(tmp_path: Path, image_png: Path) -> None:
    from free_music_ai.backends.local_engine import LocalEngine
    from free_music_ai.errors import InputError

    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    engine = LocalEngine(settings, settings.data_dir)
    session, _ = engine.upload(None, [image_png])
    job = engine.store.start_render(session)
    with pytest.raises(InputError, match="Version 99 of this session was undone"):  # the job must end with it
        engine.export(session, tmp_path / "x.mp4", render_id=job, version=99)
    row = engine.store.render(job)
    assert row is not None and row.status == "failed" and row.error
    engine.close()
