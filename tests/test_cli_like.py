"""`render NEW.mp4 --like OLD.license.json`: the music of an earlier export, fitted to a re-cut video."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from free_music_ai.cli import app
from free_music_ai.engine import sample_media
from media_checks import facts


def test_an_earlier_export_s_music_is_fitted_to_a_new_cut(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FMAI_DATA_DIR", str(tmp_path / "data"))
    # 1080p at 10 fps: the renders copy the picture and the test spends its time on the music (720p clips took
    # 7 s of its 10 s in two picture encodes)
    cut = {"width": 1920, "height": 1080, "fps": 10}
    first_cut = sample_media.make_scenes(
        tmp_path / "first.mp4", ["0x1d3557", "0xe63946", "0xf1faee", "0x457b9d"], scene_s=3.0, **cut
    )
    re_cut = sample_media.make_scenes(tmp_path / "second.mp4", ["0xf1faee", "0x1d3557", "0xe63946"], scene_s=2.5, **cut)
    made = CliRunner().invoke(app, ["render", str(first_cut), "-p", "calm piano", "-o", str(tmp_path / "a.mp4"),
                                    "--json"])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    before = json.loads(made.stdout)
    licence = tmp_path / "a.license.json"
    fitted = CliRunner().invoke(app, ["render", str(re_cut), "--like", str(licence), "-o", str(tmp_path / "b.mp4"),
                                      "--json"])  # fmt: skip
    assert fitted.exit_code == 0, fitted.stderr
    after = json.loads(fitted.stdout)
    same = ("genre", "key", "mode", "seed")
    assert {k: after["music"][k] for k in same} == {k: before["music"][k] for k in same}
    assert abs(after["music"]["bpm"] / before["music"]["bpm"] - 1) <= 0.03
    assert abs(facts(tmp_path / "b.mp4").video_duration_s - 7.5) < 0.05
    refused = CliRunner().invoke(app, ["render", str(re_cut), "--like", str(tmp_path / "none.license.json")])
    assert refused.exit_code == 2 and "There is no file" in refused.stderr
