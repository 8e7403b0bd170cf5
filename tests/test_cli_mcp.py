"""``free-music-ai mcp [FOLDER...]``: the folders given are the ones the tools may use (how an MCP Bundle's host
passes the folders its user chose), resolved where the server starts; without any, the setting stays."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from free_music_ai.cli import app
from free_music_ai.config import Settings
from free_music_ai.mcp_server import server as server_module
from free_music_ai.mcp_server import stdio_start


class _Started:
    """Stands in for the server: keeps the settings it was made with and how it was asked to run."""

    def __init__(self) -> None:
        self.settings: Settings | None = None
        self.transport: str | None = None

    def create(self, settings: Settings | None = None) -> Any:
        self.settings = settings
        return self

    def run(self, transport: str, **_: Any) -> None:
        self.transport = transport

    def serve_stdio(self, settings: Settings) -> None:  # stdio: the handshake is answered while the SDK loads
        self.settings, self.transport = settings, "stdio"


def test_the_folders_after_mcp_are_the_allowed_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started = _Started()
    monkeypatch.setattr(server_module, "create_server", started.create)
    monkeypatch.setattr(stdio_start, "serve_stdio", started.serve_stdio)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FMAI_ALLOWED_DIRS", "/somewhere/else")
    result = CliRunner().invoke(app, ["mcp", "videos", str(tmp_path / "more")])
    assert result.exit_code == 0, result.output
    assert started.transport == "stdio" and started.settings is not None
    assert started.settings.allowed_dirs == [tmp_path / "videos", tmp_path / "more"]  # they win over the setting
    result = CliRunner().invoke(app, ["mcp"])
    assert result.exit_code == 0, result.output
    assert started.settings.allowed_dirs == [Path("/somewhere/else")]
