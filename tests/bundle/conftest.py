"""What the bundle's tests share: this checkout's wheel and the bundle's folder, each made once per run (the wheel
once for all the run's workers: a build takes 4-9 s of a 2-core machine).

tools/ is put on the import path here, so the tests use the same build_bundle.py as `make bundle`."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import build_bundle  # noqa: E402


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built by the first worker that needs it into the run's shared folder (pytest-xdist's workers
    share the parent of their base temp folder), the others waiting on a lock and copying it."""
    mine = tmp_path_factory.mktemp("wheel")
    try:
        import fcntl
    except ImportError:  # Windows: each worker builds its own
        return build_bundle.build_wheel(mine)
    if not os.environ.get("PYTEST_XDIST_WORKER"):  # one process: its base temp's parent outlives the run
        return build_bundle.build_wheel(mine)
    shared = tmp_path_factory.getbasetemp().parent / "shared-wheel"  # this run's, beside each worker's own
    shared.mkdir(exist_ok=True)
    with (shared / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = sorted(shared.glob("*.whl"))
        wheel = built[0] if built else build_bundle.build_wheel(shared)
    return Path(shutil.copy2(wheel, mine / wheel.name))


@pytest.fixture(scope="session")
def bundle_folder(tmp_path_factory: pytest.TempPathFactory, wheel: Path) -> Path:
    return build_bundle.stage(tmp_path_factory.mktemp("bundle") / build_bundle.BUNDLE_NAME, wheel)
