"""A finished soundtrack to AAC-LC in an M4A file, on every core.

FFmpeg's AAC encoder is single-threaded and, after the picture is copied, it is the slowest step of an
export. So the piece is cut at AAC frame boundaries into one stretch per core and each stretch gets its own
encoder (PyAV releases the GIL while encoding, so threads suffice). An AAC frame is the transform of 2048
samples overlapping its neighbours, and the encoder's rate control needs a moment to settle: each encoder
therefore starts LEAD_S before its stretch and runs a few frames past its end, and only the frames that
belong to its stretch are kept. The joined frames decode as one stream: the overlap-add at a join sums two
frames that were both computed from the true signal, and the tests check the joins against one encoder.

The encoder runs its "fast" coder without intensity stereo or noise substitution, at 256 kb/s. Its default
(the "twoloop" coder at 192 kb/s) spends twice the CPU for a copy that is further from the source: measured
on a minute of our own music, the fast coder at 256 kb/s keeps the error 3 to 7 dB lower in every band above
500 Hz, within 1 dB below; FFmpeg's own authors found the fast coder the better sounding one at high
bitrates. Intensity stereo and noise substitution trade the fidelity of the highs for bits, which this
bitrate does not need: with them the error above 6 kHz is barely 5 dB under the signal.

The first frame carries the encoder's priming delay, which the MP4 edit list removes on playback, and the
last frame's duration holds only real samples: the file is exactly as long as the audio given.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import Future, ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai.engine.background_thread import yield_to_others
from free_music_ai.engine.render.peak_meter import HISTORY, MEASURED_AT_ONCE, PeakMeter
from free_music_ai.engine.stretches import balanced_starts

if TYPE_CHECKING:  # numpy is imported by the calls, not by the module: the MCP server starts without it
    import numpy as np

FRAME = 1024  # samples per AAC-LC frame
LEAD_S = 2.0  # what an encoder hears before its stretch: its rate control settles in about that time
TAIL_FRAMES = 4  # what it hears after: the last kept frames are windowed over the next stretch's samples
MIN_STRETCH_S = 8.0  # shorter pieces are not split: the lead would cost more than the split saves
HANDED_AT_ONCE = 64 * FRAME  # samples given to an encoder per call
DEFAULT_BITRATE = 256_000
PRIMING_FRAMES = 2  # the file's frames a stretch's decoder hears first: the second's sound is then exact
ENCODER_OPTIONS = {"aac_coder": "fast", "aac_is": "0", "aac_pns": "0"}  # see the module's docstring


def ffmpeg_aac_args(bitrate: int = DEFAULT_BITRATE) -> list[str]:
    """The same encoder settings for the ffmpeg program (exports whose sound is mixed by its graph)."""
    options = [arg for key, value in ENCODER_OPTIONS.items() for arg in (f"-{key}", value)]
    return ["-c:a", "aac", *options, "-b:a", str(bitrate)]


def encode_aac(
    audio: np.ndarray, output: Path, *, rate: int = 48_000, bitrate: int = DEFAULT_BITRATE, workers: int | None = None
) -> Path:
    """Write (n, 2) float32 ``audio`` to ``output`` (M4A, AAC-LC stereo at ``rate``) and return it.

    ``workers`` caps the stretches encoded at once (default: one per core).
    """
    return _encode(audio, output, rate=rate, bitrate=bitrate, workers=workers, measure=False)[0]


def encode_aac_measured(
    audio: np.ndarray, output: Path, *, rate: int = 48_000, bitrate: int = DEFAULT_BITRATE, workers: int | None = None
) -> tuple[Path, float]:
    """``encode_aac``, and the true peak (dBTP) of the file's sound as a player decodes it (encoded_peak.py)."""
    path, peak = encode_aac_measuring(audio, output, rate=rate, bitrate=bitrate, workers=workers)
    return path, peak.result()


class PeakUnderWay:
    """The true peak of an encoded file, measured a stretch per thread: ``result`` waits for every stretch."""

    def __init__(self, stretches: list[Future[float]]) -> None:
        self._stretches = stretches

    def result(self) -> float:
        return max(stretch.result() for stretch in self._stretches)


def encode_aac_measuring(
    audio: np.ndarray,
    output: Path,
    *,
    rate: int = 48_000,
    bitrate: int = DEFAULT_BITRATE,
    workers: int | None = None,
    yielding: bool = False,
) -> tuple[Path, PeakUnderWay]:
    """``encode_aac``, the file written, and the true peak of its sound still being measured: the caller uses the
    file meanwhile (an export muxes its copied picture with it, and waits for the peak before the file gets its
    name). ``yielding``: the measure's threads yield the cores to the rest of the process (background_thread.py),
    so what the caller does meanwhile goes first and the measure takes the cores it leaves.

    Each stretch's frames are decoded and measured in a thread of its own, as soon as every stretch is encoded: the
    file is never read back, and on two cores the measure takes half the time it takes on one. A stretch's decoder
    first hears the file's two frames before it (an AAC frame's sound is its own transform overlapped with the
    previous one's), so what it gives is what one decoder of the whole file gives."""
    path, peak = _encode(audio, output, rate=rate, bitrate=bitrate, workers=workers, measure=True, yielding=yielding)
    assert peak is not None
    return path, peak


def _encode(audio: np.ndarray, output: Path, *, rate: int, bitrate: int, workers: int | None,
            measure: bool, yielding: bool = False) -> tuple[Path, PeakUnderWay | None]:  # fmt: skip
    import av

    samples = len(audio)
    frames = max(1, math.ceil(samples / FRAME))
    stretches = _stretch_count(samples / rate, workers or os.cpu_count() or 1)
    lead = math.ceil(LEAD_S * rate / FRAME) * FRAME
    # every encoder gets as many frames to encode, its lead-in and tail included
    starts = balanced_starts(frames, stretches, lead=lead // FRAME, tail=TAIL_FRAMES)
    bounds = [*(min(frames, max(0, round(start))) * FRAME for start in starts), samples]
    with av.open(str(output), "w", format="mp4") as container:
        stream: Any = container.add_stream("aac", rate=rate, layout="stereo")
        # the stream's own encoder takes the first stretch, so the file's codec settings are an encoder's
        encoders = [stream.codec_context] + [av.CodecContext.create("aac", "w") for _ in range(stretches - 1)]
        for encoder in encoders:
            _configure(encoder, rate, bitrate)

        def stretch(k: int) -> list[Any]:
            first = max(0, bounds[k] - lead)
            last = samples if k == stretches - 1 else min(samples, bounds[k + 1] + TAIL_FRAMES * FRAME)
            packets = _encode_stretch(encoders[k], audio, first, last, rate)
            keep_from = -math.inf if k == 0 else bounds[k]
            keep_to = math.inf if k == stretches - 1 else bounds[k + 1]
            return [p for p in packets if p.pts is not None and keep_from <= p.pts < keep_to]

        if stretches > 1:
            with ThreadPoolExecutor(max_workers=stretches, thread_name_prefix="aac") as pool:
                parts = list(pool.map(stretch, range(stretches)))
        else:
            parts = [stretch(0)]
        # the muxer keeps the packets as they are (its own reference to their bytes; their clock is the stream's
        # already), so the measure below decodes the same packets once they are written
        for part in parts:
            for packet in part:
                packet.stream = stream
                container.mux(packet)
        extradata = encoders[0].extradata
    if not measure:
        return output, None

    def measured(k: int) -> float:
        """The true peak of stretch k's sound, its neighbours' frames around it for the decoder and the filter."""
        before = parts[k - 1][-PRIMING_FRAMES:] if k > 0 else []
        after = parts[k + 1][:1] if k + 1 < stretches else []
        upto = bounds[k + 1] + HISTORY if k + 1 < stretches else math.inf  # the last: all it decodes, as a file
        since, tail = max(0, bounds[k] - HISTORY), HISTORY if k + 1 < stretches else 0
        return _decoded_peak(before + parts[k] + after, extradata, rate, since, upto, lead=bounds[k] - since,
                             tail=tail, workers=1 if stretches > 1 else None)  # fmt: skip

    # threads of their own, which end with their measure: the caller goes on with the file meanwhile
    measurers = ThreadPoolExecutor(max_workers=stretches, thread_name_prefix="aac-peak",
                                   initializer=yield_to_others if yielding else None)  # fmt: skip
    peak = PeakUnderWay([measurers.submit(measured, k) for k in range(stretches)])
    measurers.shutdown(wait=False)
    return output, peak


def _decoded_peak(packets: list[Any], extradata: bytes | None, rate: int, since: int, upto: float, *, lead: int,
                  tail: int, workers: int | None) -> float:  # fmt: skip
    """The true peak of the sound ``packets`` decode to from sample ``since`` (the file's first is 0: the encoder's
    priming before it is skipped, as the edit list says) up to ``upto``, its first ``lead`` and last ``tail``
    samples only read (the neighbouring stretches', which measure them)."""
    import av
    import numpy as np

    decoder: Any = av.CodecContext.create("aac", "r")
    decoder.extradata = extradata
    decoder.sample_rate = rate
    decoder.layout = "stereo"
    meter = PeakMeter(workers, lead=lead, tail=tail)
    # the decoder's planes copied, as each frame comes, into blocks for the meter: a block per frame (1024 samples,
    # stacked by to_ndarray) cost a sixth of the measure in small copies. A block goes to the meter at the frame
    # where one block per frame would have made it measure (MEASURED_AT_ONCE samples held), so it measures the
    # same stretches, to the bit. Copied at once: the decoder may reuse a frame's memory for a later frame.
    block, filled, held = np.empty((2, HANDED_AT_ONCE), dtype=np.float32), 0, 0
    for packet in packets:
        for frame in decoder.decode(packet):
            at, samples = frame.pts, frame.samples
            lo, hi = max(0, since - at), int(min(samples, upto - at))
            if hi <= lo:
                continue
            if filled + hi - lo > block.shape[1]:  # full: handed over, short of a measure
                meter.feed(block[:, :filled])
                block, filled = np.empty((2, max(HANDED_AT_ONCE, hi - lo)), dtype=np.float32), 0
            if frame.format.name == "fltp" and len(frame.planes) == 2:  # AAC's decoder gives float planes
                for row, plane in zip(block, frame.planes, strict=True):
                    row[filled : filled + hi - lo] = np.frombuffer(plane, np.float32, samples)[lo:hi]
            else:  # another layout: as PyAV stacks it
                block[:, filled : filled + hi - lo] = frame.to_ndarray()[:, lo:hi]
            filled, held = filled + hi - lo, held + hi - lo
            if held >= MEASURED_AT_ONCE:  # the meter measures now, as it would have after this frame
                meter.feed(block[:, :filled])
                block, filled, held = np.empty((2, HANDED_AT_ONCE), dtype=np.float32), 0, 0
    if filled:
        meter.feed(block[:, :filled])
    return meter.peak_db()


def _stretch_count(seconds: float, workers: int) -> int:
    return max(1, min(workers, int(seconds // MIN_STRETCH_S)))


def _configure(encoder: Any, rate: int, bitrate: int) -> None:
    encoder.sample_rate = rate
    encoder.layout = "stereo"
    encoder.format = "fltp"
    encoder.bit_rate = bitrate
    encoder.time_base = Fraction(1, rate)
    encoder.options = dict(ENCODER_OPTIONS)


def _encode_stretch(encoder: Any, audio: np.ndarray, first: int, last: int, rate: int) -> list[Any]:
    """Packets for audio[first:last], stamped on the piece's own clock (so a stretch knows its frames)."""
    import av
    import numpy as np

    from free_music_ai.engine.paged_audio import hand_back

    packets: list[Any] = []
    for start in range(first, last, HANDED_AT_ONCE):
        # PyAV cuts a long frame into the encoder's 1024-sample frames itself, in C: the same packets as
        # giving it one AAC frame at a time, for a seventh less time
        block = np.ascontiguousarray(audio[start : min(last, start + HANDED_AT_ONCE)].T, dtype=np.float32)
        frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="stereo")
        frame.sample_rate = rate
        frame.time_base = Fraction(1, rate)
        frame.pts = start
        packets += encoder.encode(frame)
        hand_back(audio, start, start + block.shape[1])  # a long soundtrack's pages, read, go back to its file
    packets += encoder.encode(None)
    return packets
