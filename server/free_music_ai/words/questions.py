"""Questions about the music ("what key is it in?", "这是什么调?"), read as the things asked about.

A question changes nothing: the session answers it from what it knows and writes no file. A request phrased
as a question ("can you make it calmer?") is a request, not a question.
"""

from __future__ import annotations

import re
from enum import StrEnum


class Asked(StrEnum):
    KEY = "key"
    TEMPO = "tempo"
    GENRE = "genre"
    INSTRUMENT = "instrument"
    HITS = "hits"
    LOUDNESS = "loudness"


_QUESTION = re.compile(r"\?|？|^\s*(what|which|how|where|when|is|are|does|do(?!\s+not\b)|tell me)\b|什么|多少|哪|吗|几",
                       re.I)  # fmt: skip
# a request phrased as a question is a request: "could the music be louder?", "any chance of a hit at 0:15?", "is the
# music too loud? lower it to 20%", "can the intro be quieter?", "can we get a hit at 0:15?", "when the door opens at
# 0:15, add a hit"; "do not add a hit at 0:15" is no question
_REQUEST = re.compile(r"^\s*(can|could|would|will) you\b|^\s*(please|make|add|set|put|change|give|let)\b|"
                      r"\b(make|turn) (it|the music)\b|\b(can|could) (the music|it|the song|the track|the drums|"
                      r"the tempo) be\b|\bany chance\b|\b(what|how) about (a|an|adding|making|some|more|less|trying|"
                      r"using)\b|\bwhat if (we|you|it|the music)\b|[.?!]\s*(lower|raise|make|add|set|put|change|"
                      r"turn|give|let|remove|mute)\b|\b(can|could) (we|i) (get|have|add|put|make|do)\b|"
                      r"\bcan there be\b|\b(can|could) the \w+(?: \w+)? be\b|\bis it possible to\b|"
                      r",\s*(add|put|make|give|set|mute|stop|start|lower|raise)\b|请|帮我|把", re.I)  # fmt: skip
_TOPICS: list[tuple[re.Pattern[str], Asked]] = [
    (re.compile(r"\bkey\b|\bmode\b|\bmajor\b|\bminor\b|什么调|调性|大调|小调", re.I), Asked.KEY),
    (re.compile(r"\btempo\b|\bbpm\b|how fast|how slow|\bspeed\b|速度|节拍|多快", re.I), Asked.TEMPO),
    (re.compile(r"\bgenre\b|\bstyle\b|what kind of music|what sort of music|风格|类型|曲风", re.I), Asked.GENRE),
    (re.compile(r"instrument|\bmelody\b|\btune\b|\blead\b|乐器|旋律", re.I), Asked.INSTRUMENT),
    (re.compile(r"\bhits?\b|\baccents?\b|\bbuilds?\b|\bdrops?\b|重音|渐强", re.I), Asked.HITS),
    (re.compile(r"\bloud|\bvolume\b|\blevel\b|\bquiet|音量|多响|响度", re.I), Asked.LOUDNESS),
]


def questions_in(text: str) -> list[Asked]:
    """What a question asks about the music, in the order of the table; empty when the text is no question
    (or is a request phrased as one)."""
    if not _QUESTION.search(text) or _REQUEST.search(text):
        return []
    return [asked for pattern, asked in _TOPICS if pattern.search(text)]
