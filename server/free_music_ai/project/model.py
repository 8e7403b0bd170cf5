"""The project a session edits: typed, versioned by the store, and the only shape the service works on.

Times are integer milliseconds on the video's timeline, as in the NemoVideo draft (project/nemo_draft.py
converts), so nothing is lost either way. A session with several uploads works on one at a time (its
focus); the music, titles and settings of the others wait in ``waiting``, keyed by their clips.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from free_music_ai.engine.canvas_choices import Aspect, Fit
from free_music_ai.engine.music.spec import MusicSpec
from free_music_ai.engine.plan.ducking import DuckingPlan

ClipKind = Literal["video", "image"]
TitlePosition = Literal["top", "center", "bottom"]
MUSIC_UNDER_SOUND = 0.35  # music under the videos' own sound unless the user says otherwise; alone, full level
MAX_MUSIC_VOLUME = 1.5  # the loudest the music may be set: louder only clips, since the export levels the mix
MAX_ORIGINAL_VOLUME = 4.0  # the videos' own sound may be raised more: a quiet phone recording needs it


class Clip(BaseModel):
    """One upload on the video track."""

    model_config = ConfigDict(frozen=True)

    asset: str  # the upload's id in the store
    name: str  # shown in summaries: the file name without its extension
    path: str
    kind: ClipKind
    has_audio: bool = False
    start_ms: int = 0
    duration_ms: int


class Music(BaseModel):
    """The music under the video: made here from a spec, or the user's own file."""

    name: str
    path: str  # generated: the stored samples (.npy); the user's: their file
    volume: float = Field(default=1.0, ge=0.0, le=MAX_MUSIC_VOLUME)
    start_ms: int = Field(default=0, ge=0)  # where the music starts in the video ("start the music at 0:05")
    duration_ms: int
    user: bool = False  # the user's own song: never called ours, never replaced by a generate
    spec: MusicSpec | None = None  # what it was made from (generated music): stored as the same JSON as before
    ducking: DuckingPlan | None = None  # how it steps back under the video's speech
    explanation: str = ""
    genre: str | None = None
    bpm: float | None = None
    key: str | None = None
    mode: str | None = None
    seed: int | None = None
    fade_in_s: float = 0.0
    fade_out_s: float = 0.0  # asked for in words: the music fades to silence over its last seconds
    # generated: the spans (s, its own time) its asked moments changed, and how much louder than the target they
    # made the whole (engine/music/level_reference.py): the export's mix is levelled alike
    changed_s: list[tuple[float, float]] = Field(default_factory=list)
    excess_db: float = 0.0

    @property
    def details(self) -> dict[str, Any]:
        """What a reply or an export reports of the music."""
        return {"genre": self.genre, "bpm": self.bpm, "key": self.key, "mode": self.mode, "seed": self.seed}


class Title(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str
    start_ms: int
    duration_ms: int
    position: TitlePosition = "center"


class SoundStretch(BaseModel):
    """The videos' own sound at another level for a stretch of the timeline ("mute my voice from 0:10 to 0:20")."""

    model_config = ConfigDict(frozen=True)

    start_ms: int = Field(ge=0)
    end_ms: int = Field(gt=0)
    level: float = Field(ge=0.0, le=MAX_ORIGINAL_VOLUME)  # times the project's original_volume


class Waiting(BaseModel):
    """An upload's own edits while another one is in focus."""

    music: Music | None = None  # generated music only: the user's song belongs to the whole session
    titles: list[Title] = Field(default_factory=list)
    aspect: Aspect | None = None
    original_volume: float | None = None
    original_stretches: list[SoundStretch] = Field(default_factory=list)


class Project(BaseModel):
    clips: list[Clip] = Field(default_factory=list)
    music: Music | None = None
    titles: list[Title] = Field(default_factory=list)
    aspect: Aspect | None = None  # None: chosen from the video (auto)
    fit: Fit | None = None  # None: blur
    original_volume: float = Field(default=1.0, ge=0.0, le=MAX_ORIGINAL_VOLUME)  # the videos' own sound
    original_stretches: list[SoundStretch] = Field(default_factory=list)  # and its level for stretches of it
    music_volume: float | None = None  # asked for before there was music: the next music gets it
    waiting: dict[str, Waiting] = Field(default_factory=dict)  # by the focus's asset ids, joined by commas
    extra: dict[str, Any] = Field(default_factory=dict)  # the cloud draft's own settings, kept as they came

    @property
    def video_ms(self) -> int:
        """How long the video plays: what an export lasts (a longer song is cut to it)."""
        return max((c.start_ms + c.duration_ms for c in self.clips), default=0)

    @property
    def focus(self) -> list[str]:
        """The asset ids on the video track, in order."""
        return [c.asset for c in self.clips]

    @property
    def music_level(self) -> float:
        """The level music gets unless the user chose one: under the videos' own sound, or alone at full."""
        return MUSIC_UNDER_SOUND if any(clip.has_audio for clip in self.clips) else 1.0

    @property
    def has_generated_music(self) -> bool:
        return self.music is not None and not self.music.user

    def laid_out(self, clips: list[Clip]) -> list[Clip]:
        """``clips`` one after another from 0."""
        start, placed = 0, []
        for clip in clips:
            placed.append(clip.model_copy(update={"start_ms": start}))
            start += clip.duration_ms
        return placed
