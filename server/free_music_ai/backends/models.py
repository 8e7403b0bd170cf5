"""What a backend answers, as types: both backends return these models, so every door (MCP, CLI, web) reads the
same fields and a type checker proves it. A host sees them as the tools' output schemas."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ExportState(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MusicDetails(BaseModel):
    """The music of a render or a reply, as a listener would name it (None for the user's own song)."""

    genre: str | None = None
    bpm: float | None = None
    key: str | None = None
    mode: str | None = None
    seed: int | None = None

    @classmethod
    def of(cls, details: dict[str, Any]) -> MusicDetails | None:
        """From a render's stored details (the music's fields beside the video's); None when it had no music of
        ours."""
        found = {name: details.get(name) for name in cls.model_fields}
        return cls.model_validate(found) if any(value is not None for value in found.values()) else None


class ExportStatus(BaseModel):
    """An export job as its record says. Its files are named only while they are the ones it wrote: a file
    deleted or replaced since is in ``gone`` with what to do instead."""

    job_id: str
    session_id: str
    status: ExportState
    output: str | None = None  # the video (while running: where it will be)
    error: str | None = None
    progress: float = 0.0
    stage: str = ""
    files: dict[str, str] = Field(default_factory=dict)  # kind (video, licence, midi, stem:PART) -> path
    gone: dict[str, str] = Field(default_factory=dict)  # kind -> what happened and what to do
    license: str | None = None
    midi: str | None = None
    stems: dict[str, str] | None = None  # part -> WAV
    duration_s: float | None = None
    width: int | None = None
    height: int | None = None
    video_copied: bool | None = None  # the picture was copied, not encoded again
    video_reused: bool | None = None  # the picture was copied from an earlier export of the same picture
    lufs: float | None = None
    true_peak_db: float | None = None
    link: str | None = None  # the cloud's page for the session (None locally)
    music: MusicDetails | None = None
    fps: float | None = None  # the picture's frame rate in the file
    note: str | None = None  # a change the user should hear of (a frame rate lowered), or None

    @property
    def running(self) -> bool:
        return self.status is ExportState.RUNNING


class AssetInfo(BaseModel):
    """One upload, as a host or a user needs to know it."""

    id: str | None = None  # the local store's (the cloud names its own)
    name: str
    kind: str  # video, image, audio
    path: str | None = None
    url: str | None = None
    duration_s: float | None = None
    size_bytes: int | None = None
    in_timeline: bool | None = None  # the upload whose timeline is worked on (several uploads in a session)


class UploadResult(BaseModel):
    session_id: str
    backend: str
    assets: list[AssetInfo]
    link: str | None = None  # the cloud's page for the session


class Credits(BaseModel):
    backend: str
    message: str
    free: bool = False
    unlimited: bool = False
    available: int | None = None
    frozen: int | None = None
    total: int | None = None


class VersionInfo(BaseModel):
    version: int
    note: str
    current: bool


class RenderInfo(BaseModel):
    """A render as a session's state lists it: its video only while it is the one it wrote."""

    id: str
    session_id: str
    status: ExportState
    output: str | None = None
    error: str | None = None
    progress: float = 0.0
    version: int | None = None  # the project version it rendered
    gone: list[str] = Field(default_factory=list)  # what was deleted or replaced since, and what to do


class SessionState(BaseModel):
    """A session as it is now: the timeline's summary, its uploads, its music and its renders."""

    session_id: str
    backend: str
    summary: str
    has_music: bool
    version: int | None = None  # locally, every edit is a version (undo and redo move between them)
    versions: list[VersionInfo] = Field(default_factory=list)
    music: MusicDetails | None = None  # generated music only
    draft: dict[str, Any] = Field(default_factory=dict)  # the timeline in the NemoVideo draft format (an open JSON)
    assets: list[AssetInfo] = Field(default_factory=list)
    renders: list[RenderInfo] = Field(default_factory=list)
    link: str | None = None  # the cloud's page for the session
    cloud: dict[str, Any] | None = None  # what the cloud adds (video_infos, canvas_config, generated_media)
