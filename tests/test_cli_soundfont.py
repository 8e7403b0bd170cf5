from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile
from typer.testing import CliRunner

from free_music_ai.cli import app

runner = CliRunner()


def test_info_lists_general_midi() -> None:
    result = runner.invoke(app, ["soundfont", "info", "--json"])
    assert result.exit_code == 0
    presets = json.loads(result.stdout)["presets"]
    assert any(p["bank"] == 0 and p["program"] == 0 and "Piano" in p["name"] for p in presets)
    assert len([p for p in presets if p["bank"] == 0]) >= 128


def test_play_one_after_another_and_together(tmp_path: Path) -> None:
    out = tmp_path / "keys.wav"
    result = runner.invoke(app, ["soundfont", "play", "--program", "0", "--keys", "60,64,67", "--seconds", "0.5",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    audio, rate = soundfile.read(out)
    assert rate == 48000 and audio.shape[1] == 2
    assert 3 * 1.0 <= len(audio) / rate < 3 * 1.0 + 1.5  # three keys of 0.5 s, each with 0.5 s for its release
    chord = tmp_path / "chord.wav"
    result = runner.invoke(app, ["soundfont", "play", "--program", "0", "--keys", "60,64,67", "--together",
                                 "--seconds", "0.5", "-o", str(chord)])  # fmt: skip
    assert result.exit_code == 0
    together, _ = soundfile.read(chord)
    assert len(together) < len(audio) / 2 and np.abs(together).max() > 0.05


def test_play_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "a.wav"
    out.write_bytes(b"mine")
    result = runner.invoke(app, ["soundfont", "play", "--program", "0", "--keys", "60", "-o", str(out)])
    assert result.exit_code == 0 and out.read_bytes() == b"mine"
    assert result.stdout.strip().endswith("a-1.wav")


def test_bad_keys_and_bad_font(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["soundfont", "play", "--program", "0", "--keys", "60,abc", "-o", str(tmp_path / "x.wav")]
    )
    assert result.exit_code == 2 and "MIDI key numbers" in result.stderr
    bad = tmp_path / "bad.sf2"
    bad.write_text("nope")
    result = runner.invoke(app, ["soundfont", "info", str(bad)])
    assert result.exit_code == 2 and "not a SoundFont" in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == [bad]
