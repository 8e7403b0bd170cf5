"""Analyses kept by the content hash of the file, so asking again about the same file is instant."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from free_music_ai.engine.analysis.model import Analysis

log = logging.getLogger(__name__)
VERSION = "1"  # bump when the analysis changes, so old results are not reused


def content_hash(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=20)
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class AnalysisCache:
    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def _path(self, key: str) -> Path | None:
        return None if self.folder is None else self.folder / f"analysis-v{VERSION}-{key}.json"

    def get(self, key: str) -> Analysis | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            return Analysis.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            log.info("ignoring an unreadable cached analysis %s: %s", path, exc)
            return None

    def put(self, key: str, analysis: Analysis) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_name(f".{path.name}.{os.getpid()}")
            temp.write_text(json.dumps(analysis.model_dump(mode="json")), encoding="utf-8")
            temp.replace(path)  # atomic: a reader never sees half a file
        except OSError as exc:
            log.info("could not cache the analysis in %s: %s", path, exc)
