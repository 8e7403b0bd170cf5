"""The official MCPB CLI (npm's @anthropic-ai/mcpb), which CI must have and a developer's machine may lack."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

import build_bundle


def mcpb(*args: str) -> subprocess.CompletedProcess[str]:
    """The official CLI's answer (failures included). Without npx the test is skipped on a developer's machine
    and fails in CI (CI=true), where .ci/run installs Node.js."""
    if shutil.which("npx") is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("npx is missing in CI: .ci/run should have installed nodejs and npm")
        pytest.skip("npx (Node.js) is not installed, so the official MCPB CLI cannot check the bundle")
    try:
        return build_bundle.mcpb(*args)
    except subprocess.CalledProcessError as failed:
        return subprocess.CompletedProcess(failed.cmd, failed.returncode, failed.stdout, failed.stderr)
