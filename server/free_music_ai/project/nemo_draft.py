"""The NemoVideo draft: its models, the conversion to and from the typed project, and the one-line summary.

The only module that knows the draft's short keys, as the cloud uses them: ``t`` tracks, ``tt`` track type
(0 video, 1 audio, 7 text), ``sg`` segments, ``st`` start and ``d`` duration in milliseconds, ``m`` metadata.
Unknown keys from the cloud are kept. The summary is drawn from a draft, so the cloud's drafts and our
projects read the same.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from free_music_ai.project.model import Clip, Music, Project, Title, Waiting

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
            for stretch in draft.m.get("original_stretches", []):  # "sound 0% 0:10-0:20"
                span = _span(Segment(st=int(stretch["start_ms"]), d=int(stretch["end_ms"]) - int(stretch["start_ms"])))
                sound += f", sound {round(level * float(stretch['level']))}% {span}"
            items.append(f"Video: {names} ({_span(whole)}{sound})")
        elif track.tt == AUDIO:
            if draft.video_ms:  # a song longer than the video is heard only as long as the video
                whole = Segment(st=whole.st, d=max(0, min(whole.d, draft.video_ms - whole.st)))
            label = "BGM" if track.m.get("role", "bgm") == "bgm" else "Audio"
            volume = round(100 * float(first.m.get("volume", 1.0)))
            fade = ", fades in" if first.m.get("fade_in_s") else ""
            if first.m.get("fade_out_s"):
                fade += f", fades out over {float(first.m['fade_out_s']):g} s"
            changed = _music_changes(first)
            items.append(f"{label}: {first.m.get('name', 'music')} ({_span(whole)}, {volume}%{fade}{changed})")
        elif track.tt == TEXT:
            for segment in track.sg:
                items.append(f'Title: "{segment.m.get("text", "")}" ({_span(segment)})')
        else:
            items.append(f"Track {track.tt} ({_span(whole)})")
    return items


def _music_changes(segment: Segment) -> str:
    """What the words asked of generated music: its band ("; no piano, strings added") and its moments ("a hit at
    0:15, a build from 0:12 to 0:20", at video times)."""
    spec = segment.m.get("spec")
    if not isinstance(spec, dict):
        return ""
    from free_music_ai.engine.music.spec import MusicSpec

    try:
        music = MusicSpec.model_validate(spec)
    except ValidationError:  # a draft written by another tool: its music is named, not described
        return ""
    said = music.instruments_described() + music.moments.described(segment.st / 1000)
    return f"; {', '.join(said)}" if said else ""


# the project's settings in the draft's metadata (the cloud keeps its own there too)
_SETTINGS = ("aspect", "fit", "original_volume", "music_volume", "original_stretches")
_WAITING = "focus_stash"
_CLIP_KEYS = ("asset", "name", "path", "kind", "has_audio")
_MUSIC_KEYS = ("name", "path", "volume", "user", "spec", "ducking", "explanation", "genre", "bpm", "key", "mode",
               "seed", "fade_in_s", "fade_out_s")  # fmt: skip


def to_draft(project: Project) -> Draft:
    """The project as a NemoVideo draft (the state a host sees, and what the cloud format holds)."""
    tracks: list[Track] = []
    if project.clips:
        keys = set(_CLIP_KEYS)
        tracks.append(Track(tt=VIDEO, sg=[Segment(st=c.start_ms, d=c.duration_ms, m=c.model_dump(include=keys))
                                          for c in project.clips]))  # fmt: skip
    if project.music is not None:
        music = project.music.model_dump(include=set(_MUSIC_KEYS), exclude_defaults=True)
        music.setdefault("volume", project.music.volume)
        tracks.append(Track(tt=AUDIO, m={"role": "bgm"},
                            sg=[Segment(st=project.music.start_ms, d=project.music.duration_ms, m=music)]))  # fmt: skip
    if project.titles:
        titles = [Segment(st=t.start_ms, d=t.duration_ms, m={"text": t.text, "position": t.position})
                  for t in project.titles]  # fmt: skip
        tracks.append(Track(tt=TEXT, sg=titles))
    tracks += [Track.model_validate(t) for t in project.extra.get("other_tracks", [])]
    settings = {key: getattr(project, key) for key in _SETTINGS if getattr(project, key) is not None}
    if settings.get("original_volume") == 1.0:
        del settings["original_volume"]
    stretches = settings.pop("original_stretches")
    if stretches:
        settings["original_stretches"] = [s.model_dump() for s in stretches]
    waiting = {key: w.model_dump(mode="json", exclude_defaults=True) for key, w in project.waiting.items()}
    meta = {**{k: v for k, v in project.extra.items() if k != "other_tracks"}, **settings}
    if waiting:
        meta[_WAITING] = waiting
    return Draft(t=tracks, m=meta)


def from_draft(draft: Draft) -> Project:
    """A draft (ours, an older store's, or the cloud's) as a project; what it does not say takes defaults."""
    clips: list[Clip] = []
    music: Music | None = None
    titles: list[Title] = []
    other: list[dict[str, Any]] = []
    for track in draft.t:
        if track.tt == VIDEO:
            clips += [_clip(s) for s in track.sg]
        elif track.tt == AUDIO and track.sg and music is None and track.m.get("role", "bgm") == "bgm":
            music = _music(track.sg[0])
        elif track.tt == TEXT:
            titles += [Title(text=str(s.m.get("text", "")), start_ms=s.st, duration_ms=s.d,
                             position=s.m.get("position", "center")) for s in track.sg]  # fmt: skip
        else:
            other.append(track.model_dump(mode="json"))
    meta = dict(draft.m)
    waiting = {key: Waiting.model_validate(_old_waiting(value)) for key, value in meta.pop(_WAITING, {}).items()}
    settings = {key: meta.pop(key) for key in _SETTINGS if key in meta}
    extra = {**meta, **({"other_tracks": other} if other else {})}
    return Project(clips=clips, music=music, titles=titles, waiting=waiting, extra=extra, **settings)


def _clip(segment: Segment) -> Clip:
    m = segment.m
    return Clip(asset=str(m.get("asset", "")), name=str(m.get("name", "clip")), path=str(m.get("path", "")),
                kind="image" if m.get("kind") == "image" else "video", has_audio=bool(m.get("has_audio")),
                start_ms=segment.st, duration_ms=segment.d)  # fmt: skip


def _music(segment: Segment) -> Music:
    known = {key: segment.m[key] for key in _MUSIC_KEYS if key in segment.m}
    known.setdefault("name", "music")
    known.setdefault("path", "")
    return Music(start_ms=segment.st, duration_ms=segment.d, **known)


def _old_waiting(value: dict[str, Any]) -> dict[str, Any]:
    """An upload's waiting edits, in this format or in the tracks-and-settings one of earlier versions."""
    if "tracks" not in value:
        return value
    kept = from_draft(Draft(t=[Track.model_validate(t) for t in value["tracks"]]))
    return {"music": kept.music, "titles": kept.titles, **value.get("settings", {})}


def public_draft(project: Project) -> dict[str, Any]:
    """The project as the state shows it: a draft without empty file paths."""
    draft = to_draft(project)
    for track in draft.t:
        for segment in track.sg:
            if segment.m.get("path") == "":
                del segment.m["path"]
    return draft.model_dump(mode="json")


def summary_line_of(project: Project) -> str:
    """The summary line of a project, as the cloud's drafts get theirs."""
    return summary_line(to_draft(project))
