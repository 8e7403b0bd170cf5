"""Moments the user asked for at a time of the video ("hit at 0:15", "build up to 0:42", "quiet from 0:10 to
0:20", "no music from 0:10 to 0:20", "no drums until 0:08", "end on a big hit"): typed times, kept with the music's
spec (and so in the project, shown in its state, undone with it), which the composer and the mix honour."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from free_music_ai.engine.music.families import Family
from free_music_ai.limits import MAX_TIMELINE_S

BUILD_S = 8.0  # a build without a start rises over the 8 s before its peak


class Build(BaseModel):
    """A rise in loudness and activity from ``start_s`` to its peak at ``peak_s``."""

    model_config = ConfigDict(frozen=True)

    start_s: float = Field(ge=0)
    peak_s: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Build:
        if self.peak_s <= self.start_s:
            raise ValueError("a build peaks after it starts")
        return self


Span = tuple[float, float]
# the kinds of moment a message may take away all of ("remove the drops", "no more hits", "remove the silence")
# "lone_hits": the hits not at a build's peak ("move the hit to 0:18" leaves the drops where they are)
MomentKind = Literal["hits", "lone_hits", "builds", "drops", "silent", "quiet", "end_hit"]
# the stretches a piece may be asked for, by field, and how each is said
# the stretches of an instrument family: out there, or there only
FAMILY_STRETCHES = ("families_out_s", "families_in_s")
STRETCHES = {"quiet_s": "quiet", "silent_s": "no music", "lifted_s": "more energy", "drumless_s": "no drums",
             "minor_s": "in minor", "major_s": "in major"}  # fmt: skip


class Moments(BaseModel):
    model_config = ConfigDict(frozen=True)

    hits_s: list[float] = Field(default_factory=list, description="Accents asked at these times (s).")
    builds: list[Build] = Field(default_factory=list)
    quiet_s: list[Span] = Field(default_factory=list, description="Spans (s) to play quietly.")
    silent_s: list[Span] = Field(default_factory=list, description="Spans (s) the music rests.")
    lifted_s: list[Span] = Field(default_factory=list, description="Spans (s) played with more energy.")
    drumless_s: list[Span] = Field(default_factory=list, description="Spans (s) played without drums.")
    minor_s: list[Span] = Field(default_factory=list, description="Spans (s) played in the parallel minor (sadder).")
    major_s: list[Span] = Field(default_factory=list, description="Spans (s) played in the parallel major (happier).")
    families_out_s: list[tuple[Family, float, float]] = Field(
        default_factory=list, description="Instrument families taken out for spans (s): (family, from, to)."
    )
    families_in_s: list[tuple[Family, float, float]] = Field(
        default_factory=list,
        description="Instrument families asked for spans (s) only: added there to a piece without them, taken out "
        "elsewhere of one with them ('add strings in the second half', 'bring the piano in at 0:20').",
    )
    drums_from_s: float | None = Field(default=None, ge=0, description="No drums before this time (s).")
    end_hit: bool = False  # "end on a big hit"

    @property
    def any(self) -> bool:
        return bool(self.hits_s or self.builds or any(self._spans().values()) or self.drums_from_s is not None
                    or self.end_hit or self.families_out_s or self.families_in_s)  # fmt: skip

    def _spans(self) -> dict[str, list[Span]]:
        return {name: getattr(self, name) for name in STRETCHES}

    def merged(self, later: Moments) -> Moments:
        """These moments and ``later``'s (a later message adds to what was asked before; a mood asked later for a
        stretch replaces the other mood asked there before: "happier after 0:20" of a sadder second half)."""
        mine = self._spans()
        mine.update(minor_s=_cut(self.minor_s, later.major_s), major_s=_cut(self.major_s, later.minor_s))
        spans = {name: [*own, *(q for q in getattr(later, name) if q not in own)] for name, own in mine.items()}
        return Moments(
            hits_s=sorted(set(self.hits_s) | set(later.hits_s)),
            builds=[*self.builds, *(b for b in later.builds if b not in self.builds)],
            drums_from_s=later.drums_from_s if later.drums_from_s is not None else self.drums_from_s,
            end_hit=self.end_hit or later.end_hit,
            **{
                name: [*getattr(self, name), *(f for f in getattr(later, name) if f not in getattr(self, name))]
                for name in FAMILY_STRETCHES
            },
            **spans,
        )

    def without_hits(self, times_s: tuple[float, ...], tolerance_s: float = 0.5) -> Moments:
        """These moments without the hits near ``times_s`` ("remove the hit at 0:15")."""
        if not times_s:
            return self
        kept = [t for t in self.hits_s if all(abs(t - gone) > tolerance_s for gone in times_s)]
        return self.model_copy(update={"hits_s": kept})

    def without_builds(self, peaks_s: tuple[float, ...], tolerance_s: float = 0.5) -> Moments:
        """These moments without the builds that peak near ``peaks_s`` ("don't build up to 0:30")."""
        if not peaks_s:
            return self
        kept = [b for b in self.builds if all(abs(b.peak_s - gone) > tolerance_s for gone in peaks_s)]
        return self.model_copy(update={"builds": kept})

    def without_stretches(self, spans: tuple[Span, ...]) -> Moments:
        """These moments without the stretches that overlap ``spans`` ("don't mute the music from 0:10 to 0:20")."""
        if not spans:
            return self

        def apart(a: float, b: float) -> bool:
            return all(b <= first or a >= last for first, last in spans)

        kept: dict[str, object] = {name: [(a, b) for a, b in mine if apart(a, b)]
                                   for name, mine in self._spans().items()}  # fmt: skip
        for name in FAMILY_STRETCHES:
            kept[name] = [(f, a, b) for f, a, b in getattr(self, name) if apart(a, b)]
        return self.model_copy(update=kept)

    def without_kinds(self, kinds: tuple[MomentKind, ...]) -> Moments:
        """These moments without every one of ``kinds`` ("remove the drops": each build with a hit at its peak,
        and that hit)."""
        if not kinds:
            return self
        drops = (
            [b for b in self.builds if any(abs(b.peak_s - t) < 0.05 for t in self.hits_s)] if "drops" in kinds else []
        )
        kept = [b for b in self.builds if b not in drops]
        update: dict[str, object] = {
            "hits_s": []
            if "hits" in kinds
            else [
                t
                for t in self.hits_s
                if all(abs(b.peak_s - t) >= 0.05 for b in drops)
                and ("lone_hits" not in kinds or any(abs(b.peak_s - t) < 0.05 for b in kept))
            ],
            "builds": [] if "builds" in kinds else kept,
        }
        if "silent" in kinds:
            update["silent_s"] = []
        if "quiet" in kinds:
            update["quiet_s"] = []
        if "end_hit" in kinds:
            update["end_hit"] = False
        return self.model_copy(update=update)

    def within(self, duration_s: float) -> Moments:
        """What lies inside a piece ``duration_s`` long (a build or a stretch cut at its end)."""
        spans = {name: [(a, min(b, duration_s)) for a, b in mine if a < duration_s]
                 for name, mine in self._spans().items()}  # fmt: skip
        return Moments(
            hits_s=[t for t in self.hits_s if 0 < t < duration_s],
            builds=[Build(start_s=b.start_s, peak_s=min(b.peak_s, duration_s)) for b in self.builds
                    if b.start_s < duration_s and min(b.peak_s, duration_s) > b.start_s],
            drums_from_s=self.drums_from_s if self.drums_from_s is None or self.drums_from_s < duration_s else None,
            end_hit=self.end_hit,
            **{name: [(f, a, min(b, duration_s)) for f, a, b in getattr(self, name) if a < duration_s]
               for name in FAMILY_STRETCHES},
            **spans,
        )  # fmt: skip

    def past(self, end_s: float) -> Moments:
        """The moments that lie wholly at or after ``end_s``, where music ending there has none of them ("a hit at
        1:39" of a 24 s video)."""
        spans = {name: [(a, b) for a, b in mine if a >= end_s] for name, mine in self._spans().items()}
        return Moments(
            hits_s=[t for t in self.hits_s if t >= end_s],
            builds=[b for b in self.builds if b.start_s >= end_s],
            drums_from_s=self.drums_from_s if self.drums_from_s is not None and self.drums_from_s >= end_s else None,
            **{name: [(f, a, b) for f, a, b in getattr(self, name) if a >= end_s] for name in FAMILY_STRETCHES},
            **spans,
        )

    def shifted(self, by_s: float) -> Moments:
        """The same moments ``by_s`` seconds later (earlier when negative); what falls before 0 is left out."""
        spans = {name: [(max(0.0, a + by_s), b + by_s) for a, b in mine if b + by_s > 0]
                 for name, mine in self._spans().items()}  # fmt: skip
        return Moments(
            hits_s=[t + by_s for t in self.hits_s if t + by_s > 0],
            builds=[Build(start_s=max(0.0, b.start_s + by_s), peak_s=b.peak_s + by_s) for b in self.builds
                    if b.peak_s + by_s > max(0.0, b.start_s + by_s)],
            drums_from_s=None if self.drums_from_s is None else max(0.0, self.drums_from_s + by_s),
            end_hit=self.end_hit,
            **{name: [(f, max(0.0, a + by_s), b + by_s) for f, a, b in getattr(self, name) if b + by_s > 0]
               for name in FAMILY_STRETCHES},
            **spans,
        )  # fmt: skip

    def described(self, offset_s: float = 0.0) -> list[str]:
        """The moments in words, at their times in the video (the music starts ``offset_s`` into it)."""
        said = [f"a hit at {clock(t + offset_s)}" for t in self.hits_s]
        said += [f"a build from {clock(b.start_s + offset_s)} to {clock(b.peak_s + offset_s)}" for b in self.builds]
        said += [f"{words} {_stretch(a, b, offset_s)}" for name, words in STRETCHES.items()
                 for a, b in getattr(self, name)]  # fmt: skip
        said += [f"no {family.value} {_stretch(a, b, offset_s)}" for family, a, b in self.families_out_s]
        said += [f"{family.value} only {_stretch(a, b, offset_s)}" for family, a, b in self.families_in_s]
        if self.drums_from_s is not None:
            said.append(f"no drums until {clock(self.drums_from_s + offset_s)}")
        if self.end_hit:
            said.append("a big final hit")
        return said


# a section of a piece by the name a listener gives it ("the chorus"): its bars are known once the piece is composed
Section = Literal["chorus", "verse", "breakdown", "bridge"]


class Placed(BaseModel):
    """A stretch named by its place in the music, not by its times ("the second half", "the last 10 seconds"),
    and what it should be: its times are known once the music's length is (``moments``)."""

    model_config = ConfigDict(frozen=True)

    first: float = Field(ge=0, le=1, description="Where it starts, as a share of the music's length.")
    last: float = Field(ge=0, le=1, description="Where it ends, as a share of the music's length.")
    seconds: float | None = Field(default=None, gt=0, description="Its length in seconds, at the end or start.")
    kind: Literal["quiet", "silent", "lift", "drumless", "minor", "major", "only"]  # "only": the family there only
    family: Family | None = None  # "drumless" with a family: that instrument out instead ("no piano in the intro")
    # a section of the piece instead of a share of it ("no drums in the chorus"): its bars are known once the piece
    # is composed (plan.py), and ``first`` and ``last`` are not read
    section: Section | None = None

    def span(self, start_s: float, stop_s: float) -> tuple[float, float]:
        """Its times in the video, for music playing from ``start_s`` to ``stop_s``."""
        return placed_span((self.first, self.last), self.seconds, start_s=start_s, stop_s=stop_s)

    def moments(self, start_s: float, stop_s: float) -> Moments:
        """Its moments, for music playing from ``start_s`` to ``stop_s`` of the video: a quiet, silent, drumless,
        lifted, sadder (minor) or happier (major) stretch."""
        return self.moments_at(*self.span(start_s, stop_s))

    def moments_at(self, first: float, last: float) -> Moments:
        """Its moments from ``first`` to ``last`` (s): where it is, once known."""
        if last - first < 0.5:
            return Moments()
        if self.kind == "silent":
            return Moments(silent_s=[(first, last)])
        if self.kind == "quiet":
            return Moments(quiet_s=[(first, last)])
        if self.kind == "drumless" and self.family is not None:
            return Moments(families_out_s=[(self.family, first, last)])
        if self.kind == "only" and self.family is not None:
            return Moments(families_in_s=[(self.family, first, last)])
        if self.kind == "drumless":
            return Moments(drumless_s=[(first, last)])
        if self.kind == "minor":
            return Moments(minor_s=[(first, last)])
        if self.kind == "major":
            return Moments(major_s=[(first, last)])
        return Moments(lifted_s=[(first, last)])  # the composer lands it on a bar line, with its rise (timed.py)


def placed_span(shares: tuple[float, float], seconds: float | None, *, start_s: float, stop_s: float) -> Span:
    """The times of a stretch named by its place, from ``start_s`` to ``stop_s``: ``shares`` of that length, or
    ``seconds`` at its end (``shares`` (1, 1)) or start."""
    length = stop_s - start_s
    first_share, last_share = shares
    if seconds is None:  # whole seconds inside: the words named no time, the reply should not invent tenths
        first = start_s if first_share <= 0 else float(round(start_s + first_share * length))
        return first, stop_s if last_share >= 1 else float(round(start_s + last_share * length))
    if last_share >= 1:  # "the last 10 seconds"
        return max(start_s, stop_s - seconds), stop_s
    return start_s, min(stop_s, start_s + seconds)


def _cut(spans: list[Span], by: list[Span]) -> list[Span]:
    """``spans`` without what ``by`` covers (a stretch split where another lies inside it)."""
    for first, last in by:
        spans = [piece for a, b in spans for piece in ((a, min(b, first)), (max(a, last), b)) if piece[1] > piece[0]]
    return spans


def _stretch(first_s: float, last_s: float, offset_s: float) -> str:
    """A stretch's times in the video, in words; one asked to the end of any piece ("no drums after 0:30", before its
    music's length was known: words/moment_phrases.py UNTIL_THE_END_S) from its start."""
    if last_s == MAX_TIMELINE_S:
        return f"from {clock(first_s + offset_s)}"
    return f"{clock(first_s + offset_s)}-{clock(last_s + offset_s)}"


def clock(seconds: float) -> str:
    """0:15, 1:02, or 0:15.5 when the time is not a whole second."""
    whole = abs(seconds - round(seconds)) < 0.05
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}" if whole else f"{int(seconds) // 60}:{seconds % 60:04.1f}"
