"""What the bundle's tests share: this checkout's wheel and the bundle's folder, each made once per run.

tools/ is put on the import path here, so the tests use the same build_bundle.py as `make bundle`."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_bundle  # noqa: E402


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_bundle.build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def bundle_folder(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    return build_bundle.stage(tmp_path_factory.mktemp("bundle") / build_bundle.BUNDLE_NAME, wheel)
