"""An edit of the sound alone copies the earlier render's video stream (issue 31): the new file's picture is the very
packets a full encode gives, its sound is the new one, and anything that shapes the picture (a title, the format, the
source file) or an earlier file that is not the one written makes the picture be encoded again."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from free_music_ai.engine.render import AudioLayer, RenderRequest, RenderResult, TextOverlay, VideoSegment, render
from free_music_ai.engine.render.models import EarlierPicture, FileStamp
from free_music_ai.engine.render.picture_key import picture_key
from media_checks import audio_samples, container_tags, facts, is_faststart, rms_db, video_packets


@pytest.fixture(scope="module")
def landscape(media_dir: Path) -> Path:
    """3 s 640x360 with its own tone: at 9:16 its picture is fitted on a blurred fill, so it is encoded."""
    return sample_media.make_video(media_dir / "reuse-landscape.mp4", duration_s=3, width=640, height=360)


def vertical(clip: Path, music: Path, volume: float, output: Path, **more: object) -> RenderRequest:
    return RenderRequest.model_validate({"segments": [VideoSegment(path=clip)], "aspect": "9:16", "output": output,
                                         "audio": [AudioLayer(volume=0.5), AudioLayer(path=music, volume=volume)],
                                         "metadata": {"comment": f"music at {volume}"}, **more})  # fmt: skip


def earlier_of(result: RenderResult) -> EarlierPicture:
    return EarlierPicture(path=result.output, stamp=FileStamp.of(result.output), picture_key=result.picture_key)


def test_a_sound_edit_copies_the_picture_a_full_encode_would_make(tmp_path: Path, landscape: Path,
                                                                  music_wav: Path) -> None:  # fmt: skip
    first = render(vertical(landscape, music_wav, 1.0, tmp_path / "first.mp4"))
    assert not first.video_reused and not first.video_copied and first.picture_key
    earlier = earlier_of(first)

    edited = render(vertical(landscape, music_wav, 0.2, tmp_path / "edited.mp4", earlier=(earlier,)))
    encoded = render(vertical(landscape, music_wav, 0.2, tmp_path / "encoded.mp4"))  # the same edit, encoded

    assert edited.video_reused and not encoded.video_reused
    assert edited.picture_key == first.picture_key == encoded.picture_key
    # the picture: the earlier file's packets, which are the packets a full encode of the edit gives
    assert video_packets(edited.output) == video_packets(first.output) == video_packets(encoded.output)
    # the sound: the new mix (music at 20 %), as the full encode has it, not the earlier file's
    new, rate = audio_samples(edited.output)
    old, _ = audio_samples(first.output)
    same, _ = audio_samples(encoded.output)
    assert rate == 48000 and new.shape == same.shape and np.allclose(new, same, atol=1e-6)
    assert rms_db(old) - rms_db(new) > 3, (rms_db(old), rms_db(new))
    # the length and the sync: the picture and the sound as long as an encode's, the tags the edit's own
    shown, whole = facts(edited.output), facts(encoded.output)
    assert (shown.width, shown.height, shown.frames, shown.fps) == (1080, 1920, whole.frames, whole.fps)
    assert shown.video_duration_s == whole.video_duration_s == pytest.approx(3.0, abs=1 / 30)
    assert shown.audio_duration_s == whole.audio_duration_s
    assert container_tags(edited.output) == container_tags(encoded.output)
    assert container_tags(edited.output)["comment"] == "music at 0.2"
    assert is_faststart(edited.output)
    assert FileStamp.of(first.output) == earlier.stamp  # the earlier file was only read


def test_a_title_or_another_format_encodes_the_picture(tmp_path: Path, landscape: Path, music_wav: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    first = render(vertical(landscape, music_wav, 1.0, tmp_path / "first.mp4"))
    earlier = (earlier_of(first),)
    titled = render(vertical(landscape, music_wav, 1.0, tmp_path / "titled.mp4", earlier=earlier,
                             texts=[TextOverlay(text="Summer", end_s=2)]))  # fmt: skip
    assert not titled.video_reused and titled.picture_key != first.picture_key
    assert video_packets(titled.output) != video_packets(first.output)

    settings = load_settings()
    base = vertical(landscape, music_wav, 1.0, tmp_path / "x.mp4")
    key = picture_key(base, settings)
    assert key is not None and key.digest == first.picture_key
    for changed in ({"aspect": "1:1"}, {"fit": "crop"}, {"segments": [VideoSegment(path=landscape, end_s=2)]},
                    {"texts": [TextOverlay(text="Summer", start_s=1)]}):  # fmt: skip
        other = picture_key(base.model_copy(update=changed), settings)
        assert other is not None and other.digest != key.digest, changed
    for setting in ({"crf": 23}, {"x264_preset": "fast"}, {"max_fps": 24}):
        other = picture_key(base, load_settings(setting))
        assert other is not None and other.digest != key.digest, setting
    # x264's output follows its threads, which follow the cores it may use
    more = set(range((os.cpu_count() or 1) + 1))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: more, raising=False)
    other = picture_key(base, settings)
    assert other is not None and other.digest != key.digest
    monkeypatch.undo()
    # the sound, the output and its tags do not shape the picture
    sound = base.model_copy(update={"audio": [], "output": tmp_path / "y.mp4", "metadata": {}})
    assert picture_key(sound, settings) == key


def test_an_earlier_file_deleted_replaced_or_changed_is_not_copied(tmp_path: Path, landscape: Path,
                                                                   music_wav: Path) -> None:  # fmt: skip
    first = render(vertical(landscape, music_wav, 1.0, tmp_path / "first.mp4"))
    second = render(vertical(landscape, music_wav, 0.5, tmp_path / "second.mp4"))
    third = render(vertical(landscape, music_wav, 0.7, tmp_path / "third.mp4"))
    records = [earlier_of(result) for result in (first, second, third)]
    first.output.unlink()  # deleted
    replaced = tmp_path / "other.mp4"
    shutil.copyfile(second.output, replaced)
    replaced.replace(second.output)  # another file under its name (the same bytes, even)
    with third.output.open("r+b") as written:  # written into where it lies
        written.seek(-1, os.SEEK_END)
        written.write(b"\0")

    again = render(vertical(landscape, music_wav, 0.2, tmp_path / "again.mp4", earlier=tuple(records)))
    assert not again.video_reused and again.picture_key == first.picture_key
    assert facts(again.output).frames == facts(second.output).frames  # encoded, whole


def test_a_source_replaced_under_its_name_is_another_picture(tmp_path: Path, music_wav: Path) -> None:
    clip = sample_media.make_video(tmp_path / "clip.mp4", duration_s=1, width=320, height=180)
    request = vertical(clip, music_wav, 1.0, tmp_path / "out.mp4")
    before = picture_key(request, load_settings())
    sample_media.make_video(tmp_path / "new.mp4", duration_s=1, width=320, height=180, tone_hz=660)
    (tmp_path / "new.mp4").replace(clip)
    after = picture_key(request, load_settings())
    assert before is not None and after is not None and before.digest != after.digest
    clip.unlink()
    assert picture_key(request, load_settings()) is None  # what cannot be known makes no key: encoded


@pytest.mark.expect_error_log  # ffmpeg's failure to read the bad file is logged, then the picture is encoded
def test_an_earlier_file_that_cannot_be_read_or_changes_while_read_gives_an_encode(
    tmp_path: Path, landscape: Path, music_wav: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the module, not the function the package names the same
    render_module = importlib.import_module("free_music_ai.engine.render.render")

    first = render(vertical(landscape, music_wav, 1.0, tmp_path / "first.mp4"))
    # a file with the right stamp and key that is no video (only a bug or a hand could make one): encoded instead
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video" * 100)
    bad = EarlierPicture(path=broken, stamp=FileStamp.of(broken), picture_key=first.picture_key)
    encoded = render(vertical(landscape, music_wav, 0.2, tmp_path / "encoded.mp4", earlier=(bad,)))
    assert not encoded.video_reused and video_packets(encoded.output) == video_packets(first.output)

    # the earlier file replaced while ffmpeg reads it: what was read is not trusted, the picture is encoded
    real_run = render_module.run_ffmpeg
    runs: list[bool] = []

    def replaced_while_read(args: list[str], total_s: float, **named: Any) -> None:
        real_run(args, total_s, **named)
        runs.append(str(first.output) in args)
        if str(first.output) in args:
            copy = tmp_path / "copy.mp4"
            shutil.copyfile(first.output, copy)
            copy.replace(first.output)

    monkeypatch.setattr(render_module, "run_ffmpeg", replaced_while_read)
    again = render(vertical(landscape, music_wav, 0.2, tmp_path / "again.mp4", earlier=(earlier_of(first),)))
    assert runs == [True, False] and not again.video_reused
    assert video_packets(again.output) == video_packets(first.output)
