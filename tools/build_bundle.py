"""Build the MCP Bundle (``dist/free-music-ai.mcpb``) that installs the server into Claude Desktop in one click.

The bundle is the MCPB spec's ``uv`` type (manifest 0.4): it carries this package's wheel and a small
pyproject.toml that names it; the host installs both with uv (its dependencies from PyPI, for the user's own
platform) and starts ``server/main.py`` with the folders the user chose. The ``python`` type would have to
carry every dependency, compiled for each platform, inside the zip; ``uv`` keeps one bundle for all.

What the manifest says is read from the code, never written twice: the version from the package, the Python
it needs from pyproject.toml, the tools (names and descriptions) from the server's own list, on this machine's
backend. The official CLI (npm's ``@anthropic-ai/mcpb``) validates the manifest and packs the zip.

Usage: python tools/build_bundle.py [--out dist/free-music-ai.mcpb] [--work build/bundle]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the manifest describes the checkout being bundled, not whichever copy of the package is installed
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "tools"))

from draw_icon import write_icon  # noqa: E402

MCPB_CLI = "@anthropic-ai/mcpb@2.1.2"  # pinned: a new CLI may judge the same manifest differently
BUNDLE_NAME = "free-music-ai"
MANIFEST_VERSION = "0.4"  # the first with the uv server type
FOLDERS_KEY = "allowed_folders"
ENTRY_POINT = "server/main.py"
MCPB_SECONDS = 300.0  # the first npx run downloads the CLI

Json = dict[str, object]


class McpbUnavailable(RuntimeError):
    """npx (Node.js) is not installed, so the official MCPB CLI cannot run."""


def pyproject() -> Json:
    project: Json = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project


def package_version() -> str:
    from free_music_ai import __version__

    return __version__


def build_wheel(out_dir: Path) -> Path:
    """This checkout's wheel (pip builds it with the pyproject's backend), in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    name = str(pyproject()["name"]).replace("-", "_")
    for old in out_dir.glob(f"{name}-*.whl"):
        old.unlink()
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(out_dir),
                    str(ROOT)], check=True, stdout=subprocess.DEVNULL, timeout=600)  # fmt: skip
    return out_dir / f"{name}-{package_version()}-py3-none-any.whl"


def listed_tools() -> list[dict[str, str]]:
    """The tools' names and descriptions as the server lists them on this machine's (local) backend."""
    import anyio

    from free_music_ai.config import load_settings
    from free_music_ai.mcp_server.server import create_server

    with tempfile.TemporaryDirectory(prefix="fmai-bundle-") as scratch:
        settings = load_settings({"backend": "local", "data_dir": Path(scratch), "cache_dir": Path(scratch)},
                                 environ={})  # fmt: skip
        tools = anyio.run(create_server(settings).list_tools)
    return [{"name": tool.name, "description": tool.description or ""} for tool in tools]


def manifest(version: str, tools: list[dict[str, str]]) -> Json:
    project = pyproject()
    authors = project.get("authors")
    author = authors[0] if isinstance(authors, list) and authors else {"name": str(project["name"])}
    return {
        "manifest_version": MANIFEST_VERSION,
        "name": BUNDLE_NAME,
        "display_name": "Free Music AI Generator",
        "version": version,
        "description": project["description"],
        "long_description": (
            'Give Claude a video (or some images) and a plain request such as "generate a background music '
            'track that matches the mood of my video", and get back a ready-to-post 1080p MP4 with original, '
            "royalty-free music that follows the video's mood, length and cuts. Everything runs on your own "
            "machine: no account, no credits, no upload.\n\nThe tools read and write only inside the folders "
            "you choose here. The first start installs the engine's libraries once (about 130 MB to download)."
        ),
        "author": author,
        "icon": "icon.png",
        "server": {
            "type": "uv",
            "entry_point": ENTRY_POINT,
            # with the uv type the host runs its own uv with these arguments; the chosen folders follow, one
            # argument each (a list in an environment variable would not be expanded)
            "mcp_config": {
                "command": "uv",
                "args": ["run", "--directory", "${__dirname}", ENTRY_POINT, "${user_config." + FOLDERS_KEY + "}"],
            },
        },
        "tools": tools,
        "tools_generated": False,
        "prompts_generated": False,
        "keywords": project.get("keywords", []),
        "license": project["license"],
        "compatibility": {
            "platforms": ["darwin", "win32", "linux"],
            "runtimes": {"python": project["requires-python"]},
        },
        "user_config": {
            FOLDERS_KEY: {
                "type": "directory",
                "title": "Folders with your videos",
                "description": "The tools read videos and pictures from these folders and write the finished "
                "videos into them; nothing outside them is touched.",
                "multiple": True,
                "required": True,
                "default": ["${DESKTOP}", "${DOCUMENTS}"],
            }
        },
    }


def bundle_pyproject(version: str, wheel: Path) -> str:
    """What the host's uv installs: this version of the package, from the wheel inside the bundle."""
    project = pyproject()
    return (
        "# The MCP Bundle's environment: uv installs the wheel beside this file and its dependencies from PyPI.\n"
        "[project]\n"
        f'name = "{BUNDLE_NAME}-bundle"\n'
        f'version = "{version}"\n'
        f'requires-python = "{project["requires-python"]}"\n'
        f'dependencies = ["{project["name"]}=={version}"]\n\n'
        "[tool.uv]\n"
        "package = false  # nothing here to build: the bundle only installs the wheel\n\n"
        "[tool.uv.sources]\n"
        f'{project["name"]} = {{ path = "wheels/{wheel.name}" }}\n'
    )


def stage(work: Path, wheel: Path) -> Path:
    """The bundle's folder: exactly the files the zip holds (nothing else is copied in)."""
    if work.exists():
        shutil.rmtree(work)
    (work / "wheels").mkdir(parents=True)
    (work / "server").mkdir()
    version = package_version()
    shutil.copy2(wheel, work / "wheels" / wheel.name)
    shutil.copy2(ROOT / "bundle" / ENTRY_POINT, work / ENTRY_POINT)
    write_icon(work / "icon.png")
    (work / "pyproject.toml").write_text(bundle_pyproject(version, wheel), encoding="utf-8")
    text = json.dumps(manifest(version, listed_tools()), indent=2, ensure_ascii=False) + "\n"
    (work / "manifest.json").write_text(text, encoding="utf-8")
    return work


def mcpb(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the official MCPB CLI through npx; its output is returned, a failure raises with it."""
    npx = shutil.which("npx")
    if npx is None:
        raise McpbUnavailable("npx is not installed: install Node.js (Debian: apt install nodejs npm)")
    done = subprocess.run([npx, "--yes", MCPB_CLI, *args], capture_output=True, text=True, timeout=MCPB_SECONDS,
                          stdin=subprocess.DEVNULL)  # fmt: skip
    if done.returncode != 0:
        raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
    return done


def build_bundle(out: Path, work: Path) -> Path:
    """Wheel, folder, validation and zip: the .mcpb at ``out``."""
    wheel = build_wheel(work.parent / "wheel")
    folder = stage(work, wheel)
    mcpb("validate", str(folder / "manifest.json"))
    out.parent.mkdir(parents=True, exist_ok=True)
    mcpb("pack", str(folder), str(out))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / f"{BUNDLE_NAME}.mcpb")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bundle")
    args = parser.parse_args()
    try:
        bundle = build_bundle(args.out, args.work)
    except McpbUnavailable as exc:
        sys.exit(f"cannot build the bundle: {exc}")
    except subprocess.CalledProcessError as exc:
        sys.exit(f"cannot build the bundle: {' '.join(map(str, exc.cmd))} failed:\n{exc.stdout}{exc.stderr}")
    print(f"{bundle} ({bundle.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
