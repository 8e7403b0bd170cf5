"""`free-music-ai replay` plays a licence sidecar's music with the font that sidecar names: the band's, the solo
piano's own (MuseScore_General's grand), or the one an older version played everything on."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import soundfile
from typer.testing import CliRunner

from free_music_ai.cli import app
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import MusicSpec
from free_music_ai.engine.soundfont import BUNDLED_FONT_NAME, LEGACY_FONT_NAME, PIANO_FONT_NAME, bundled_soundfont
from free_music_ai.service.licence import MusicSource, sidecar

SPEC = MusicSpec(duration_s=4.0, genre="solo piano", seed=3)  # type: ignore[arg-type]


def _replayed(found: dict[str, object], tmp_path: Path, name: str) -> np.ndarray:
    path = tmp_path / f"{name}.license.json"
    path.write_text(json.dumps(found), encoding="utf-8")
    done = CliRunner().invoke(app, ["replay", str(path), "-o", str(tmp_path / f"{name}.wav"), "--json"])
    assert done.exit_code == 0, done.stderr
    audio, _ = soundfile.read(str(tmp_path / f"{name}.wav"), dtype="float32", always_2d=True)
    return audio


def _same(audio: np.ndarray, expected: np.ndarray) -> bool:
    expected = np.clip(expected, -1, 1)
    return audio.shape == expected.shape and float(np.max(np.abs(audio - expected))) < 1e-6  # 24-bit WAV


def test_a_sidecar_names_the_font_its_genre_was_played_on_and_replays_with_it(tmp_path: Path) -> None:
    written = sidecar(MusicSource(SPEC.model_dump(mode="json"), None, {"seed": 3, "genre": "solo piano"}),
                      tmp_path / "v.mp4", soundfont=None, lufs=-14.0, peak=-1.0)  # fmt: skip
    assert written["soundfont"] == {"name": PIANO_FONT_NAME, "bundled": True, "licence": "MIT"}
    font = bundled_soundfont(PIANO_FONT_NAME)
    assert font.is_file() and "MIT" in font.with_name("MuseScore_General_Lite.LICENSE.txt").read_text("utf-8")
    assert _same(_replayed(written, tmp_path, "now"), produce(SPEC).audio)
    band = sidecar(MusicSource({}, None, {"seed": 3, "genre": "upbeat pop"}), tmp_path / "b.mp4",
                   soundfont=None, lufs=-14, peak=-1)  # fmt: skip
    assert band["soundfont"] == {"name": BUNDLED_FONT_NAME, "bundled": True, "licence": "MIT"}


def test_an_older_sidecar_replays_with_the_font_it_names(tmp_path: Path) -> None:
    """Sidecars written before the solo piano had its own font name FluidR3Mono_GM.sf3, bundled."""
    older = {"music_source": "generated", "spec": SPEC.model_dump(mode="json"), "seed": 3,
             "soundfont": {"name": LEGACY_FONT_NAME, "bundled": True, "licence": "MIT"}}  # fmt: skip
    audio = _replayed(older, tmp_path, "older")
    assert _same(audio, produce(SPEC, soundfont=bundled_soundfont(LEGACY_FONT_NAME)).audio)
    assert not _same(audio, produce(SPEC).audio)  # the font it names, not today's default
