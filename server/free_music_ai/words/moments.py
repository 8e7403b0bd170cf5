"""Times in the words ("hit at 0:15", "build up to 0:42", "a drop at 0:30", "quiet from 0:10 to 0:20", "no drums
until 0:08", "start the music at 0:05", "stop the music at 0:50", "end on a big hit", "在0:15加一个重音",
"0:30开始渐强"), read as typed moments and the music's own start and stop."""

from __future__ import annotations

import re
from dataclasses import dataclass

from free_music_ai.engine.music.moments import BUILD_S, Build, Moments

# a time of the video: 0:15, 1:02.5, 15s, 15 sec, 15 seconds, 15秒
_TIME = r"(\d{1,2}:\d{2}(?:\.\d+)?|\d+(?:\.\d+)?\s*(?:s\b|secs?\b|seconds?\b|秒))"
_HIT = re.compile(rf"\b(?:hit|accent|stab|boom|impact|bang|sting)s?\s+(?:at|on)\s+{_TIME}|在\s*{_TIME}\s*(?:处|时)?"
                  rf"\s*(?:加|放|来)?\s*(?:一个|个)?\s*重音|{_TIME}\s*(?:处|时)?\s*(?:加|放|来)?\s*(?:一个|个)?\s*重音",
                  re.I)  # fmt: skip
_DROP = re.compile(rf"\bdrop\s+(?:at|on)\s+{_TIME}|在\s*{_TIME}\s*(?:处|时)?\s*(?:来个|来一个)?\s*drop", re.I)
_BUILD_TO = re.compile(rf"\bbuild(?:s|ing)?(?:\s+up)?\s+(?:to|until|till)\s+{_TIME}|渐强(?:到|至)\s*{_TIME}", re.I)
_BUILD_FROM = re.compile(rf"\bbuild(?:s|ing)?(?:\s+up)?\s+from\s+{_TIME}|{_TIME}\s*开始\s*渐强", re.I)
_QUIET = re.compile(rf"\b(?:quiet|soft|calm|low)(?:er)?\s+(?:from|between)\s+{_TIME}\s*(?:to|-|until|and)\s*{_TIME}"
                    rf"|从\s*{_TIME}\s*(?:到|至)\s*{_TIME}\s*(?:安静|轻一点|小声)", re.I)  # fmt: skip
_NO_DRUMS_UNTIL = re.compile(rf"\bno drums (?:until|till|before)\s+{_TIME}|{_TIME}\s*(?:之前|以前)\s*不要鼓", re.I)
_START = re.compile(rf"\b(?:start|begin)\s+the music\s+(?:at|from)\s+{_TIME}|\bmusic (?:starts?|begins?)\s+at\s+"
                    rf"{_TIME}|音乐\s*(?:从|在)\s*{_TIME}\s*开始", re.I)  # fmt: skip
_STOP = re.compile(rf"\b(?:stop|end)\s+the music\s+at\s+{_TIME}|\bmusic (?:stops?|ends?)\s+at\s+{_TIME}"
                   rf"|音乐\s*(?:在|到)\s*{_TIME}\s*(?:结束|停)", re.I)  # fmt: skip
_END_HIT = re.compile(r"\bend(?:s|ing)? (?:on|with) a (?:big |huge |strong )?(?:hit|bang|boom|accent)|以重音结束|"
                      r"结尾(?:加|来)?(?:一个)?重音", re.I)  # fmt: skip


# taking moments away: "remove the hit at 0:15", "no hit at 0:15", "remove the builds", "clear the moments"
_REMOVE_HIT = re.compile(rf"\b(?:remove|delete|drop|take out|no)\s+(?:the\s+)?(?:hit|accent)s?\s+(?:at|on)\s+{_TIME}"
                         rf"|去掉\s*{_TIME}\s*(?:的)?重音", re.I)  # fmt: skip
_REMOVE_ALL = re.compile(r"\b(?:remove|delete|clear)\s+(?:all\s+)?(?:the\s+)?(?:hits|accents|builds|moments|"
                         r"quiet (?:parts|stretches))\b|去掉所有重音|清除", re.I)  # fmt: skip


@dataclass(frozen=True)
class TimedWords:
    """What the words place in time: the moments, where the music itself starts and stops, and what they take
    away."""

    moments: Moments
    music_start_s: float | None = None
    music_stop_s: float | None = None
    removed_hits_s: tuple[float, ...] = ()
    clear: bool = False

    @property
    def any(self) -> bool:
        return (self.moments.any or self.music_start_s is not None or self.music_stop_s is not None
                or bool(self.removed_hits_s) or self.clear)  # fmt: skip


def seconds(text: str) -> float:
    """'0:15' -> 15.0, '1:02.5' -> 62.5, '15s' / '15 seconds' / '15秒' -> 15.0."""
    text = text.strip()
    if ":" in text:
        minutes, rest = text.split(":", 1)
        return int(minutes) * 60 + float(rest)
    return float(re.match(r"\d+(?:\.\d+)?", text).group(0))  # type: ignore[union-attr]


def _times(pattern: re.Pattern[str], text: str) -> list[float]:
    return [seconds(next(g for g in match.groups() if g)) for match in pattern.finditer(text)]


def read_moments(text: str) -> TimedWords:
    removed = tuple(_times(_REMOVE_HIT, text))
    clear = bool(_REMOVE_ALL.search(text))
    text = _REMOVE_ALL.sub(" ", _REMOVE_HIT.sub(" ", text))
    hits = _times(_HIT, text)
    drops = _times(_DROP, text)
    builds = [Build(start_s=max(0.0, t - BUILD_S), peak_s=t) for t in _times(_BUILD_TO, text) + drops if t > 0]
    builds += [Build(start_s=t, peak_s=t + BUILD_S) for t in _times(_BUILD_FROM, text)]
    quiet = []
    for match in _QUIET.finditer(text):
        found = [seconds(g) for g in match.groups() if g]
        if len(found) == 2 and found[1] > found[0]:
            quiet.append((found[0], found[1]))
    until = _times(_NO_DRUMS_UNTIL, text)
    start, stop = _times(_START, text), _times(_STOP, text)
    moments = Moments(hits_s=sorted(set(hits + drops)), builds=builds, quiet_s=quiet,
                      drums_from_s=until[0] if until else None, end_hit=bool(_END_HIT.search(text)))  # fmt: skip
    return TimedWords(moments, start[0] if start else None, stop[0] if stop else None, removed, clear)


def without_moments(text: str) -> str:
    """The text without its timed phrases: "quiet from 0:10 to 0:20" asks for a quiet stretch, not quiet music."""
    for pattern in (_REMOVE_HIT, _REMOVE_ALL, _HIT, _DROP, _BUILD_TO, _BUILD_FROM, _QUIET, _NO_DRUMS_UNTIL, _START,
                    _STOP, _END_HIT):  # fmt: skip
        text = pattern.sub(" ", text)
    return text
