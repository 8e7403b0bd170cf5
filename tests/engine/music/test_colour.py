"""The chorus a font asks for: copies of the send 8 to 16 ms late, the same however the piece is cut in blocks."""

from __future__ import annotations

import numpy as np

from free_music_ai.engine.music.colour import CHORUS_HISTORY, chorus_block

RATE = 48_000


def _chorus(send: np.ndarray, sizes: list[int], start: int = 0) -> np.ndarray:
    history = np.zeros(CHORUS_HISTORY, dtype=np.float32)
    out, at = [], 0
    for size in sizes:
        wet, history = chorus_block(send[at : at + size], history, start + at, rate=RATE)
        out.append(wet)
        at += size
    return np.concatenate(out, axis=1)


def test_chorus_is_the_same_in_any_blocks_and_from_any_start() -> None:
    """A stretch of the piece played on another core starts its chorus mid-piece, at any sample."""
    send = np.random.default_rng(5).standard_normal(3 * RATE).astype(np.float32)
    whole = _chorus(send, [3 * RATE], start=1_000_003)
    pieces = _chorus(send, [777, RATE - 777, 12_345, 2 * RATE - 12_345], start=1_000_003)
    assert np.max(np.abs(whole - pieces)) < 1e-5


def test_chorus_copies_come_8_to_16_ms_late_on_both_sides() -> None:
    send = np.zeros(RATE, dtype=np.float32)
    send[1000] = 1.0  # a click: each copy is the click again, as late as its delay is then
    wet = _chorus(send, [RATE])
    for channel in wet:
        heard = np.flatnonzero(np.abs(channel) > 1e-3)
        assert len(heard)
        late_ms = (heard - 1000) / RATE * 1000
        assert late_ms.min() >= 7.9 and late_ms.max() <= 16.1
    # the copies swing: after a while, the same click comes back at other delays
    later = np.zeros(RATE, dtype=np.float32)
    later[1000] = 1.0
    swung = _chorus(later, [RATE], start=RATE)  # one second later in the piece (a third of the 0.3 Hz cycle)
    assert not np.allclose(swung, wet, atol=1e-3)
