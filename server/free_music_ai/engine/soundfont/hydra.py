"""The 'pdta' hydra: presets, instruments, their zones and generators, and the sample headers.

Records are read with numpy structured dtypes, so a large General MIDI font parses in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from free_music_ai.engine.soundfont.generators import KNOWN, RANGES, Gen, unpack_range
from free_music_ai.engine.soundfont.modulators import Modulator
from free_music_ai.engine.soundfont.riff import Chunk
from free_music_ai.errors import SoundFontError

PHDR = np.dtype([("name", "S20"), ("program", "<u2"), ("bank", "<u2"), ("bag", "<u2"), ("rest", "V12")])
BAG = np.dtype([("gen", "<u2"), ("mod", "<u2")])
GEN = np.dtype([("oper", "<u2"), ("amount", "<i2")])
MOD = np.dtype([("src", "<u2"), ("dest", "<u2"), ("amount", "<i2"), ("amount_src", "<u2"), ("trans", "<u2")])
INST = np.dtype([("name", "S20"), ("bag", "<u2")])
SHDR = np.dtype(
    [("name", "S20"), ("start", "<u4"), ("end", "<u4"), ("loop_start", "<u4"), ("loop_end", "<u4"),
     ("rate", "<u4"), ("pitch", "u1"), ("correction", "i1"), ("link", "<u2"), ("type", "<u2")]
)  # fmt: skip

VORBIS_FLAG = 0x10  # SoundFont 3: the sample is an Ogg Vorbis stream
ROM_FLAG = 0x8000
# A modulator whose destination has the top bit set feeds another modulator (a "link", 8.2.2): we evaluate
# only modulators that end in a generator, so such a modulator is dropped here.
LINKED_DESTINATION = 0x8000


@dataclass(frozen=True)
class SampleHeader:
    name: str
    start: int
    end: int
    loop_start: int
    loop_end: int
    sample_rate: int
    original_pitch: int
    pitch_correction: int  # cents
    sample_type: int

    @property
    def compressed(self) -> bool:
        return bool(self.sample_type & VORBIS_FLAG)


@dataclass(frozen=True)
class Zone:
    key_range: tuple[int, int]
    vel_range: tuple[int, int]
    gens: dict[int, int]  # the zone's own generators (ranges and the link excluded)
    mods: tuple[Modulator, ...]
    link: int  # instrument index (preset zone) or sample index (instrument zone)

    def matches(self, key: int, velocity: int) -> bool:
        return self.key_range[0] <= key <= self.key_range[1] and self.vel_range[0] <= velocity <= self.vel_range[1]


@dataclass(frozen=True)
class Instrument:
    name: str
    global_gens: dict[int, int]
    global_mods: tuple[Modulator, ...]
    zones: tuple[Zone, ...]


@dataclass(frozen=True)
class Preset:
    name: str
    bank: int
    program: int
    global_gens: dict[int, int]
    global_mods: tuple[Modulator, ...]
    zones: tuple[Zone, ...]


@dataclass(frozen=True)
class Hydra:
    presets: tuple[Preset, ...]
    instruments: tuple[Instrument, ...]
    samples: tuple[SampleHeader, ...]


def _records(data: memoryview, chunk: Chunk, dtype: np.dtype[Any], what: str, name: str) -> np.ndarray:
    if chunk.size % dtype.itemsize or chunk.size < 2 * dtype.itemsize:
        raise SoundFontError(f"{name} is malformed: the {what} table has a wrong size ({chunk.size} bytes).")
    return np.frombuffer(data, dtype=dtype, count=chunk.size // dtype.itemsize, offset=chunk.offset)


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode("latin-1").strip()


def parse_hydra(data: memoryview, chunks: dict[str, Chunk], name: str) -> Hydra:
    phdr = _records(data, chunks["phdr"], PHDR, "preset", name)
    pbag = _records(data, chunks["pbag"], BAG, "preset zone", name)
    pgen = _records(data, chunks["pgen"], GEN, "preset generator", name)
    inst = _records(data, chunks["inst"], INST, "instrument", name)
    ibag = _records(data, chunks["ibag"], BAG, "instrument zone", name)
    igen = _records(data, chunks["igen"], GEN, "instrument generator", name)
    pmod = _optional_records(data, chunks.get("pmod"), MOD)
    imod = _optional_records(data, chunks.get("imod"), MOD)
    shdr = _records(data, chunks["shdr"], SHDR, "sample", name)

    # the records as Python tuples, each table converted at once: reading numpy records one field at a time was
    # most of the font's load (MuseScore_General: 3 872 zones, 42 ms before any note could be planned)
    samples = tuple(
        SampleHeader(_text(raw), start, end, loop_start, loop_end, rate, pitch, correction, kind)
        for raw, start, end, loop_start, loop_end, rate, pitch, correction, _, kind in shdr[:-1].tolist()
    )
    inst_rows, phdr_rows = inst.tolist(), phdr.tolist()
    inst_bags, phdr_bags = inst["bag"].tolist(), phdr["bag"].tolist()
    ibags, igens, imods = ibag.tolist(), igen.tolist(), imod.tolist()
    instruments = tuple(
        Instrument(_text(inst_rows[i][0]),
                   *_zones(inst_bags, i, ibags, igens, imods, Gen.SAMPLE_ID, len(samples), name))
        for i in range(len(inst) - 1)
    )  # fmt: skip
    pbags, pgens, pmods = pbag.tolist(), pgen.tolist(), pmod.tolist()
    presets = tuple(
        Preset(_text(phdr_rows[i][0]), phdr_rows[i][2], phdr_rows[i][1],
               *_zones(phdr_bags, i, pbags, pgens, pmods, Gen.INSTRUMENT, len(instruments), name))
        for i in range(len(phdr) - 1)
    )  # fmt: skip
    return Hydra(presets=presets, instruments=instruments, samples=samples)


def _optional_records(data: memoryview, chunk: Chunk | None, dtype: np.dtype[Any]) -> np.ndarray:
    """Modulator tables: a missing or odd-sized one means no modulators, never a failure."""
    if chunk is None or chunk.size < dtype.itemsize:
        return np.zeros(0, dtype=dtype)
    return np.frombuffer(data, dtype=dtype, count=chunk.size // dtype.itemsize, offset=chunk.offset)


Row = tuple[int, ...]  # a record's fields, as ``ndarray.tolist`` gives them


def _modulators(mods: list[Row], first: int, last: int) -> tuple[Modulator, ...]:
    return tuple(
        Modulator(src, dest, amount, amount_src, trans)
        for src, dest, amount, amount_src, trans in mods[first:last]
        if dest in KNOWN and not dest & LINKED_DESTINATION
    )


def _zones(
    bag_index: list[int],
    item: int,
    bags: list[Row],
    gens: list[Row],
    mods: list[Row],
    link_gen: Gen,
    link_count: int,
    name: str,
) -> tuple[dict[int, int], tuple[Modulator, ...], tuple[Zone, ...]]:
    first, last = bag_index[item], bag_index[item + 1]
    if not 0 <= first <= last < len(bags):
        raise SoundFontError(f"{name} is malformed: zone indexes out of order. The file is damaged.")
    global_gens: dict[int, int] = {}
    global_mods: tuple[Modulator, ...] = ()
    zones: list[Zone] = []
    for bag in range(first, last):
        (gen_first, mod_first), (gen_last, mod_last) = bags[bag], bags[bag + 1]
        if not 0 <= gen_first <= gen_last <= len(gens):
            raise SoundFontError(f"{name} is malformed: generator indexes out of order. The file is damaged.")
        zone_mods = _modulators(mods, mod_first, mod_last)
        local: dict[int, int] = {}
        key_range, vel_range, link = (0, 127), (0, 127), -1
        for oper, amount in gens[gen_first:gen_last]:
            if oper == Gen.KEY_RANGE:
                key_range = unpack_range(amount)
            elif oper == Gen.VEL_RANGE:
                vel_range = unpack_range(amount)
            elif oper == link_gen:
                link = amount & 0xFFFF  # the generator's amount is read as a 16-bit index (the spec's wAmount)
                break  # the link ends a zone; anything after it is to be ignored
            elif oper in KNOWN and oper not in RANGES:
                local[oper] = amount  # unknown generators are skipped, never fatal
        if link < 0:
            if bag == first:
                global_gens, global_mods = local, zone_mods  # a first zone without a link is the global zone
            continue
        if link >= link_count:
            raise SoundFontError(f"{name} is malformed: a zone points at item {link} of {link_count}.")
        zones.append(Zone(key_range, vel_range, local, zone_mods, link))
    return global_gens, global_mods, tuple(zones)
