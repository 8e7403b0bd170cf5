"""What a request says about the music, in English or Chinese: genre, mood, tempo, drums, the instrument for
the tune, and edits."""

from __future__ import annotations

import re

from free_music_ai.engine.music.moments import Moments, Placed
from free_music_ai.engine.music.spec import Dynamics
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.words.asked import asked, refused_before
from free_music_ai.words.genre import genre_from_text
from free_music_ai.words.instrument_stretches import read_instrument_stretches
from free_music_ai.words.instruments import (
    families_added,
    families_back,
    families_out,
    family_levels,
    lead_from_words,
    without_added,
    without_family_words,
)
from free_music_ai.words.levels import without_level_words
from free_music_ai.words.moments import read_moments, untimed, without_moments
from free_music_ai.words.mood import mood_from_words
from free_music_ai.words.negation import changes_said, without_more_moods, without_negated
from free_music_ai.words.places import first_place_at, read_places
from free_music_ai.words.styles import style_from_text

_NO_DRUMS = ("no drums", "without drums", "no percussion", "drumless", "不要鼓", "无鼓", "没有鼓", "不要打击乐")
# how the loudness should move over the piece, longest phrases first
_DYNAMICS: tuple[tuple[str, Dynamics], ...] = (
    ("build up", Dynamics.BUILD), ("builds up", Dynamics.BUILD), ("build to", Dynamics.BUILD),
    ("builds to", Dynamics.BUILD), ("crescendo", Dynamics.BUILD), ("rising", Dynamics.BUILD),
    ("grow to the end", Dynamics.BUILD), ("bigger at the end", Dynamics.BUILD), ("渐强", Dynamics.BUILD),
    ("越来越", Dynamics.BUILD), ("steady", Dynamics.STEADY), ("constant", Dynamics.STEADY),
    ("consistent", Dynamics.STEADY), ("same level", Dynamics.STEADY), ("平稳", Dynamics.STEADY),
    ("wind down", Dynamics.SETTLE), ("calm ending", Dynamics.SETTLE), ("quiet ending", Dynamics.SETTLE),
    ("settle", Dynamics.SETTLE), ("fade away", Dynamics.SETTLE), ("渐弱", Dynamics.SETTLE),
)  # fmt: skip
# how full the arrangement is, and how loud the drums sit (edits of the music that is there); a bigger title is not
# bigger music
_SPARSER = re.compile(r"more minimal|\bminimal\b|\bsimpler\b|\bsparser\b|fewer instruments|less busy|"
                      r"stripped(?: back| down)?|更简单|简单一点|少一点乐器|更简约", re.I)  # fmt: skip
_FULLER = re.compile(r"(?<!title )(?<!text )(?<!font )(?<!caption )\bbigger\b|\bfuller\b|more instruments|\bricher\b|"
                     r"more layers|更丰富|更大气|丰富一点", re.I)  # fmt: skip
_LESS_DRUMS = re.compile(r"less drums|fewer drums|quieter drums|softer drums|drums (?:quieter|softer|down)|"
                         r"drums (?:are |is )?(?:too|so|really|way too|a bit too) (?:loud|busy|much)\b|"
                         r"\b(?:turn|bring) (?:down )?the drums down\b|\b(?:turn|bring) down the drums\b|"
                         r"\blower the drums\b|鼓小一点|鼓轻一点|鼓太响", re.I)  # fmt: skip
_MORE_DRUMS = re.compile(r"(?<!no )more drums|louder drums|punchier drums|drums (?:louder|up)|"
                         r"drums (?:are |is )?(?:too|so|a bit too) (?:quiet|soft|low|weak)\b|"
                         r"\b(?:turn|bring) (?:up )?the drums up\b|\b(?:turn|bring) up the drums\b|"
                         r"\b(?:raise|boost) the drums\b|鼓大一点|鼓重一点", re.I)  # fmt: skip
# the drums taken out in other words than _NO_DRUMS's: "remove the drums", "no more drums", "without any percussion"
_DRUMS_OUT = re.compile(r"\b(?:remove|take out|mute|cut|kill|lose|get rid of|drop)\s+(?:all\s+)?(?:of\s+)?(?:the\s+)?"
                        r"(?:drums|percussion)\b|\bno more drums\b|\bwithout (?:any |the )?(?:drums|percussion)\b",
                        re.I)  # fmt: skip
# the drums asked back, or asked for where the genre has none: "add drums", "bring back the drums", "加鼓"
_DRUMS_IN = re.compile(r"\b(?:add|bring back|put back|bring in|want|with)\s+(?:some\s+|the\s+|a\s+few\s+)?"
                       r"(?:drums|percussion|a beat)\b|\b(?:put|bring) the drums back\b|\bdrums back\b"
                       r"|加(?:点|一点)?鼓|把鼓加回来", re.I)  # fmt: skip
TEXTURE_STEP, DRUMS_STEP_DB, MORE_DRUMS_DB = 1, -4.0, 3.0
# a tempo said with its unit, after "tempo", or after "faster"/"slower" ("faster, like 140", "bump the tempo up to
# 128", "速度120"): never a time or a length ("faster at 0:30", "slower for 20 seconds")
_NOT_A_TIME = r"(?![\d.:%])(?!\s*(?:s\b|secs?\b|seconds?\b|秒|%|percent))"
_BPM = re.compile(rf"(\d{{2,3}}(?:\.\d+)?)\s*(?:bpm|beats per minute|拍)"
                  rf"|\btempo\s+(?:(?:up|down|back)\s+)?(?:of\s+|around\s+|at\s+|to\s+|about\s+|is\s+)?"
                  rf"(\d{{2,3}}(?:\.\d+)?)\b{_NOT_A_TIME}"
                  rf"|\b(?:faster|slower|quicker|speed\s+(?:it\s+)?up|slow\s+(?:it\s+)?down)\W{{0,3}}(?:like|to|around|about|"
                  rf"at)\s+(\d{{2,3}})\b{_NOT_A_TIME}"
                  rf"|(?:速度|节奏|节拍)\s{{0,2}}(?:调到|改成|改为|设为|到|为)?\s{{0,2}}(\d{{2,3}}){_NOT_A_TIME}",
                  re.IGNORECASE)  # fmt: skip


_MOOD_PLACES = ("quiet", "lift", "minor", "major")
# a mood's step said beside a stretch named by its place is that stretch's ("the last 10 seconds feel too busy, calm
# it down"), unless the words say the whole piece ("a livelier second half and the whole thing calmer")
_IT_UP_OR_DOWN = re.compile(r"\b(?:calm|tone|quiet|settle|bring)\s+(?:it|this|that)\s+down\b"
                            r"|\b(?:liven|pump|amp|hype|spice)\s+(?:it|this|that)\s+up\b", re.I)  # fmt: skip
_WHOLE = re.compile(r"\b(?:whole|overall|entire|everything|all of it|the rest)\b|整体|全部|整首", re.I)


def _piece_change(plain: str, text: str, placed: tuple[Placed, ...]) -> tuple[float, float]:
    """The whole piece's mood step. Said after a stretch is named it is that stretch's ("the last 10 seconds feel too
    busy, calm it down"); said before any is named ("make it calmer and end with a big finish", where calmer was
    lost) or of the whole ("...and the whole thing calmer"), the piece's. A place that takes an instrument or the music
    out is no mood: "make it calmer, no drums in the intro" is calmer as a whole."""
    if not any(p.kind in _MOOD_PLACES for p in placed) or _WHOLE.search(text):
        return changes_said(text)
    at = first_place_at(plain, _MOOD_PLACES)  # ``text`` has lost its places: found in the untimed message
    return changes_said(_mood_words(plain[:at])) if at else (0.0, 0.0)


# "a big finish", "an epic ending": the last stretch lifted (places.py) and its final chord struck as a hit; the lift
# alone measured about 1 dB over the unasked ending (the creator probe), not a finish anyone would call big
_BIG_FINISH = re.compile(r"\b(?:big|huge|epic|grand|powerful|massive)\s+(?:finish|finale|ending)\b", re.I)
# a complaint about the final hit, not a request for one: "the big finish is too much", "tone down the ending"
_FINISH_UNWANTED = re.compile(
    r"\b(?:finish|finale|ending|end\s+hit|final\s+hit)\b[^.,;!?]{0,24}?\btoo\s+(?:much|loud|big|strong|heavy|dramatic)\b"
    r"|\b(?:tone|turn)\s+down\s+the\s+(?:(?:big|final)\s+)?(?:finish|finale|ending)\b"
    r"|\b(?:lose|soften|remove|drop|cut|get\s+rid\s+of)\s+the\s+(?:big|final)\s+(?:finish|finale|ending)\b",
    re.I,
)


def _with_big_finish(moments: Moments, text: str, *, unwanted: bool) -> Moments:
    """``moments`` with the final hit a big finish asks for ("give it a big finish"; not "no big finish", nor one
    ``unwanted``: "the big finish is too much")."""
    if moments.end_hit or unwanted or not _says(_BIG_FINISH, text):
        return moments
    return moments.model_copy(update={"end_hit": True})


def _finish_unwanted(text: str) -> bool:
    """Whether ``text`` takes the big finish away: "no big finish", "the ending is too much", "drop the big ending"."""
    refused = any(refused_before(text, said.start()) for said in _BIG_FINISH.finditer(text))
    return refused or bool(_FINISH_UNWANTED.search(text))


def _mood_words(text: str) -> str:
    """``text`` without what names no mood: timed phrases, instruments, levels ("the piano is too quiet")."""
    return without_added(_unnamed(without_moments(text)))


def _unnamed(said: str) -> str:
    """``said`` (its timed phrases out) without the instruments and levels it names: no genre, no mood."""
    return without_level_words(without_family_words(said))


def _says(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``text`` asks for what ``pattern`` names: not refused ("don't remove the drums"), not asked about."""
    return any(asked(text, match) for match in pattern.finditer(text))


def read_wishes(text: str) -> Wishes:
    plain = untimed(text)  # the message without its timed phrases, which are read once, as moments
    finish_unwanted = _finish_unwanted(text)
    # drums asked in for a part of a piece that may have none ("add drums at 0:20", "add drums in the second half"):
    # the piece has drums, from there (its time or place is read below, as the drums' entrance)
    drums_in = _says(_DRUMS_IN, text)
    timed = read_moments(text)
    placed = read_places(plain)
    if finish_unwanted:  # "the big finish is too much" lifts nothing
        placed = tuple(place for place in placed if not (place.kind == "lift" and place.last == 1.0 and
                                                         place.section is None))  # fmt: skip
    out_for, placed_out_for = read_instrument_stretches(text)  # "no piano in the intro"
    placed += placed_out_for
    # the timed phrases say when, not what the whole piece is; an instrument named to move it is no genre ("bring the
    # piano back", "the piano is too quiet"); a level is not a mood ("the music is too quiet")
    said = without_moments(text)
    out, back, levels, added = families_out(said), families_back(said), family_levels(said), families_added(said)
    named = _unnamed(said)  # "add some piano": a piano piece when there is none
    text = without_added(named)
    lowered = text.lower()
    bpm_match = _BPM.search(text)
    said_bpm = float(next(g for g in bpm_match.groups() if g)) if bpm_match else None
    bpm = said_bpm if said_bpm is not None and 40 <= said_bpm <= 200 else None
    no_drums = (any(phrase in lowered or phrase in text for phrase in _NO_DRUMS) or _says(_DRUMS_OUT, text)
                ) and timed.moments.drums_from_s is None  # fmt: skip
    wanted = without_negated(text)  # "no piano", "not too epic": what is named only to be refused is not asked for
    wanted = without_more_moods(wanted)  # "more relaxed": a step towards relaxed, from the mood there
    wanted = _MORE_DRUMS.sub(" ", _LESS_DRUMS.sub(" ", wanted))  # "the drums are too quiet" is not quiet music
    wanted = _IT_UP_OR_DOWN.sub(" ", wanted)  # "calm it down" moves the piece there (a step), names no calm piece
    wanted_low = wanted.lower()
    # "epic" names both a genre family and a mood: both are honoured
    genre = genre_from_text(wanted)
    # a style or an occasion the genres do not name ("reggae", "meditation music"): the genre that plays it nearest
    named_style = None if genre is not None else style_from_text(wanted)
    style = named_style[1] if named_style else None
    mood = mood_from_words(wanted)
    return Wishes(
        genre=style.genre if style else genre,
        style_asked=named_style[0] if named_style and named_style[1].own else None,
        genre_if_new=genre_from_text(without_negated(named)) if added and genre is None else None,
        instruments_added=added,
        mood=mood if mood is not None or style is None else style.mood,
        bpm=bpm,
        drums=False if no_drums else (True if drums_in or _says(_DRUMS_IN, wanted) else None),
        change=_piece_change(plain, text, placed),
        dynamics=next((shape for phrase, shape in _DYNAMICS if phrase in wanted_low or phrase in wanted), None),
        lead=_or(lead_from_words(wanted), style.lead if style else None),
        moments=_with_big_finish(
            timed.moments.merged(out_for) if out_for.any else timed.moments, plain, unwanted=finish_unwanted
        ),
        placed=placed,
        instruments_out=out,
        instruments_back=back,
        instruments_db=levels,
        texture=-TEXTURE_STEP if _SPARSER.search(text) else (TEXTURE_STEP if _FULLER.search(text) else 0),
        drums_db=DRUMS_STEP_DB if _says(_LESS_DRUMS, text) else (MORE_DRUMS_DB if _says(_MORE_DRUMS, text) else 0.0),
        music_start_s=timed.music_start_s,
        music_stop_s=timed.music_stop_s,
        music_shift_s=timed.music_shift_s,
        hits_removed_s=timed.removed_hits_s,
        builds_removed_s=timed.removed_builds_s,
        stretches_removed_s=timed.removed_spans,
        end_hit_removed=timed.end_hit_refused or finish_unwanted,
        finish_removed=finish_unwanted,
        kinds_cleared=timed.cleared,
        moments_cleared=timed.clear,
    )


def _or(said: int | None, otherwise: int | None) -> int | None:
    """What the words said, else what their style brings (an instrument named wins over the style's own)."""
    return said if said is not None else otherwise
