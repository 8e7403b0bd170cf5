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
from free_music_ai.engine.soundfont.instruments import Instruments
from free_music_ai.engine.soundfont.names import BUNDLED_FONT_NAME, BUNDLED_FONTS, LEGACY_FONT_NAME, PIANO_FONT_NAME
from free_music_ai.engine.soundfont.synth import DEFAULT_RATE, Synthesizer
from free_music_ai.errors import SoundFontError


def bundled_soundfont(name: str = BUNDLED_FONT_NAME) -> Path:
    """The path of a font shipped with this package: the default one, or another of ``BUNDLED_FONTS`` by name."""
    if name not in BUNDLED_FONTS:
        raise SoundFontError(f"{name} is not a SoundFont shipped with free-music-ai-generator (it ships "
                             f"{' and '.join(BUNDLED_FONTS)}). Give the font's path instead.")  # fmt: skip
    return Path(str(resources.files("free_music_ai") / "assets" / "soundfonts" / name))


def synthesizer(font_path: str | Path | None = None, sample_rate: int = DEFAULT_RATE) -> Synthesizer:
    """A new synthesizer for the font (the bundled one by default); keep it, or an Instruments, to reuse the
    waveforms it renders."""
    return Synthesizer(load_soundfont(font_path or bundled_soundfont()), sample_rate)


def render(events: list[NoteEvent], sample_rate: int = DEFAULT_RATE, font: str | Path | None = None) -> np.ndarray:
    """Render note events to an (n, 2) float32 array at ``sample_rate`` (on a synthesizer of its own)."""
    return synthesizer(font, sample_rate).render(events)


__all__ = [
    "BUNDLED_FONTS",
    "BUNDLED_FONT_NAME",
    "DRUM_BANK",
    "LEGACY_FONT_NAME",
    "PIANO_FONT_NAME",
    "Instruments",
    "NoteEvent",
    "PresetInfo",
    "SoundFont",
    "Synthesizer",
    "bundled_soundfont",
    "load_soundfont",
    "render",
    "synthesizer",
]
