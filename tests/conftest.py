"""Shared fixtures: media generated once per run with the bundled ffmpeg, and a guard against logged errors."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from free_music_ai.engine import sample_media

SHARED_MEDIA = Path(__file__).resolve().parents[2] / "shared" / "media"


@pytest.fixture(scope="session", autouse=True)
def _private_folders(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Sessions, uploads, music, analysis caches and the local signing certificate go to temporary folders,
    never the user's own."""
    saved = {name: os.environ.get(name)
             for name in ("FMAI_DATA_DIR", "FMAI_CACHE_DIR", "FMAI_CREDENTIALS_DIR", "FMAI_X264_PRESET")}  # fmt: skip
    os.environ["FMAI_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    os.environ["FMAI_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["FMAI_CREDENTIALS_DIR"] = str(tmp_path_factory.mktemp("credentials"))
    # The tests check what an encoded file is (H.264 High, yuv420p, its size, length and frames), not how hard x264
    # searched: superfast keeps every such property, and took the render-heavy files (render, local engine and
    # backend, the app) from 166 s to 138 s on two cores (302 s to 247 s of CPU), which keeps the suite inside CI's
    # ten minutes. The product's own preset (veryfast) is asserted in test_config and rendered in test_render.
    os.environ.setdefault("FMAI_X264_PRESET", "superfast")
    yield
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def clip_720(media_dir: Path) -> Path:
    """6 s 1280x720 30 fps H.264 with a 440 Hz AAC tone."""
    return sample_media.make_video(media_dir / "clip720.mp4", duration_s=6, width=1280, height=720)


@pytest.fixture(scope="session")
def clip_1080(media_dir: Path) -> Path:
    """5 s 1920x1080 30 fps H.264 yuv420p with sound: fits the 16:9 canvas, so its picture can be copied."""
    return sample_media.make_video(media_dir / "clip1080.mp4", duration_s=5, width=1920, height=1080)


@pytest.fixture(scope="session")
def silent_clip(media_dir: Path) -> Path:
    return sample_media.make_video(media_dir / "silent.mp4", duration_s=4, width=640, height=360, audio=False)


@pytest.fixture(scope="session")
def music_wav(media_dir: Path) -> Path:
    return sample_media.make_tone(media_dir / "music.wav", duration_s=20, tone_hz=220)


@pytest.fixture(scope="session")
def image_png(media_dir: Path) -> Path:
    return sample_media.make_image(media_dir / "landscape.png", width=1200, height=800)


@pytest.fixture(scope="session")
def image_jpg(media_dir: Path) -> Path:
    return sample_media.make_image(media_dir / "portrait.jpg", width=600, height=900, color="orange")


@pytest.fixture
def shared_media() -> Path:
    if not SHARED_MEDIA.is_dir():
        pytest.skip("../shared/media is not beside this checkout")
    return SHARED_MEDIA


@pytest.fixture(autouse=True)
def _no_logged_errors(caplog: pytest.LogCaptureFixture, request: pytest.FixtureRequest) -> Iterator[None]:
    """A test fails if our code logs an error it did not expect (an error path must be asserted explicitly)."""
    yield
    if request.node.get_closest_marker("expect_error_log"):
        return
    errors = [r for r in caplog.get_records("call") if r.levelno >= logging.ERROR and r.name.startswith("free_music")]
    assert not errors, f"unexpected error logs: {[r.getMessage()[:200] for r in errors]}"


# The fast tier (`make check-fast`, `pytest -m "not slow"`) is every test that encodes no media: a test is slow when
# it asks for a clip made with ffmpeg, or when its file drives a whole door end to end (a browser, the CLI or the
# MCP server in processes, a batch, a real disk) - or when it says so itself with @pytest.mark.slow.
_ENCODED_MEDIA = frozenset({"clip_720", "clip_1080", "silent_clip", "music_wav", "image_png", "image_jpg",
                            "shared_media", "media_dir"})  # fmt: skip
_END_TO_END_FILES = ("tests/web/", "tests/batch/", "tests/test_app.py", "tests/test_mcp_conversation.py",
                     "tests/test_cli", "tests/test_interruption.py", "tests/test_launch.py", "tests/test_full_disk.py",
                     "tests/engine/render/", "tests/backends/test_local_engine.py",
                     "tests/backends/test_conversation.py", "tests/backends/test_export_peak.py",
                     "tests/engine/soundfont/test_against_fluidsynth.py", "tests/bundle/")  # fmt: skip


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    root = Path(str(config.rootpath))
    for item in items:
        where = Path(str(item.path)).relative_to(root).as_posix()
        if _ENCODED_MEDIA & set(getattr(item, "fixturenames", ())) or where.startswith(_END_TO_END_FILES):
            item.add_marker(pytest.mark.slow)
