"""The page's server-sent events, as a test reads them from a response's text."""

from __future__ import annotations

import json
from typing import Any


def events(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Each event's name and its JSON data, in order."""
    found = []
    for block in text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        found.append((lines.get("event", ""), json.loads(lines.get("data", "{}"))))
    return found
