"""The plan: analysis plus the user's wishes make the music spec, the ducking plan and a one-sentence explanation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.music.compose import compose
from free_music_ai.engine.music.genres import choose_genre
from free_music_ai.engine.music.spec import MIN_DURATION_S, Dynamics, MusicSpec
from free_music_ai.engine.plan.ducking import DuckingPlan, plan_ducking
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.engine.soundfont.general_midi import PROGRAM_NAMES

WORDS_WEIGHT = 0.8  # words beat analysis: what the user says about the mood counts four times the footage


class Suggested(BaseModel):
    model_config = ConfigDict(frozen=True)

    genre: str
    bpm: float
    key: str
    mode: str
    hits: int = 0  # the scene changes a beat (or an eighth) lands on, with an accent
    lead: str | None = None  # the instrument asked to carry the tune, by name


class MusicPlan(BaseModel):
    model_config = ConfigDict(frozen=True)

    spec: MusicSpec
    ducking: DuckingPlan
    suggested: Suggested
    explanation: str
    wishes: Wishes


def plan_music(analysis: Analysis, wishes: Wishes | None = None, seed: int = 1,
               base: MusicSpec | None = None) -> MusicPlan:  # fmt: skip
    """The music for ``analysis``. ``base`` is the previous spec when the wishes edit it ("make it calmer")."""
    wishes = wishes or Wishes()
    if base is not None:
        valence, arousal = base.valence, base.arousal
    else:
        valence, arousal = analysis.valence, analysis.arousal
    if wishes.mood is not None:
        valence = WORDS_WEIGHT * wishes.mood[0] + (1 - WORDS_WEIGHT) * valence
        arousal = WORDS_WEIGHT * wishes.mood[1] + (1 - WORDS_WEIGHT) * arousal
    valence = max(-1.0, min(1.0, valence + wishes.change[0]))
    arousal = max(-1.0, min(1.0, arousal + wishes.change[1]))
    genre = wishes.genre or (base.genre if base is not None and wishes.mood is None else None)
    genre = genre or choose_genre(valence, arousal)
    spec = MusicSpec(
        duration_s=max(MIN_DURATION_S, analysis.duration_s),
        valence=round(valence, 3),
        arousal=round(arousal, 3),
        genre=genre,
        bpm=wishes.bpm
        if wishes.bpm is not None
        else (base.bpm if base is not None and wishes.change == (0, 0) else None),
        drums=wishes.drums if wishes.drums is not None else (base.drums if base is not None else None),
        instruments=_instruments(wishes, base),
        energy=analysis.energy,
        cuts_s=analysis.cuts_s,
        speech_s=analysis.speech_s,
        dynamics=wishes.dynamics or (base.dynamics if base is not None else Dynamics.AUTO),
        seed=seed,
    )
    preview = compose(spec)
    lead = spec.instruments.get("lead")
    suggested = Suggested(genre=preview.genre.value, bpm=preview.bpm, key=preview.key.split()[0],
                          mode=preview.character.mode, hits=len(preview.hits_s),
                          lead=PROGRAM_NAMES[lead] if lead is not None else None)  # fmt: skip
    ducking = plan_ducking(analysis.speech_s, analysis.loudness_db, spec.duration_s)
    return MusicPlan(spec=spec, ducking=ducking, suggested=suggested, wishes=wishes,
                     explanation=explain(analysis, suggested, ducking, wishes))  # fmt: skip


def _instruments(wishes: Wishes, base: MusicSpec | None) -> dict[str, int]:
    """The parts' instruments: the one the words name for the tune, else those of the music being edited."""
    if wishes.lead is not None:
        return {"lead": wishes.lead}
    return dict(base.instruments) if base is not None else {}


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def describe_footage(analysis: Analysis) -> str:
    words: list[str] = []
    words.append("calm" if analysis.arousal < -0.25 else ("lively" if analysis.arousal > 0.3 else "steady"))
    if analysis.brightness < 0.25:
        words.append("dark")
    elif analysis.brightness > 0.55:
        words.append("bright")
    if analysis.warmth > 0.06:
        words.append("warm")
    elif analysis.warmth < -0.04:
        words.append("cool")
    if analysis.saturation > 0.3:
        words.append("colourful")
    elif analysis.saturation < 0.1:
        words.append("muted")
    noun = "images" if analysis.kind == "image" else "footage"
    motion = "still" if analysis.motion < 0.004 else ("slow motion" if analysis.motion < 0.015 else "fast motion")
    cuts = len(analysis.transitions) / max(1.0, analysis.duration_s) * 60
    pace = ", quick cuts" if cuts > 20 else ""
    return f"{', '.join(words)} {noun} with {motion}{pace}"


def explain(analysis: Analysis, suggested: Suggested, ducking: DuckingPlan, wishes: Wishes) -> str:
    """One sentence for the user: why the music sounds as it does, and where it steps back."""
    mode = "major" if suggested.mode in ("major", "lydian", "mixolydian") else "minor"
    reason = describe_footage(analysis) + (", and your words" if wishes.says_something else "")
    sentence = (
        f"{reason[0].upper()}{reason[1:]}: {suggested.genre} at {round(suggested.bpm)} bpm in {suggested.key} {mode}"
    )
    if suggested.lead is not None:
        sentence += f", the tune on the {suggested.lead}"
    if analysis.transitions and suggested.hits:
        total = len(analysis.transitions)
        counted = f"{suggested.hits}" if suggested.hits == total else f"{suggested.hits} of {total}"
        sentence += f", accents on {counted} scene change{'s' if total != 1 else ''}"
    if ducking.spans:
        spans = ", ".join(f"{_clock(s)}-{_clock(e)}" for s, e in ducking.spans[:3])
        more = " and later" if len(ducking.spans) > 3 else ""
        sentence += (
            f", quieter under the speech at {spans}{more}" if analysis.speech_s else f", quieter at {spans}{more}"
        )
    return sentence + "."
