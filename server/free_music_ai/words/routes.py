"""The intent router: a message sent to generate that really means export, credits, state or upload.

Table-driven, in English and Chinese, after the cloud protocol's routing table. Edit requests ("add
background music", "make it calmer", "lower the music") are never routed away from the chat, also when they
come with an export ("lower the music to 20% and then export it": the edits first), and a title's quoted
words are never read as a request ("add a title 'Credits' at the end").
"""

from __future__ import annotations

import re
from typing import Literal

Route = Literal["export", "credits", "state", "upload", "message"]

ROUTES: list[tuple[Route, tuple[str, ...]]] = [
    (
        "export",
        (
            r"^\s*export\b",
            # "perfect, export", "looks good! download it": only agreement before it
            r"^\s*(?:(?:ok(?:ay)?|great|perfect|good|nice|thanks|thank you|cool|awesome|looks good|love it|yes|yep|now|"
            r"then|so|please)[\s,.!]*){1,4}(?:export|download)(?: it| now| the video| please)?\s*[.!]*\s*$",
            r"\bexport (it|the video|now|this|my video|to mp4|as mp4|1080p)",
            r"^\s*download\b",
            r"\bdownload (it|the video|the file|my video)\b",
            r"send me the (video|file|result|mp4)",
            r"give me the (video|file|mp4)",
            r"\brender (it|the video|now)\b",
            r"\bi'?m done\b",
            "导出",
            "下载",
            "把视频发给我",
            "发给我",
        ),
    ),
    (
        "credits",
        # (not a film's credits: "add end credits with music", "roll credits at the end")
        (
            r"(?<!end )(?<!roll )(?<!rolling )(?<!closing )\bcredits?\b"
            r"(?! (?:at the end|roll|title|card|scene|music)\b)",
            r"\bbalance\b",
            r"how much (do i have|is left)",
            r"\bquota\b",
            "积分",
            "余额",
            "额度",
        ),
    ),
    (
        "state",
        (
            r"^\s*status\b",
            r"\bshow (me )?(the )?(tracks|timeline|status|state)\b",
            r"what('s| is) (in )?the timeline",
            r"what('s| is) the (status|state)\b",
            r"\bhow('s| is) (it|my \w+|the \w+) (going|coming along)",
            r"\bis (it|my \w+|the \w+) (ready|done)\b",
            r"\bcurrent (state|timeline)\b",
            "状态",
            "时间线",
            "轨道",
        ),
    ),
    (
        "upload",
        (
            r"^\s*upload\b",
            r"\bupload (this|these|my|a|the)\b",
            r"here('s| is| are) (my|the) (video|clip|file|photos?)",
            r"attached",
            "上传",
        ),
    ),
]
# Edits that share words with the routes above ("export" appears in none of them, "download" neither).
NEVER_AWAY = (r"\bmusic\b", r"\bbgm\b", r"\btitle\b", r"\bcalmer\b", r"\bvolume\b", r"\bgenerate\b", "音乐", "标题")


QUESTIONS = (r"^\s*what('s| is) the (status|state)\b", r"^\s*how('s| is) ", r"^\s*is (it|my \w+|the \w+) (ready|done)")


def route(message: str) -> Route:
    from free_music_ai.words.message import interpret, without_quotes

    text = without_quotes(message.strip()).lower()
    for name, patterns in ROUTES:
        if any(re.search(p, text) for p in patterns):
            question = any(re.search(p, text) for p in QUESTIONS)
            if name in ("state", "upload") and not question and any(re.search(p, text) for p in NEVER_AWAY):
                continue  # "show me the music options", "upload... then add music": an edit
            if name == "export" and not interpret(message).empty:
                return "message"  # edits come first; the reply then says to export
            return name
    return "message"
