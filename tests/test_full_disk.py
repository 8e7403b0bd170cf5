"""A full disk, met for real on a small tmpfs: the session's store and the output folder each say "the disk is
full" with what to do (not "Unexpected failure (OperationalError)", not "convert the inputs to H.264"), nothing is
half-written under a final name, and once space is freed the same calls work."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.mcp_server.server import create_server


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int) -> Iterator[Path]:
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)],
                             capture_output=True, text=True)  # fmt: skip
    if mounted.returncode != 0:
        if os.environ.get("CI"):  # CI runs as root: the test must run there
            pytest.fail(f"cannot mount a tmpfs in CI: {mounted.stderr}")
        pytest.skip(f"mounting a tmpfs needs root: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path) -> Path:
    filler = disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb", buffering=0) as out:
        while True:
            out.write(b"\0" * 4096)
    return filler


def said(result: Any) -> str:
    return " ".join(getattr(part, "text", "") for part in result.content)


@pytest.mark.anyio
async def test_a_full_disk_is_said_as_such_and_loses_nothing(tmp_path: Path) -> None:
    clip = tmp_path / "clip.mp4"
    sample_media.make_scenes(clip, ["0x1d3557", "0xe63946"], scene_s=1.5)
    with small_disk(tmp_path / "tiny", 12) as tiny:
        out = tiny / "out"
        out.mkdir()
        settings = load_settings({"data_dir": tiny / "data", "cache_dir": tiny / "cache",
                                  "allowed_dirs": [tmp_path], "export_wait_s": 60})  # fmt: skip
        async with Client(create_server(settings)) as client:
            session = (await client.call_tool("upload", {"paths": [str(clip)]})).structured_content["session_id"]
            assert not (await client.call_tool("generate", {"session_id": session, "message": "calm piano"})).is_error
            filler = fill(tiny)
            with anyio.fail_after(120):
                edit = await client.call_tool("generate", {"session_id": session, "message": "make it calmer"})
                export = await client.call_tool("export", {"session_id": session, "output_path": str(out / "a.mp4")})
            for answer in (edit, export):
                assert answer.is_error and "disk is full" in said(answer) and "Free some space" in said(answer)
                assert "Unexpected" not in said(answer) and "H.264" not in said(answer), said(answer)
            state = await client.call_tool("state", {"session_id": session})
            assert not state.is_error and state.structured_content["version"] == 2  # nothing half-saved
            filler.unlink()
            again = await client.call_tool("generate", {"session_id": session, "message": "make it calmer"})
            assert not again.is_error, said(again)

        # the output folder full, the store elsewhere: the export says so and leaves no file behind
        settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                  "allowed_dirs": [tmp_path], "export_wait_s": 60})  # fmt: skip
        async with Client(create_server(settings)) as client:
            session = (await client.call_tool("upload", {"paths": [str(clip)]})).structured_content["session_id"]
            assert not (await client.call_tool("generate", {"session_id": session, "message": "calm piano"})).is_error
            for leftover in tiny.iterdir():
                if leftover != out:
                    subprocess.run(["rm", "-rf", str(leftover)], check=True)
            fill(tiny)
            with anyio.fail_after(120):
                export = await client.call_tool("export", {"session_id": session, "output_path": str(out / "b.mp4")})
            assert export.is_error and "disk is full" in said(export) and "H.264" not in said(export), said(export)
            assert list(out.iterdir()) == []  # no half-written video, under its name or a hidden one
