"""SoundFont 2 generators: their numbers, defaults, and how preset-level values combine with instrument ones."""

from __future__ import annotations

from enum import IntEnum


class Gen(IntEnum):
    START_OFFSET = 0
    END_OFFSET = 1
    START_LOOP_OFFSET = 2
    END_LOOP_OFFSET = 3
    START_COARSE_OFFSET = 4
    MOD_LFO_TO_PITCH = 5
    VIB_LFO_TO_PITCH = 6
    MOD_ENV_TO_PITCH = 7
    INITIAL_FILTER_FC = 8
    INITIAL_FILTER_Q = 9
    MOD_LFO_TO_FILTER_FC = 10
    MOD_ENV_TO_FILTER_FC = 11
    END_COARSE_OFFSET = 12
    MOD_LFO_TO_VOLUME = 13
    CHORUS_SEND = 15
    REVERB_SEND = 16
    PAN = 17
    DELAY_MOD_LFO = 21
    FREQ_MOD_LFO = 22
    DELAY_VIB_LFO = 23
    FREQ_VIB_LFO = 24
    DELAY_MOD_ENV = 25
    ATTACK_MOD_ENV = 26
    HOLD_MOD_ENV = 27
    DECAY_MOD_ENV = 28
    SUSTAIN_MOD_ENV = 29
    RELEASE_MOD_ENV = 30
    KEYNUM_TO_MOD_ENV_HOLD = 31
    KEYNUM_TO_MOD_ENV_DECAY = 32
    DELAY_VOL_ENV = 33
    ATTACK_VOL_ENV = 34
    HOLD_VOL_ENV = 35
    DECAY_VOL_ENV = 36
    SUSTAIN_VOL_ENV = 37
    RELEASE_VOL_ENV = 38
    KEYNUM_TO_VOL_ENV_HOLD = 39
    KEYNUM_TO_VOL_ENV_DECAY = 40
    INSTRUMENT = 41
    KEY_RANGE = 43
    VEL_RANGE = 44
    START_LOOP_COARSE_OFFSET = 45
    KEYNUM = 46
    VELOCITY = 47
    INITIAL_ATTENUATION = 48
    END_LOOP_COARSE_OFFSET = 50
    COARSE_TUNE = 51
    FINE_TUNE = 52
    SAMPLE_ID = 53
    SAMPLE_MODES = 54
    SCALE_TUNING = 56
    EXCLUSIVE_CLASS = 57
    OVERRIDING_ROOT_KEY = 58


KNOWN = frozenset(int(g) for g in Gen)

DEFAULTS: dict[int, int] = {
    Gen.INITIAL_FILTER_FC: 13500,
    Gen.DELAY_MOD_LFO: -12000,
    Gen.DELAY_VIB_LFO: -12000,
    Gen.DELAY_MOD_ENV: -12000,
    Gen.ATTACK_MOD_ENV: -12000,
    Gen.HOLD_MOD_ENV: -12000,
    Gen.DECAY_MOD_ENV: -12000,
    Gen.RELEASE_MOD_ENV: -12000,
    Gen.DELAY_VOL_ENV: -12000,
    Gen.ATTACK_VOL_ENV: -12000,
    Gen.HOLD_VOL_ENV: -12000,
    Gen.DECAY_VOL_ENV: -12000,
    Gen.RELEASE_VOL_ENV: -12000,
    Gen.SCALE_TUNING: 100,
    Gen.OVERRIDING_ROOT_KEY: -1,
    Gen.KEYNUM: -1,
    Gen.VELOCITY: -1,
}

# Only meaningful for an instrument zone: the spec has a preset zone ignore these.
INSTRUMENT_ONLY = frozenset(
    {
        Gen.START_OFFSET, Gen.END_OFFSET, Gen.START_LOOP_OFFSET, Gen.END_LOOP_OFFSET, Gen.START_COARSE_OFFSET,
        Gen.END_COARSE_OFFSET, Gen.START_LOOP_COARSE_OFFSET, Gen.END_LOOP_COARSE_OFFSET, Gen.KEYNUM, Gen.VELOCITY,
        Gen.SAMPLE_MODES, Gen.EXCLUSIVE_CLASS, Gen.OVERRIDING_ROOT_KEY, Gen.SAMPLE_ID,
    }
)  # fmt: skip
RANGES = frozenset({Gen.KEY_RANGE, Gen.VEL_RANGE})
LINKS = frozenset({Gen.INSTRUMENT, Gen.SAMPLE_ID})


def combine(instrument: dict[int, int], preset: dict[int, int]) -> dict[int, int]:
    """Instrument values (or defaults) plus preset offsets, as the spec's section 9.4 says."""
    values = dict(DEFAULTS)
    values.update(instrument)
    for gen, amount in preset.items():
        if gen in INSTRUMENT_ONLY or gen in RANGES or gen in LINKS:
            continue
        values[gen] = values.get(gen, 0) + amount
    return values


def unpack_range(amount: int) -> tuple[int, int]:
    """A range generator holds (low, high) in its two bytes."""
    return amount & 0xFF, (amount >> 8) & 0xFF
