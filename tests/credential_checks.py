"""An independent reader of Content Credentials for the tests: c2pa-python's Reader in a separate, isolated
Python process that imports nothing of this program, as a platform or c2patool would read the file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

READER = """
import json, sys
import c2pa
try:
    reader = c2pa.Reader(sys.argv[1])
except c2pa.C2paError as exc:
    print(json.dumps({"found": False, "error": str(exc)}))
    raise SystemExit(0)
report = json.loads(reader.json())
active = report["manifests"][report["active_manifest"]]
results = (report.get("validation_results") or {}).get("activeManifest") or {}
actions = [a for s in active["assertions"] if s["label"].startswith("c2pa.actions") for a in s["data"]["actions"]]
print(json.dumps({"found": True, "state": report.get("validation_state"),
                  "failures": [f["code"] for f in results.get("failure", [])],
                  "actions": actions, "labels": [s["label"] for s in active["assertions"]],
                  "data": {s["label"]: s["data"] for s in active["assertions"]},
                  "ingredients": active.get("ingredients", []), "signer": active.get("signature_info", {})}))
"""

ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"


def read_credentials(path: Path) -> dict[str, Any]:
    """What an outside reader finds in ``path``: {"found": False} when it carries no manifest."""
    done = subprocess.run([sys.executable, "-I", "-c", READER, str(path)], capture_output=True, text=True,
                          timeout=60, check=True)  # fmt: skip
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def assert_generated_music(path: Path) -> dict[str, Any]:
    """A valid manifest (its signer untrusted: self-issued) saying the music was made by an algorithm; our
    assertion, returned."""
    found = read_credentials(path)
    assert found["found"], found
    assert found["state"] == "Valid" and found["failures"] == ["signingCredential.untrusted"], found
    created = [a for a in found["actions"] if a["action"] == "c2pa.created"]
    assert created and created[0]["digitalSourceType"] == ALGORITHMIC_MEDIA, found["actions"]
    music: dict[str, Any] = found["data"]["org.free-music-ai.music"]
    assert (
        music["music_source"] == "generated" and len(music["pcm_sha256"]) == 64 and "royalty-free" in music["statement"]
    )
    return music
