"""Render a request to MP4: probe the inputs, pick the canvas and frame rate, build the graph, run ffmpeg.

Output: H.264 High yuv420p at a constant frame rate, AAC-LC 48 kHz stereo, moov atom first (+faststart).
When a single video already fits the canvas as it is, its picture is copied, not re-encoded: only the
sound is made anew, which takes a fraction of the time and loses no quality. When an earlier render made the same
picture (its picture key is this request's: picture_key.py) and its file is still the one it wrote, that file's
video stream is copied instead of encoding the picture again: an edit of the sound alone takes a remux.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from free_music_ai.config import Settings, load_settings
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.leftovers import scratch_folder
from free_music_ai.engine.probe import MediaInfo, probe
from free_music_ai.engine.probe_memory import ProbeMemory
from free_music_ai.engine.render.audio_graph import (
    OriginalPiece,
    PlacedLayer,
    layer_chain,
    mix_chain,
    original_sound_chain,
)
from free_music_ai.engine.render.canvas import Canvas, choose_canvas
from free_music_ai.engine.render.copy_mux import mux_copied_picture
from free_music_ai.engine.render.ffmpeg_runner import ProgressCallback, run_ffmpeg
from free_music_ai.engine.render.filter_escape import escape_option_value
from free_music_ai.engine.render.models import (
    EarlierPicture,
    FileStamp,
    ImageSegment,
    RenderRequest,
    RenderResult,
    VideoSegment,
)
from free_music_ai.engine.render.output_path import check_output_location, discard, publish, temporary_sibling
from free_music_ai.engine.render.picture_key import picture_key
from free_music_ai.engine.render.sound_encoder import ffmpeg_aac_args
from free_music_ai.engine.render.text_overlay import font_config, write_titles
from free_music_ai.engine.render.video_graph import (
    CROSSFADE_S,
    PlacedSegment,
    image_segment_chain,
    join_segments,
    video_segment_chain,
)
from free_music_ai.engine.stream_timing import sound_lead_s
from free_music_ai.errors import InputError, RenderError

log = logging.getLogger(__name__)

IMAGE_FPS = Fraction(30)
# Longer graphs go through a file: command lines are limited to 32 KiB on Windows.
INLINE_GRAPH_LIMIT = 8000
MP4_DEMUXERS = frozenset({"mov", "mp4"})  # libavformat's name for the family: "mov,mp4,m4a,3gp,3g2,mj2"
LATE_S = 0.0005  # a copied picture later than this after its file's start is moved to the start (ffmpeg -itsoffset)


@dataclass(frozen=True)
class _Plan:
    infos: list[MediaInfo]
    placed: list[PlacedSegment]
    canvas: Canvas
    fps: Fraction
    total_s: float
    source_fps: Fraction  # the first video's own rate: above ``fps`` when the output's rate was capped


def render(
    request: RenderRequest,
    settings: Settings | None = None,
    *,
    on_progress: ProgressCallback | None = None,
    seal: Callable[[Path], None] | None = None,
    probes: ProbeMemory | None = None,
    sound_check: Callable[[], None] | None = None,
) -> RenderResult:
    """Render ``request``; the file appears under its final name only when complete, never over another.

    ``seal`` finishes the file where it lies before it gets its name (the service signs it there); ``probes``:
    the engine's memory of the files it probed. ``sound_check`` waits for the verdict on the soundtrack, which is
    still being checked, and raises when it fails: it is called before a picture is encoded (a copied one is muxed
    and sealed meanwhile) and before the file gets its name, so no file it fails is published."""
    settings = settings or load_settings()
    requested = check_output_location(request.output)
    plan = _plan(request, settings, probes)
    limit = settings.max_input_bytes
    layer_infos = [probe(layer.path, limit, probes) for layer in request.audio if layer.path is not None]
    finished = [probe(request.soundtrack, limit, probes)] if request.soundtrack is not None else []
    for info in layer_infos + finished:
        if info.audio is None:
            raise InputError(f"{Path(info.path).name} has no sound, so it cannot be used as music. Pick an audio file.")
    for text in request.texts:
        if text.start_s >= plan.total_s:
            raise InputError(
                f"The title {text.text!r} starts at {text.start_s:g} s, after the video ends ({plan.total_s:.1f} s). "
                "Give it an earlier start."
            )
    copy = _can_copy_video(request, plan, settings)
    key = picture_key(request, settings)
    reuse = None if copy or key is None else _same_picture(request.earlier, key.digest)
    temp = temporary_sibling(requested)
    try:
        reuse = _write(request, plan, layer_infos, _Picture(copy, reuse), settings, temp, on_progress, sound_check)
        if seal is not None:
            seal(temp)
        if sound_check is not None:  # after the seal, which signs while the check may still be measuring
            sound_check()
        final = publish(temp, requested, companions=request.companions)
    finally:
        discard(temp)
    log.info(
        "rendered %s (%.2f s, %dx%d, video %s)",
        final,
        plan.total_s,
        plan.canvas.width,
        plan.canvas.height,
        "copied" if copy else f"copied from {reuse.path.name}" if reuse is not None else "encoded",
    )
    return RenderResult(
        output=final,
        duration_s=round(plan.total_s, 3),
        width=plan.canvas.width,
        height=plan.canvas.height,
        video_copied=copy,
        video_reused=reuse is not None,
        picture_key=key.digest if key is not None else "",
        renamed=final != requested,
        fps=round(float(plan.fps), 3),
        source_fps=round(float(plan.source_fps), 3),
    )


def _plan(request: RenderRequest, settings: Settings, probes: ProbeMemory | None) -> _Plan:
    infos: list[MediaInfo] = []
    durations: list[float] = []
    for seg in request.segments:
        info = probe(seg.path, settings.max_input_bytes, probes)
        name = Path(info.path).name
        if isinstance(seg, VideoSegment):
            if info.kind != MediaKind.VIDEO:
                raise InputError(f"{name} is {info.kind.value}, not a video. Add it as {info.kind.value}.")
            end = min(seg.end_s, info.duration_s) if seg.end_s is not None else info.duration_s
            if seg.start_s >= end:
                raise InputError(f"{name} is {info.duration_s:.1f} s long, so it cannot start at {seg.start_s:g} s.")
            durations.append(end - seg.start_s)
        else:
            if info.kind != MediaKind.IMAGE:
                raise InputError(f"{name} is {info.kind.value}, not an image.")
            durations.append(seg.duration_s)
        infos.append(info)

    first = infos[0].video
    assert first is not None  # every visual segment was probed as video or image above
    canvas = choose_canvas(request.aspect, first.display_width, first.display_height)
    rates = [i.video.frame_rate for i in infos if i.kind == MediaKind.VIDEO and i.video is not None]
    source_fps = Fraction(rates[0]) if rates else IMAGE_FPS
    # a higher rate is resampled by each segment's fps filter: a player shows no more, and encoding every
    # frame a file declares (1000 a second costs 16 times 60) would let the file choose the render's cost
    fps = min(source_fps, Fraction(settings.max_fps))

    placed: list[PlacedSegment] = []
    start = 0.0
    for index, (seg, info, duration) in enumerate(zip(request.segments, infos, durations, strict=True)):
        assert info.video is not None
        next_is_image = index + 1 < len(request.segments) and isinstance(request.segments[index + 1], ImageSegment)
        extra = CROSSFADE_S if isinstance(seg, ImageSegment) and next_is_image else 0.0
        placed.append(
            PlacedSegment(
                input_index=index,
                is_image=isinstance(seg, ImageSegment),
                display_width=info.video.display_width,
                display_height=info.video.display_height,
                start_s=start,
                duration_s=duration,
                extra_s=min(extra, duration),
            )
        )
        start += duration
    return _Plan(infos=infos, placed=placed, canvas=canvas, fps=fps, total_s=start, source_fps=source_fps)


@dataclass(frozen=True)
class _Picture:
    """Where the output's video stream comes from: the source as it is, an earlier render's file, or the encoder."""

    copy: bool
    reuse: EarlierPicture | None


def _write(request: RenderRequest, plan: _Plan, layer_infos: list[MediaInfo], picture: _Picture, settings: Settings,
           output: Path, on_progress: ProgressCallback | None,
           sound_check: Callable[[], None] | None) -> EarlierPicture | None:  # fmt: skip
    """Write the video to ``output``; the earlier render whose picture it copied, or None. An earlier file that
    cannot be read, or that changed while it was read, is not trusted: the picture is encoded instead, once
    ``sound_check`` has passed (an encode is too long to throw away)."""
    with scratch_folder("render") as work_dir:
        # libass finds the bundled fonts (and only those) through this fontconfig file
        fonts = {"FONTCONFIG_FILE": str(font_config(Path(work_dir)))} if request.texts else {}
        first = request.segments[0].path  # the file whose tags the output takes, as ffmpeg's first input
        if picture.copy and request.soundtrack is not None and _muxes_here(plan):
            mux_copied_picture(first, request.soundtrack, output, tags_from=first, metadata=request.metadata,
                               total_s=plan.total_s, on_progress=on_progress)  # fmt: skip
            return None
        if picture.reuse is not None:
            try:
                if request.soundtrack is not None:
                    mux_copied_picture(
                        picture.reuse.path,
                        request.soundtrack,
                        output,
                        tags_from=first,
                        metadata=request.metadata,
                        total_s=plan.total_s,
                        on_progress=on_progress,
                    )
                else:
                    args = _ffmpeg_args(request, plan, layer_infos, picture, settings, Path(work_dir), output)
                    run_ffmpeg(args, plan.total_s, on_progress=on_progress, message="Mixing sound", environment=fonts)
                if _unchanged(picture.reuse):
                    return picture.reuse
                log.info("%s changed while its picture was copied: encoding the picture instead", picture.reuse.path)
            except RenderError:
                log.warning("the picture of %s could not be copied: encoding it instead", picture.reuse.path)
            picture = _Picture(picture.copy, None)
        if sound_check is not None and _encodes(picture.copy, picture.reuse):
            sound_check()
        args = _ffmpeg_args(request, plan, layer_infos, picture, settings, Path(work_dir), output)
        run_ffmpeg(
            args,
            plan.total_s,
            on_progress=on_progress,
            message="Mixing sound" if picture.copy else "Encoding video",
            environment=fonts,
        )
        return None


def _muxes_here(plan: _Plan) -> bool:
    """A copied source this process muxes as ffmpeg's program would: an MP4 or MOV (whose packets all have their
    timestamps) whose picture starts with the file (a later one is moved by ffmpeg's -itsoffset)."""
    info = plan.infos[0]
    return info.container.split(",")[0] in MP4_DEMUXERS and _picture_late_s(info) <= LATE_S


def _picture_late_s(info: MediaInfo) -> float:
    """How long after its file's start a video's picture begins (0 without a picture)."""
    return (info.video.start_s or 0.0) - info.start_s if info.video is not None else 0.0


def _encodes(copy: bool, reuse: EarlierPicture | None) -> bool:
    return not copy and reuse is None


def _same_picture(earlier: tuple[EarlierPicture, ...], digest: str) -> EarlierPicture | None:
    """The first earlier render of this very picture whose file is still the one it wrote."""
    return next((e for e in earlier if e.picture_key == digest and _unchanged(e)), None)


def _unchanged(earlier: EarlierPicture) -> bool:
    try:
        return FileStamp.of(earlier.path) == earlier.stamp
    except OSError:  # deleted, moved or unreadable
        return False


def _can_copy_video(request: RenderRequest, plan: _Plan, settings: Settings) -> bool:
    """Copy the picture only when re-encoding could not change what a viewer sees."""
    if len(request.segments) != 1 or request.texts:
        return False
    seg, info = request.segments[0], plan.infos[0]
    video = info.video
    if not isinstance(seg, VideoSegment) or video is None:
        return False
    return (
        seg.start_s == 0
        and (seg.end_s is None or seg.end_s >= info.duration_s)
        and video.codec == "h264"
        and video.pix_fmt == "yuv420p"
        and video.rotation == 0
        and video.sample_aspect_ratio == "1:1"
        and not video.vfr
        and video.fps <= settings.max_fps
        and (video.width, video.height) == (plan.canvas.width, plan.canvas.height)
    )


def _ffmpeg_args(
    request: RenderRequest,
    plan: _Plan,
    layer_infos: list[MediaInfo],
    picture: _Picture,
    settings: Settings,
    work_dir: Path,
    output: Path,
) -> list[str]:
    copy = picture.copy
    args = [ffmpeg_exe(settings.ffmpeg)]
    for seg, placed, info in zip(request.segments, plan.placed, plan.infos, strict=True):
        if isinstance(seg, VideoSegment):
            if seg.start_s > 0:
                args += ["-ss", f"{seg.start_s:.6f}"]
            if not copy:
                args += ["-t", f"{placed.duration_s + 0.25:.6f}"]
            # a copied picture keeps its delay after an earlier sound, but the new soundtrack starts with the
            # picture (stream_timing.py): the picture is moved to the start with it
            late = _picture_late_s(info)
            if copy and late > LATE_S:
                args += ["-itsoffset", f"{-late:.6f}"]
        args += ["-i", str(seg.path)]
    first_layer_input = len(request.segments)
    for layer in request.audio:
        if layer.path is not None:
            args += ["-i", str(layer.path)]
    if request.soundtrack is not None:
        args += ["-i", str(request.soundtrack)]
    # the earlier render comes last: the inputs before it, and so the sound and the tags the output takes from
    # the first input, stay as an encode has them
    reused_input = first_layer_input + len(layer_infos) + (request.soundtrack is not None)
    if picture.reuse is not None:
        args += ["-i", str(picture.reuse.path)]

    graph: list[str] = []
    if _encodes(copy, picture.reuse):
        graph += _picture_graph(request, plan, work_dir)
    if request.soundtrack is None:
        graph += _sound_graph(request, plan, layer_infos, first_layer_input)
    if graph:
        args += _graph_args(";\n".join(graph), work_dir)
    if copy:
        args += ["-map", "0:v:0", "-c:v", "copy"]
    elif picture.reuse is not None:
        args += ["-map", f"{reused_input}:v:0", "-c:v", "copy"]
    else:
        args += [
            "-map", "[vout]", "-c:v", "libx264", "-preset", settings.x264_preset, "-crf", str(settings.crf),
            "-profile:v", "high", "-pix_fmt", "yuv420p", "-r", str(plan.fps), "-fps_mode", "cfr",
        ]  # fmt: skip
    if request.soundtrack is not None:  # encoded already, on every core (sound_encoder)
        args += ["-map", f"{first_layer_input}:a:0", "-c:a", "copy"]
    else:
        args += ["-map", "[aout]", *ffmpeg_aac_args(), "-ar", "48000", "-ac", "2"]
    for key, value in request.metadata.items():
        args += ["-metadata", f"{key}={value}"]
    args += ["-movflags", "+faststart", "-f", "mp4", "-y", str(output)]
    return args


def _picture_graph(request: RenderRequest, plan: _Plan, work_dir: Path) -> list[str]:
    lines: list[str] = []
    labels: list[str] = []
    images = 0
    for k, placed in enumerate(plan.placed):
        label = f"seg{k}"
        if placed.is_image:
            lines += image_segment_chain(placed, plan.canvas, request.fit, fps=plan.fps, label=label, variant=images)
            images += 1
        else:
            lines += video_segment_chain(placed, plan.canvas, request.fit, fps=plan.fps, label=label)
        labels.append(label)
    joined = "joined" if request.texts else "vout"
    lines += join_segments(plan.placed, labels, fps=plan.fps, out_label=joined)
    if request.texts:
        titles = work_dir / "titles.ass"
        write_titles(list(request.texts), plan.canvas, total_s=plan.total_s, path=titles)
        lines.append(f"[{joined}]ass=filename={escape_option_value(str(titles))}[vout]")
    return lines


def _sound_graph(
    request: RenderRequest, plan: _Plan, layer_infos: list[MediaInfo], first_layer_input: int
) -> list[str]:
    lines: list[str] = []
    labels: list[str] = []
    file_layers = iter(zip(layer_infos, range(first_layer_input, first_layer_input + len(layer_infos)), strict=True))
    for k, layer in enumerate(request.audio):
        label = f"layer{k}"
        if layer.is_original:
            pieces = [
                OriginalPiece(p.input_index, p.duration_s, _sound_lead(info, seg))
                if info.audio is not None and info.video is not None and isinstance(seg, VideoSegment)
                else OriginalPiece(None, p.duration_s)
                for p, info, seg in zip(plan.placed, plan.infos, request.segments, strict=True)
            ]
            if all(piece.input_index is None for piece in pieces):
                continue  # nothing to keep: the videos are silent
            lines += original_sound_chain(pieces, layer, label)
        else:
            info, input_index = next(file_layers)
            lines += layer_chain(PlacedLayer(layer, input_index, info.duration_s), plan.total_s, label)
        labels.append(label)
    lines += mix_chain(labels, plan.total_s, "aout")
    return lines


def _sound_lead(info: MediaInfo, segment: VideoSegment) -> float:
    assert info.audio is not None and info.video is not None
    return sound_lead_s(info.video.start_s, info.audio.start_s, file_start=info.start_s, from_s=segment.start_s)


def _graph_args(graph: str, work_dir: Path) -> list[str]:
    if len(graph) <= INLINE_GRAPH_LIMIT:
        return ["-filter_complex", graph]
    script = work_dir / "graph.txt"
    script.write_text(graph, encoding="utf-8")
    return ["-/filter_complex", str(script)]
