"""The canvas names and the fits are written once (engine/canvas_choices.py), and every door offers and refuses by
that one list: the MCP schema a host reads, the command line's help and errors, the page's API, the words."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from mcp import Client
from starlette.testclient import TestClient
from typer.testing import CliRunner

from free_music_ai.cli import app
from free_music_ai.config import load_settings
from free_music_ai.engine.canvas_choices import PRESETS, Aspect, Fit
from free_music_ai.errors import InputError
from free_music_ai.mcp_server.server import create_server
from free_music_ai.web.app import create_app
from free_music_ai.words.message import interpret
from free_music_ai.words.request_fields import checked_fields

ASPECT_NAMES = ["auto", "16:9", "9:16", "1:1", "4:5", "source"]  # as stored projects and every host hold them


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def test_the_values_are_the_strings_always_stored() -> None:
    assert [aspect.value for aspect in Aspect] == ASPECT_NAMES
    assert [fit.value for fit in Fit] == ["blur", "letterbox", "crop"]
    assert json.dumps({"aspect": Aspect.TALL, "fit": Fit.CROP}) == '{"aspect": "9:16", "fit": "crop"}'


@pytest.mark.anyio
async def test_a_host_sees_the_aspects_as_an_enum(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache",
                              "allowed_dirs": [tmp_path]})  # fmt: skip
    async with Client(create_server(settings)) as client:
        export = next(tool for tool in (await client.list_tools()).tools if tool.name == "export")
        wide = await client.call_tool("export", {"session_id": "s", "aspect": "21:9"})
    schema: dict[str, Any] = export.input_schema
    option = next(o for o in schema["properties"]["aspect"]["anyOf"] if o.get("type") != "null")
    field = schema["$defs"][option["$ref"].removeprefix("#/$defs/")] if "$ref" in option else option
    assert field["enum"] == ASPECT_NAMES
    said = " ".join(getattr(item, "text", "") for item in wide.content)
    assert wide.is_error and f"one of: {', '.join(ASPECT_NAMES)}" in said


def test_the_command_line_lists_and_refuses_by_the_same_names(tmp_path: Path, clip_720: Path) -> None:
    runner = CliRunner()
    shown = " ".join(runner.invoke(app, ["render", "--help"]).stdout.replace("│", " ").split())  # out of its box
    assert f"Canvas: {', '.join(ASPECT_NAMES)}." in shown and "fits: blur, letterbox, crop." in shown
    bad_fit = runner.invoke(app, ["render", str(clip_720), "--fit", "stretch", "-o", str(tmp_path / "x.mp4")])
    assert bad_fit.exit_code == 2 and "--fit 'stretch' is not one of: blur, letterbox, crop." in bad_fit.stderr
    out = tmp_path / "batch"
    # a batch has no one source shape to follow: every name but "source"
    source = runner.invoke(app, ["batch", str(clip_720), "-p", "calm", "-o", str(out), "--aspect", "source"])
    assert source.exit_code == 2 and "Use one of: auto, 16:9, 9:16, 1:1, 4:5." in source.stderr
    assert list(tmp_path.iterdir()) == []  # nothing rendered, no folder made


def test_the_page_offers_the_presets_and_refuses_others(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    with TestClient(create_app(settings, hosts={"testserver"}), headers={"origin": "http://testserver"}) as client:
        offered = client.get("/api/info").json()["aspects"]
        refused = client.post("/api/sessions/none/exports", content=json.dumps({"aspect": "source"}),
                              headers={"content-type": "application/json"})  # fmt: skip
    assert offered == ["16:9", "9:16", "1:1", "4:5"] == [str(aspect) for aspect in PRESETS]
    assert refused.status_code == 400 and "Use one of: 16:9, 9:16, 1:1, 4:5." in refused.json()["error"]


def test_words_and_fields_give_the_typed_names() -> None:
    for said, aspect in (("make it for TikTok", Aspect.TALL), ("square please", Aspect.SQUARE),
                         ("4:5 for the feed", Aspect.PORTRAIT), ("for youtube", Aspect.WIDE)):  # fmt: skip
        asked = interpret(said).aspect
        assert asked is aspect, said
    fields = checked_fields({"aspect": "9:16", "fit": "letterbox"})
    assert fields.aspect is Aspect.TALL and fields.fit is Fit.LETTERBOX
    with pytest.raises(InputError, match=r"give one of auto, 16:9, 9:16, 1:1, 4:5, source\."):
        checked_fields({"aspect": "7:3"})
