"""The plan: analysis plus the user's wishes make the music spec, the ducking plan and a one-sentence explanation."""

from __future__ import annotations

import hashlib
import math

from pydantic import BaseModel, ConfigDict

from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.music.compose import Composition, compose, kept_form
from free_music_ai.engine.music.genres import choose_genre
from free_music_ai.engine.music.moments import FAMILY_STRETCHES, Moments, Placed, clock
from free_music_ai.engine.music.section_spans import LABELS, section_spans
from free_music_ai.engine.music.spec import MIN_DURATION_S, Dynamics, Genre, MusicSpec
from free_music_ai.engine.music.timed import moves_mode
from free_music_ai.engine.plan.ducking import DuckingPlan, plan_ducking
from free_music_ai.engine.plan.edit import music_edit
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.engine.soundfont.general_midi import PROGRAM_NAMES

# Words first: a mood word this far from neutral on an axis (valence or arousal) decides that axis alone; a word
# that barely leans there ("dark" is dark, and says little of energy) leaves the rest of the axis to the footage.
# The old blend (words 0.8, footage 0.2 on both axes) let calm footage turn "upbeat" into cinematic at 87 bpm.
WORDS_CLEAR = 0.4
# Speech over this share of the video: the music is a light bed under the voice (a documentary, a talking head)
SPEECH_BED_SHARE = 0.35
BED_AROUSAL = -0.3
# Footage this dark (brightness 0..1) and this unhappy gets tense music with a pulse, unless it is very still
DARK_BRIGHTNESS, DARK_VALENCE, STILL_AROUSAL = 0.25, -0.45, -0.6


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

    start_s: float = 0.0  # where the music starts in the video (the spec's times are the music's own)
    spec: MusicSpec
    ducking: DuckingPlan
    suggested: Suggested
    explanation: str
    wishes: Wishes
    # what the edit says of itself, apart from the explanation ("there is no choir in it", a moment past the end):
    # the reply when the piece comes out as it was
    notes: tuple[str, ...] = ()


def plan_music(analysis: Analysis, wishes: Wishes | None = None, *, seed: int = 1, base: MusicSpec | None = None,
               base_start_s: float = 0.0) -> MusicPlan:  # fmt: skip
    """The music for ``analysis``. ``base`` is the previous spec when the wishes edit it ("make it calmer"),
    ``base_start_s`` where it starts in the video."""
    wishes = wishes or Wishes()
    start_s, stop_s = _placement(analysis, wishes, base, base_start_s)
    earlier = Moments() if base is None or wishes.moments_cleared else base.moments.shifted(base_start_s)
    # the kinds taken away are the piece's: "move the drop to 0:40" takes its drops away and places the one asked
    earlier = earlier.without_kinds(wishes.kinds_cleared)
    moments = earlier.merged(wishes.moments).without_hits(wishes.hits_removed_s).without_builds(wishes.builds_removed_s)
    moments = moments.without_stretches(wishes.stretches_removed_s)
    if wishes.end_hit_removed:  # "no hit at the end"
        moments = moments.model_copy(update={"end_hit": False})
    if wishes.finish_removed:  # "the big finish is too much": the lift it brought to the end goes with its hit
        moments = moments.model_copy(update={"lifted_s": [(a, b) for a, b in moments.lifted_s if b < stop_s - 0.5]})
    start_s, stop_s, places = _silent_edges(wishes.placed, start_s, stop_s)
    for place in places:  # "a quieter second half": times once the music's own are known
        if place.section is None:  # "no drums in the chorus": once the piece's bars are (below)
            moments = moments.merged(place.moments(start_s, stop_s))
    piece = _stretch_of(analysis, start_s, stop_s)
    footage_genre: Genre | None = None
    if base is not None:
        valence, arousal = base.valence, base.arousal
    else:
        valence, arousal = analysis.valence, analysis.arousal
        if wishes.mood is None and wishes.genre is None:
            footage_genre, arousal = _footage_choice(analysis)
    if wishes.mood is not None:
        valence = _words_first(wishes.mood[0], valence)
        arousal = _words_first(wishes.mood[1], arousal)
    valence = max(-1.0, min(1.0, valence + wishes.change[0]))
    arousal = max(-1.0, min(1.0, arousal + wishes.change[1]))
    recut = base is not None and (abs(base.duration_s - piece.duration_s) > 0.01 or base.cuts_s != piece.cuts_s)
    edit = music_edit(base, wishes, recut) if base is not None else None
    if edit is not None and edit.absent:  # an instrument out of a stretch the piece does not play: nothing asked
        moments = moments.model_copy(update={name: [f for f in getattr(moments, name) if f[0] not in edit.absent]
                                             for name in FAMILY_STRETCHES})  # fmt: skip
    genre = wishes.genre or (edit.genre if edit is not None else None)
    said = wishes
    if base is None and genre is None and wishes.genre_if_new is not None:  # "add some piano", no music yet:
        genre = wishes.genre_if_new  # a piano piece, as before
        said = wishes.model_copy(update={"genre": genre})
    genre = genre or footage_genre or choose_genre(valence, arousal)
    spec = MusicSpec(
        duration_s=max(MIN_DURATION_S, piece.duration_s),
        valence=round(valence, 3),
        arousal=round(arousal, 3),
        genre=genre,
        bpm=wishes.bpm if wishes.bpm is not None else (edit.bpm if edit is not None else None),
        key=edit.key if edit is not None else None,
        mode=edit.mode if edit is not None else None,
        drums=wishes.drums if wishes.drums is not None else (base.drums if base is not None else None),
        instruments=_instruments(wishes, base),
        instruments_out=edit.instruments_out if edit is not None else list(wishes.instruments_out),
        instruments_added=edit.instruments_added if edit is not None else list(wishes.instruments_added),
        instruments_db=edit.instruments_db if edit is not None else dict(wishes.instruments_db),
        energy=piece.energy,
        cuts_s=piece.cuts_s,
        speech_s=piece.speech_s,
        dynamics=wishes.dynamics or (base.dynamics if base is not None else Dynamics.AUTO),
        moments=moments.shifted(-start_s).within(max(MIN_DURATION_S, piece.duration_s)),
        texture=edit.texture if edit is not None else max(-3, min(2, wishes.texture)),
        drums_db=edit.drums_db if edit is not None else wishes.drums_db,
        seed=seed,
        # fitted or edited in its genre, the piece keeps its form (the seed's draw among the forms a length suits moved
        # when the length crossed a form's minimum) and what its verses sing: 37 s of a 48 s film cue lost its chorus
        # to the length, and its verses took the hook in place of their own line
        form=base.form if base is not None and base.genre == genre else None,
        verse_theme=base.verse_theme if base is not None and base.genre == genre else None,
    )
    spec, sectionless = _with_sections(spec, [place for place in places if place.section is not None])
    preview = compose(spec)
    spec = spec.model_copy(update=kept_form(spec, preview))
    spec, moot = _without_moot_modes(spec, preview.character.mode, earlier)
    lead = spec.instruments.get("lead")
    suggested = Suggested(genre=preview.genre.value, bpm=preview.bpm, key=preview.key.split()[0],
                          mode=preview.character.mode, hits=len(preview.hits_s),
                          lead=PROGRAM_NAMES[lead] if lead is not None else None)  # fmt: skip
    ducking = plan_ducking(piece.speech_s, piece.loudness_db, spec.duration_s)
    placed = [f"the music from {clock(start_s)}"] if start_s > 0 else []
    if stop_s < analysis.duration_s - 0.05:
        placed.append(f"ending at {clock(stop_s)}")
    # the accents on the video's cuts under the music, apart from the hits the words asked for
    on_cuts = sum(1 for h in preview.hits_s if all(abs(h - t) > 0.05 for t in spec.moments.hits_s))
    explanation = explain(analysis, suggested, ducking=ducking, wishes=said,
                          moments_said=placed + spec.moments.described(start_s),
                          accents=(on_cuts, len(piece.transitions)))  # fmt: skip
    changes = [*(edit.described(preview.bpm) if edit is not None else []), *moot]
    if changes:
        explanation = f"Changed: {', '.join(changes)}. {explanation}"
    late = past_the_music(wishes.moments, stop_s, analysis.duration_s)
    if sectionless:  # "no drums in the bridge" of a piece without one
        named = " or ".join(dict.fromkeys(sectionless))
        late = f"This piece has no {named}: nothing was placed there (its sections: {_sections_of(preview)}). {late}"
        late = late.strip()
    if late:
        explanation = f"{late} {explanation}"
    notes = tuple(filter(None, (", ".join(changes), late)))
    return MusicPlan(start_s=start_s, spec=spec, ducking=ducking, suggested=suggested, wishes=wishes,
                     explanation=explanation, notes=notes)  # fmt: skip


def _sections_of(piece: Composition) -> str:
    """The sections a listener names in ``piece``, in the order they first come."""
    named = {label: name for name, labels in LABELS.items() for label in labels}
    return ", ".join(dict.fromkeys(named[bar.section] for bar in piece.form.bars if bar.section in named)) or "none"


def _with_sections(spec: MusicSpec, placed: list[Placed]) -> tuple[MusicSpec, list[str]]:
    """``spec`` with the stretches named by a section of its piece ("no drums in the chorus", "a quieter verse")
    where the piece plays that section, and the sections it has none of."""
    if not placed:
        return spec, []
    heard = compose(spec)
    moments = spec.moments
    sectionless: list[str] = []
    for place in placed:
        assert place.section is not None
        spans = section_spans(heard, place.section)
        if not spans:
            sectionless.append(place.section)
        for first, last in spans:
            moments = moments.merged(place.moments_at(first, last))
    return spec.model_copy(update={"moments": moments}), sectionless


def _without_moot_modes(spec: MusicSpec, mode: str, earlier: Moments) -> tuple[MusicSpec, list[str]]:
    """``spec`` without the stretches asked sadder (minor) or happier (major) that its piece, in ``mode``, already is
    ("make the second half sadder" of a minor piece), and what is said of them: nothing when they took the other mood
    asked before away ("happier after 0:20" of a sadder second half: back to the piece's own major there)."""
    said: list[str] = []
    update: dict[str, list[tuple[float, float]]] = {}
    for field, target, other in (("minor_s", "minor", "major_s"), ("major_s", "major", "minor_s")):
        if getattr(spec.moments, field) and not moves_mode(mode, target):
            update[field] = []
            if getattr(earlier, other):
                continue
            said.append(f"the piece is already in a {MODE_WORDS.get(mode, mode)} key, "
                        f"{'sad' if target == 'minor' else 'bright'} as it goes")  # fmt: skip
    return (spec.model_copy(update={"moments": spec.moments.model_copy(update=update)}) if update else spec), said


def past_the_music(moments: Moments, stop_s: float, video_s: float) -> str:
    """What the user asked at times the music never reaches ("a hit at 1:39" of a 24 s video), said so, since it
    is left out; "" when every moment lies inside it."""
    late = moments.past(stop_s).described()
    if not late:
        return ""
    end = f"The video ends at {clock(stop_s)}" if stop_s >= video_s - 0.05 else f"The music ends at {clock(stop_s)}"
    return f"{end}: nothing was placed after it ({', '.join(late)})."


def _placement(analysis: Analysis, wishes: Wishes, base: MusicSpec | None, base_start_s: float) -> tuple[float, float]:
    """Where the music starts and stops in the video: as asked, else as the music being edited did, else the
    whole video."""
    video = analysis.duration_s
    start = wishes.music_start_s if wishes.music_start_s is not None else (base_start_s if base is not None else 0.0)
    stop = video
    if base is not None and base_start_s + base.duration_s < video - 0.05:  # it was stopped early: it still is
        stop = base_start_s + base.duration_s + wishes.music_shift_s  # and moves with it
    start = max(0.0, start + wishes.music_shift_s)  # "delay the music by 5 seconds"
    if wishes.music_stop_s is not None:
        stop = wishes.music_stop_s
    stop = min(video, max(stop, MIN_DURATION_S))
    return max(0.0, min(start, stop - MIN_DURATION_S)), stop


def _silent_edges(placed: tuple[Placed, ...], start_s: float, stop_s: float) -> tuple[float, float, list[Placed]]:
    """The music's start and stop moved by silent stretches named at its start or end ("no music during the
    intro", "no music for the last 10 seconds": it starts or ends there, as a piece of music does), and the
    stretches left."""
    left: list[Placed] = []
    start, stop = start_s, stop_s
    for place in placed:
        first, last = place.span(start_s, stop_s)
        edge = place.kind == "silent" and place.section is None and last - first < 0.9 * (stop_s - start_s)
        if edge and first <= start_s + 0.05:
            start = max(start, last)
        elif edge and last >= stop_s - 0.05:
            stop = min(stop, first)
        else:
            left.append(place)
    if stop - start < MIN_DURATION_S:
        return start_s, stop_s, list(placed)
    return start, stop, left


def _stretch_of(analysis: Analysis, start_s: float, stop_s: float) -> Analysis:
    """The analysis of the stretch of video the music plays under, in the music's own time (from 0)."""
    if start_s <= 0 and stop_s >= analysis.duration_s:
        return analysis
    first, last = int(start_s), max(int(start_s) + 1, math.ceil(stop_s))
    return analysis.model_copy(update={
        "duration_s": stop_s - start_s,
        "energy": analysis.energy[first:last] or analysis.energy[-1:],
        "loudness_db": analysis.loudness_db[first:last] or analysis.loudness_db[-1:],
        "transitions": [t.model_copy(update={"time_s": t.time_s - start_s}) for t in analysis.transitions
                        if start_s < t.time_s < stop_s],
        "speech_s": [(max(a, start_s) - start_s, min(b, stop_s) - start_s) for a, b in analysis.speech_s
                     if b > start_s and a < stop_s],
    })  # fmt: skip


def first_seed(analysis: Analysis, wishes: Wishes) -> int:
    """The seed of a project's first music when nobody names one: drawn from what was measured and what was asked,
    so `analyze` names the key and tempo `render` then writes, and the same clip and words give the same piece
    ("make another version" draws a new one). Only what differs from the defaults is drawn from: a field a later
    release adds (a new kind of moment, an instrument added) would otherwise move every clip's first seed."""
    said = analysis.model_dump_json(exclude_defaults=True) + wishes.model_dump_json(exclude_defaults=True)
    digest = hashlib.sha256(said.encode()).digest()
    return int.from_bytes(digest[:8], "big") % 999_999 + 1


def _words_first(word: float, footage: float) -> float:
    """One mood axis: the words' value where they are clear about it, the footage filling in where they are not."""
    weight = min(1.0, abs(word) / WORDS_CLEAR)
    return weight * word + (1 - weight) * footage


def speech_share(analysis: Analysis) -> float:
    return sum(end - start for start, end in analysis.speech_s) / max(1e-9, analysis.duration_s)


def _footage_choice(analysis: Analysis) -> tuple[Genre | None, float]:
    """What the footage alone asks for (no genre or mood in the words): the genre where the footage decides
    more than its mood (a voice to stay under, a dark scene), and the arousal to play at."""
    if speech_share(analysis) >= SPEECH_BED_SHARE:  # a light bed under the voice, whatever the pictures do
        if analysis.valence >= 0.25:
            return Genre.ACOUSTIC, min(analysis.arousal, BED_AROUSAL)
        return (Genre.AMBIENT if analysis.valence >= -0.3 else Genre.PIANO), min(analysis.arousal, BED_AROUSAL)
    dark = analysis.brightness < DARK_BRIGHTNESS and analysis.valence < DARK_VALENCE
    if dark and analysis.arousal > STILL_AROUSAL:  # a dark, tense scene: a pulse under it, not a calm blanket
        return Genre.SUSPENSE, max(analysis.arousal, 0.0)
    return None, analysis.arousal


def _instruments(wishes: Wishes, base: MusicSpec | None) -> dict[str, int]:
    """The parts' instruments: the one the words name for the tune, else those of the music being edited."""
    if wishes.lead is not None:
        return {"lead": wishes.lead}
    return dict(base.instruments) if base is not None else {}


# The mode as a listener would be told it: modes other than major and minor by their name and what they sound like
MODE_WORDS = {"major": "major", "minor": "minor", "dorian": "dorian (minor with a brighter sixth)",
              "mixolydian": "mixolydian (major with a softer seventh)", "lydian": "lydian (major, floating)",
              "phrygian": "phrygian (minor, darker)"}  # fmt: skip


def _clock(seconds: float, tenths: bool = False) -> str:
    if tenths:
        return f"{int(seconds) // 60}:{seconds % 60:04.1f}"
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"


def _span(start: float, end: float) -> str:
    """A stretch of the video by the clock; to the tenth when whole seconds would not tell its ends apart."""
    tenths = int(start) == int(end)
    return f"{_clock(start, tenths)}-{_clock(end, tenths)}"


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
    if analysis.kind == "image":
        motion = ""
    elif analysis.motion < 0.004:
        motion = " with little movement"
    else:
        motion = " with slow movement" if analysis.motion < 0.015 else " with fast movement"
    cuts = len(analysis.transitions) / max(1.0, analysis.duration_s) * 60
    pace = ", quick cuts" if cuts > 20 else ""
    if speech_share(analysis) >= SPEECH_BED_SHARE:
        pace += ", mostly speech"
    return f"{', '.join(words)} {noun}{motion}{pace}"


def _from_words(wishes: Wishes) -> list[str]:
    """What the words decided, in the order a listener hears it."""
    decided = (
        (wishes.genre is not None, "the genre"), (wishes.mood is not None, "the mood"),
        (wishes.bpm is not None, "the tempo"), (wishes.lead is not None, "the tune's instrument"),
        (wishes.drums is not None or bool(wishes.drums_db), "the drums"), (wishes.dynamics is not None, "the shape"),
        (bool(wishes.texture), "the layers"), (wishes.change != (0.0, 0.0), "the change you asked for"),
        (wishes.timed, "the moments"),
        (bool(wishes.instruments_out or wishes.instruments_back or wishes.instruments_db or wishes.instruments_added),
         "the instruments"),
    )  # fmt: skip
    return [what for said, what in decided if said]


def explain(analysis: Analysis, suggested: Suggested, *, ducking: DuckingPlan, wishes: Wishes,
            moments_said: list[str] | None = None, accents: tuple[int, int] | None = None) -> str:  # fmt: skip
    """One sentence for the user: why the music sounds as it does (what came from the words, what from the
    footage), and where it steps back."""
    mode = MODE_WORDS.get(suggested.mode, suggested.mode)
    music = f"{suggested.genre} at {round(suggested.bpm)} bpm in {suggested.key} {mode}"
    said = _from_words(wishes)
    footage = describe_footage(analysis)
    if said:
        words = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
        sentence = f"Your words set {words}, the {footage} the rest: {music}"
    else:
        sentence = f"{footage[0].upper()}{footage[1:]}: {music}"
        if speech_share(analysis) >= SPEECH_BED_SHARE:
            sentence += ", a light bed under the voice"
    if wishes.style_asked:  # owned up to first: the user named a style and hears another
        style = wishes.style_asked[0].upper() + wishes.style_asked[1:]
        sentence = f"{style} is not a style I play yet; the nearest I play is {suggested.genre}. {sentence}"
    if suggested.lead is not None:
        sentence += f", the tune on the {suggested.lead}"
    if moments_said:
        sentence += ", " + ", ".join(moments_said)
    on_cuts, total = accents if accents is not None else (suggested.hits, len(analysis.transitions))
    if total and on_cuts:
        counted = f"{on_cuts}" if on_cuts == total else f"{min(on_cuts, total)} of {total}"
        sentence += f", accents on {counted} scene change{'s' if total != 1 else ''}"
    if ducking.spans:
        spans = ", ".join(_span(s, e) for s, e in ducking.spans[:3])
        more = " and later" if len(ducking.spans) > 3 else ""
        sentence += (
            f", quieter under the speech at {spans}{more}" if analysis.speech_s else f", quieter at {spans}{more}"
        )
    return sentence + "."
