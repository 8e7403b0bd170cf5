"""Stopping an analysis nobody waits for any more (one started ahead, at upload, when the engine closes)."""

from __future__ import annotations

import threading


class AnalysisStopped(Exception):
    """The analysis was asked to stop; it is never shown to a user (whoever still needs it runs it again)."""


def check(stop: threading.Event | None) -> None:
    if stop is not None and stop.is_set():
        raise AnalysisStopped
