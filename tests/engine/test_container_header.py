"""An index bomb (sample tables, fragments or cues that claim millions of entries in a few bytes) is refused from
its headers before a demuxer builds the index; real files, uncompressed sound included, pass."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import pytest

from free_music_ai.engine import sample_media
from free_music_ai.engine.container_header import CUE_POINT_MIN_BYTES, read_index_claim
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.probe import probe
from free_music_ai.errors import TooManySamples
from free_music_ai.limits import MAX_INDEXED_SAMPLES


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def test_sample_tables_claiming_millions_of_frames_are_refused_before_demuxing(tmp_path: Path) -> None:
    # a few KB that claim 2 million frames: FFmpeg would index them all (85 million took 3 GB)
    bomb = sample_media.index_bomb_mp4(tmp_path / "bomb.mp4", 2_000_000)
    assert bomb.stat().st_size < 10_000
    claim = read_index_claim(bomb, MAX_INDEXED_SAMPLES)
    assert claim is not None and claim.samples > MAX_INDEXED_SAMPLES
    with pytest.raises(TooManySamples, match=r"more than 1,200,000 samples .* Trim it to at most 20 minutes"):
        probe(bomb)


def _full(kind: bytes, body: bytes) -> bytes:
    return _box(kind, b"\0\0\0\0" + body)


def test_tracks_and_fragments_count_together(tmp_path: Path) -> None:
    # each track under the limit, all of them over it: FFmpeg takes 1,000 streams, each with its own index
    table = _full(b"stts", struct.pack(">III", 1, 500_000, 1)) + _full(b"stsz", struct.pack(">II", 1, 500_000))
    track = _box(b"trak", _box(b"mdia", _full(b"hdlr", b"\0" * 4 + b"vide") + _box(b"minf", _box(b"stbl", table))))
    tracks = tmp_path / "tracks.mp4"
    tracks.write_bytes(_box(b"ftyp", b"isom\0\0\0\0isom") + _box(b"moov", track * 3))
    fragment = _box(b"moof", _box(b"traf", _full(b"tfhd", struct.pack(">I", 1))
                                  + _full(b"trun", struct.pack(">I", 700_000))))  # fmt: skip
    fragments = tmp_path / "fragments.mp4"
    fragments.write_bytes(_box(b"ftyp", b"isom\0\0\0\0isom") + fragment * 2)
    for bomb, claimed in ((tracks, 1_500_000), (fragments, 1_400_000)):
        claim = read_index_claim(bomb, 10 * MAX_INDEXED_SAMPLES)
        assert claim is not None and claim.samples == claimed, bomb.name
        with pytest.raises(TooManySamples):
            probe(bomb)


def test_cues_that_could_hold_millions_of_entries_are_refused(tmp_path: Path) -> None:
    cues_bytes = (MAX_INDEXED_SAMPLES + 1_000) * CUE_POINT_MIN_BYTES  # declared: nothing needs to follow
    header = bytes.fromhex("1a45dfa3") + b"\x80"  # an EBML header with nothing in it
    segment = bytes.fromhex("18538067") + b"\x01" + b"\xff" * 7  # of unknown size
    file = tmp_path / "cues.mkv"
    file.write_bytes(header + segment + bytes.fromhex("1c53bb6b") + b"\x01" + cues_bytes.to_bytes(7, "big"))
    with pytest.raises(TooManySamples, match="index entries"):
        probe(file)


def test_real_files_pass_with_their_true_counts(tmp_path: Path, clip_720: Path) -> None:
    claim = read_index_claim(clip_720, MAX_INDEXED_SAMPLES)
    assert claim is not None and 400 < claim.samples < 500  # 180 frames and 282 AAC packets (1,024 samples each)
    pcm = tmp_path / "pcm.mov"  # a camera's MOV: every sound sample counts as a sample, indexed by chunk
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=25:duration=2",
                    "-f", "lavfi", "-i", "sine=duration=2:sample_rate=48000", "-c:v", "libx264", "-preset",
                    "ultrafast", "-c:a", "pcm_s16le", str(pcm)], check=True)  # fmt: skip
    claim = read_index_claim(pcm, MAX_INDEXED_SAMPLES)
    assert claim is not None and claim.samples == 50 and claim.sound_samples == 96_000
    assert probe(pcm).duration_s == pytest.approx(2.0, abs=0.05)
    assert read_index_claim(tmp_path / "missing.mp4", MAX_INDEXED_SAMPLES) is None


def test_real_matroska_passes(shared_media: Path) -> None:
    claim = read_index_claim(shared_media / "issue-236-split-copy.mkv", MAX_INDEXED_SAMPLES)
    assert claim is not None and claim.samples < 100


def test_the_read_ahead_checks_headers_before_it_opens_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the one-shot command reads its videos ahead while it loads: that must not open a bomb either
    from free_music_ai.engine.analysis import prefetch

    opened: list[Path] = []
    monkeypatch.setattr(prefetch, "_duration", lambda path: opened.append(path) or 0.0)
    bomb = sample_media.index_bomb_mp4(tmp_path / "bomb.mp4", 2_000_000)
    ahead = prefetch.ReadAhead()
    ahead.start([bomb], frozenset({".mp4"}))
    assert ahead.take(bomb) is None and opened == []


def _avi(*chunks: bytes) -> bytes:
    body = b"AVI " + b"".join(chunks)
    return b"RIFF" + struct.pack("<I", len(body)) + body


def test_an_avi_index_of_millions_of_entries_is_refused(tmp_path: Path) -> None:
    many = MAX_INDEXED_SAMPLES + 1_000
    idx1 = tmp_path / "idx1.avi"  # an idx1 entry is 16 bytes: the declared size tells how many
    idx1.write_bytes(_avi(b"idx1" + struct.pack("<I", 16 * many)))
    standard = struct.pack("<4sIHBBI", b"ix00", 24 + 8 * many, 2, 0, 1, many)  # OpenDML: 8 bytes an entry
    pointer = struct.pack("<QII", 12 + 200, 24 + 8 * many, many)
    indx = b"indx" + struct.pack("<IHBBI4s12x", 24 + 16, 4, 0, 0, 1, b"00dc") + pointer
    strl = b"LIST" + struct.pack("<I", 4 + len(indx)) + b"strl" + indx
    hdrl = b"LIST" + struct.pack("<I", 4 + len(strl)) + b"hdrl" + strl
    header = _avi(hdrl)
    odml = tmp_path / "odml.avi"
    odml.write_bytes(header + b"\0" * (200 - len(header) + 12) + standard)
    for bomb in (idx1, odml):
        claim = read_index_claim(bomb, MAX_INDEXED_SAMPLES)
        assert claim is not None and claim.samples > MAX_INDEXED_SAMPLES, bomb.name
        with pytest.raises(TooManySamples):
            probe(bomb)


def test_a_real_avi_passes(tmp_path: Path) -> None:
    clip = tmp_path / "clip.avi"
    subprocess.run([ffmpeg_exe(), "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=64x64:rate=25:duration=2",
                    "-c:v", "mpeg4", str(clip)], check=True)  # fmt: skip
    claim = read_index_claim(clip, MAX_INDEXED_SAMPLES)
    assert claim is not None and claim.samples == 50
    assert probe(clip).duration_s == pytest.approx(2.0, abs=0.05)
