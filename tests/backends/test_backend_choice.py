"""What chose the backend, and the advice that follows from it: a cloud error names what chose the cloud and
the way back to this machine that undoes exactly that."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcp import Client
from typer.testing import CliRunner

from free_music_ai.backends.choose import choose_backend
from free_music_ai.cli import app
from free_music_ai.config import Settings, load_settings
from free_music_ai.mcp_server.server import create_server

PROMPT = "generate a background music track that matches the mood of my video"
FAST = {"NEMO_RETRY_WAIT_S": "0.05", "NEMO_RECONNECT_WAIT_S": "0.01"}  # no wait is long when nothing answers


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})


def test_what_chose_the_cloud(settings: Settings) -> None:
    """Each way the cloud is chosen has its own way back to this machine."""
    assert choose_backend(settings, "nemo", {"NEMO_TOKEN": "x"}).way_back == "run with --backend local"
    assert choose_backend(settings, "local", {"NEMO_TOKEN": "x"}).name == "local"
    by_setting = choose_backend(settings.model_copy(update={"backend": "nemo"}), None, {})
    assert (by_setting.because, by_setting.way_back) == ("FMAI_BACKEND is nemo", "set FMAI_BACKEND=local")
    by_token = choose_backend(settings, None, {"NEMO_TOKEN": "x"})
    assert (
        by_token.name == "nemo" and by_token.because == "NEMO_TOKEN is set" and "unset NEMO_TOKEN," in by_token.to_local
    )
    assert choose_backend(settings, None, {"NEMO_API_URL": "http://x"}).way_back.startswith("unset NEMO_API_URL,")
    assert choose_backend(settings, None, {}).name == "local"


@pytest.fixture
def no_network(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cloud's address is a port nobody listens on (the connection is refused at once); nothing set chooses
    the cloud but what a test sets (NEMO_API_URL points there without choosing it when the flag or setting
    does)."""
    import socket

    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{probe_socket.getsockname()[1]}"
    for name, value in {"HOME": str(tmp_path), "NEMO_API_URL": nowhere, **FAST}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("NEMO_TOKEN", raising=False)
    monkeypatch.delenv("FMAI_BACKEND", raising=False)


@pytest.mark.usefixtures("no_network")
def test_no_network_advice_names_the_flag(clip_720: Path) -> None:
    """With --backend nemo and no network, the advice names the flag and its way back (it said "unset
    NEMO_TOKEN", which was not even set)."""
    flagged = CliRunner().invoke(app, ["render", str(clip_720), "-p", PROMPT, "--backend", "nemo"])
    said = " ".join(flagged.stderr.split())
    assert flagged.exit_code == 2 and "Cannot reach the NemoVideo service" in said, said
    assert "because you ran with --backend nemo" in said and "run with --backend local." in said
    assert "NEMO_TOKEN" not in said and "unset" not in said


@pytest.mark.anyio
@pytest.mark.usefixtures("no_network")
async def test_no_network_advice_names_the_setting(clip_720: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    """A host's server with FMAI_BACKEND=nemo: the advice names the setting, and no flag a host cannot pass."""
    monkeypatch.setenv("FMAI_BACKEND", "nemo")
    clip = tmp_path / "beach.mp4"
    clip.write_bytes(clip_720.read_bytes())
    server = create_server(load_settings({"data_dir": tmp_path / "data", "allowed_dirs": [tmp_path]}))
    async with Client(server) as client:
        refused = await client.call_tool("upload", {"paths": [str(clip)]})
    said = str(refused.content)
    assert refused.is_error and "because FMAI_BACKEND is nemo" in said and "set FMAI_BACKEND=local." in said
    assert "NEMO_TOKEN" not in said and "--backend" not in said
