from __future__ import annotations

from pathlib import Path

import pytest

from free_music_ai.engine.render.output_path import (
    check_output_location,
    free_name,
    partials_starting,
    publish,
    temporary_sibling,
)
from free_music_ai.errors import InputError


def test_publish_never_replaces(tmp_path: Path) -> None:
    requested = tmp_path / "video.mp4"
    requested.write_bytes(b"old")
    temp = temporary_sibling(requested)
    temp.write_bytes(b"new")
    final = publish(temp, requested)
    assert final == tmp_path / "video-1.mp4"
    assert requested.read_bytes() == b"old" and final.read_bytes() == b"new"
    assert not temp.exists()


def test_a_video_takes_only_a_name_free_for_its_licence_too(tmp_path: Path) -> None:
    """A licence kept after its video was deleted: the next video never takes that name (its licence would have
    become ...license-1.json beside it, issue 29)."""
    requested = tmp_path / "video.mp4"
    (tmp_path / "video.license.json").write_text("{}")
    (tmp_path / "video-1.mp4").write_bytes(b"other")
    temp = temporary_sibling(requested)
    temp.write_bytes(b"new")
    final = publish(temp, requested, companions=(".license.json",))
    assert final == tmp_path / "video-2.mp4" and final.read_bytes() == b"new"
    assert free_name(requested, (".license.json",)) == tmp_path / "video-3.mp4"
    assert free_name(requested) == requested  # alone, the free name is the requested one
    exact = temporary_sibling(tmp_path / "video.license.json")
    exact.write_text("{}")
    with pytest.raises(FileExistsError):
        publish(exact, tmp_path / "video.license.json", exact=True)
    assert exact.exists()  # left to its writer, which discards it


def test_temporary_name_is_hidden_and_beside(tmp_path: Path) -> None:
    temp = temporary_sibling(tmp_path / "a.mp4")
    assert temp.parent == tmp_path and temp.name.startswith(".a.partial-") and temp.suffix == ".mp4"


def test_output_location_checks(tmp_path: Path) -> None:
    assert check_output_location(tmp_path / "clip").name == "clip.mp4"
    assert check_output_location(tmp_path / "clip.mov").name == "clip.mp4"
    with pytest.raises(InputError, match="is a folder"):
        (tmp_path / "dir.mp4").mkdir()
        check_output_location(tmp_path / "dir.mp4")
    with pytest.raises(InputError, match="does not exist"):
        check_output_location(tmp_path / "missing" / "x.mp4")


def test_the_partials_of_a_name_are_found_and_no_others(tmp_path: Path) -> None:
    ours = [temporary_sibling(tmp_path / "clip-music.mp4"), temporary_sibling(tmp_path / "clip-music.license.json")]
    others = [temporary_sibling(tmp_path / "other-music.mp4"), tmp_path / "clip-music.mp4", tmp_path / ".clip-music"]
    for path in ours + others:
        path.write_bytes(b"x")
    assert sorted(partials_starting(tmp_path, "clip-music")) == sorted(ours)
    # a name is matched as written, never as a pattern: brackets and stars stay literal
    odd = temporary_sibling(tmp_path / "c[l]ip*-music.mp4")
    odd.write_bytes(b"x")
    assert partials_starting(tmp_path, "c[l]ip*-music") == [odd]
    assert partials_starting(tmp_path, "c?ip") == []  # as a pattern it would match clip-music
