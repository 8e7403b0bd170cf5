"""Names of our own for files that arrive as data or links: plain, short, and never a path.

A name comes from outside (a host, a web server) and may hold anything: NUL bytes, slashes, 300 characters,
right-to-left marks. What reaches the file system keeps only its letters, digits, dots, dashes and spaces,
a bounded length (the longest name most file systems take is 255 bytes, and a temporary name adds to it),
and an extension of a few letters.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

STEM_BYTES = 120  # in UTF-8: leaves room for "-9999", a temporary prefix and the extension within 255 bytes
_SUFFIX = re.compile(r"\.[a-z0-9]{1,5}")


def plain_name(raw: str, default_stem: str = "upload", default_suffix: str = "") -> str:
    """``raw`` (a name or the last part of a path or link) made safe to create in a folder of ours."""
    base = PurePosixPath(raw.replace("\\", "/").replace("\x00", "")).name
    path = PurePosixPath(base)
    suffix = path.suffix.lower() if _SUFFIX.fullmatch(path.suffix.lower()) else default_suffix
    stem = path.stem if suffix == path.suffix.lower() else base
    kept = "".join(c if (c.isalnum() or c in " .-_") and unicodedata.category(c)[0] != "C" else "_" for c in stem)
    kept = re.sub(r"_+", "_", kept).strip(" ._") or default_stem
    encoded = kept.encode("utf-8")[:STEM_BYTES]
    return encoded.decode("utf-8", errors="ignore").rstrip(" .") + suffix
