"""The picture half of the filtergraph: each segment fitted to the canvas, frame-exact, then joined in order.

Durations are exact because every segment gets a frame count computed from the cumulative timeline
(round(end * fps) - round(start * fps)), so rounding never accumulates. Consecutive images crossfade; the
first image of a pair is held for the crossfade's length longer, so the output stays the sum of the segments.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from free_music_ai.engine.render.canvas import Canvas, cover, fit_inside, same_shape
from free_music_ai.engine.render.models import FitMode

CROSSFADE_S = 0.5
# Images are zoomed from a picture this many times the canvas, so the slow zoom moves in sub-pixel steps.
ZOOM_OVERSAMPLE = 2
BLUR_DOWNSCALE = 8
# Every segment leaves in the same pixel format and limited (TV) range: JPEG stills and some phone clips are
# full range, and a full-range segment would otherwise tag the whole output as full range (yuvj420p).
TO_OUTPUT_FORMAT = "scale=out_range=tv,format=yuv420p"


@dataclass(frozen=True)
class PlacedSegment:
    """A segment with its ffmpeg input index and its place on the output timeline."""

    input_index: int
    is_image: bool
    display_width: int
    display_height: int
    start_s: float
    duration_s: float
    extra_s: float  # held this much longer to crossfade into the next image


def frame_count(start_s: float, end_s: float, fps: Fraction) -> int:
    return round(end_s * fps) - round(start_s * fps)


def fit_chain(source: str, label: str, *, width: int, height: int, canvas: Canvas, fit: FitMode) -> list[str]:
    """Filters that fit a picture of the given display size into the canvas, as graph lines ending in [label]."""
    w, h = canvas.width, canvas.height
    if same_shape(width, height, canvas):
        return [f"[{source}]scale={w}:{h}:flags=bicubic,setsar=1[{label}]"]
    if fit == FitMode.CROP:
        cw, ch = cover(width, height, canvas)
        return [f"[{source}]scale={cw}:{ch}:flags=bicubic,crop={w}:{h},setsar=1[{label}]"]
    fw, fh = fit_inside(width, height, canvas)
    if fit == FitMode.LETTERBOX:
        return [f"[{source}]scale={fw}:{fh}:flags=bicubic,setsar=1,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:black[{label}]"]
    # Blurred fill: the same picture, scaled to cover and blurred, behind the fitted one. Blurring a small
    # copy and scaling it up costs a fraction of blurring at full size and looks the same.
    small = Canvas(max(2, w // BLUR_DOWNSCALE // 2 * 2), max(2, h // BLUR_DOWNSCALE // 2 * 2))
    bw, bh = cover(width, height, small)
    return [
        f"[{source}]split=2[{label}_bgsrc][{label}_fgsrc]",
        f"[{label}_bgsrc]scale={bw}:{bh}:flags=fast_bilinear,crop={small.width}:{small.height},"
        f"boxblur=6:2,eq=brightness=-0.06:saturation=1.1,scale={w}:{h}:flags=bilinear,setsar=1[{label}_bg]",
        f"[{label}_fgsrc]scale={fw}:{fh}:flags=bicubic,setsar=1[{label}_fg]",
        f"[{label}_bg][{label}_fg]overlay=(W-w)/2:(H-h)/2[{label}]",
    ]


def video_segment_chain(seg: PlacedSegment, canvas: Canvas, fit: FitMode, *, fps: Fraction, label: str) -> list[str]:
    frames = frame_count(seg.start_s, seg.start_s + seg.duration_s, fps)
    src = f"{label}_src"
    lines = [f"[{seg.input_index}:v]fps={fps},setpts=PTS-STARTPTS[{src}]"]
    lines += fit_chain(src, f"{label}_fit", width=seg.display_width, height=seg.display_height, canvas=canvas, fit=fit)
    # Pad by repeating the last frame in case the source runs a little short, then cut to the exact count.
    lines.append(
        f"[{label}_fit]tpad=stop_mode=clone:stop=-1,trim=end_frame={frames},setpts=N/({fps}*TB),"
        f"{TO_OUTPUT_FORMAT}[{label}]"
    )
    return lines


def image_segment_chain(
    seg: PlacedSegment, canvas: Canvas, fit: FitMode, *, fps: Fraction, label: str, variant: int
) -> list[str]:
    """A still fitted once, then slowly zoomed (Ken Burns) for its duration; the direction alternates."""
    frames = frame_count(seg.start_s, seg.start_s + seg.duration_s + seg.extra_s, fps)
    big = Canvas(canvas.width * ZOOM_OVERSAMPLE, canvas.height * ZOOM_OVERSAMPLE)
    lines = fit_chain(
        f"{seg.input_index}:v", f"{label}_fit", width=seg.display_width, height=seg.display_height, canvas=big, fit=fit
    )
    span = max(1, frames - 1)
    zoom = f"1+0.07*on/{span}" if variant % 2 == 0 else f"1.07-0.07*on/{span}"
    pan_x = "(iw-iw/zoom)/2" if variant % 4 < 2 else f"(iw-iw/zoom)*on/{span}"
    lines.append(
        f"[{label}_fit]format=yuv420p,zoompan=z='{zoom}':x='{pan_x}':y='(ih-ih/zoom)/2':d={frames}:"
        f"s={canvas.width}x{canvas.height}:fps={fps},trim=end_frame={frames},setpts=N/({fps}*TB),"
        f"setsar=1,{TO_OUTPUT_FORMAT}[{label}]"
    )
    return lines


def join_segments(placed: list[PlacedSegment], labels: list[str], *, fps: Fraction, out_label: str) -> list[str]:
    """Join segment streams in order: crossfade between two images, hard cut otherwise."""
    if len(labels) == 1:
        return [f"[{labels[0]}]null[{out_label}]"]
    lines: list[str] = []
    current = labels[0]
    for i in range(1, len(labels)):
        joined = out_label if i == len(labels) - 1 else f"join{i}"
        previous, this = placed[i - 1], placed[i]
        if previous.is_image and this.is_image:
            offset = round(this.start_s * fps) / fps  # on a frame boundary, so no frame is lost or doubled
            lines.append(
                f"[{current}][{labels[i]}]xfade=transition=fade:duration={CROSSFADE_S}:"
                f"offset={float(offset):.6f}[{joined}]"
            )
        else:
            lines.append(f"[{current}][{labels[i]}]concat=n=2:v=1:a=0[{joined}]")
        current = joined
    return lines
