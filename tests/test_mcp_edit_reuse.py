"""An edit of the sound through MCP copies the last export's picture instead of encoding it (issue 31), as a host
drives it: export at 9:16 (encoded), "music 20%" and export again (the same video packets, new sound), a title
(encoded), then the last file deleted before an edit (encoded: never copied from a file that is not the job's)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import numpy as np
import pytest
from mcp import Client

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.mcp_server.server import create_server
from mcp_checks import answer_of
from media_checks import audio_samples, facts, video_packets


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.slow
@pytest.mark.anyio
async def test_a_sound_edit_reuses_the_picture_and_a_title_or_a_lost_file_encodes(tmp_path: Path) -> None:
    clip = sample_media.make_video(tmp_path / "beach.mp4", duration_s=3, width=640, height=360)
    out = tmp_path / "out"
    out.mkdir()
    server = create_server(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                                          "allowed_dirs": [tmp_path]}))  # fmt: skip
    with anyio.fail_after(300):
        async with Client(server) as client:

            async def edit_and_export(message: str) -> dict[str, Any]:
                answer_of(await client.call_tool("generate", {"session_id": session, "message": message}))
                return answer_of(await client.call_tool("export", {"session_id": session, "aspect": "9:16",
                                                                   "output_path": str(out)}))  # fmt: skip

            session = answer_of(await client.call_tool("upload", {"paths": [str(clip)]}))["session_id"]
            first = await edit_and_export("calm piano music")
            quieter = await edit_and_export("music 20%")
            titled = await edit_and_export("add title 'Summer' for the first 2 seconds")
            Path(titled["output_path"]).unlink()  # the last export's video deleted by the user
            after_loss = await edit_and_export("music 40%")

    assert first["video_reused"] is False and first["status"] == "done"
    assert quieter["video_reused"] is True
    old, new = Path(first["output_path"]), Path(quieter["output_path"])
    assert new != old and video_packets(new) == video_packets(old)  # the picture, packet for packet
    before, _ = audio_samples(old)
    after, _ = audio_samples(new)
    assert before.shape == after.shape and float(np.abs(before - after).max()) > 0.05  # the sound is the new mix
    shown = facts(new)
    assert (shown.width, shown.height) == (1080, 1920) and shown.video_duration_s == facts(old).video_duration_s
    assert shown.audio_duration_s is not None and abs(shown.audio_duration_s - 3.0) < 0.05
    assert quieter["license_path"] and Path(quieter["license_path"]).is_file()

    assert titled["video_reused"] is False  # a title changes the picture: encoded
    assert after_loss["video_reused"] is False  # the file it would copy is gone: encoded
    assert video_packets(Path(after_loss["output_path"])) != video_packets(old)  # the title is in the picture
