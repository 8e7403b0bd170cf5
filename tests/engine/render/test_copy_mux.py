"""A copied picture and a finished soundtrack muxed in this process: the same file ffmpeg's program made, moov first."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.engine.render import RenderRequest, VideoSegment, render
from free_music_ai.engine.render.copy_mux import mux_copied_picture
from free_music_ai.engine.render.models import EarlierPicture, FileStamp
from free_music_ai.engine.render.sound_encoder import encode_aac
from free_music_ai.errors import RenderError
from media_checks import audio_samples, container_tags, ffmpeg, is_faststart, top_level_boxes, video_packets

render_module = importlib.import_module("free_music_ai.engine.render.render")  # the module, not its function


@pytest.fixture
def soundtrack(tmp_path: Path) -> Path:
    """5 s of a chord, not a whole number of AAC frames long: the edit list must cut it at its last sample."""
    t = np.arange(5 * 48_000 - 333) / 48_000
    audio = np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 330 * t)], axis=1)
    return encode_aac(audio.astype(np.float32), tmp_path / "sound.m4a")


def _sound_packets(path: Path) -> list[tuple[int | None, int, bytes]]:
    import av

    with av.open(str(path)) as container:
        return [(p.pts, p.duration, bytes(p)) for p in container.demux(audio=0) if p.size]


def test_copied_picture_is_muxed_without_ffmpeg_as_ffmpeg_would(
    tmp_path: Path, clip_1080: Path, soundtrack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_program = tmp_path / "program.mp4"
    ffmpeg("-i", str(clip_1080), "-i", str(soundtrack), "-map", "0:v:0", "-c:v", "copy", "-map", "1:a:0",
           "-c:a", "copy", "-metadata", "comment=ours", "-movflags", "+faststart", str(by_program))  # fmt: skip

    def no_program(*args: object, **kwargs: object) -> None:
        raise AssertionError("ffmpeg's program was started for a copied picture")

    monkeypatch.setattr(render_module, "run_ffmpeg", no_program)
    seen: list[float] = []
    result = render(
        RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=tmp_path / "out.mp4",
                      metadata={"comment": "ours"}),
        on_progress=lambda fraction, message: seen.append(fraction),
    )  # fmt: skip
    out = result.output
    assert result.video_copied and seen[-1] == 1.0 and seen == sorted(seen)
    boxes = top_level_boxes(out)
    assert is_faststart(out) and boxes.index("moov") < boxes.index("mdat")
    assert video_packets(out) == video_packets(clip_1080) == video_packets(by_program)  # the picture, bit-exact
    assert _sound_packets(out) == _sound_packets(soundtrack) == _sound_packets(by_program)
    ours, rate = audio_samples(out)
    theirs, _ = audio_samples(by_program)
    assert rate == 48_000 and np.array_equal(ours, theirs)  # the same priming skipped, the same length
    tags = container_tags(out)
    assert tags["comment"] == "ours" and tags["major_brand"] == container_tags(by_program)["major_brand"]


def test_a_file_whose_clock_starts_late_starts_at_zero_as_ffmpeg_makes_it(
    tmp_path: Path, clip_1080: Path, soundtrack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    late = tmp_path / "late.mp4"  # its clock starts at 1.5 s, its picture with it: a cut copied out of a longer file
    ffmpeg("-i", str(clip_1080), "-an", "-c", "copy", "-output_ts_offset", "1.5", str(late))
    by_program = tmp_path / "program.mp4"
    ffmpeg("-i", str(late), "-i", str(soundtrack), "-map", "0:v:0", "-c:v", "copy", "-map", "1:a:0", "-c:a", "copy",
           "-movflags", "+faststart", str(by_program))  # fmt: skip
    monkeypatch.setattr(render_module, "run_ffmpeg", lambda *a, **k: pytest.fail("ffmpeg's program was started"))
    result = render(RenderRequest(segments=[VideoSegment(path=late)], soundtrack=soundtrack, output=tmp_path / "o.mp4"))
    assert result.video_copied
    assert video_packets(result.output) == video_packets(by_program)  # its first picture at 0, not 1.5 s of nothing
    assert [p[:3] for p in video_packets(result.output)] != [p[:3] for p in video_packets(late)]


def test_a_reused_picture_takes_the_first_inputs_tags_not_the_earlier_renders(
    tmp_path: Path, clip_1080: Path, soundtrack: Path
) -> None:
    earlier = tmp_path / "earlier.mp4"
    mux_copied_picture(clip_1080, soundtrack, earlier, tags_from=clip_1080, metadata={"comment": "old music"},
                       total_s=5.0)  # fmt: skip
    assert container_tags(earlier)["comment"] == "old music"
    into = tmp_path / "again.mp4"
    mux_copied_picture(earlier, soundtrack, into, tags_from=clip_1080, metadata={}, total_s=5.0)
    assert "comment" not in container_tags(into)
    assert video_packets(into) == video_packets(clip_1080) and is_faststart(into)


def test_an_unreadable_earlier_picture_is_a_render_error(tmp_path: Path, soundtrack: Path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"\x00\x00\x00\x18ftypisom" + b"\x00" * 200)
    with pytest.raises(RenderError, match="Rendering failed"):
        mux_copied_picture(broken, soundtrack, tmp_path / "x.mp4", tags_from=broken, metadata={}, total_s=5.0)


def test_an_edit_of_the_sound_copies_the_earlier_renders_picture_in_process(
    tmp_path: Path, clip_1080: Path, soundtrack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    earlier = tmp_path / "earlier.mp4"
    mux_copied_picture(clip_1080, soundtrack, earlier, tags_from=clip_1080, metadata={}, total_s=5.0)
    key = render_module.picture_key(
        RenderRequest(segments=[VideoSegment(path=clip_1080)], output=tmp_path / "k.mp4", aspect="9:16"),
        render_module.load_settings(),
    )
    assert key is not None
    monkeypatch.setattr(render_module, "run_ffmpeg", lambda *a, **k: pytest.fail("ffmpeg's program was started"))
    result = render(
        RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=tmp_path / "new.mp4",
                      aspect="9:16", earlier=(EarlierPicture(path=earlier, stamp=FileStamp.of(earlier),
                                                             picture_key=key.digest),)),
    )  # fmt: skip
    assert result.video_reused and not result.video_copied
    assert video_packets(result.output) == video_packets(earlier) and is_faststart(result.output)


def test_an_interrupted_mux_leaves_nothing(tmp_path: Path, clip_1080: Path, soundtrack: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def stop(fraction: float, message: str) -> None:
        if fraction > 0.2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render(RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=out / "x.mp4"),
               on_progress=stop)  # fmt: skip
    assert list(out.iterdir()) == []


def test_a_full_disk_is_said_as_such_and_leaves_nothing(tmp_path: Path, clip_1080: Path, soundtrack: Path) -> None:
    from free_music_ai.errors import InputError
    from test_full_disk import small_disk

    with small_disk(tmp_path / "tiny", 1) as tiny:  # a megabyte: the picture alone is larger
        with pytest.raises(InputError, match=r"The disk is full.*Free some space"):
            render(RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=tiny / "x.mp4"))
        assert list(tiny.iterdir()) == []


def test_a_copied_picture_is_muxed_before_the_sound_is_checked_and_named_only_once_it_passed(
    tmp_path: Path, clip_1080: Path, soundtrack: Path
) -> None:
    """The soundtrack's true peak is measured beside the mux (encoded_peak.py): the check comes once the video is
    whole, and a soundtrack that fails it leaves no video behind, under its name or any other."""
    from free_music_ai.engine.render.encoded_peak import Overshoot

    out = tmp_path / "out"
    out.mkdir()
    seen: list[list[tuple[str, int]]] = []

    def check(fails: bool) -> None:
        seen.append([(p.name, p.stat().st_size) for p in out.iterdir()])
        if fails:
            raise Overshoot("over the limit")

    request = RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=out / "x.mp4")
    sealed: list[str] = []
    with pytest.raises(Overshoot):
        render(request, seal=lambda path: sealed.append(path.name), sound_check=lambda: check(True))
    ((made,),) = seen  # checked once, when the video was whole (and sealed) under a hidden name
    assert made[0] != "x.mp4" and made[1] > clip_1080.stat().st_size * 0.9 and sealed == [made[0]]
    assert list(out.iterdir()) == []
    result = render(request, sound_check=lambda: check(False))
    assert result.output == out / "x.mp4" and video_packets(result.output) == video_packets(clip_1080)
    assert [p.name for p in out.iterdir()] == ["x.mp4"]


def test_a_picture_to_encode_waits_for_the_sound_check(tmp_path: Path, clip_1080: Path, soundtrack: Path) -> None:
    """An encode of the picture is too long to throw away: a soundtrack that fails its check stops it unstarted."""
    from free_music_ai.engine.canvas_choices import Aspect
    from free_music_ai.engine.render.encoded_peak import Overshoot

    out = tmp_path / "out"
    out.mkdir()
    seen: list[list[str]] = []

    def check() -> None:
        seen.append([p.name for p in out.iterdir()])
        raise Overshoot("over the limit")

    with pytest.raises(Overshoot):
        render(RenderRequest(segments=[VideoSegment(path=clip_1080)], soundtrack=soundtrack, output=out / "x.mp4",
                             aspect=Aspect.TALL), sound_check=check)  # fmt: skip
    assert seen == [[]] and list(out.iterdir()) == []  # checked before anything was written
