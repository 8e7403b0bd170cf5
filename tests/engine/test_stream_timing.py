"""A file whose sound starts after its picture (as screen recorders and editors write them): the sound stays in
sync with the picture in the analysis, in the export's own mix and in the ffmpeg graph. Checked by where a
beep lands, decoded by the ffmpeg program from the finished file."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.analysis.sound import read_sound
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.probe import probe
from free_music_ai.engine.render import AudioLayer, RenderRequest, VideoSegment, render
from free_music_ai.engine.soundtrack import SoundPiece, original_sound
from media_checks import ffmpeg

DELAY_S = 2.0  # the sound starts this long after the first picture
BEEP_S = (1.0, 1.3)  # where the beep is on the sound's own clock: it shows at 3.0-3.3 s


@pytest.fixture(scope="module")
def late_sound(media_dir: Path) -> Path:
    together = media_dir / "beep-together.mp4"
    beep = f"volume='if(between(t,{BEEP_S[0]},{BEEP_S[1]}),1,0)':eval=frame"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30:duration=7", "-f", "lavfi", "-i",
           f"sine=frequency=1000:sample_rate=48000:duration=5,{beep}", "-c:v", "libx264", "-preset", "veryfast",
           "-pix_fmt", "yuv420p", "-c:a", "aac", str(together))  # fmt: skip
    late = media_dir / "beep-late.mp4"
    ffmpeg("-i", str(together), "-itsoffset", str(DELAY_S), "-i", str(together), "-map", "0:v", "-map", "1:a",
           "-c", "copy", str(late))  # fmt: skip
    return late


def beep_at(mono: np.ndarray) -> tuple[float, float]:
    """Where the beep starts and ends in 48 kHz sound, to 10 ms."""
    step = 48_000 // 100
    envelope = np.abs(mono[: len(mono) // step * step]).reshape(-1, step).max(axis=1)
    loud = np.flatnonzero(envelope > envelope.max() / 2)
    return loud[0] / 100, (loud[-1] + 1) / 100


def sound_in(path: Path) -> np.ndarray:
    """A finished file's sound, mono at 48 kHz, decoded by the ffmpeg program."""
    raw = subprocess.run([ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "f32le", "-ac", "1", "-ar", "48000",
                          "-"], capture_output=True, check=True).stdout  # fmt: skip
    return np.frombuffer(raw, np.float32)


def test_the_probe_tells_when_each_stream_starts(late_sound: Path) -> None:
    info = probe(late_sound)
    assert info.video is not None and info.audio is not None
    assert info.video.start_s == pytest.approx(0.0, abs=0.05)
    assert info.audio.start_s == pytest.approx(DELAY_S, abs=0.05)


def test_the_export_mix_places_the_sound_after_the_picture_starts(late_sound: Path) -> None:
    sound = original_sound([SoundPiece(late_sound, 0.0, 6.0)])
    start, end = beep_at(sound[0])
    assert start == pytest.approx(DELAY_S + BEEP_S[0], abs=0.03) and end == pytest.approx(DELAY_S + BEEP_S[1], abs=0.03)
    # a segment cut from 2.5 s into the file: the beep is half a second in
    start, _ = beep_at(original_sound([SoundPiece(late_sound, 2.5, 3.0)])[0])
    assert start == pytest.approx(DELAY_S + BEEP_S[0] - 2.5, abs=0.03)


def test_the_ffmpeg_graph_places_the_sound_after_the_picture_starts(late_sound: Path, tmp_path: Path) -> None:
    out = render(RenderRequest(segments=[VideoSegment(path=late_sound)], audio=[AudioLayer()],
                               output=tmp_path / "kept.mp4")).output  # fmt: skip
    start, end = beep_at(sound_in(out))
    assert start == pytest.approx(DELAY_S + BEEP_S[0], abs=0.03) and end == pytest.approx(DELAY_S + BEEP_S[1], abs=0.03)


def test_a_copied_picture_after_an_earlier_sound_starts_with_its_soundtrack(media_dir: Path, tmp_path: Path) -> None:
    """The picture starts 0.5 s after the sound; it fits the canvas, so it is copied, not re-encoded."""
    from free_music_ai.engine.render.sound_encoder import encode_aac

    hd = media_dir / "beep-hd.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=4", "-f", "lavfi", "-i",
           "sine=frequency=1000:sample_rate=48000:duration=5,volume='if(between(t,2,2.3),1,0)':eval=frame",
           "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
           str(hd))  # fmt: skip
    late_picture = media_dir / "beep-late-picture.mp4"
    ffmpeg("-itsoffset", "0.5", "-i", str(hd), "-i", str(hd), "-map", "0:v", "-map", "1:a", "-c", "copy",
           str(late_picture))  # fmt: skip
    sound = original_sound([SoundPiece(late_picture, 0.0, probe(late_picture).duration_s)])
    soundtrack = encode_aac(np.ascontiguousarray(sound.T), tmp_path / "sound.m4a")
    result = render(RenderRequest(segments=[VideoSegment(path=late_picture)], soundtrack=soundtrack,
                                  output=tmp_path / "copied.mp4"))  # fmt: skip
    assert result.video_copied
    first_picture = probe(result.output).video.start_s  # type: ignore[union-attr]
    assert first_picture == pytest.approx(0.0, abs=0.02)
    start, _ = beep_at(sound_in(result.output))
    assert start == pytest.approx(2.0 - 0.5, abs=0.03)  # as far after the first picture as in the source


def test_the_analysis_hears_the_sound_when_it_plays(late_sound: Path) -> None:
    loudness = read_sound(late_sound, 7.0).loudness_db
    assert int(np.argmax(loudness)) == int(DELAY_S + BEEP_S[0])  # the loudest second is the beep's


def test_a_sound_stamped_a_day_after_the_picture_is_silence_not_a_day_of_zeros(late_sound: Path,
                                                                              media_dir: Path) -> None:  # fmt: skip
    """A broken (or hostile) start time: the sound would begin long after the video ends. Nothing is heard,
    and nothing is padded out to where it claims to start (a day of zeros would not fit in memory)."""
    far = media_dir / "beep-far.mp4"
    ffmpeg("-i", str(late_sound), "-itsoffset", "100000", "-i", str(late_sound), "-map", "0:v", "-map", "1:a",
           "-c", "copy", str(far))  # fmt: skip
    heard = read_sound(far, 7.0)
    assert not heard.has_sound and heard.speech_s == []
    assert not np.any(original_sound([SoundPiece(far, 0.0, 7.0)]))
