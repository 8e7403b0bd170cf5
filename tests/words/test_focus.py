"""Which upload a message means, in the words users and hosts send."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from free_music_ai.words.focus import pick


@dataclass(frozen=True)
class Upload:
    id: str
    name: str


UPLOADS = [Upload("a", "beach.mp4"), Upload("b", "city-night.mov"), Upload("c", "IMG_2041.JPG")]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("calm music for beach.mp4", ["a"]),
        ("now city-night: upbeat", ["b"]),
        ("the photo img_2041 needs piano", ["c"]),
        ("video 2 please", ["b"]),
        ("work on clip #3", ["c"]),
        ("the second clip, lo-fi", ["b"]),
        ("the last one", ["c"]),
        ("第二个视频配乐", ["b"]),
        ("最后一个", ["c"]),
        ("next video", ["b"]),
        ("下一个", ["b"]),
        ("all the videos together", ["a", "b", "c"]),
        ("join them into one", ["a", "b", "c"]),
        ("把全部合在一起", ["a", "b", "c"]),
        ("generate a background music track that matches the mood of my video", None),
        ("title for the first 3 seconds", None),
        ('add title "beach" for 3 seconds', None),  # the quoted words are the title, not a file
        ("video 7", None),  # there is no seventh
        ("back to beach", ["a"]),
        ("beach: calm piano", ["a"]),
        ("the beach clip, lo-fi", ["a"]),
        ("a hit when the waves reach the beach at 0:07", None),  # an everyday word, not pointing at an upload
    ],
)
def test_pick(message: str, expected: list[str] | None) -> None:
    assert pick(message, UPLOADS, ["a"]) == expected


def test_one_upload_has_nothing_to_pick() -> None:
    assert pick("video 1", UPLOADS[:1], ["a"]) is None


def test_next_wraps_around() -> None:
    assert pick("next clip", UPLOADS, ["c"]) == ["a"]
