from __future__ import annotations

import json
from pathlib import Path

import mido
import soundfile
from typer.testing import CliRunner

from free_music_ai.cli import app

runner = CliRunner()


def test_compose_json_midi_and_stems(tmp_path: Path) -> None:
    stems = tmp_path / "stems"
    stems.mkdir()
    result = runner.invoke(app, ["compose", "-d", "9.5", "--mood", "calm warm", "--cuts", "2.5,6", "--seed", "3",
                                 "-o", str(tmp_path / "m.wav"), "--midi", str(tmp_path / "m.mid"),
                                 "--stems", str(stems), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"path", "duration_s", "genre", "bpm", "key", "mode", "beats_s", "hits_s", "lufs", "true_peak_db"} <= set(
        data
    )
    assert data["hits_s"] == [2.5, 6.0]  # both cuts hit, and reported
    audio, rate = soundfile.read(data["path"])
    assert rate == 48000 and len(audio) == round(9.5 * 48000)
    assert data["duration_s"] == 9.5 and data["beats_s"][0] == 0.0
    assert abs(data["lufs"] + 14) <= 0.5 and data["true_peak_db"] <= -1.0
    assert len(mido.MidiFile(data["midi"]).tracks) >= 2
    assert set(data["stems"]) and all(Path(p).exists() for p in data["stems"].values())


def test_compose_bad_input(tmp_path: Path) -> None:
    out = str(tmp_path / "x.wav")
    for args, message in (
        (["-d", "2"], "--duration must be"),
        (["-d", "10", "--genre", "polka"], "Choose one of: lo-fi, cinematic"),
        (["-d", "10", "--mood", "qwerty"], "No mood word"),
        (["-d", "10", "--cuts", "1,a"], "seconds separated by commas"),
        (["-d", "10", "--key", "H"], "cannot be used"),
        (["-d", "10", "--stems", str(tmp_path / "nope")], "not a folder"),
    ):
        result = runner.invoke(app, ["compose", *args, "-o", out])
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert message in result.stderr and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []
