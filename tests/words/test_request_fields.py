"""One check for the values every door hands over (MCP tools and the CLI reach it through the engine, the page
before its stream starts): a field the project cannot hold is refused by name, with the values it takes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from free_music_ai.backends.local_engine import LocalEngine
from free_music_ai.config import load_settings
from free_music_ai.errors import InputError
from free_music_ai.words.plain_text import checked_text, checked_title
from free_music_ai.words.request_fields import checked_fields, options


@pytest.mark.parametrize(("fields", "named"), [
    ({"aspect": "7:3"}, "aspect"), ({"music_volume": float("nan")}, "music_volume"),
    ({"music_volume": float("-inf")}, "music_volume"), ({"seed": -1}, "seed"), ({"bpm": 1e9}, "bpm"),
    ({"fit": "stretch"}, "fit"), ({"title": "a\x07b"}, "title"), ({"mood": "calm\udfff"}, "mood"),
    ({"colour": "red"}, "colour"),
])  # fmt: skip
def test_a_bad_field_is_named(fields: dict[str, Any], named: str) -> None:
    with pytest.raises(InputError, match=named):
        checked_fields(fields)


def test_good_fields_pass_as_given() -> None:
    given = {"aspect": "9:16", "music_volume": 0.2, "seed": 0, "title": "Two\nlines", "genre": None}
    assert checked_fields(given).model_dump(exclude_none=True) == {
        "aspect": "9:16",
        "music_volume": 0.2,
        "seed": 0,
        "title": "Two\nlines",
    }


def test_text_rules() -> None:
    assert checked_text("calm\tpiano\n", "The message") == "calm\tpiano\n"
    assert checked_title("Line one\nline two") == "Line one\nline two"
    for bad in ("\ud800", "a\x1bb"):
        with pytest.raises(InputError, match="position"):
            checked_text(bad, "The message")
    with pytest.raises(InputError, match="control character"):
        checked_title("tab\there")


def test_the_engine_refuses_a_bad_field_and_stores_nothing(tmp_path: Path, image_png: Path) -> None:
    """The door MCP tools and the CLI use: the values are checked before the project changes."""
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    engine = LocalEngine(settings, settings.data_dir)
    try:
        session, _ = engine.upload(None, [image_png])
        before = engine.store.project(session)[0]
        for fields in ({"aspect": "7:3"}, {"music_volume": float("nan")}, {"seed": -5}):
            with pytest.raises(InputError, match=next(iter(fields))):
                engine.message(session, "calm", options=options(**fields))  # the engine takes only checked options
        assert engine.store.project(session)[0] == before
    finally:
        engine.close()


def test_every_door_gives_the_level_in_percent_and_the_backend_gets_a_fraction() -> None:
    assert options(music_volume_percent=35, seed=4).model_dump(exclude_none=True) == {"music_volume": 0.35, "seed": 4}
    for bad in (float("nan"), -5, 151, "loud", True):
        with pytest.raises(InputError, match="music_volume given cannot be used"):
            options(music_volume_percent=bad)
