"""Writes small SoundFont 2 files for tests, from samples whose pitch and shape are known exactly."""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass
class FontSample:
    name: str
    audio: np.ndarray  # float in [-1, 1]
    rate: int
    root_key: int
    loop: tuple[int, int] | None = None  # sample indexes; None: no loop points
    correction: int = 0


@dataclass
class FontZone:
    sample: int
    gens: dict[int, int] = field(default_factory=dict)  # generator number -> amount (ranges as (lo, hi))
    key_range: tuple[int, int] = (0, 127)


@dataclass
class FontPreset:
    name: str
    program: int
    zones: list[FontZone]
    bank: int = 0
    preset_gens: dict[int, int] = field(default_factory=dict)  # a preset-level global zone
    instrument_gens: dict[int, int] = field(default_factory=dict)  # an instrument-level global zone


def _chunk(tag: bytes, body: bytes) -> bytes:
    pad = b"\0" if len(body) % 2 else b""
    return tag + struct.pack("<I", len(body)) + body + pad


def _list(kind: bytes, body: bytes) -> bytes:
    return _chunk(b"LIST", kind + body)


def _name(text: str) -> bytes:
    return text.encode("latin-1")[:19].ljust(20, b"\0")


def _gen(oper: int, amount: int | tuple[int, int]) -> bytes:
    if isinstance(amount, tuple):
        return struct.pack("<HBB", oper, amount[0], amount[1])
    return struct.pack("<Hh", oper, amount) if amount < 0x8000 else struct.pack("<HH", oper, amount)


def build_sf2(path: Path, samples: list[FontSample], presets: list[FontPreset]) -> Path:
    pcm = bytearray()
    shdr = bytearray()
    for s in samples:
        start = len(pcm) // 2
        data = np.clip(np.round(s.audio * 32767), -32768, 32767).astype("<i2")
        pcm += data.tobytes() + b"\0" * 92  # the spec asks for 46 zero samples after each sample
        end = start + len(data)
        loop_start, loop_end = (start + s.loop[0], start + s.loop[1]) if s.loop else (start, end)
        shdr += _name(s.name) + struct.pack("<IIIIIBbHH", start, end, loop_start, loop_end, s.rate, s.root_key,
                                            s.correction, 0, 1)  # fmt: skip
    shdr += _name("EOS") + bytes(26)

    inst, ibag, igen = bytearray(), bytearray(), bytearray()
    phdr, pbag, pgen = bytearray(), bytearray(), bytearray()
    for index, preset in enumerate(presets):
        inst += _name(preset.name) + struct.pack("<H", len(ibag) // 4)
        zones = ([(preset.instrument_gens, None)] if preset.instrument_gens else []) + [
            (z.gens, z) for z in preset.zones
        ]
        for gens, zone in zones:
            ibag += struct.pack("<HH", len(igen) // 4, 0)
            if zone is not None:
                igen += _gen(43, zone.key_range)
            for oper, amount in gens.items():
                igen += _gen(oper, amount)
            if zone is not None:
                igen += _gen(53, zone.sample)
        phdr += _name(preset.name) + struct.pack("<HHH", preset.program, preset.bank, len(pbag) // 4) + bytes(12)
        if preset.preset_gens:
            pbag += struct.pack("<HH", len(pgen) // 4, 0)
            for oper, amount in preset.preset_gens.items():
                pgen += _gen(oper, amount)
        pbag += struct.pack("<HH", len(pgen) // 4, 0)
        pgen += _gen(41, index)
    inst += _name("EOI") + struct.pack("<H", len(ibag) // 4)
    ibag += struct.pack("<HH", len(igen) // 4, 0)
    igen += bytes(4)
    phdr += _name("EOP") + struct.pack("<HHH", 0, 0, len(pbag) // 4) + bytes(12)
    pbag += struct.pack("<HH", len(pgen) // 4, 0)
    pgen += bytes(4)
    mod_terminal = bytes(10)
    pdta = b"".join(
        _chunk(tag, bytes(body))
        for tag, body in [(b"phdr", phdr), (b"pbag", pbag), (b"pmod", mod_terminal), (b"pgen", pgen),
                          (b"inst", inst), (b"ibag", ibag), (b"imod", mod_terminal), (b"igen", igen),
                          (b"shdr", shdr)]
    )  # fmt: skip
    info = _chunk(b"ifil", struct.pack("<HH", 2, 1)) + _chunk(b"INAM", b"test font\0") + _chunk(b"ZZZZ", b"unknown!")
    body = b"sfbk" + _list(b"INFO", info) + _list(b"sdta", _chunk(b"smpl", bytes(pcm))) + _list(b"pdta", pdta)
    path.write_bytes(b"RIFF" + struct.pack("<I", len(body)) + body)
    return path


def sine(frequency: float, rate: int, seconds: float) -> np.ndarray:
    t = np.arange(round(rate * seconds)) / rate
    return 0.5 * np.sin(2 * np.pi * frequency * t)
