"""bundle/server.json, the MCP Registry's entry: the same version, package and command as the package and the
bundle's manifest, and a name the README proves the PyPI package owns."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any

import build_bundle
from free_music_ai import __version__

ROOT = Path(__file__).resolve().parents[2]


def registry_entry() -> dict[str, Any]:
    entry: dict[str, Any] = json.loads((ROOT / "bundle" / "server.json").read_text(encoding="utf-8"))
    return entry


def test_the_registry_entry_names_this_version_of_the_pypi_package() -> None:
    entry = registry_entry()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    [package] = entry["packages"]
    assert entry["version"] == package["version"] == __version__
    assert package["registryType"] == "pypi" and package["identifier"] == project["name"]
    assert package["transport"] == {"type": "stdio"}
    # uvx runs the command named like the package, which must be the command line itself, serving with `mcp`
    assert package["runtimeHint"] == "uvx"
    assert project["scripts"][project["name"]] == project["scripts"]["free-music-ai"]
    command, folders = package["packageArguments"]
    assert command == {"type": "positional", "value": "mcp"}
    assert folders["isRepeated"] is True and folders["format"] == "filepath"


def test_the_registry_entry_agrees_with_the_bundle_and_the_readme(bundle_folder: Path) -> None:
    entry = registry_entry()
    manifest = json.loads((bundle_folder / "manifest.json").read_text(encoding="utf-8"))
    assert entry["title"] == manifest["display_name"] and entry["version"] == manifest["version"]
    assert str(entry["$schema"]).endswith("/2025-12-11/server.schema.json")
    name = str(entry["name"])
    assert re.fullmatch(r"io\.github\.[A-Za-z0-9-]+/[A-Za-z0-9._-]+", name)
    assert name.endswith("/" + build_bundle.BUNDLE_NAME)
    assert 0 < len(str(entry["description"])) <= 100
    # the registry checks that the PyPI package's description (the README) carries the same name
    assert f"mcp-name: {name}" in (ROOT / "README.md").read_text(encoding="utf-8")
