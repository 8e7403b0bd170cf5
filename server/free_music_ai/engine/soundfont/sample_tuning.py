"""Samples of the bundled fonts that are out of tune, and by how much: the correction a player would make.

A font's sample carries its pitch (originalPitch and pitchCorrection); a few of the bundled fonts' samples were
recorded sharp or flat and say nothing of it, so every synthesizer (FluidSynth too) plays them out of tune with the
rest of the band. Each entry was measured on the sample's loop, which is where a held note settles."""

from __future__ import annotations

from dataclasses import replace

from free_music_ai.engine.soundfont.hydra import SampleHeader

# (font file, sample name) -> cents to add to the sample's pitch correction
RETUNED: dict[tuple[str, str], int] = {
    # GM 78's whistle: its loop holds 20 cycles in 419 frames at 44.1 kHz, 2105.0 Hz against C7's 2093.0 (+9.9
    # cents); a folk tune on it was heard sharp against the guitars (pyin, a listening critique; FluidSynth alike)
    ("MuseScore_General_Lite.sf3", "whistle"): -10,
}


def retuned(font: str, samples: tuple[SampleHeader, ...]) -> tuple[SampleHeader, ...]:
    """``samples`` of the font named ``font`` with the corrections RETUNED holds for it."""
    if not any(name == font for name, _ in RETUNED):
        return samples
    return tuple(
        replace(s, pitch_correction=s.pitch_correction + RETUNED[(font, s.name)]) if (font, s.name) in RETUNED else s
        for s in samples
    )
