"""Moments the user asked for at a time of the video ("hit at 0:15", "build up to 0:42", "quiet from 0:10 to
0:20", "no music from 0:10 to 0:20", "no drums until 0:08", "end on a big hit"): typed times, kept with the music's
spec (and so in the project, shown in its state, undone with it), which the composer and the mix honour."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

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


class Moments(BaseModel):
    model_config = ConfigDict(frozen=True)

    hits_s: list[float] = Field(default_factory=list, description="Accents asked at these times (s).")
    builds: list[Build] = Field(default_factory=list)
    quiet_s: list[tuple[float, float]] = Field(default_factory=list, description="Spans (s) to play quietly.")
    silent_s: list[tuple[float, float]] = Field(default_factory=list, description="Spans (s) the music rests.")
    drums_from_s: float | None = Field(default=None, ge=0, description="No drums before this time (s).")
    end_hit: bool = False  # "end on a big hit"

    @property
    def any(self) -> bool:
        return bool(self.hits_s or self.builds or self.quiet_s or self.silent_s or self.drums_from_s is not None
                    or self.end_hit)  # fmt: skip

    def merged(self, later: Moments) -> Moments:
        """These moments and ``later``'s (a later message adds to what was asked before)."""
        return Moments(
            hits_s=sorted(set(self.hits_s) | set(later.hits_s)),
            builds=[*self.builds, *(b for b in later.builds if b not in self.builds)],
            quiet_s=[*self.quiet_s, *(q for q in later.quiet_s if q not in self.quiet_s)],
            silent_s=[*self.silent_s, *(q for q in later.silent_s if q not in self.silent_s)],
            drums_from_s=later.drums_from_s if later.drums_from_s is not None else self.drums_from_s,
            end_hit=self.end_hit or later.end_hit,
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

    def within(self, duration_s: float) -> Moments:
        """What lies inside a piece ``duration_s`` long (a build or a quiet span cut at its end)."""
        return Moments(
            hits_s=[t for t in self.hits_s if 0 < t < duration_s],
            builds=[Build(start_s=b.start_s, peak_s=min(b.peak_s, duration_s)) for b in self.builds
                    if b.start_s < duration_s and min(b.peak_s, duration_s) > b.start_s],
            quiet_s=[(a, min(b, duration_s)) for a, b in self.quiet_s if a < duration_s],
            silent_s=[(a, min(b, duration_s)) for a, b in self.silent_s if a < duration_s],
            drums_from_s=self.drums_from_s if self.drums_from_s is None or self.drums_from_s < duration_s else None,
            end_hit=self.end_hit,
        )  # fmt: skip

    def shifted(self, by_s: float) -> Moments:
        """The same moments ``by_s`` seconds later (earlier when negative); what falls before 0 is left out."""
        return Moments(
            hits_s=[t + by_s for t in self.hits_s if t + by_s > 0],
            builds=[Build(start_s=max(0.0, b.start_s + by_s), peak_s=b.peak_s + by_s) for b in self.builds
                    if b.peak_s + by_s > max(0.0, b.start_s + by_s)],
            quiet_s=[(max(0.0, a + by_s), b + by_s) for a, b in self.quiet_s if b + by_s > 0],
            silent_s=[(max(0.0, a + by_s), b + by_s) for a, b in self.silent_s if b + by_s > 0],
            drums_from_s=None if self.drums_from_s is None else max(0.0, self.drums_from_s + by_s),
            end_hit=self.end_hit,
        )  # fmt: skip

    def described(self, offset_s: float = 0.0) -> list[str]:
        """The moments in words, at their times in the video (the music starts ``offset_s`` into it)."""
        said = [f"a hit at {clock(t + offset_s)}" for t in self.hits_s]
        said += [f"a build from {clock(b.start_s + offset_s)} to {clock(b.peak_s + offset_s)}" for b in self.builds]
        said += [f"quiet {clock(a + offset_s)}-{clock(b + offset_s)}" for a, b in self.quiet_s]
        said += [f"no music {clock(a + offset_s)}-{clock(b + offset_s)}" for a, b in self.silent_s]
        if self.drums_from_s is not None:
            said.append(f"no drums until {clock(self.drums_from_s + offset_s)}")
        if self.end_hit:
            said.append("a big final hit")
        return said


def clock(seconds: float) -> str:
    """0:15, 1:02, or 0:15.5 when the time is not a whole second."""
    whole = abs(seconds - round(seconds)) < 0.05
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}" if whole else f"{int(seconds) // 60}:{seconds % 60:04.1f}"
