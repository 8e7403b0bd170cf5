"""A piece played and mixed a block at a time: the synthesizer's voices into the buses, each bus through its
EQ and echo, the voices' sends into one reverb (and a chorus where a font asks), the master chain (colour,
compression) and the arc, into the one full-length buffer the caller keeps. Nothing else the length of the
piece is ever held, so a 20-minute piece costs its own buffer and a few blocks.

Each core takes a stretch of the piece. A stretch first plays the few seconds before it (its lead-in) through
fresh effects, so its compressor and reverb tail are where they would be in one pass; only its own samples
are written. Effects keep their state from block to block.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from free_music_ai.engine.dsp.chain import Effect
from free_music_ai.engine.dsp.reverb import ConvolutionReverb, Impulse
from free_music_ai.engine.loudness import FRAME_S, frame_energies
from free_music_ai.engine.music.colour import CHORUS_HISTORY, air_for, chorus_block, pump, tape_wow_block
from free_music_ai.engine.music.compose import Composition
from free_music_ai.engine.music.mixdown import (
    CHORUS_RETURN,
    arc_envelopes,
    arc_gain,
    bus_board,
    chorus_return_board,
    group_of,
    lift_envelopes,
    master_board,
    reverb_impulse,
)
from free_music_ai.engine.music.sound_design import DesignedSounds
from free_music_ai.engine.paged_audio import hand_back
from free_music_ai.engine.soundfont.synth import CHORUS_SEND, REVERB_SEND, Mixer
from free_music_ai.engine.stretches import balanced_starts

BLOCK = 240_000  # 5 s at 48 kHz: whole 100 ms loudness frames


def lead_seconds(room: float) -> float:
    """How much of its past a stretch must hear: a reverb's tail grows with its room (ambient's 0.95 leaves
    less than -60 dB after 8 s)."""
    return 2.5 + 6.0 * room


MIN_STRETCH_S = 15.0
SILENT = 1e-7  # below -140 dBFS
WOW_HISTORY = 256  # the tape wobble reads up to ~3.4 ms behind: the end of the block before


def render_piece(mixer: Mixer, composition: Composition, out: np.ndarray, *, stems: dict[str, np.ndarray] | None,
                 rate: int, workers: int | None = None) -> np.ndarray:  # fmt: skip
    """Fill (n, 2) ``out`` with the mastered piece (before its loudness is set), and ``stems`` (per bus, at
    their mix level, before any effect) when given. Returns the loudness meter's frame energies of ``out``,
    measured on the way."""
    total = len(out)
    count = max(1, min(workers or os.cpu_count() or 1, int(total / rate // MIN_STRETCH_S)))
    lead = round(lead_seconds(composition.style.room) * rate)
    frame = round(FRAME_S * rate)  # stretches start on whole loudness frames, so each measures its own
    bounds = [round(s / frame) * frame for s in balanced_starts(total, count, lead=lead)] + [total]

    designed = DesignedSounds(composition, rate, mixer)  # the sounds no font has, placed once for every stretch
    impulse = reverb_impulse(composition, rate)  # and the room's impulse and its spectra, made once

    def stretch(k: int) -> np.ndarray:
        return _render_stretch(mixer, composition, designed, impulse, out, stems, bounds[k], bounds[k + 1], lead,
                               rate)  # fmt: skip

    if count == 1:
        return stretch(0)
    with ThreadPoolExecutor(max_workers=count, thread_name_prefix="music") as pool:
        return np.concatenate(list(pool.map(stretch, range(count))))


def _render_stretch(mixer: Mixer, composition: Composition, designed: DesignedSounds, impulse: Impulse,
                    out: np.ndarray, stems: dict[str, np.ndarray] | None, first: int, last: int, lead: int,
                    rate: int) -> np.ndarray:  # fmt: skip
    style = composition.style
    energies: list[np.ndarray] = []
    boards: dict[str, Effect | None] = {}
    quiet: set[str] = set()  # buses whose effects have nothing left to ring: a silent block is skipped
    reverb, chorus_return = ConvolutionReverb(impulse), chorus_return_board(rate)
    chorus_history = np.zeros(CHORUS_HISTORY, dtype=np.float32)
    master = master_board(composition, rate)
    arc = arc_envelopes(composition)
    lifts = lift_envelopes(composition)
    sidechain = pump(rate) if style.colour == "pump" else None  # the band ducks under the kick
    air = air_for(composition.genre, composition.spec.seed, rate)  # lo-fi's tape hiss, ambient's moving air
    history = np.zeros((2, WOW_HISTORY), dtype=np.float32)
    position = max(0, first - lead)
    # one set of block buffers for the whole stretch, cleared for each block: a 20-minute piece would otherwise
    # churn through thousands of block-sized arrays, which the allocator keeps as fragments
    bus_store = np.empty((len(mixer.names), 2, BLOCK), dtype=np.float32)
    send_store = np.empty((len(mixer.send_names), BLOCK), dtype=np.float32)
    mix_store = np.empty((2, BLOCK), dtype=np.float32)
    while position < last:
        n = min(BLOCK, last - position)
        own = max(position, first) - position  # where this stretch's own samples begin in the block
        bus_store.fill(0.0)
        send_store.fill(0.0)
        buses = {name: bus_store[k, :, :n] for k, name in enumerate(mixer.names)}
        sends = {name: send_store[k, :n] for k, name in enumerate(mixer.send_names)}
        mixer.mix_into(buses | sends, position)
        designed.add_into(buses, position, sends)
        if stems is not None and own < n:
            for name, bus in buses.items():
                _interleave(stems[name][position + own : position + n], bus[:, own:])
        duck = sidechain.gain(buses["kick"]) if sidechain is not None and "kick" in buses else None
        mix = mix_store[:, :n]
        mix.fill(0.0)
        if REVERB_SEND in sends:  # each voice's send, as much as its font and its bus ask
            wet = reverb(sends[REVERB_SEND])
            wet *= np.float32(style.reverb * 1.6)
            mix += wet
        if CHORUS_SEND in sends:
            wet, chorus_history = chorus_block(sends[CHORUS_SEND], chorus_history, position, rate=rate)
            returned = chorus_return(wet)
            returned *= np.float32(CHORUS_RETURN)
            mix += returned
        lift = arc_gain([([0.0], [0.0]), *lifts], position, n, rate=rate) if lifts else None
        for name, bus in buses.items():
            group = group_of(name)
            # whether nothing came in: looked at only where it decides something (a block-long scan of each bus)
            silent = not bus.any() if name in quiet or duck is not None else None
            if silent and name in quiet:
                continue  # silent in and silent out (its effects have rung out): nothing to add
            if duck is not None and group not in ("drums", "kick"):
                bus *= duck
            if name not in boards:
                boards[name] = bus_board(group, composition, rate, start=position)
            board = boards[name]
            processed = board(bus) if board is not None else bus
            if lift is not None and group not in ("drums", "kick"):
                processed = processed * lift
            rung_out = float(np.max(np.abs(processed[:, -rate // 10 :]))) < SILENT  # a few thousand samples
            if rung_out and (silent if silent is not None else not bus.any()):  # then the whole block that went in
                quiet.add(name)
            else:
                quiet.discard(name)
            mix += processed
        if style.colour == "lofi":
            mix, history = tape_wow_block(mix, history, position, rate=rate, seed=composition.spec.seed)
        mastered = master(mix)
        if air is not None:
            mastered += air(position, n)
        mastered *= arc_gain(arc, position, n, rate=rate)
        if own < n:
            _interleave(out[position + own : position + n], mastered[:, own:])
            hand_back(out, position + own, position + n)  # a long piece's buffer lives in a file
            energies.append(frame_energies(mastered[:, own:], rate, channels_first=True, workers=1))
        position += n
    return np.concatenate(energies) if energies else np.zeros(0)


def _interleave(into: np.ndarray, block: np.ndarray) -> None:
    """Channel-first ``block`` into (n, channels) ``into``, a channel at a time: numpy copies a whole transpose two
    samples at a time (0.78 ms for 5 s of stereo, against 0.13)."""
    for channel, samples in enumerate(block):
        into[:, channel] = samples
