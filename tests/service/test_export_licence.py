"""The licence of an export is always OUT.license.json beside OUT.mp4 (issue 29), even when another program takes
that name in the moment between the video's name and the licence's."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from free_music_ai.service.export_job import _with_licence


def test_a_licence_name_taken_meanwhile_moves_the_video_to_a_name_free_for_both(tmp_path: Path) -> None:
    video = tmp_path / "clip-music.mp4"
    video.write_bytes(b"our video")
    (tmp_path / "clip-music.license.json").write_text("another program's")  # taken since the video got its name
    (tmp_path / "clip-music-1.license.json").write_text("a licence kept after its video was deleted")

    def licence_of(output: Path) -> dict[str, Any]:
        return {"output": str(output)}

    moved, licence = _with_licence(video, licence_of)
    assert moved == tmp_path / "clip-music-2.mp4" and moved.read_bytes() == b"our video" and not video.exists()
    assert licence == moved.with_suffix(".license.json") and json.loads(licence.read_text()) == {"output": str(moved)}
    assert (tmp_path / "clip-music.license.json").read_text() == "another program's"  # never replaced
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip-music-1.license.json", "clip-music-2.license.json",
                                                          "clip-music-2.mp4", "clip-music.license.json"]  # fmt: skip


def test_a_free_licence_name_is_written_beside_the_video(tmp_path: Path) -> None:
    video = tmp_path / "clip-music.mp4"
    video.write_bytes(b"our video")
    same, licence = _with_licence(video, lambda output: {"output": output.name})
    assert same == video and licence == tmp_path / "clip-music.license.json"


def test_the_licence_shown_names_files_and_no_paths() -> None:
    from free_music_ai.service.licence import without_paths

    written = {"output": "/home/ana/videos/beach-music.mp4", "statement": "Original music / royalty-free",
               "soundfont": {"name": "mine.sf2", "bundled": False, "path": "/home/ana/fonts/mine.sf2"},
               "spec": {"parts": [{"part": "bass"}], "title": "sunset"},
               "notes": ["C:\\Users\\ana\\beach-music.mp4", "\\\\server\\share\\clip.mp4", "a/b"]}  # fmt: skip
    shown = without_paths(written)
    assert shown == {"output": "beach-music.mp4", "statement": "Original music / royalty-free",
                     "soundfont": {"name": "mine.sf2", "bundled": False, "path": "mine.sf2"},
                     "spec": {"parts": [{"part": "bass"}], "title": "sunset"},
                     "notes": ["beach-music.mp4", "clip.mp4", "a/b"]}  # fmt: skip
