"""What the user asked of the music, as typed values (words/wishes.py reads them from a sentence)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from free_music_ai.engine.music.families import Family
from free_music_ai.engine.music.moments import MomentKind, Moments, Placed
from free_music_ai.engine.music.spec import Dynamics, Genre


class Wishes(BaseModel):
    """What the words ask for; None where they say nothing, so the analysis decides."""

    model_config = ConfigDict(frozen=True)

    genre: Genre | None = None
    style_asked: str | None = None  # "reggae": a style of its own that ``genre`` only stands in for (said so)
    mood: tuple[float, float] | None = None  # valence, arousal
    bpm: float | None = None
    drums: bool | None = None
    change: tuple[float, float] = (0.0, 0.0)  # "calmer", "darker"...: added to the mood
    dynamics: Dynamics | None = None  # "build up to the end", "keep it steady"
    lead: int | None = Field(default=None, ge=0, le=127)  # the General MIDI program to carry the tune ("a violin")
    moments: Moments = Field(default_factory=Moments)  # "hit at 0:15", "build up to 0:42": times of the video
    instruments_out: tuple[Family, ...] = ()  # "remove the piano", "no strings"
    instruments_back: tuple[Family, ...] = ()  # "bring the piano back"
    instruments_db: dict[Family, float] = Field(default_factory=dict)  # "make the piano louder": steps in dB
    instruments_added: tuple[Family, ...] = ()  # "add some strings": to the piece there, playing its chords
    genre_if_new: Genre | None = None  # the genre an added instrument names, with no music yet ("add some piano")
    placed: tuple[Placed, ...] = ()  # "a more energetic second half": stretches named by their place in the music
    texture: int = 0  # "more minimal" -1, "bigger" +1: added to the music being edited
    drums_db: float = 0.0  # "less drums" -4, "more drums" +3: added to the music being edited
    music_start_s: float | None = Field(default=None, ge=0)  # "start the music at 0:05"
    music_stop_s: float | None = Field(default=None, gt=0)  # "stop the music at 0:50"
    music_shift_s: float = 0.0  # "delay the music by 5 seconds": +5, "start it 2 seconds earlier": -2
    hits_removed_s: tuple[float, ...] = ()  # "remove the hit at 0:15"
    builds_removed_s: tuple[float, ...] = ()  # "don't build up to 0:30": the peaks of builds taken away
    stretches_removed_s: tuple[tuple[float, float], ...] = ()  # "don't mute the music from 0:10 to 0:20"
    end_hit_removed: bool = False  # "no hit at the end"
    finish_removed: bool = False  # "the big finish is too much": the final hit and a lift that runs to the end
    moments_cleared: bool = False  # "clear the moments"
    kinds_cleared: tuple[MomentKind, ...] = ()  # "remove the drops", "no more hits": every one of these kinds

    @property
    def timed(self) -> bool:
        return (self.moments.any or self.music_start_s is not None or self.music_stop_s is not None
                or bool(self.music_shift_s)
                or bool(self.hits_removed_s) or bool(self.builds_removed_s) or self.moments_cleared
                or bool(self.stretches_removed_s) or self.end_hit_removed or self.finish_removed
                or bool(self.kinds_cleared)
                or bool(self.placed))  # fmt: skip

    @property
    def edits(self) -> bool:
        """Whether these wishes edit the music that is there: a moment, its start or stop, the texture, the drums,
        an instrument."""
        return any(getattr(self, name) != _default(name) for name in EDIT_FIELDS)

    @property
    def only_edits(self) -> bool:
        """Edits of the music that is there, and nothing else ("put a hit at 0:15", "more minimal", "less drums",
        "replace the piano with a violin")."""
        names = EDIT_FIELDS + (("lead",) if self.instruments_out else ())  # "replace the piano with a violin"
        rest = self.model_copy(update={name: _default(name) for name in names})
        return self.edits and not rest.says_something

    @property
    def says_something(self) -> bool:
        wished = (self.genre, self.mood, self.bpm, self.dynamics, self.lead)
        return any(v is not None for v in wished) or self.change != (0, 0) or self.edits


def _default(name: str) -> object:
    return Wishes.model_fields[name].get_default(call_default_factory=True)


# the fields that edit the music that is there rather than describe a piece (Wishes.only_edits)
EDIT_FIELDS = ("moments", "music_start_s", "music_stop_s", "music_shift_s", "texture", "drums_db", "drums",
               "instruments_out", "instruments_back", "instruments_db", "instruments_added", "hits_removed_s",
               "builds_removed_s",
               "stretches_removed_s", "end_hit_removed", "finish_removed", "moments_cleared", "kinds_cleared",
               "placed")  # fmt: skip
