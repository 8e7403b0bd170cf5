"""The true peak an export's licence states is the file's own, measured as the AAC is encoded (beside the mux of a
copied picture), and keeps the -1 dBTP limit: a loud master whose codec overshoots is lowered and encoded again, and
only the video made from the file that keeps it gets a name."""

from __future__ import annotations

import json
from pathlib import Path

from free_music_ai.backends.local_engine import LocalEngine
from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from music_checks import ebur128_of_file


def test_a_loud_export_keeps_its_peak_promise_and_makes_one_file(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache", "output_dir": tmp_path,
                              "target_lufs": -9.0})  # fmt: skip
    clip = sample_media.make_scenes(tmp_path / "loud.mp4", ["0x1d3557", "0xe63946", "0xf1faee"], scene_s=3.0)
    out = tmp_path / "out"
    out.mkdir()
    engine = LocalEngine(settings, settings.data_dir)
    try:
        session, _ = engine.upload(None, [clip])
        engine.message(session, "energetic upbeat pop")
        row = engine.export(session, out / "loud-music.mp4")
    finally:
        engine.close()
    licence = json.loads((out / "loud-music.license.json").read_text())
    lufs, peak = ebur128_of_file(Path(str(row.output)))
    assert peak <= -1.0 and abs(peak - licence["true_peak_db"]) <= 0.15  # the promise is the file's
    assert abs(lufs + 9.0) <= 1.0
    assert sorted(p.name for p in out.iterdir()) == ["loud-music.license.json", "loud-music.mp4"]
