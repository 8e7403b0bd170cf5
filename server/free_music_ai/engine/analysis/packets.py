"""What a video's packets tell without decoding a picture: when each frame shows, its size, whether it is a
keyframe or an intra-coded frame, and what the encoder says about its keyframes.

x264 writes its settings into the first frame ("x264 - core ... keyint=60 keyint_min=6 scenecut=40 ..."):
with scenecut on it starts a new picture from scratch (an I-frame) where the shot changes, so the keyframes,
the I-frames the container does not flag as key, and the P-frames far larger than their neighbours are where
a cut can be. An H.264 frame's type is read from the first bytes of its first slice; other codecs give sizes
and key flags only. Reading packets costs about 1 % of a decode, but a file chooses how many it has: the scan
gives up past MAX_PACKETS, and the caller reads the video as it always did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.analysis.frames import frame_duration_s

MAX_PACKETS = 200_000  # about two hours at 30 fps; a file with more is read the usual way
SETTINGS_BYTES = 4096  # the encoder's settings are looked for this far into the first packet
SIZE_RATIO = 4.0  # a frame this many times the median size of its neighbours is mostly intra-coded
NEIGHBOURS = 8  # frames either side that median is taken over
MIN_BYTES = 64  # a smaller frame is never a candidate (tiny pictures, skipped frames)
_SLICE_TYPES = (1, 5)  # H.264 NAL units that carry a slice: non-IDR and IDR
_I_SLICE = (2, 4)  # slice_type % 5: I and SI
_B_SLICE = 1


@dataclass(frozen=True)
class PacketScan:
    times: np.ndarray  # s, display order, increasing
    sizes: np.ndarray  # bytes, same order
    key: np.ndarray  # bool: a keyframe the container flags (a place decoding can start)
    intra: np.ndarray  # bool: a frame coded with no reference to another (known for H.264; else the key flag)
    bidir: np.ndarray  # bool: a B-frame (known for H.264; else False)
    keyframe_s: np.ndarray  # the keyframes' times
    frame_s: float
    codec: str
    scenecut: int | None  # x264/x265's scenecut setting when it says so (0: off); None when unknown
    keyint: int | None

    def size_spikes(self) -> np.ndarray:
        """Predicted frames much larger than the predicted frames around them: where most of a picture was
        coded anew (B-frames are compared with B-frames, others with others: a P-frame is always larger)."""
        found = np.zeros(len(self.sizes), dtype=bool)
        for kind in (self.bidir, ~self.bidir & ~self.intra):
            at = np.flatnonzero(kind)
            if len(at) < 3:
                continue
            sizes = self.sizes[at]
            padded = np.pad(sizes, NEIGHBOURS, mode="reflect")
            windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * NEIGHBOURS + 1)
            around = np.median(np.delete(windows, NEIGHBOURS, axis=1), axis=1)
            found[at] = (sizes >= MIN_BYTES) & (sizes >= SIZE_RATIO * around)
        return found


def scan_packets(path: Path, *, max_fps: float, min_pixels: int = 0) -> PacketScan | None:
    """The packet scan of the first video stream, or None when there is none, it is damaged, has more than
    MAX_PACKETS or more than ``max_fps`` frames a second (said or found), or pictures under ``min_pixels``
    (where decoding a frame costs little more than looking at its packet)."""
    import av

    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            base = float(stream.time_base or 1 / 90000)
            rate = stream.guessed_rate
            codec = stream.codec_context.name
            if (rate and float(rate) > max_fps) or (stream.frames or 0) > MAX_PACKETS:
                return None
            if stream.codec_context.width * stream.codec_context.height < min_pixels:
                return None
            length_size = _nal_length_size(stream.codec_context.extradata) if codec == "h264" else 0
            pts: list[int] = []
            sizes: list[int] = []
            keys: list[bool] = []
            types: list[int] = []  # H.264 slice_type % 5 of the first slice (-1: unknown)
            settings = b""
            for packet in container.demux(stream):
                if packet.pts is None:
                    if packet.size:
                        return None  # a frame with no time: nothing to place candidates with
                    continue
                if len(pts) >= MAX_PACKETS or (
                    len(pts) > 2 * max_fps and len(pts) > 2 * max_fps * (packet.pts - pts[0]) * base
                ):
                    return None  # more frames than said: the usual pass reads them by time
                data = memoryview(packet)
                if not pts:
                    settings = bytes(data[:SETTINGS_BYTES])
                pts.append(int(packet.pts))
                sizes.append(packet.size)
                keys.append(bool(packet.is_keyframe))
                types.append(_frame_type(data, length_size) if codec == "h264" else -1)
    except (av.FFmpegError, ValueError):
        return None
    if len(pts) < 2:
        return None
    order = np.argsort(np.array(pts), kind="stable")
    times = np.array(pts, dtype=np.float64)[order] * base
    key = np.array(keys)[order]
    kind = np.array(types)[order]
    return PacketScan(
        times=times,
        sizes=np.array(sizes, dtype=np.float64)[order],
        key=key,
        intra=np.isin(kind, _I_SLICE) | key,
        bidir=kind == _B_SLICE,
        keyframe_s=times[key],
        frame_s=frame_duration_s(rate),
        codec=codec,
        scenecut=_setting(settings, b"scenecut"),
        keyint=_setting(settings, b"keyint"),
    )


def _setting(data: bytes, name: bytes) -> int | None:
    """An integer from x264's or x265's settings string ("scenecut=40", "keyint=250"), when it is there."""
    if b"x264 - core" not in data and b"x265 (build" not in data:
        return None
    found = re.search(rb"[ :]" + name + rb"=(-?\d+)", data)
    return int(found.group(1)) if found else None


def _nal_length_size(extradata: bytes | None) -> int:
    """Bytes before each NAL unit in a length-prefixed (avcC) stream; 0 for start codes (Annex B)."""
    if not extradata or extradata[0] != 1 or len(extradata) < 5:
        return 0
    return (extradata[4] & 3) + 1


def _frame_type(data: memoryview, length_size: int) -> int:
    """The frame's first slice's type (H.264 slice_type % 5: 0 P, 1 B, 2 I, 3 SP, 4 SI), -1 when unknown."""
    for nal in _nal_units(data, length_size):
        if len(nal) >= 2 and nal[0] & 0x1F in _SLICE_TYPES:
            slice_type = _slice_type(bytes(nal[1:9]))
            return slice_type % 5 if slice_type is not None else -1
    return -1


def _nal_units(data: memoryview, length_size: int) -> list[memoryview]:
    """The NAL units of one packet, up to the first slice."""
    units: list[memoryview] = []
    if length_size:
        at = 0
        while at + length_size <= len(data) and len(units) < 16:
            size = int.from_bytes(data[at : at + length_size], "big")
            unit = data[at + length_size : at + length_size + size]
            units.append(unit)
            if unit and unit[0] & 0x1F in _SLICE_TYPES:
                break
            at += length_size + size
        return units
    head = bytes(data[: SETTINGS_BYTES * 4])
    starts = [m.end() for m in re.finditer(b"\x00\x00\x01", head)]
    return [data[s : s + 16] for s in starts]


def _slice_type(rbsp: bytes) -> int | None:
    """slice_type from a slice header's first bytes: two Exp-Golomb numbers (first_mb_in_slice, slice_type)."""
    rbsp = rbsp.replace(b"\x00\x00\x03", b"\x00\x00")  # emulation prevention bytes
    width = 8 * len(rbsp)
    bits = int.from_bytes(rbsp, "big")
    left = width  # bits not read yet
    value = None
    for _ in range(2):
        rest = bits & ((1 << left) - 1)
        zeros = left - rest.bit_length()  # an Exp-Golomb number: n zeros, then n + 1 bits
        if rest == 0 or 2 * zeros + 1 > left:
            return None
        value = (rest >> (left - 2 * zeros - 1)) - 1
        left -= 2 * zeros + 1
    return value
