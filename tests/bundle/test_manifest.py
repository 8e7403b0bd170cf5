"""The MCP Bundle (tools/build_bundle.py): its manifest says what the server is, the official CLI accepts it, and
the packed .mcpb holds the wheel and the few files around it, nothing else (no tests, no media, no .venv)."""

from __future__ import annotations

import json
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client

import build_bundle
from free_music_ai import __version__
from free_music_ai.config import load_settings
from free_music_ai.mcp_server.server import create_server
from tests.bundle.official_cli import mcpb

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = "${user_config." + build_bundle.FOLDERS_KEY + "}"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def read_manifest(folder: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return manifest


@pytest.mark.anyio
async def test_the_manifest_lists_the_tools_a_host_sees_and_the_packages_version(
    bundle_folder: Path, tmp_path: Path
) -> None:
    settings = load_settings({"backend": "local", "data_dir": tmp_path, "cache_dir": tmp_path}, environ={})
    with anyio.fail_after(30):
        async with Client(create_server(settings)) as client:
            seen = [{"name": tool.name, "description": tool.description} for tool in (await client.list_tools()).tools]
    manifest = read_manifest(bundle_folder)
    assert manifest["tools"] == seen
    assert [tool["name"] for tool in seen] == ["upload", "generate", "state", "credits", "export"]
    assert manifest["version"] == __version__ and f"-{__version__}-" in next((bundle_folder / "wheels").iterdir()).name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert manifest["compatibility"] == {"platforms": ["darwin", "win32", "linux"],
                                         "runtimes": {"python": project["requires-python"]}}  # fmt: skip
    assert (bundle_folder / str(manifest["icon"])).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")


def test_the_folders_the_user_chooses_reach_the_server_one_argument_each(bundle_folder: Path) -> None:
    manifest = read_manifest(bundle_folder)
    folders = manifest["user_config"][build_bundle.FOLDERS_KEY]
    assert folders["type"] == "directory" and folders["multiple"] is True and folders["required"] is True
    server = manifest["server"]
    assert server["type"] == "uv"
    args = server["mcp_config"]["args"]
    # a host expands a list of folders only where it is a whole argument; the entry point runs `mcp FOLDER...`
    assert args == ["run", "--directory", "${__dirname}", build_bundle.ENTRY_POINT, FOLDERS]
    assert '["mcp"]' in (bundle_folder / build_bundle.ENTRY_POINT).read_text(encoding="utf-8")
    # the uv type installs from pyproject.toml and must not carry installed packages of its own
    environment = tomllib.loads((bundle_folder / "pyproject.toml").read_text(encoding="utf-8"))
    source = environment["tool"]["uv"]["sources"]["free-music-ai-generator"]["path"]
    assert (bundle_folder / source).is_file()
    assert environment["project"]["dependencies"] == [f"free-music-ai-generator=={__version__}"]
    assert not (bundle_folder / "server" / "lib").exists() and not (bundle_folder / "server" / "venv").exists()


def test_the_official_cli_accepts_the_manifest_and_refuses_a_broken_one(bundle_folder: Path, tmp_path: Path) -> None:
    accepted = mcpb("validate", str(bundle_folder / "manifest.json"))
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    broken = read_manifest(bundle_folder)
    broken["server"] = {**broken["server"], "type": "rust"}
    (tmp_path / "manifest.json").write_text(json.dumps(broken), encoding="utf-8")
    refused = mcpb("validate", str(tmp_path / "manifest.json"))
    assert refused.returncode != 0 and "server.type" in refused.stdout


def test_the_packed_bundle_holds_the_wheel_and_its_launcher_only(
    bundle_folder: Path, wheel: Path, tmp_path: Path
) -> None:
    out = tmp_path / "free-music-ai.mcpb"
    packed = mcpb("pack", str(bundle_folder), str(out))
    assert packed.returncode == 0, packed.stdout + packed.stderr
    with zipfile.ZipFile(out) as bundle:
        names = set(bundle.namelist())
    assert names == {"manifest.json", "icon.png", "pyproject.toml", build_bundle.ENTRY_POINT, f"wheels/{wheel.name}"}
    with zipfile.ZipFile(wheel) as built:
        inside = built.namelist()
    dist_info = f"free_music_ai_generator-{__version__}.dist-info/"
    assert all(name.startswith(("free_music_ai/", dist_info)) for name in inside)
    assert not [name for name in inside if "__pycache__" in name or name.endswith((".pyc", ".mp4", ".wav", ".mov"))]
    assert out.stat().st_size <= wheel.stat().st_size + 1_000_000  # the wheel (its SoundFonts) is the bundle
