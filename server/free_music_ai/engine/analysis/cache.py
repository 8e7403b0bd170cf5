"""Analyses kept by the content hash of the file, so asking again about the same file is instant."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from free_music_ai.engine.analysis.model import Analysis

log = logging.getLogger(__name__)
VERSION = "3"  # bump when the analysis changes, so old results are not reused (3: keyframes first; which
# reading a file gets depends on its content alone, see windowed.py, so one key never holds both readings)


WHOLE_UP_TO = 8 << 20  # smaller files are hashed whole
ENDS = 1 << 20  # bytes read at each end of a larger file: headers, index and the first and last pictures
SAMPLES = 32  # further pieces read evenly across it
SAMPLE = 64 << 10


def content_hash(path: Path) -> str:
    """A fingerprint of the file's content, the same for a renamed or copied file.

    A large file is fingerprinted by its size, both ends and pieces spread across it (like imohash), not
    read whole: hashing a 500 MB upload would hold its analysis up for most of a second, and a video that
    differs at all (another cut, another encode) differs at its ends and throughout.
    """
    digest = hashlib.blake2b(digest_size=20)
    size = path.stat().st_size
    with path.open("rb") as file:
        if size <= WHOLE_UP_TO:
            digest.update(file.read())
        else:
            digest.update(size.to_bytes(8, "little"))
            middle = size - 2 * ENDS - SAMPLE
            for offset in [0, *(ENDS + middle * k // (SAMPLES - 1) for k in range(SAMPLES)), size - ENDS]:
                file.seek(offset)
                digest.update(file.read(ENDS if offset in (0, size - ENDS) else SAMPLE))
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
