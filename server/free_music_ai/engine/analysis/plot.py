"""A picture of an analysis a person can read at a glance: energy over time, scene changes, speech."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render.filter_escape import escape_option_value
from free_music_ai.engine.render.text_overlay import fonts_dir
from free_music_ai.errors import RenderError

WIDTH, HEIGHT = 1200, 440
LEFT, RIGHT, TOP, BOTTOM = 70, 30, 60, 60
ENERGY = (56, 132, 220)
SPEECH = (255, 214, 120)
CUT = (215, 48, 39)
GRID = (225, 225, 225)
MUSIC = (240, 130, 30)
HIT = (40, 160, 70)


@dataclass(frozen=True)
class MusicTrace:
    """The music over the same time: its level in dB (per 0.1 s) and the beats that land on the cuts."""

    level_db: list[float]
    hits_s: list[float]


def draw(analysis: Analysis, path: Path, *, ffmpeg: str | None = None, music: MusicTrace | None = None) -> None:
    """Write the plot as PNG to ``path`` (which must not exist yet: the caller picks a free name); with
    ``music``, its level (orange, 0 dB at the top, -30 dB at the bottom) and its hits (green marks)."""
    canvas = np.full((HEIGHT, WIDTH, 3), 255, dtype=np.uint8)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    duration = max(analysis.duration_s, 1.0)

    def x_of(t: float) -> int:
        return int(LEFT + round(min(max(t, 0), duration) / duration * plot_w))

    for s, e in analysis.speech_s:
        canvas[TOP : TOP + plot_h, x_of(s) : max(x_of(e), x_of(s) + 1)] = SPEECH
    for level in (0.25, 0.5, 0.75, 1.0):
        canvas[TOP + round((1 - level) * plot_h), LEFT : LEFT + plot_w] = GRID
    energy = np.asarray(analysis.energy or [0.0], dtype=np.float64)
    xs = np.arange(plot_w)
    curve = np.interp(xs / plot_w * duration, np.arange(len(energy)) + 0.5, energy)
    for x, value in enumerate(curve.tolist()):
        top = TOP + round((1 - value) * plot_h)
        canvas[top : TOP + plot_h, LEFT + x] = (np.array(ENERGY) * 0.35 + 255 * 0.65).astype(np.uint8)
        canvas[max(TOP, top - 1) : top + 2, LEFT + x] = ENERGY
    for transition in analysis.transitions:
        x = x_of(transition.time_s)
        canvas[TOP : TOP + plot_h, max(LEFT, x - 1) : x + 2] = CUT
    if music is not None:
        level_db = np.asarray(music.level_db or [0.0], dtype=np.float64)
        heights = np.clip((level_db + 30.0) / 30.0, 0.0, 1.0)
        trace = np.interp(xs / plot_w * duration, (np.arange(heights.size) + 0.5) * 0.1, heights)
        for x, value in enumerate(trace.tolist()):
            top = TOP + round((1 - value) * (plot_h - 2))
            canvas[top : top + 2, LEFT + x] = MUSIC
        for hit in music.hits_s:
            x = x_of(hit)
            canvas[TOP - 14 : TOP - 2, max(LEFT, x - 3) : x + 4] = HIT
    canvas[TOP + plot_h : TOP + plot_h + 2, LEFT : LEFT + plot_w] = 0
    canvas[TOP : TOP + plot_h, LEFT - 2 : LEFT] = 0

    legend = "Energy (blue), scene changes (red), speech (yellow)"
    if music is not None:
        legend += ", music level (orange), accents (green)"
    labels = [(f"{legend}   valence {analysis.valence:+.2f}  arousal {analysis.arousal:+.2f}", LEFT, 18,
               18 if music is not None else 20)]  # fmt: skip
    step = _tick_step(duration)
    t = 0.0
    while t <= duration + 1e-6:
        labels.append((f"{int(t) // 60}:{int(t) % 60:02d}", x_of(t) - 14, TOP + plot_h + 12, 16))
        t += step
    for level in (0.0, 0.5, 1.0):
        labels.append((f"{level:.1f}", 20, TOP + round((1 - level) * plot_h) - 9, 16))
    _render(canvas, labels, path, ffmpeg)


def _tick_step(duration: float) -> float:
    for step in (1, 2, 5, 10, 15, 30, 60, 120, 300, 600):
        if duration / step <= 12:
            return float(step)
    return 1200.0


def _render(canvas: np.ndarray, labels: list[tuple[str, int, int, int]], path: Path, ffmpeg: str | None) -> None:
    """Draw the labels with ffmpeg's drawtext and the bundled font, and encode the PNG."""
    font = escape_option_value(str(fonts_dir() / "NotoSans-Bold.ttf"))
    texts = []
    for text, x, y, size in labels:
        safe = text.replace("\\", "").replace("'", "").replace(":", "\\:").replace("%", "")
        texts.append(f"drawtext=fontfile={font}:text='{safe}':x={x}:y={y}:fontsize={size}:fontcolor=black")
    command = [ffmpeg_exe(ffmpeg), "-hide_banner", "-loglevel", "error", "-nostdin", "-f", "rawvideo", "-pix_fmt",
               "rgb24", "-s", f"{WIDTH}x{HEIGHT}", "-i", "-", "-vf", ",".join(texts), "-frames:v", "1", "-f", "image2",
               "-c:v", "png", "-y", str(path)]  # fmt: skip
    done = subprocess.run(command, input=canvas.tobytes(), capture_output=True, check=False)
    if done.returncode != 0:
        raise RenderError(f"Could not draw the plot: {done.stderr.decode(errors='replace').strip()[-300:]}")
