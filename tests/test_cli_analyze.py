from __future__ import annotations

import json
from pathlib import Path

import av
from typer.testing import CliRunner

from free_music_ai.cli import app
from free_music_ai.engine import sample_media

runner = CliRunner()


def test_analyze_json_and_plot(tmp_path: Path, media_dir: Path) -> None:
    clip = sample_media.make_scenes(media_dir / "cli-scenes.mp4", ["red", "blue", "green"], scene_s=2.0)
    plot = tmp_path / "plot.png"
    result = runner.invoke(app, ["analyze", str(clip), "--json", "--plot", str(plot), "-p", "calm lo-fi"])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"duration_s", "cuts_s", "valence", "arousal", "energy", "speech_s", "suggested", "explanation"} <= set(data)
    assert set(data["suggested"]) >= {"genre", "bpm", "mode"} and data["suggested"]["genre"] == "lo-fi"
    assert len(data["energy"]) == 6 and len(data["cuts_s"]) == 2
    with av.open(data["plot"]) as picture:
        frame = next(picture.decode(video=0))
        assert (frame.width, frame.height) == (1200, 440)


def test_analyze_bad_input(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    result = runner.invoke(app, ["analyze", str(text)])
    assert result.exit_code == 2 and "Traceback" not in result.stderr and "Supported formats" in result.stderr
