"""Stretches of the music named by their place, not by times ("make the second half more energetic", "calmer
towards the end", "no music during the intro", "quieter for the last 10 seconds", "后半段更有活力"), read as typed
``Placed`` values: their times are known once the music's length is (plan.py)."""

from __future__ import annotations

import functools
import re

from free_music_ai.engine.music.moments import Placed, Section
from free_music_ai.words.asked import asked
from free_music_ai.words.plain_text import without_matches

# a section of the piece, by the name a listener gives it: its bars are the composed piece's (plan.py)
SECTIONS: dict[str, Section] = {
    "chorus": "chorus", "choruses": "chorus", "hook": "chorus", "hooks": "chorus", "verse": "verse",
    "verses": "verse", "breakdown": "breakdown", "breakdowns": "breakdown", "bridge": "bridge", "bridges": "bridge",
    "副歌": "chorus", "高潮": "chorus", "主歌": "verse", "桥段": "bridge",
}  # fmt: skip
# where in the music, as shares of its length (a part said in seconds, "the last 10 seconds", is read from its number)
SHARES: dict[str, tuple[float, float]] = {
    "first half": (0.0, 0.5), "front half": (0.0, 0.5), "second half": (0.5, 1.0), "latter half": (0.5, 1.0),
    "last half": (0.5, 1.0), "back half": (0.5, 1.0), "middle": (1 / 3, 2 / 3), "end": (0.75, 1.0),
    "ending": (0.75, 1.0), "outro": (0.75, 1.0), "finish": (0.75, 1.0), "finale": (0.75, 1.0),
    "last part": (0.75, 1.0), "beginning": (0.0, 0.25), "start": (0.0, 0.25), "opening": (0.0, 0.25),
    "intro": (0.0, 0.25), "first part": (0.0, 0.25),
    "前半段": (0.0, 0.5), "前半部分": (0.0, 0.5), "后半段": (0.5, 1.0), "后半部分": (0.5, 1.0), "中间": (1 / 3, 2 / 3),
    "结尾": (0.75, 1.0), "开头": (0.0, 0.25), "中间部分": (1 / 3, 2 / 3), "前面": (0.0, 0.25), "后面": (0.5, 1.0),
}  # fmt: skip
PART = (r"(?P<part>(?:first|front|second|latter|last|back) half|middle|(?:very )?end(?:ing)?|outro|last part|"
         r"beginning|start|opening|intro|first part|choruse?s?|hooks?|verses?|breakdowns?|bridges?"
         r"|(?P<edge>last|final|first) (?P<n>\d{1,4}) ?(?:s|secs?|seconds?)\b)"
         r"(?:\s+(?:part|section|bit))?")  # fmt: skip
OF = r"(?:\s+of\s+(?:the\s+|my\s+)?(?:video|clip|music|track|song|piece|it))?"
# what the stretch should be. "bigger" is left to the whole piece's shape at the end ("bigger at the end" is a build
# to the end: wishes.py), and no quiet word is a tempo word
_QUIET = (r"(?:much\s+|a\s+(?:bit|little)\s+|even\s+)?(?:(?:quiet|calm|soft|gentle|mellow|chill|low)(?:er)?\b"
          r"|calm\s+down\b|(?:turn|bring)\s+(?:it\s+|the\s+music\s+)?down\b|too\s+(?:loud|busy|much)\b)")  # fmt: skip
_LIFT = (r"(?:much\s+|a\s+(?:bit|little)\s+|even\s+)?(?:more\s+(?:energetic|upbeat|intense|exciting|epic|powerful|"
         r"dramatic)|(?:energetic|upbeat|intense|exciting|punchier|louder|harder|hype|epic|powerful)\b)")  # fmt: skip
_SILENT = (r"(?:no\s+music|without\s+(?:any\s+)?music|silent|silence\s+(?:the\s+music|it)|muted?|"
           r"(?:take|leave|keep)\s+(?:the\s+)?music\s+out)\b")  # fmt: skip
_DRUMLESS = (r"(?:no\s+drums|without\s+(?:the\s+|any\s+)?drums|(?:cut|remove|drop|mute|lose|take)\s+the\s+drums"
             r"(?:\s+out)?)\b")  # fmt: skip
# the drums brought in ("bring in the drums", "the drums should come in"), at a place said after it
_DRUMS_ENTER = (r"(?:bring|add|start)\s+(?:in\s+)?(?:the\s+|some\s+|a\s+|an\s+)?drums(?:\s+in)?"
                r"|(?:let\s+|have\s+)?(?:the\s+)?drums\s+(?:should\s+|will\s+|to\s+)?(?:come|kick|start|enter|join)s?"
                r"(?:\s+in)?")  # fmt: skip
# the mood of a stretch, played in the parallel minor or major: "make the second half sadder", "happier at the end"
_SADDER = (r"(?:much\s+|a\s+(?:bit|little)\s+|even\s+)?(?:sad(?:der)?|dark(?:er)?|gloom(?:y|ier)|mood(?:y|ier)|"
           r"melanchol(?:y|ic)|somb(?:er|re)|minor|more\s+(?:melancholic|melancholy|somber|sombre|wistful|"
           r"bittersweet|emotional|moody|sad|dark))\b")  # fmt: skip
_HAPPIER = (r"(?:much\s+|a\s+(?:bit|little)\s+|even\s+)?(?:happ(?:y|ier)|bright(?:er)?|cheer(?:ful|ier)|joyful|"
            r"hopeful|uplifting|major|more\s+(?:hopeful|uplifting|cheerful|joyful|positive|optimistic|happy|"
            r"triumphant))\b")  # fmt: skip
_KIND = (rf"(?:(?P<silent>{_SILENT})|(?P<drumless>{_DRUMLESS})|(?P<quiet>{_QUIET})|(?P<lift>{_LIFT})"
         rf"|(?P<minor>{_SADDER})|(?P<major>{_HAPPIER}))")  # fmt: skip
# each is its own pattern, so that each can name its groups alike
_PLACED = (
    # "make the second half more energetic", "the ending quieter", "the last 10 seconds should be calm", "the start is
    # too loud" (not "the second half is energetic" nor "it gets exciting in the second half": the footage, said)
    re.compile(
        rf"(?:\b(?:make|have|keep|let)\s+|^\s*|[,.;!?]\s*|\band\s+)the\s+{PART}{OF}\s+(?:(?:should|must|could|needs?\s+to|"
        rf"has\s+to|to)\s+(?:be|get|sound|feel)\s+|(?:be|get)\s+)?{_KIND}",
        re.I,
    ),
    re.compile(
        rf"\bthe\s+{PART}{OF}\s+(?:is|sounds?|feels?|gets?)\s+(?:a\s+bit\s+|way\s+|kind\s+of\s+|much\s+)?"
        rf"(?P<quiet>too\s+(?:loud|busy|much))\b",
        re.I,
    ),
    # "more energetic in the second half", "calmer towards the end", "no music during the intro", "quieter for the
    # last 10 seconds" (not "calm music for the intro of my vlog": music asked for a part of the video is new music)
    re.compile(
        rf"{_KIND}(?:\s+(?:the\s+music|it))?\s+(?:(?:in|for|during|over|at|towards?|near|by|of)\s+)+"
        rf"the\s+{PART}{OF}",
        re.I,
    ),
    # "for the intro, no music", "at the end, mute the music", "in the last 5 seconds, no music"
    # (only a silence or the drums out: "for the intro, upbeat for the rest" says the rest is upbeat)
    re.compile(
        rf"\b(?:in|for|during|at|over)\s+the\s+{PART}{OF}\s*(?:,\s*)?(?:please\s+)?"
        rf"(?:(?P<silent>{_SILENT})|(?P<drumless>{_DRUMLESS}))",
        re.I,
    ),
    # "cut the last 10 seconds of music", "make the music 10 seconds shorter": it ends that much sooner
    re.compile(
        r"\b(?P<silent>cut|trim|remove)\s+the\s+(?P<part>(?P<edge>last|final) (?P<n>\d{1,4}) ?(?:s|secs?|seconds?))"
        r"\s+(?:of|from)\s+(?:the\s+)?music\b|\bmake\s+the\s+music\s+(?P<n2>\d{1,4}) ?(?:s|secs?|seconds?)\s+"
        r"(?P<shorter>shorter)\b",
        re.I,
    ),
    # "drums only in the second half", "bring the drums in for the ending", "the drums come in after the intro": no
    # drums before it
    re.compile(
        rf"\b(?:drums\s+(?:should\s+)?only(?:\s+(?:play|come in|enter|join)s?)?|{_DRUMS_ENTER})\s+"
        r"(?:(?:in|for|during|at|towards?)\s+the\s+(?P<only>second half|latter half|last half|back half|last part|"
        r"ending|end|outro)|after\s+the\s+(?P<after>intro|beginning|opening|start|"
        r"first part|first half|front half))\b",
        re.I,
    ),
    # "drums only in the intro", "the drums should only play in the first half": none after it
    re.compile(
        r"\bdrums\s+(?:should\s+)?only(?:\s+plays?)?\s+(?:in|for|during|at)\s+the\s+(?P<only_first>intro|beginning|"
        r"opening|start|first part|first half|front half)\b",
        re.I,
    ),
    # "calm down the first 20 seconds", "tone down the ending", "mute the intro"
    re.compile(
        rf"\b(?:(?P<quiet>(?:calm|quiet|tone|turn|bring)\s+down)|(?P<silent>mute|silence))\s+the\s+{PART}{OF}", re.I
    ),
    # "an epic ending", "a big finish", "give it a big finish", "a happy ending", "a sad outro"
    re.compile(
        r"\b(?:an?\s+)?(?:(?P<lift>(?:big|huge|epic|powerful|strong|energetic)(?:\s+epic)?)|"
        r"(?P<minor>sad|dark|melancholic|somber|sombre|bittersweet)|(?P<major>happy|hopeful|uplifting|bright|joyful))\s+"
        r"(?P<part>ending|finish|finale|outro)\b",
        re.I,
    ),
    # "end on a happy note", "finish on a sad note"
    re.compile(
        r"\b(?:end|finish)(?:s|ing)?\s+(?:it\s+)?on\s+an?\s+(?:(?P<minor>sad|dark|melancholic|somber|bittersweet)|"
        r"(?P<major>happy|hopeful|uplifting|bright|positive)|(?P<lift>high))\s+note\b(?P<part>)",
        re.I,
    ),
    # "a more energetic second half", "a calmer middle"
    re.compile(
        rf"\ban?\s+{_KIND}\s+(?P<part>(?:first|second|latter|back) half|middle|outro|chorus|verse|bridge|"
        r"breakdown)\b",
        re.I,
    ),
)
_PLACED_CHINESE = re.compile(r"(?P<part>前半段|前半部分|后半段|后半部分|中间部分|中间|结尾|开头|前面|后面"
                             r"|副歌|高潮|主歌|桥段|最后\s*(?P<n>\d{1,4})\s*秒)"
                             r"(?:的)?(?:音乐)?\s*(?:要|更|再|可以)?(?:(?P<silent>不要音乐|没有音乐|静音)"
                             r"|(?P<drumless>不要鼓)|(?P<quiet>安静|轻|柔和|舒缓|小声|小一点)"
                             r"|(?P<lift>有活力|激烈|燃|嗨|有力量|动感|大声)"
                             r"|(?P<minor>悲伤|伤感|忧伤|难过|暗淡|低沉)"
                             r"|(?P<major>欢快|开心|快乐|明亮|积极|阳光))")  # fmt: skip


# the video's own sound said just before: "my voice is too loud at the end" is not the music's ending
_OWN_SOUND = re.compile(r"\b(?:voice|vocals|original|mic|narration|my audio|the audio|talking)\b[^.,;!?]*$", re.I)


def _placed(match: re.Match[str]) -> Placed | None:
    found = match.groupdict()
    if found.get("n2"):  # "make the music 10 seconds shorter"
        return Placed(first=1.0, last=1.0, seconds=float(found["n2"]), kind="silent")
    if found.get("only"):  # "drums only in the second half": none in the part before it
        first = SHARES[found["only"].lower()][0]
        return Placed(first=0.0, last=first, kind="drumless")
    if found.get("only_first"):  # "drums only in the intro": none after it
        return Placed(first=SHARES[found["only_first"].lower()][1], last=1.0, kind="drumless")
    if found.get("after"):  # "the drums come in after the intro": none in it
        return Placed(first=0.0, last=SHARES[found["after"].lower()][1], kind="drumless")
    kind = next(k for k in ("silent", "drumless", "quiet", "lift", "minor", "major") if found.get(k))
    part = (match.group("part") or "ending").lower().replace("very ", "")  # "end on a happy note": its ending
    if found.get("n"):  # "the last 10 seconds", "最后10秒", "the first 10 seconds"
        at_end = (found.get("edge") or "last").lower() != "first"
        return Placed(first=float(at_end), last=float(at_end), seconds=float(found["n"]), kind=kind)
    if part in SECTIONS:
        return Placed(first=0.0, last=1.0, kind=kind, section=SECTIONS[part])
    if part not in SHARES:
        return None
    first, last = SHARES[part]
    return Placed(first=first, last=last, kind=kind)


@functools.lru_cache(maxsize=4)  # read for the wishes and for the words without moments
def _read(text: str) -> tuple[tuple[Placed, ...], str]:
    found: list[Placed] = []
    for pattern in (*_PLACED, _PLACED_CHINESE):
        every, said = list(pattern.finditer(text)), []
        for match in every:
            # not "don't make the end calmer", "why…", nor the video's own sound ("my voice is too loud at the end")
            own_sound = _OWN_SOUND.search(text[max(0, match.start() - 30) : match.start()])
            placed = _placed(match) if asked(text, match) and not own_sound else None
            if placed is not None:
                found.append(placed)
            # a mood said of the footage stays the piece's ("it gets sad at the end": sad music)
            if placed is not None or not (match.groupdict().get("minor") or match.groupdict().get("major")):
                said.append(match)
        text = without_matches(text, said)
    return tuple(dict.fromkeys(found)), text


def first_place_at(text: str, kinds: tuple[str, ...]) -> int | None:
    """Where in ``text`` the first stretch of one of ``kinds`` is named ("a big finish": a lift), if one is."""
    starts = [match.start() for pattern in (*_PLACED, _PLACED_CHINESE) for match in pattern.finditer(text)
              if (placed := _placed(match)) is not None and placed.kind in kinds]  # fmt: skip
    return min(starts, default=None)


def read_places(text: str) -> tuple[Placed, ...]:
    return _read(text)[0]


def without_places(text: str) -> str:
    """The text without its placed phrases: "a calmer second half" asks for a quiet stretch, not calm music."""
    return _read(text)[1]
