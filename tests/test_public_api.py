"""The package's public names: each one resolves, and importing the package loads none of the heavy libraries."""

from __future__ import annotations

import subprocess
import sys

import free_music_ai


def test_every_public_name_resolves() -> None:
    for name in free_music_ai.__all__:
        assert getattr(free_music_ai, name) is not None, name


def test_compose_makes_music_exactly_as_long_as_asked() -> None:
    music = free_music_ai.compose(free_music_ai.MusicSpec(duration_s=3.5, genre=free_music_ai.Genre.PIANO, seed=2))
    assert music.audio.shape == (round(3.5 * music.rate), 2)


def test_importing_the_package_is_instant() -> None:
    code = "import sys, free_music_ai; print(sorted(m for m in ('numpy', 'av', 'mcp', 'pydantic') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
