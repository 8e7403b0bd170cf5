"""The synthesizers one owner plays with: one per font and sample rate, each keeping its waveform cache.

A synthesizer keeps the waveforms it has rendered (up to 256 MB, synth.py), so the pieces of one session share
them. Whoever makes music owns an Instruments and hands it down: the service keeps one for every piece it makes
(service/media_cache.py), a command that makes one piece makes its own. The parsed fonts themselves are shared by
load_soundfont (a memo of an unchanged file's contents, which nothing alters).
"""

from __future__ import annotations

import threading
from pathlib import Path

from free_music_ai.engine.soundfont.font import load_soundfont
from free_music_ai.engine.soundfont.synth import DEFAULT_RATE, Synthesizer


class Instruments:
    def __init__(self) -> None:
        self._synths: dict[tuple[str, int], Synthesizer] = {}
        self._lock = threading.Lock()  # two pieces made at once ask for the same font's synthesizer

    def synthesizer(self, font_path: str | Path | None = None, sample_rate: int = DEFAULT_RATE) -> Synthesizer:
        """The synthesizer for the font (the bundled one by default) at ``sample_rate``, made on first asking;
        a font file changed since is played by a new one."""
        from free_music_ai.engine.soundfont import bundled_soundfont

        font = load_soundfont(font_path or bundled_soundfont())
        key = (str(font.path), sample_rate)
        with self._lock:
            synth = self._synths.get(key)
            if synth is None or synth.font is not font:
                synth = self._synths[key] = Synthesizer(font, sample_rate)
            return synth
