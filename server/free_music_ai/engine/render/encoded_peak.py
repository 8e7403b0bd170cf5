"""The sound as a player hears it: the true peak of an encoded file, and an encode that keeps it under a limit.

AAC does not keep a waveform's peaks: its quantisation noise rides on them, so a mix limited to -1.24 dBTP
measured -0.7 dBTP once encoded (issue 28, a batch output), while its licence promised the -1.24. The promise
is kept on the file itself: the encoded sound is decoded and measured (where it is encoded: sound_encoder.py), and
when it overshoots, the mix is lowered by the overshoot and encoded again.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from free_music_ai.engine.paged_audio import hand_back
from free_music_ai.engine.render.peak_meter import PeakMeter
from free_music_ai.engine.render.sound_encoder import encode_aac_measured

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


def encode_aac_under(audio: np.ndarray, output: Path, *, limit_db: float,
                     rate: int = 48_000) -> tuple[Path, float, float]:  # fmt: skip
    """Encode (n, 2) ``audio`` to ``output`` with the decoded sound's true peak at or under ``limit_db``: the file,
    its measured true peak, and the gain in dB the mix was lowered by to get there (0 when it fitted). ``audio``
    is lowered in place when it must be."""
    lowered_db = 0.0
    peak = math.inf
    for _ in range(ATTEMPTS):
        peak = encode_aac_measured(audio, output, rate=rate)[1]
        if peak <= limit_db or not math.isfinite(peak):
            break
        step = limit_db - ENCODE_MARGIN_DB - peak
        gain = np.float32(10 ** (step / 20))
        for start in range(0, len(audio), BLOCK):  # in blocks: a 20-minute mix (in a file) gets no second copy
            audio[start : start + BLOCK] *= gain
            hand_back(audio, start, start + BLOCK)
        lowered_db += step
    return output, peak, lowered_db
