"""The mix: parts on their buses, each with its EQ and its send into one reverb, and the piece's dynamic arc.

A band is mixed this way rather than with one reverb on everything: bass and kick stay dry and centred, the
reverb's return is high-passed so the low end stays clear, and the lead gets its own echo. The loudness arc
(quiet intro and breakdown, full peak) is a gain curve drawn from the sections, applied after compression so
the compressor cannot flatten it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from free_music_ai.engine.music.colour import sidechain_pump
from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.spec import Genre

PART_LEVELS = {"drums": 0.95, "bass": 0.9, "keys": 0.75, "lead": 0.6, "pad": 0.55, "guitar": 0.55, "arp": 0.42,
               "choir": 0.5, "brass": 0.55, "counter": 0.5, "hits": 0.7}  # fmt: skip
BUS_OF_PART = {"drums": "drums", "bass": "bass", "lead": "lead"}  # everything else shares the "music" bus
SENDS = {"drums": 0.12, "bass": 0.0, "lead": 1.25, "music": 1.0}  # how much of each bus the reverb hears
RETURN_HIGHPASS_HZ = 280.0
ARC_RANGE_DB = 5.5  # the quietest section sits this far below the peak
ECHO_GENRES = (Genre.POP, Genre.EDM, Genre.CORPORATE, Genre.RNB, Genre.TRAP, Genre.AMBIENT, Genre.LOFI)


def bus_routing(parts: set[str], stems: bool) -> dict[str, str]:
    """Which bus each part plays into: its own for stems, else the four buses of the mix."""
    return {part: part if stems else BUS_OF_PART.get(part, "music") for part in parts}


def _bus_board(name: str, composition: Composition, rate: int) -> Any:
    import pedalboard as pb

    style = composition.style
    if name == "bass":
        return pb.Pedalboard([pb.HighpassFilter(cutoff_frequency_hz=32)])  # type: ignore[attr-defined]
    if name == "lead":
        effects: list[Any] = [pb.HighpassFilter(cutoff_frequency_hz=200)]
        if composition.genre in ECHO_GENRES:  # a dotted-eighth echo, quiet, as produced leads have
            echo_s = 0.75 * 60.0 / composition.bpm
            effects.append(pb.Delay(delay_seconds=echo_s, feedback=0.28, mix=0.18))
        if composition.genre in (Genre.EDM, Genre.TRAP, Genre.POP):
            effects.append(pb.Chorus(rate_hz=0.8, depth=0.2, mix=0.3))
        return pb.Pedalboard(effects)  # type: ignore[attr-defined]
    if name == "music":
        low = 70 if style.genre in (Genre.CINEMATIC, Genre.ORCHESTRAL, Genre.SUSPENSE, Genre.PIANO) else 110
        return pb.Pedalboard([pb.HighpassFilter(cutoff_frequency_hz=low)])  # type: ignore[attr-defined]
    return None


def mix_buses(buses: dict[str, np.ndarray], composition: Composition, rate: int) -> tuple[np.ndarray, np.ndarray]:
    """The dry mix and the reverb send, channel-first, from buses (or per-part stems) at their mix levels.

    Dance music pumps everything but the drums. Each bus is added and dropped in turn, so the mix never holds
    more than one processed bus besides its two sums."""
    length = max(bus.shape[1] for bus in buses.values())
    mix = np.zeros((2, length), dtype=np.float32)
    send = np.zeros((2, length), dtype=np.float32)
    kicks = [e.start_s for e in composition.events if e.drum and e.key == 36]
    for part, bus in buses.items():
        name = BUS_OF_PART.get(part, "music") if part not in SENDS else part
        if composition.style.colour == "pump" and name != "drums" and kicks:
            bus = sidechain_pump(bus, rate, kicks)
        board = _bus_board(name, composition, rate)
        if board is not None:
            bus = board(np.ascontiguousarray(bus), rate)
        mix[:, : bus.shape[1]] += bus
        amount = SENDS.get(name, 1.0)
        if name == "drums" and composition.style.colour == "lofi":
            amount = 0.4  # lo-fi drums sit in a small room, not dry in front
        if amount:
            send[:, : bus.shape[1]] += bus * np.float32(amount) if amount != 1.0 else bus
    return mix, send


def arc_curve(composition: Composition, length: int, rate: int) -> np.ndarray:
    """A gain per sample that follows the sections' energy: each bar's level, ramped over a beat between bars."""
    form = composition.form
    times = [form.tempo.time_of(bar.start) for bar in form.bars] + [composition.final_chord_s]
    levels = [ARC_RANGE_DB * (min(1.0, bar.energy) - 1.0) for bar in form.bars]
    if not levels:
        return np.ones(length, dtype=np.float32)
    levels.append(max(levels[-1], -ARC_RANGE_DB * 0.5))  # the final chord is struck, not whispered
    points_t: list[float] = []
    points_db: list[float] = []
    for k, level_db in enumerate(levels):
        start = times[k]
        ramp = 0.0 if k == 0 else min(0.5, 0.5 * (times[k] - times[k - 1]))
        points_t += [start, start + ramp] if k else [start]
        points_db += [levels[k - 1], level_db] if k else [level_db]
    curve_db = np.interp(np.arange(length, dtype=np.float64) / rate, points_t, points_db)
    return (10.0 ** (curve_db / 20.0)).astype(np.float32)


def apply_arc(audio: np.ndarray, composition: Composition, rate: int) -> np.ndarray:
    gain = arc_curve(composition, audio.shape[1], rate)
    np.multiply(audio, gain, out=audio)
    return audio


def reverb_return(send: np.ndarray, composition: Composition, rate: int, in_stretches: Any) -> np.ndarray:
    """The reverb alone (fully wet) on the send, high-passed, at the genre's level."""
    import pedalboard as pb

    style = composition.style

    def board() -> Any:
        return pb.Pedalboard([  # type: ignore[attr-defined]
            pb.Reverb(room_size=style.room, damping=0.5, wet_level=1.0, dry_level=0.0, width=1.0),
            pb.HighpassFilter(cutoff_frequency_hz=RETURN_HIGHPASS_HZ),
            pb.LowpassFilter(cutoff_frequency_hz=12000),
        ])  # fmt: skip

    wet: np.ndarray = in_stretches(board, np.ascontiguousarray(send), rate)
    wet *= np.float32(style.reverb * 1.6)
    return wet
