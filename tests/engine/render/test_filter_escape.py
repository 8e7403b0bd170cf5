"""Paths with quotes, colons, commas and brackets survive the filtergraph: proved by a real ffmpeg run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.render.filter_escape import escape_option_value
from free_music_ai.engine.render.text_overlay import fonts_dir


def test_hostile_paths_reach_drawtext_intact(tmp_path: Path) -> None:
    odd = tmp_path / "it's a [dir], with: ; semis \\ and 'quotes'"
    odd.mkdir()
    font = odd / "font's:file.ttf"
    shutil.copy(fonts_dir() / "NotoSans-Bold.ttf", font)
    text = odd / "text, file'.txt"
    text.write_text("hello", encoding="utf-8")
    graph = (
        f"color=black:size=320x240:duration=0.2,drawtext=fontfile={escape_option_value(str(font))}:"
        f"textfile={escape_option_value(str(text))}:expansion=none:fontcolor=white:fontsize=40[v]"
    )
    out = tmp_path / "out.png"
    done = subprocess.run(
        [
            ffmpeg_exe(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-filter_complex",
            graph,
            "-map",
            "[v]",
            "-frames:v",
            "1",
            "-y",
            str(out),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert out.stat().st_size > 0


def test_escape_is_plain_for_plain_paths() -> None:
    assert escape_option_value("/tmp/abc/title0.txt") == "/tmp/abc/title0.txt"
