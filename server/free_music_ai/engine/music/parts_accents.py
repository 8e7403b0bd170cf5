"""Accents on the video's cuts: where a cut lands on a beat or an eighth, the band marks it.

A cut the ear should feel gets a crash and a kick where there are drums, a struck bass note and a short chord
stab everywhere, and a timpani stroke in the orchestral genres; music without drums still marks it with the
bass and the stab.
"""

from __future__ import annotations

import dataclasses

from free_music_ai.engine.music.bass_808 import root_808
from free_music_ai.engine.music.designed_parts import BASS_808_PART, BASS_808_PROGRAM
from free_music_ai.engine.music.form import Bar, Form
from free_music_ai.engine.music.genres import Style
from free_music_ai.engine.music.notes import Note, clamp_velocity
from free_music_ai.engine.music.parts_harmony import bass_root, spread_pan
from free_music_ai.engine.music.playing_styles import BassStyle, DrumStyle
from free_music_ai.engine.music.spec import Genre
from free_music_ai.engine.music.theory import voice_chord

CRASH, KICK = 49, 36
TIMPANI = 47
TIMPANI_GENRES = (Genre.CINEMATIC, Genre.ORCHESTRAL, Genre.SUSPENSE)


def _bar_at(form: Form, beat: float) -> Bar | None:
    for bar in form.bars:
        if bar.start <= beat < bar.start + bar.beats:
            return bar
    if form.bars and abs(beat - form.final_beat) < 1e-6:
        # the final chord, after the last bar: "end on a big hit" strikes it (no bar held it, so the accent the
        # reply promised was never played)
        return dataclasses.replace(form.bars[-1], chord=form.final_chord)
    return None


def cut_accents(hits: list[float], form: Form, *, programs: dict[str, int], drums: DrumStyle, velocity: int,
                style: Style) -> list[Note]:  # fmt: skip
    notes: list[Note] = []
    for beat in hits:
        bar = _bar_at(form, beat)
        if bar is None:
            continue
        strong = clamp_velocity(velocity * 1.05)
        if drums != DrumStyle.NONE:
            notes.append(Note(beat, 2.0, CRASH, strong, "drums", drum=True))
            notes.append(Note(beat, 0.5, KICK, strong, "kick", drum=True))
        low, high = style.register("keys")
        stab = voice_chord(bar.chord, None, low=low, high=high, size=4)
        if style.bass == BassStyle.EIGHT_O_EIGHT:  # trap marks a cut with its 808, not a second bass
            notes.append(Note(beat, 1.0, root_808(bar.chord.root, None), strong, BASS_808_PART, BASS_808_PROGRAM))
        elif "bass" in programs and style.bass != BassStyle.NONE:
            root = bass_root(bar.chord, 36, style.register("bass"))
            notes.append(Note(beat, 1.0, root, strong, "bass", programs["bass"]))
        elif "keys" in programs:
            # no bass: a pianist's left hand marks it with the root in octaves, low (solo piano's big final hit rose
            # 2.6 dB over its plain final chord in A, its right hand alone louder)
            root = min(range(36, 48), key=lambda n: (n % 12 != bar.chord.root, n))
            notes += [
                Note(beat, 1.0, key, strong, "keys", programs["keys"]) for key in (root, root + 12) if key not in stab
            ]
        for k, key in enumerate(stab):
            notes.append(Note(beat, 0.6, key, clamp_velocity(velocity * 0.95), "keys", programs.get("keys", 0),
                              pan=spread_pan(len(stab), k)))  # fmt: skip
        if style.genre in TIMPANI_GENRES:
            root = min((n for n in range(36, 55) if n % 12 == bar.chord.root), key=lambda n: abs(n - 45))
            notes.append(Note(beat, 1.5, root, strong, "hits", TIMPANI))
    return notes
