"""What the footage alone asks for, on the real clips of ../shared/media that issue 28 names: the dark GoldenEye
terminal scene gets tense music with a pulse (it got a calm ambient bed), the BBC documentary with people talking
gets a light bed under the voice (it got big cinematic at 103 bpm), and words still win over both."""

from __future__ import annotations

from pathlib import Path

from free_music_ai.engine.analysis.analyze import analyze
from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.plan.plan import plan_music
from free_music_ai.words.wishes import read_wishes


def _analysis(path: Path, tmp_path: Path) -> Analysis:
    return analyze([path], image_seconds=4.0, cache_dir=tmp_path / "cache", max_bytes=500 * 2**20, on_progress=None)


def test_the_real_clips_get_music_that_fits_them(shared_media: Path, tmp_path: Path) -> None:
    dark = _analysis(shared_media / "goldeneye-vfr-drop3.mp4", tmp_path)
    plan = plan_music(dark, read_wishes(""))
    assert plan.spec.genre == Genre.SUSPENSE and any(e.drum for e in compose(plan.spec).events)
    talk = _analysis(shared_media / "issue-195-aspect-ratio.mp4", tmp_path)
    bed = plan_music(talk, read_wishes(""))
    assert bed.spec.genre in (Genre.ACOUSTIC, Genre.AMBIENT, Genre.PIANO) and compose(bed.spec).bpm < 100
    assert "under the voice" in bed.explanation
    asked = plan_music(dark, read_wishes("upbeat"))
    assert asked.spec.genre == Genre.POP and compose(asked.spec).bpm >= 100
