"""The built wheel installed into a clean virtual environment, its ``free-music-ai mcp FOLDER`` driven over
stdio by the MCP SDK's client: the five tools listed, the credits answered, a file outside FOLDER refused.

Installing the dependencies into a new environment (by this environment's pip: the new one has none) takes about
10 s from pip's cache (longer when they are downloaded), so the environment is kept under build/, named by the
wheel's requirements and the Python that made it: a later run with the same requirements replaces only the package
itself (a few seconds). CI starts from a clean clone, so there the environment is always made from nothing. The
server gets 60 s to start and answer; pip gets 15 minutes.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from free_music_ai import __version__

ROOT = Path(__file__).resolve().parents[2]
PIP_SECONDS = 900
SERVER_SECONDS = 60
BIN = "Scripts" if os.name == "nt" else "bin"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def requirements_of(wheel: Path) -> str:
    """The wheel's declared requirements and this Python's version: what the environment's contents depend on."""
    with zipfile.ZipFile(wheel) as built:
        metadata = next(name for name in built.namelist() if name.endswith(".dist-info/METADATA"))
        lines = built.read(metadata).decode().splitlines()
    wanted = sorted(line for line in lines if line.startswith(("Requires-Dist:", "Requires-Python:")))
    return "\n".join([sys.version, *wanted])


def pip(python: Path, *args: str) -> None:
    """This environment's pip installing into the one of ``python`` (which has none of its own: making a venv with pip
    took 4 s of the test's setup, and nothing here needs pip inside it)."""
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check",
                           "install", "--quiet", *args],
                          capture_output=True, text=True, timeout=PIP_SECONDS)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="module")
def clean_venv(wheel: Path) -> Path:
    key = hashlib.sha256(requirements_of(wheel).encode()).hexdigest()[:16]
    venv = ROOT / "build" / f"clean-venv-{key}"
    ready = venv / ".installed"
    python = venv / BIN / "python"
    if ready.exists():
        pip(python, "--no-deps", "--force-reinstall", str(wheel))
    else:
        for old in (ROOT / "build").glob("clean-venv-*"):  # made for other requirements
            shutil.rmtree(old)
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
        # without bytecode for the hundreds of modules no test here imports: 11 s instead of 18 s on two cores
        # (the modules the commands below import are compiled as they load)
        pip(python, "--no-compile", str(wheel))
        ready.touch()
    return venv


def without_our_settings(**extra: str) -> dict[str, str]:
    """This process's environment less anything that would choose a backend, folders or a path to our code."""
    kept = {name: value for name, value in os.environ.items()
            if not name.startswith(("FMAI_", "NEMO_")) and name not in ("PYTHONPATH", "PYTHONHOME")}  # fmt: skip
    return {**kept, **extra}


def test_the_environment_runs_the_installed_package_under_both_names(clean_venv: Path, tmp_path: Path) -> None:
    env = without_our_settings()
    ask = "import free_music_ai; print(free_music_ai.__file__)"
    where = subprocess.run([str(clean_venv / BIN / "python"), "-c", ask], capture_output=True, text=True,
                           cwd=tmp_path, env=env, timeout=60, check=True)  # fmt: skip
    assert Path(where.stdout.strip()).is_relative_to(clean_venv)
    consistent = subprocess.run([sys.executable, "-m", "pip", "--python", str(clean_venv / BIN / "python"), "check"],
                                capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert consistent.returncode == 0, consistent.stdout  # every requirement of every package is installed
    # the second name is the command `uvx free-music-ai-generator` runs
    for command in ("free-music-ai", "free-music-ai-generator"):
        version = subprocess.run([str(clean_venv / BIN / command), "--version"], capture_output=True, text=True,
                                 cwd=tmp_path, env=env, timeout=60)  # fmt: skip
        assert version.returncode == 0 and version.stdout.strip() == f"free-music-ai {__version__}", version.stderr


@pytest.mark.anyio
async def test_the_installed_server_lists_its_tools_and_keeps_to_the_folder_it_was_given(
    clean_venv: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "videos"
    folder.mkdir()
    elsewhere = tmp_path / "elsewhere.mp4"
    elsewhere.write_bytes(b"not inside the folder")
    env = without_our_settings(FMAI_DATA_DIR=str(tmp_path / "data"), FMAI_CACHE_DIR=str(tmp_path / "cache"))
    params = StdioServerParameters(command=str(clean_venv / BIN / "free-music-ai"), args=["mcp", str(folder)],
                                   env=env, cwd=tmp_path)  # fmt: skip
    with anyio.fail_after(SERVER_SECONDS):
        async with Client(params) as client:
            names = [tool.name for tool in (await client.list_tools()).tools]
            credits = await client.call_tool("credits", {})
            refused = await client.call_tool("upload", {"paths": [str(elsewhere)]})
    assert names == ["upload", "generate", "state", "credits", "export"]
    assert not credits.is_error and "free" in str(credits.content)
    said = str(refused.content)
    assert refused.is_error and "outside the folders" in said and str(folder) in said
    assert "the extension's settings" in said  # where a bundle's user adds a folder
