"""Draft models that read and write the NemoVideo draft JSON, and the one-line summary of a timeline.

Short keys as the cloud uses them: ``t`` tracks, ``tt`` track type (0 video, 1 audio, 7 text), ``sg``
segments, ``d`` duration in milliseconds, ``m`` metadata. Unknown keys from the cloud are kept.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

VIDEO, AUDIO, TEXT = 0, 1, 7


class Segment(BaseModel):
    model_config = ConfigDict(extra="allow")

    st: int = Field(default=0, description="Start on the timeline, ms.")
    d: int = Field(description="Duration, ms.")
    m: dict[str, Any] = Field(default_factory=dict)


class Track(BaseModel):
    model_config = ConfigDict(extra="allow")

    tt: int
    sg: list[Segment] = Field(default_factory=list)
    m: dict[str, Any] = Field(default_factory=dict)


class Draft(BaseModel):
    model_config = ConfigDict(extra="allow")

    t: list[Track] = Field(default_factory=list)
    m: dict[str, Any] = Field(default_factory=dict)  # canvas and the music's spec live here

    @property
    def exportable(self) -> bool:
        return any(track.sg for track in self.t)

    def tracks(self, kind: int) -> list[Track]:
        return [track for track in self.t if track.tt == kind]

    @property
    def duration_ms(self) -> int:
        return max((s.st + s.d for track in self.t for s in track.sg), default=0)

    @property
    def video_ms(self) -> int:
        """How long the video plays: what the export lasts (a longer song is cut to it)."""
        return max((s.st + s.d for track in self.t if track.tt == VIDEO for s in track.sg), default=0)


def _span(segment: Segment) -> str:
    return f"{_seconds(segment.st)}-{_seconds(segment.st + segment.d)}s"


def _seconds(ms: int) -> str:
    value = ms / 1000
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def summary_line(draft: Draft) -> str:
    """`Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) 3. Title: "X" (0-3s)`"""
    items = summary_items(draft)
    numbered = " ".join(f"{k}. {item}" for k, item in enumerate(items, 1))
    count = len(items)
    return f"Timeline ({count} track{'s' if count != 1 else ''}): {numbered}".rstrip()


def summary_items(draft: Draft) -> list[str]:
    """The summary line's entries: 'Video: beach (0-24s)', 'BGM: Lo-fi (0-24s, 35%)', 'Title: "Hi" (0-3s)'."""
    items: list[str] = []
    for track in draft.t:
        if not track.sg:
            continue
        first, last = track.sg[0], track.sg[-1]
        whole = Segment(st=first.st, d=last.st + last.d - first.st)
        if track.tt == VIDEO:
            names = ", ".join(dict.fromkeys(str(s.m.get("name", "clip")) for s in track.sg))
            level = round(100 * float(draft.m.get("original_volume", 1.0)))
            sound = ", sound muted" if level == 0 else ("" if level == 100 else f", sound {level}%")
            items.append(f"Video: {names} ({_span(whole)}{sound})")
        elif track.tt == AUDIO:
            if draft.video_ms:  # a song longer than the video is heard only as long as the video
                whole = Segment(st=whole.st, d=max(0, min(whole.d, draft.video_ms - whole.st)))
            label = "BGM" if track.m.get("role", "bgm") == "bgm" else "Audio"
            volume = round(100 * float(first.m.get("volume", 1.0)))
            fade = ", fades in" if first.m.get("fade_in_s") else ""
            items.append(f"{label}: {first.m.get('name', 'music')} ({_span(whole)}, {volume}%{fade})")
        elif track.tt == TEXT:
            for segment in track.sg:
                items.append(f'Title: "{segment.m.get("text", "")}" ({_span(segment)})')
        else:
            items.append(f"Track {track.tt} ({_span(whole)})")
    return items


def from_json(data: dict[str, Any]) -> Draft:
    return Draft.model_validate(data)
