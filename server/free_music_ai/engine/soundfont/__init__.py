"""Our own General MIDI SoundFont player (sf2 and sf3) in numpy: note events in, stereo audio out.

Why our own: tinysoundfont declares a hard dependency on pyaudio (no wheels for Linux or macOS), and
FluidSynth needs a system library; either would break a plain ``pip install`` or ``uvx`` for most users.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np

from free_music_ai.engine.soundfont.events import NoteEvent
from free_music_ai.engine.soundfont.font import DRUM_BANK, PresetInfo, SoundFont, load_soundfont
from free_music_ai.engine.soundfont.synth import DEFAULT_RATE, Synthesizer

BUNDLED_FONT_NAME = "FluidR3Mono_GM.sf3"
_synths: dict[tuple[str, int], Synthesizer] = {}


def bundled_soundfont() -> Path:
    return Path(str(resources.files("free_music_ai") / "assets" / "soundfonts" / BUNDLED_FONT_NAME))


def synthesizer(font_path: str | Path | None = None, sample_rate: int = DEFAULT_RATE) -> Synthesizer:
    """A synthesizer for the font (the bundled one by default), kept per process with its waveform cache."""
    font = load_soundfont(font_path or bundled_soundfont())
    key = (str(font.path), sample_rate)
    synth = _synths.get(key)
    if synth is None or synth.font is not font:
        synth = _synths[key] = Synthesizer(font, sample_rate)
    return synth


def render(events: list[NoteEvent], sample_rate: int = DEFAULT_RATE, font: str | Path | None = None) -> np.ndarray:
    """Render note events to an (n, 2) float32 array at ``sample_rate``."""
    return synthesizer(font, sample_rate).render(events)


__all__ = [
    "DRUM_BANK",
    "NoteEvent",
    "PresetInfo",
    "SoundFont",
    "Synthesizer",
    "bundled_soundfont",
    "load_soundfont",
    "render",
    "synthesizer",
]
