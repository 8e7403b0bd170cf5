"""Times in the words ("hit at 0:15", "hits at 0:05 and 0:12", "build up to 0:42", "build from 0:20 to 0:40",
"a drop at 0:30", "quiet from 0:10 to 0:20", "quiet after 0:30", "build up to 0:15, then calm", "no drums until
0:08", "start the music at 0:05", "fade out at 0:50", "end on a big hit", "在0:15加一个重音", "0:30开始渐强"), read as
typed moments and the music's own start and stop."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

from free_music_ai.engine.music.moments import BUILD_S, STRETCHES, Build, MomentKind, Moments
from free_music_ai.words import moment_phrases as said
from free_music_ai.words.asked import not_asked, refused_before
from free_music_ai.words.places import without_places
from free_music_ai.words.plain_text import without_matches


@dataclass(frozen=True)
class TimedWords:
    """What the words place in time: the moments, where the music itself starts and stops, and what they take
    away."""

    moments: Moments
    music_start_s: float | None = None
    music_stop_s: float | None = None
    removed_hits_s: tuple[float, ...] = ()
    removed_builds_s: tuple[float, ...] = ()  # the peaks of builds taken away
    clear: bool = False
    removed_spans: tuple[tuple[float, float], ...] = ()  # quiet, silent, lifted or drumless stretches taken away
    end_hit_refused: bool = False  # "no hit at the end"
    music_shift_s: float = 0.0  # "delay the music by 5 seconds": +5
    original_stretches: tuple[tuple[float, float, float], ...] = ()  # the video's own sound: (from, to, level)
    cleared: tuple[MomentKind, ...] = ()  # every moment of these kinds taken away ("remove the drops")

    @property
    def any(self) -> bool:
        return (self.moments.any or self.music_start_s is not None or self.music_stop_s is not None
                or bool(self.removed_hits_s) or bool(self.removed_builds_s) or self.clear or bool(self.removed_spans)
                or self.end_hit_refused or bool(self.cleared) or bool(self.music_shift_s)
                or bool(self.original_stretches))  # fmt: skip


def seconds(text: str) -> float:
    """'0:15' -> 15.0, '1:02.5' -> 62.5, '15s' / '15 seconds' / '15秒' -> 15.0."""
    text = text.strip()
    if ":" in text:
        minutes, rest = text.split(":", 1)
        return int(minutes) * 60 + float(rest)
    return float(re.match(r"\d+(?:\.\d+)?", text).group(0))  # type: ignore[union-attr]


def _times(matches: list[re.Match[str]]) -> list[float]:
    """Every time the matched phrases say, in order ("hits at 0:05 and 0:12" says two)."""
    return [seconds(t) for match in matches for t in said.ONE_TIME.findall(match.group(0))]


def _spans(matches: list[re.Match[str]]) -> list[tuple[float, float]]:
    """The (from, to) of phrases that say two times, where the second comes after the first."""
    found = [[seconds(t) for t in said.SPAN_NUMBER.findall(match.group(0))][-2:] for match in matches]  # its two ends
    return [(pair[0], pair[1]) for pair in found if len(pair) == 2 and pair[1] > pair[0]]


Found = dict[re.Pattern[str], list[re.Match[str]]]
# number words before seconds, as digits: "for two seconds", "the first five seconds"
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                 "ten": 10, "fifteen": 15, "twenty": 20, "thirty": 30}  # fmt: skip
_SECONDS_IN_WORDS = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})(\s+sec(?:ond)?s?\b)", re.I)


@functools.lru_cache(maxsize=4)  # a message is read for its moments and for its words without them
def _read(text: str) -> tuple[Found, Found, list[re.Match[str]], str]:
    """Each pattern's phrases, in ``said.READ_ORDER``, each taken out of the text before the next pattern reads it:
    those asked for, and those refused ("don't stop the music at 0:40", "there shouldn't be a drop at 0:30"); the
    "then quiet" phrases (read first, on the whole text); and the text that is left."""
    text = _SECONDS_IN_WORDS.sub(lambda m: f"{_NUMBER_WORDS[m.group(1).lower()]}{m.group(2)}", text)
    then_quiet = list(said.THEN_QUIET.finditer(text))
    text = said.THEN_QUIET.sub(lambda m: m.group(0)[: m.start("then") - m.start()] + " ", text)
    found: Found = {}
    refused: Found = {}
    for pattern in said.READ_ORDER:
        every = list(pattern.finditer(text))
        # a phrase that describes the footage or asks about the music is neither ("there's silence from 0:10 to 0:20
        # in my footage", "why does the music stop at 0:40?")
        matches = [m for m in every if not not_asked(text, m.start(), m.end())]
        found[pattern] = [m for m in matches if not refused_before(text, m.start())]
        refused[pattern] = [m for m in matches if refused_before(text, m.start())]
        text = without_matches(text, every)
    return found, refused, then_quiet, text


def _moments(found: Found, then_quiet: list[re.Match[str]]) -> tuple[Moments, list[float], list[float]]:
    """The moments the phrases say, and the music's starts and stops."""
    hits = _times(found[said.HIT])
    moved = [(m.group("what") or m.group("what2") or "").lower() for m in found[said.MOVE]]
    drops = _times(found[said.DROP]) + _times(found[said.LIFT]) + _times(found[said.THEN_DROP])
    drops += [_times([m])[-1] for m, what in zip(found[said.MOVE], moved, strict=True) if what == "drop"]
    hits += [_times([m])[-1] for m, what in zip(found[said.MOVE], moved, strict=True) if what != "drop"]
    moved_to = [(_moved_kind(m), _times([m])[-1]) for m in found[said.MOVE_TO]]
    drops += [t for kind, t in moved_to if kind == "drops"]
    hits += [t for kind, t in moved_to if kind == "lone_hits"]
    builds = [Build(start_s=a, peak_s=b) for a, b in _spans(found[said.BUILD_SPAN])]
    built_to = _times(found[said.BUILD_TO]) + [t for kind, t in moved_to if kind == "builds"]
    builds += [Build(start_s=max(0.0, t - BUILD_S), peak_s=t) for t in built_to + drops if t > 0]
    builds += [Build(start_s=t, peak_s=t + BUILD_S) for t in _times(found[said.BUILD_FROM])]
    lifted = _spans(found[said.LIFT_SPAN])
    lifted += [
        (t, said.UNTIL_THE_END_S) for m in found[said.LIFT] if m.group("on").lower() != "at" for t in _times([m])
    ]
    spans = _spans(found[said.LIFT_SPAN])  # built into and dropped on ("after 0:20" has its drop already)
    hits += [a for a, _ in spans]
    builds += [Build(start_s=max(0.0, a - BUILD_S), peak_s=a) for a, _ in spans if a > 0]
    silent = _spans(found[said.SILENT]) + [(t, t + said.DROP_OUT_S) for t in _times(found[said.DROP_OUT])]
    silent += _spans(found[said.ONLY_OWN_SOUND])  # "only the original sound from 0:10 to 0:20"
    for match in found[said.SILENT_FOR]:  # "at 0:30 for 2 seconds", or "drop out at 0:30 and come back at 0:35"
        at, then = _times([match])[-2:]
        silent += [(at, then if match.group("back") else at + then)]
    silent += [(at, at + length) for length, at in (_times([m])[-2:] for m in found[said.SILENT_FOR_FIRST])]
    silent = [(a, b) for a, b in silent if b > a]
    quiet = _spans(found[said.QUIET])
    quiet += [(t, said.UNTIL_THE_END_S) for t in _times(found[said.QUIET_AFTER]) + _times(then_quiet)]
    quiet += [(0.0, t) for t in _times(found[said.QUIET_UNTIL]) if t > 0]
    until = _times(found[said.NO_DRUMS_UNTIL])
    drumless = _spans(found[said.NO_DRUMS_SPAN]) + [
        (t, said.UNTIL_THE_END_S) for t in _times(found[said.NO_DRUMS_AFTER])
    ]
    span = _spans(found[said.MUSIC_SPAN])
    minor = _spans(found[said.MINOR_SPAN]) + [(t, said.UNTIL_THE_END_S) for t in _times(found[said.MINOR_AFTER])]
    major = _spans(found[said.MAJOR_SPAN]) + [(t, said.UNTIL_THE_END_S) for t in _times(found[said.MAJOR_AFTER])]
    moments = Moments(hits_s=sorted(set(hits + drops)), builds=builds, quiet_s=list(dict.fromkeys(quiet)),
                      silent_s=list(dict.fromkeys(silent)), drumless_s=list(dict.fromkeys(drumless)),
                      lifted_s=list(dict.fromkeys(lifted)), minor_s=list(dict.fromkeys(minor)),
                      major_s=list(dict.fromkeys(major)),
                      drums_from_s=until[0] if until else None,
                      end_hit=bool(found[said.END_HIT]))  # fmt: skip
    return moments, [a for a, _ in span] + _times(found[said.START]), [b for _, b in span] + _times(found[said.STOP])


def read_moments(text: str) -> TimedWords:
    found, refused, then_quiet, _ = _read(text)
    moments, start, stop = _moments(found, then_quiet)
    # what is refused is taken away: "don't put a hit at 0:15", "there shouldn't be a drop at 0:30", "don't mute the
    # music from 0:10 to 0:20"; a refused start or stop ("don't stop the music at 0:40") is only not done
    no, _, _ = _moments(refused, [])
    refused_drops = [m for m in found[said.REMOVE_BUILD] if "drop" in m.group(0).lower()]
    moved_from = [_times([m])[0] for m in found[said.MOVE]]  # a moved hit or drop leaves where it was
    moved_drops = [_times([m])[0] for m in found[said.MOVE] if "drop" in m.group(0).lower()]
    removed = _times(found[said.REMOVE_HIT]) + _times(refused_drops) + no.hits_s + moved_from  # a drop: build + hit
    spans = tuple(span for name in STRETCHES for span in getattr(no, name))
    spans += tuple((t - 0.01, t + 0.01) for t in _times(found[said.REMOVE_STRETCH_AT]))  # the stretch said inside
    return TimedWords(moments, start[0] if start else None, stop[0] if stop else None, tuple(removed),
                      tuple(_times(found[said.REMOVE_BUILD]) + [b.peak_s for b in no.builds] + moved_drops),
                      clear=bool(found[said.REMOVE_ALL]), removed_spans=spans, end_hit_refused=no.end_hit,
                      cleared=_kinds(found[said.REMOVE_KIND]) + _moved_kinds(found[said.MOVE_TO]),
                      music_shift_s=_shift(found[said.SHIFT]),
                      original_stretches=_own_sound(found[said.OWN_SOUND_SPAN]))  # fmt: skip


# the video's own sound's level for a stretch, by the word that sets it ("mute": 0, "lower": half, "raise": 1.5x)
OWN_SOUND_DOWN, OWN_SOUND_UP = 0.5, 1.5
_OWN_SOUND_OFF = ("mute", "silence", "cut", "remove", "kill", "turn off", "switch off", "off", "muted", "静音", "关掉",
                  "去掉")  # fmt: skip


def _own_sound(matches: list[re.Match[str]]) -> tuple[tuple[float, float, float], ...]:
    """The stretches of the video's own sound the phrases set: (from, to, level), the level a share of its own."""
    stretches = []
    for match in matches:
        span = _spans([match])
        if not span:
            continue
        first, last = span[0]
        level = own_sound_level(match.groupdict())
        stretches.append((first, last, level))
    return tuple(stretches)


def own_sound_level(said: Mapping[str, str | None]) -> float:
    """The share of its level the video's own sound is set to by the word that says it, from a phrase's groups
    (``verb``, ``off``, ``pct``, ``zh``): "mute": 0, "lower": half, "raise": 1.5x, "30%": 0.3."""
    if said.get("pct") is not None:
        return int(said["pct"] or 0) / 100
    word = re.sub(r"\s+", " ", (said.get("verb") or said.get("off") or said.get("zh") or "").lower())
    if word in _OWN_SOUND_OFF:
        return 0.0
    return OWN_SOUND_UP if word in ("raise", "boost", "turn up") else OWN_SOUND_DOWN


def _shift(matches: list[re.Match[str]]) -> float:
    """How far the words move the music, in seconds: later is positive ("delay the music by 5 seconds": 5)."""
    shift = 0.0
    for match in matches:
        later = bool(match.group("later") or match.group("later2"))
        shift += seconds(match.group("n") or match.group("n2")) * (1 if later else -1)
    return shift


def _moved_kind(match: re.Match[str]) -> MomentKind:
    """What "move the drop to 0:40" moves: a drop (a build and a hit at its peak), a hit, or a build."""
    word = next(match.group(name) for name in ("what", "what2", "what3", "what4") if match.group(name)).lower()
    return "lone_hits" if word in ("hit", "accent", "重音") else "builds" if word.startswith("build") else "drops"


def _moved_kinds(matches: list[re.Match[str]]) -> tuple[MomentKind, ...]:
    """The kinds moved without their old time: every one the piece had is taken away (the new one is placed); the
    climax is the piece's drops and builds."""
    kinds: list[MomentKind] = []
    for match in matches:
        climax = any(w in (match.group(n) or "").lower() for n in ("what", "what2", "what3", "what4")
                     for w in ("climax", "高潮"))  # fmt: skip
        kinds += ["drops", "builds"] if climax else [_moved_kind(match)]
    return tuple(dict.fromkeys(kinds))


def _kinds(matches: list[re.Match[str]]) -> tuple[MomentKind, ...]:
    """The kinds of moment "remove the drops", "no more hits", "no big ending" take away all of."""
    kinds: list[MomentKind] = []
    for match in matches:
        word = (match.group("kind") or match.group("verb") or "hits").lower()
        kind: MomentKind = ("drops" if word.startswith("drop") and not word.startswith("dropout") else
                            "builds" if word.startswith("build") else "end_hit" if "end" in word or "final" in word
                            else "quiet" if word.startswith("quiet") else "hits" if word in ("hits", "accents")
                            else "silent")  # fmt: skip
        kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


def untimed(text: str) -> str:
    """The text without its timed phrases (those that name a stretch by its place are still in it)."""
    return _read(text)[3]


def without_moments(text: str) -> str:
    """The text without its timed phrases and those that name a stretch by its place: "quiet from 0:10 to 0:20"
    and "a calmer second half" ask for a quiet stretch, not quiet music."""
    return without_places(_read(text)[3])
