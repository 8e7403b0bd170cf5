"""Analysis on clips whose truth is known: cut times, mood ordering, speech times, and the real clips."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from free_music_ai.engine import sample_media
from free_music_ai.engine.analysis.analyze import analyze
from free_music_ai.engine.music.produce import produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.errors import InputError
from media_checks import ffmpeg
from speech_like import speech_like


def clip_with_sound(
    media: Path, name: str, sound: np.ndarray, seconds: float, picture: str = "color=c=0x405060"
) -> Path:
    wav = media / f"{name}.wav"
    soundfile.write(str(wav), sound, 48000)
    out = media / f"{name}.mp4"
    ffmpeg("-f", "lavfi", "-i", f"{picture}:s=320x240:d={seconds}", "-i", str(wav), "-c:v", "libx264",
           "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(out))  # fmt: skip
    return out


def test_hard_cuts_at_known_times(media_dir: Path) -> None:
    clip = sample_media.make_scenes(media_dir / "scenes.mp4", ["red", "navy", "yellow", "green", "white"], scene_s=1.7)
    found = analyze([clip]).cuts_s
    expected = [1.7, 3.4, 5.1, 6.8]
    assert len(found) == len(expected)
    for want, got in zip(expected, found, strict=True):
        assert abs(want - got) <= 1 / 30 + 1e-3  # on the first frame of the new scene


def test_dark_slow_versus_bright_fast(media_dir: Path) -> None:
    dark = media_dir / "dark.mp4"
    ffmpeg("-f", "lavfi", "-i", "color=c=0x12121e:s=640x360:d=6[bg];color=c=0x2a2a3a:s=80x80:d=6[box];"
           "[bg][box]overlay=x='t*15':y=140", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(dark))  # fmt: skip
    bright = media_dir / "bright.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360:d=6,eq=saturation=1.5:brightness=0.1,hue=h='t*90'",
           "-c:v", "libx264", "-pix_fmt", "yuv420p", str(bright))  # fmt: skip
    calm, lively = analyze([dark]), analyze([bright])
    assert calm.valence < lively.valence - 0.5
    assert calm.arousal < lively.arousal - 0.3
    assert np.mean(calm.energy) < np.mean(lively.energy)
    assert any(r.feature == "brightness" for r in calm.reasons[:3])


def test_speech_found_where_it_is(media_dir: Path) -> None:
    sound = np.zeros(48000 * 10, dtype=np.float32)
    sound[48000 * 2 : 48000 * 7] = speech_like(5.0, seed=3)
    clip = clip_with_sound(media_dir, "talk", sound, 10)
    speech = analyze([clip]).speech_s
    voiced = np.flatnonzero(np.abs(sound) > 1e-3)
    first, last = voiced[0] / 48000, voiced[-1] / 48000  # where the voice really starts and stops
    assert speech, "no speech found"
    assert abs(speech[0][0] - first) < 0.4 and abs(speech[-1][1] - last) < 0.5
    covered = sum(e - s for s, e in speech)
    assert covered > 3.5


def test_music_and_noise_are_not_speech(media_dir: Path) -> None:
    music = produce(MusicSpec(duration_s=10, genre=Genre.POP, seed=2)).audio
    noise = np.random.default_rng(0).normal(0, 0.05, (480000, 2)).astype(np.float32)
    # not "music": media_dir/music.wav is the session's song (conftest's music_wav), which this would overwrite
    for name, sound in (("pop-piece", music), ("noise", noise)):
        assert analyze([clip_with_sound(media_dir, name, sound, 10)]).speech_s == [], name


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_real_synthesized_voice(media_dir: Path) -> None:
    wav = media_dir / "espeak.wav"
    subprocess.run(["espeak-ng", "-w", str(wav), "Welcome back to the channel. Today we walk through the old town "
                    "and find the best coffee in the city."], check=True)  # fmt: skip
    voice, rate = soundfile.read(wav, dtype="float32")
    sound = np.zeros(48000 * 12, dtype=np.float32)
    voice48 = np.interp(np.arange(0, len(voice), rate / 48000), np.arange(len(voice)), voice).astype(np.float32)
    sound[48000 * 3 : 48000 * 3 + len(voice48)] = voice48[: 48000 * 9]
    speech = analyze([clip_with_sound(media_dir, "espeak", sound, 12)]).speech_s
    assert speech and abs(speech[0][0] - 3.0) < 0.6


def test_real_clips_cuts_as_a_person_sees_them(shared_media: Path) -> None:
    # stepped through frame by frame: cuts at 1.0 and 6.0 s, a fade through black back in at ~13.2 s,
    # a dissolve around 18.1 s and a fade to black at ~23 s
    test = analyze([shared_media / "testvideo.mp4"]).transitions
    assert [t.kind for t in test] == ["cut", "cut", "fade", "dissolve", "fade"]
    truth = [(1.0, 0.04), (6.0, 0.04), (13.2, 0.3), (18.2, 0.35), (23.0, 0.3)]
    for (want, tolerance), got in zip(truth, [t.time_s for t in test], strict=True):
        assert abs(want - got) <= tolerance
    for name in ("goldeneye-vfr-drop3.mp4", "issue-134-rotate.mp4"):  # variable frame rate; rotated phone clip
        cuts = analyze([shared_media / name]).cuts_s
        assert len(cuts) == 2 and abs(cuts[0] - 3.754) < 0.05 and abs(cuts[1] - 8.759) < 0.05, name
    aspect = analyze([shared_media / "issue-195-aspect-ratio.mp4"])  # non-square pixels, film with dialogue
    assert len(aspect.cuts_s) == 5 and aspect.has_sound and aspect.speech_s


def test_images_from_their_colours(media_dir: Path) -> None:
    warm = sample_media.make_image(media_dir / "warm.png", width=400, height=300, color="orange")
    result = analyze([warm], image_seconds=5)
    assert result.kind == "image" and result.duration_s == 5 and result.motion == 0
    assert len(result.energy) == 5 and result.cuts_s == []
    sequence = analyze([warm, warm, warm], image_seconds=3)
    assert sequence.duration_s == 9 and sequence.cuts_s == [3.0, 6.0]


def test_cached_by_content(tmp_path: Path, media_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from free_music_ai.engine.analysis import analyze as analyze_module

    clip = sample_media.make_scenes(media_dir / "cache.mp4", ["red", "blue"], scene_s=1.5)
    cache = tmp_path / "cache"
    first = analyze([clip], cache_dir=cache)
    copy = tmp_path / "renamed.mp4"
    shutil.copy(clip, copy)  # same content, other name: the same analysis, and the file is not decoded again

    def decoded(path: Path, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"{path.name} was decoded again")

    monkeypatch.setattr(analyze_module, "read_video", decoded)
    second = analyze([copy], cache_dir=cache)
    assert second == first
    assert len(list(cache.iterdir())) == 1


# --- awkward inputs --------------------------------------------------------------------------------------------


def test_no_picture(media_dir: Path) -> None:
    tone = sample_media.make_tone(media_dir / "only-sound.m4a", duration_s=3)
    with pytest.raises(InputError, match="no picture"):
        analyze([tone])


def test_single_frame_video(media_dir: Path) -> None:
    one = media_dir / "one-frame.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25", "-frames:v", "1", "-c:v", "libx264", "-pix_fmt",
           "yuv420p", str(one))  # fmt: skip
    result = analyze([one])
    assert result.cuts_s == [] and result.motion == 0 and len(result.energy) >= 1


def test_all_black_with_silent_sound(media_dir: Path) -> None:
    black = clip_with_sound(media_dir, "black", np.zeros(48000 * 4, dtype=np.float32), 4, "color=c=black")
    result = analyze([black])
    assert result.cuts_s == [] and result.speech_s == [] and not result.has_sound
    assert result.valence < 0 and all(0 <= e <= 1 for e in result.energy)


def test_reading_in_stretches_sees_what_one_pass_sees(shared_media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """testvideo.mp4 splits at its keyframe at 6.006 s, on a cut: the frames either side keep their neighbours."""
    from free_music_ai.engine.analysis import frames

    clip = shared_media / "testvideo.mp4"
    monkeypatch.setattr(frames.os, "cpu_count", lambda: 2)
    split = frames.read_frames(clip)
    monkeypatch.setattr(frames, "MIN_SPAN_S", 1e9)
    whole = frames.read_frames(clip)
    assert len(split.times) == len(whole.times) and np.allclose(split.times, whole.times)
    for name in ("luma", "motion", "change", "long_change"):
        assert np.allclose(getattr(split, name), getattr(whole, name), atol=1e-4), name


B_FRAME_SCENES = [(0.9, 0), (1.3, 120), (1.1, 240), (1.5, 60)]  # (seconds, hue): 27, 39, 33 and 45 frames


def b_frame_cuts(media_dir: Path) -> Path:
    """Fixed keyframes and no scene-cut detection in the encoder: cuts fall on B-frames among moving pictures."""
    clip = media_dir / "b-frame-cuts.mp4"
    if not clip.is_file():
        parts = "".join(f"testsrc2=s=480x270:r=30:d={d},hue=h={h}[s{k}];" for k, (d, h) in enumerate(B_FRAME_SCENES))
        joined = "".join(f"[s{k}]" for k in range(len(B_FRAME_SCENES)))
        ffmpeg("-f", "lavfi", "-i", f"{parts}{joined}concat=n={len(B_FRAME_SCENES)}:v=1:a=0", "-c:v", "libx264",
               "-bf", "3", "-sc_threshold", "0", "-g", "300", "-pix_fmt", "yuv420p", str(clip))  # fmt: skip
    return clip


def test_cuts_inside_runs_of_skipped_frames_land_on_their_frame(media_dir: Path) -> None:
    """The first pass skips the B-frames the cuts fall on; each cut must still land on its own frame."""
    expected = np.cumsum([round(d * 30) for d, _ in B_FRAME_SCENES])[:-1] / 30
    found = analyze([b_frame_cuts(media_dir)]).cuts_s
    assert len(found) == len(expected), found
    for want, got in zip(expected, found, strict=True):
        assert abs(want - got) < 1e-3, (want, got)


def test_long_runs_of_b_frames_keep_the_pictures_dense(media_dir: Path) -> None:
    from free_music_ai.engine.analysis.frames import SPARSE_S, read_frames

    clip = media_dir / "many-b-frames.mp4"
    ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=30:d=6", "-c:v", "libx264", "-bf", "12", "-x264-params",
           "b-adapt=0:b-pyramid=none", "-pix_fmt", "yuv420p", str(clip))  # fmt: skip
    times = read_frames(clip).times  # B-frames come in runs of 12 and none is a reference
    assert times[-1] > 5.8 and np.count_nonzero(np.diff(times) > SPARSE_S) <= 1  # skips less after the first gap


def test_large_files_fingerprinted_by_their_content(tmp_path: Path) -> None:
    from free_music_ai.engine.analysis.cache import content_hash

    data = np.random.default_rng(1).integers(0, 256, 12 << 20, dtype=np.uint8).tobytes()
    original, copy, edited, longer = (tmp_path / n for n in ("a.mp4", "b.mp4", "c.mp4", "d.mp4"))
    original.write_bytes(data)
    copy.write_bytes(data)
    edited.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))  # the index at the end of a file changes with any edit
    longer.write_bytes(data + b"\0")
    assert content_hash(original) == content_hash(copy)
    assert len({content_hash(original), content_hash(edited), content_hash(longer)}) == 3


def test_features_do_not_depend_on_how_frames_are_batched(shared_media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches are bridged by the previous picture and the last second: one frame at a time gives the same."""
    from free_music_ai.engine.analysis import features, frames

    clip = shared_media / "testvideo.mp4"  # cuts, fades and a dissolve
    batched = frames.read_frames(clip)
    monkeypatch.setattr(features, "BATCH", 1)
    single = frames.read_frames(clip)
    assert np.array_equal(batched.times, single.times)
    for name in ("luma", "contrast", "chroma", "warmth", "motion", "change", "long_change"):
        assert np.allclose(getattr(batched, name), getattr(single, name), atol=1e-5), name
    assert np.count_nonzero(batched.long_change) > len(batched.times) * 0.8  # a score for almost every frame


def test_checking_cuts_at_full_rate_keeps_to_a_budget(media_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With no time left for full-rate checks, clear spikes still count as cuts, at their decoded frame."""
    from free_music_ai.engine.analysis import cuts

    checked: list[float] = []
    real = cuts.refine_cut

    def counted(path: Path, before_s: float, after_s: float, *, frame_s: float) -> float | None:
        checked.append(after_s)
        return real(path, before_s, after_s, frame_s=frame_s)

    monkeypatch.setattr(cuts, "refine_cut", counted)
    monkeypatch.setattr(cuts, "REFINE_BUDGET_S", -1.0)
    monkeypatch.setattr(cuts, "REFINE_BUDGET_PER_S", 0.0)
    found = analyze([b_frame_cuts(media_dir)]).cuts_s
    assert checked == [] and len(found) == len(B_FRAME_SCENES) - 1  # not on their exact frame, but not lost
