"""The cluster extra (Dask, and s3fs for object storage) runs on the user's machines too: nothing it brings may
carry a copyleft or non-commercial licence either. Its requirements are read from pyproject.toml (what the next
install will bring), then every dependency's own metadata, as the runtime's licence test does."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.test_licences import FORBIDDEN, licence_words, runtime_closure

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def test_the_cluster_extra_brings_nothing_copyleft_or_non_commercial() -> None:
    pytest.importorskip("s3fs", reason="the cluster extra is not installed")
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    closure = {}
    for line in extras["cluster"]:
        closure |= runtime_closure(Requirement(line).name)
    assert {"distributed", "s3fs", "aiobotocore", "botocore", "fsspec"} <= closure.keys()  # the walk reached them
    offenders = {name: licence_words(dist) for name, dist in closure.items() if FORBIDDEN.search(licence_words(dist))}
    assert offenders == {}
