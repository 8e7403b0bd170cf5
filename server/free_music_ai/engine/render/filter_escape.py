"""Quoting for ffmpeg filtergraphs, so file paths (Windows drives, quotes, commas) are taken literally.

A value passes two parsers: the filter's option parser (``:`` separates options, ``\\`` and ``'`` escape)
and the graph parser (``[ ] , ;`` separate filters). User text never goes through here: titles are written
to files and read with drawtext's ``textfile``, so no character a user types can become filter syntax.
"""

from __future__ import annotations

_OPTION_SPECIAL = ("\\", "'", ":")
_GRAPH_SPECIAL = ("\\", "'", "[", "]", ",", ";")


def escape_option_value(value: str) -> str:
    """Escape a value for use as ``key=value`` inside a filter description in a filtergraph."""
    for char in _OPTION_SPECIAL:
        value = value.replace(char, "\\" + char)
    for char in _GRAPH_SPECIAL:
        value = value.replace(char, "\\" + char)
    return value
