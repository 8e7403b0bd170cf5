"""The sound as a player hears it: the true peak of an encoded file, and an encode that keeps it under a limit.

AAC does not keep a waveform's peaks: its quantisation noise rides on them, so a mix limited to -1.24 dBTP
measured -0.7 dBTP once encoded (issue 28, a batch output), while its licence promised the -1.24. The promise
is kept on the file itself: the encoded sound is decoded and measured (where it is encoded: sound_encoder.py), and
when it overshoots, the mix is lowered by the overshoot and encoded again.

The measure takes a sixth of a second of a core for a one-minute export, and an overshoot is rare: so an export
whose picture is copied muxes the file while it is measured (the mux first, on one core; the measure takes what the
mux leaves), and only waits for the verdict before its video gets its name. An overshoot then throws that video
away and makes it again from the lowered mix; a picture that would be encoded is encoded only once the verdict is in.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from free_music_ai.engine.paged_audio import hand_back
from free_music_ai.engine.render.peak_meter import PeakMeter
from free_music_ai.engine.render.sound_encoder import encode_aac_measured, encode_aac_measuring

ENCODE_MARGIN_DB = 0.15  # how far under the limit a second encode aims (the codec's noise moves a little again)
ATTEMPTS = 3
BLOCK = 96_000


def encoded_true_peak(path: Path) -> float:
    """The true peak (dBTP) of the first sound stream of ``path``, decoded as a player would."""
    import av

    meter = PeakMeter()
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=stream.codec_context.sample_rate)
        for frame in container.decode(stream):
            for piece in resampler.resample(frame):
                meter.feed(piece.to_ndarray())
    return meter.peak_db()


class Overshoot(Exception):  # a verdict, not a failure: it never reaches a user
    """The encoded soundtrack's true peak is over its limit: what was made from the file is thrown away, and the
    export lowers the mix, encodes it again and makes the video again (``EncodedSound.settled``)."""


class EncodedSound:
    """A mix encoded to ``path`` while its true peak is still being measured, so the file can be used meanwhile
    (an export muxes its copied picture beside the measure): ``check`` says whether it keeps the limit, and
    ``settled`` lowers the mix (in place) and encodes it again until it does."""

    def __init__(self, audio: np.ndarray, output: Path, *, limit_db: float, rate: int = 48_000,
                 yielding: bool = False) -> None:  # fmt: skip
        """``yielding``: the measure yields the cores to what the caller does with the file meanwhile (the mux)."""
        self.path, self._peak = encode_aac_measuring(audio, output, rate=rate, yielding=yielding)
        self._audio: np.ndarray | None = audio  # until settled: what is lowered when the file overshoots
        self._limit_db, self._rate = limit_db, rate
        self._settled: tuple[float, float] | None = None  # the file's true peak, and what the mix was lowered by

    def check(self) -> None:
        """Wait for the measure; raise ``Overshoot`` when the file is over the limit (before anything made from it
        gets its name)."""
        if self._settled is None and not self._fits(self._peak.result()):
            raise Overshoot(f"{self.path.name} is over {self._limit_db} dBTP once encoded")

    def settled(self) -> tuple[Path, float, float]:
        """The file with its true peak at or under the limit: the file, its true peak, and the gain in dB the mix
        was lowered by to get there (0 when it fitted). The mix is lowered and encoded again at most
        ATTEMPTS - 1 times."""
        if self._settled is None:
            self._settled = self._lowered_until_under(self._peak.result())
            self._audio = None  # the caller may let go of the mix now
        peak, lowered_db = self._settled
        return self.path, peak, lowered_db

    def _fits(self, peak: float) -> bool:
        return peak <= self._limit_db or not math.isfinite(peak)

    def _lowered_until_under(self, peak: float) -> tuple[float, float]:
        lowered_db = 0.0
        for _ in range(ATTEMPTS - 1):
            if self._fits(peak):
                break
            step = self._limit_db - ENCODE_MARGIN_DB - peak
            gain = np.float32(10 ** (step / 20))
            audio = self._audio
            assert audio is not None  # kept until settled
            for start in range(0, len(audio), BLOCK):  # in blocks: a 20-minute mix (in a file) gets no second copy
                audio[start : start + BLOCK] *= gain
                hand_back(audio, start, start + BLOCK)
            lowered_db += step
            peak = encode_aac_measured(audio, self.path, rate=self._rate)[1]
        return peak, lowered_db
