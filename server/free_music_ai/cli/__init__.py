"""The command line, one module per command; commands.py holds the app (probe, render, demo) and registers
the others. Loaded lazily, so the entry point (launch.py) can start reading videos ahead first."""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name in ("app", "main"):
        from free_music_ai.cli import commands

        return getattr(commands, name)
    raise AttributeError(name)
