"""The same piece fitted to a re-cut video: same genre, key and seed, tempo within 3 %, the same themes in the
same sections (the lead's pitch classes read from the MIDI file with mido), exactly the new length, beats on
the new cuts."""

from __future__ import annotations

import difflib
from pathlib import Path

import mido
import pytest

from free_music_ai.engine.analysis.model import Analysis, TransitionModel
from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.plan.plan import plan_music
from free_music_ai.words.wishes import read_wishes

from .test_plan import footage


def _lead_by_section(composition: Composition, path: Path) -> dict[str, list[int]]:
    """The lead's pitch classes in the order they sound, per section role, from the MIDI file."""
    write_midi(composition, path)
    midi = mido.MidiFile(str(path))
    tempo = composition.form.tempo
    spans = [(tempo.time_of(b.start), tempo.time_of(b.start + b.beats), b.section) for b in composition.form.bars]
    lead = next(t for t in midi.tracks if any(getattr(m, "name", "") == "lead" for m in t if m.is_meta))
    channel = next(m.channel for m in lead if m.type == "note_on")
    out: dict[str, list[int]] = {}
    seconds = 0.0
    for message in midi:  # in seconds, the file's tempo changes followed
        seconds += message.time
        if message.type == "note_on" and message.velocity > 0 and message.channel == channel:
            section = next((s for a, b, s in spans if a - 0.05 <= seconds < b), None)
            if section is not None:
                out.setdefault(section, []).append(message.note % 12)
    return out


def _with_cuts(analysis: Analysis, times: list[float]) -> Analysis:
    return analysis.model_copy(update={"transitions": [TransitionModel(time_s=t, kind="cut") for t in times]})


@pytest.mark.parametrize(("words", "seed"), [("upbeat pop", 7), ("calm lo-fi", 8), ("epic cinematic", 9)])
def test_a_re_cut_video_keeps_its_music_fitted(words: str, seed: int, tmp_path: Path) -> None:
    before = _with_cuts(footage(duration_s=48.0, energy=[0.5] * 48, speech_s=[]), [6.1, 13.9, 21.2, 30.5, 41.0])
    first = plan_music(before, read_wishes(words), seed=seed)
    cut = _with_cuts(footage(duration_s=37.0, energy=[0.5] * 37, speech_s=[]), [4.9, 12.2, 26.0, 31.7])
    fitted = plan_music(cut, read_wishes(""), seed=seed, base=first.spec)
    a, b = compose(first.spec), compose(fitted.spec)
    assert (b.genre, b.key, fitted.spec.seed) == (a.genre, a.key, first.spec.seed)
    # its form and what its verses sing are kept: 37 s of the cue lost its chorus to the length, and its verses took
    # the hook in place of their own line (MusicSpec.form, MusicSpec.verse_theme)
    assert b.form.name == a.form.name and fitted.spec.verse_theme == first.spec.verse_theme is not None
    assert abs(b.bpm / a.bpm - 1) <= 0.03
    assert fitted.spec.duration_s == 37.0 and set(fitted.spec.cuts_s) == {4.9, 12.2, 26.0, 31.7}
    assert b.hits_s  # beats land on the new cuts
    tunes_a, tunes_b = _lead_by_section(a, tmp_path / "a.mid"), _lead_by_section(b, tmp_path / "b.mid")
    shared = [s for s in tunes_a if s in tunes_b and s != "intro"]
    assert shared
    # the pitch-class sequences aligned (a note humanized across a section's edge shifts a plain zip)
    matched = sum(sum(block.size for block in difflib.SequenceMatcher(None, tunes_a[s], tunes_b[s],
                                                                      autojunk=False).get_matching_blocks())
                  for s in shared)  # fmt: skip
    compared = sum(max(len(tunes_a[s]), len(tunes_b[s])) for s in shared)
    assert matched / compared >= 0.7, (matched, compared)
