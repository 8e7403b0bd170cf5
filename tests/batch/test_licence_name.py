"""A batch's video takes only a name whose licence name is free too (issue 29): a licence kept after its video was
deleted never leaves the next video with a "...license-1.json" beside it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from free_music_ai.batch.job import BatchJob, file_url, run_job
from free_music_ai.engine import sample_media


def test_a_kept_licence_keeps_its_name_and_the_new_pair_gets_one_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FMAI_DATA_DIR", str(tmp_path / "data"))
    clip = sample_media.make_scenes(tmp_path / "walk.mp4", ["0x1d3557", "0xe63946"], scene_s=1.5)
    out = tmp_path / "out"
    out.mkdir()
    (out / "walk-music.license.json").write_text('{"output": "the deleted video"}')
    result = run_job(BatchJob(file_url(clip), file_url(out), "calm piano", "auto", 7))
    assert result.error is None and result.output == str(out / "walk-music-1.mp4")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "walk-music-1.license.json", "walk-music-1.mp4", "walk-music.license.json"]  # fmt: skip
    assert (out / "walk-music.license.json").read_text() == '{"output": "the deleted video"}'
    licence = json.loads((out / "walk-music-1.license.json").read_text())  # names its video, not the scratch copy
    assert licence["output"] == str(out / "walk-music-1.mp4")
    assert "replay walk-music-1.license.json" in licence["replay"]
