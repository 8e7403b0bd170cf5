"""The export's sentence about a lowered frame rate (issue 31, item 3)."""

from __future__ import annotations

from free_music_ai.service.export_job import frame_rate_note


def test_a_lowered_rate_is_said_with_both_rates() -> None:
    note = frame_rate_note(1000.0, 60.0)
    assert note is not None and "1000 frames per second" in note and "60" in note


def test_a_kept_rate_says_nothing() -> None:
    assert frame_rate_note(30.0, 30.0) is None
    assert frame_rate_note(60.0, 60.0) is None
