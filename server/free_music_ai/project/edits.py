"""The edits one message asks of a project, typed: what the words (words/) read and the service applies."""

from __future__ import annotations

from dataclasses import dataclass, field

from free_music_ai.engine.canvas_choices import Aspect, Fit
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.project.model import TitlePosition


@dataclass(frozen=True)
class OwnSoundPlace:
    """The videos' own sound for a stretch named by its place ("lower my voice at the end"): where (shares of the
    video's length, or ``seconds`` at its end when the shares are (1, 1), else at its start) and at what share of
    its level."""

    first: float
    last: float
    seconds: float | None
    level: float


@dataclass(frozen=True)
class TitleWish:
    """A title as asked: its text exactly as written, and when it shows."""

    text: str
    start_s: float = 0.0
    end_s: float | None = 3.0  # None: until the end of the video
    position: str = "center"
    at_end: bool = False  # the last ``end_s - start_s`` seconds of the video ("a title at the end")


@dataclass
class Edits:
    """The typed edits one message asks for (words/message.py reads them from the words, the service applies
    them to the project)."""

    undo: bool = False
    redo: bool = False
    aspect: Aspect | None = None
    titles: list[TitleWish] = field(default_factory=list)
    remove_titles: bool = False
    # which of them, when the words say ("remove the title 'Summer'", "delete the last title"): its text, or its place
    # in time order (0 the first, -1 the last); neither: all of them
    removed_title: str | None = None
    removed_title_at: int | None = None
    titles_to: TitlePosition | None = None  # "move the title to the bottom": where the titles there are go ("top", ...)
    titles_at_s: float | None = None  # "move the title to 0:10": when the titles there start (each keeps its length)
    music_volume: float | None = None  # absolute (0.35)
    music_scale: float | None = None  # relative (0.7 = lower)
    original_volume: float | None = None
    original_scale: float | None = None  # relative ("my voice is too quiet" = 1.35)
    # the original sound for a stretch ("mute my voice from 0:10 to 0:20"): (start_s, end_s, level) in video time
    original_stretches: list[tuple[float, float, float]] = field(default_factory=list)
    original_places: list[OwnSoundPlace] = field(default_factory=list)  # and by its place ("at the end")
    generate: bool = False
    fresh: bool = False  # new music asked by name ("generate", "new music", "compose"): not an edit of the piece there
    regenerate: bool = False  # same spec, new seed
    adjust: bool = False  # calmer, darker...: change the last spec
    fade_in_s: float | None = None  # "fade in", "fade in over 4 seconds": the fade-in's length
    fade_out_s: float | None = None  # "fade the music out over the last 5 seconds": the fade's length
    wishes: Wishes = field(default_factory=Wishes)  # what the words say of the music (genre, mood, tempo...)
    export: bool = False  # the message also asks for the video: after its edits
    fit: Fit | None = None  # how a picture of another shape fits the frame
    image_seconds: float | None = None  # how long each picture shows
    names_music: bool = False  # the words speak of music: with none yet, that asks for it ("calm music, fade in")
    refit: bool = False  # "make the music match the new cut": the same piece, fitted to the video as it is now
    back_to_version: int | None = None  # "revert to version 2": the whole project as that version was
    # "go back to the first version", "the first one was better": the project as it was when it first had music
    back_to_first_music: bool = False
    music_from_version: int | None = None  # "keep the music from version 3": that piece, fitted to this video

    @property
    def fade_in(self) -> bool:
        return self.fade_in_s is not None

    @property
    def empty(self) -> bool:
        return not (
            self.undo
            or self.redo
            or self.aspect
            or self.titles
            or self.remove_titles
            or self.titles_to is not None
            or self.titles_at_s is not None
            or self.generate
            or self.regenerate
            or self.adjust
            or self.fade_in
            or self.fade_out_s is not None
            or self.music_volume is not None
            or self.music_scale is not None
            or self.original_volume is not None
            or self.original_scale is not None
            or bool(self.original_stretches)
            or bool(self.original_places)
            or self.fit is not None
            or self.image_seconds is not None
            or self.refit
            or self.music_from_version is not None
            or self.back_to_version is not None
            or self.back_to_first_music
        )
