"""What the local engine's tests share: settings in a test's own folders, and a clip of three 1080p scenes."""

from __future__ import annotations

from pathlib import Path

import pytest

from free_music_ai.config import Settings, load_settings
from free_music_ai.engine import sample_media


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache", "output_dir": tmp_path})


@pytest.fixture(scope="module")
def scenes_1080(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_media.make_scenes(tmp_path_factory.mktemp("clips") / "scenes.mp4",
                                    ["0x1d3557", "0xe63946", "0xf1faee"],
                                    scene_s=2.0, width=1920, height=1080)  # fmt: skip
