"""A batch worker killed between publishing a video and its licence: the next attempt finishes that job under
the same names (its own leftovers replaced), never a "-1" copy beside them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from free_music_ai.batch.job import MARKERS, BatchJob, file_url, run_job
from free_music_ai.engine import sample_media


def test_a_job_killed_while_publishing_finishes_under_its_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FMAI_DATA_DIR", str(tmp_path / "data"))
    clip = sample_media.make_scenes(tmp_path / "walk.mp4", ["0x1d3557", "0xe63946"], scene_s=1.5)
    out = tmp_path / "out"
    out.mkdir()
    job = BatchJob(file_url(clip), file_url(out), "calm piano", "auto", 7)
    # what a killed attempt left: its marker, still publishing, and its video without a licence
    (out / MARKERS).mkdir()
    (out / MARKERS / f"{job.key}.json").write_text(json.dumps({"output": "walk-music.mp4", "state": "publishing"}))
    (out / "walk-music.mp4").write_bytes(b"the first attempt's video, cut short")
    result = run_job(job)
    assert result.error is None and result.output == str(out / "walk-music.mp4")
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["walk-music.license.json",
                                                                                   "walk-music.mp4"]  # fmt: skip
    assert (out / "walk-music.mp4").stat().st_size > 1000  # the finished video, not the leftover
