"""A batch's licence names its video where it is published: the render wrote it in the worker's scratch folder,
so its "output" named a path on the worker (a temporary folder that is then deleted) and its replay command the
scratch name, which is not the published one when the name was taken ("clip-music-1...")."""

from __future__ import annotations

import json
from pathlib import Path


def name_licence(licence: Path, output: str, licence_name: str) -> None:
    """Rewrite ``licence`` (JSON, as the export wrote it) to name ``output`` (a path or an object's URL) and
    itself as ``licence_name``; nothing else in it changes."""
    record = json.loads(licence.read_text(encoding="utf-8"))
    if not isinstance(record, dict):
        return
    record["output"] = output
    replay = record.get("replay")
    if isinstance(replay, str):
        record["replay"] = replay.replace(licence.name, licence_name)
    licence.write_text(json.dumps(record, indent=2), encoding="utf-8")
