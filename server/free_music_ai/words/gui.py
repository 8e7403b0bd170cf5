"""The GUI translator: backend text that assumes a graphical editor, rewritten into what the tools do.

"Click Export" becomes "say export (or call the export tool)"; "drag the clip" becomes "tell me the change";
"preview it in the timeline" becomes "ask for the state to see the timeline". What the text says about
the content (the music, the mood, the edit) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

RULES: list[tuple[str, str]] = [
    (
        r"(click|press|tap|hit)( on)? (the )?[\"'“]?export[\"'”]?( button)?|点击导出按钮|点击导出|导出按钮",
        "ask me to export (the export tool renders it)",
    ),
    (
        r"(click|press|tap)( on)? (the )?[\"'“]?download[\"'”]?( button)?|点击下载",
        "ask me to export and I will give you the file",
    ),
    (
        r"preview (it )?(in|on) the timeline|check the timeline|在时间线(上|中)?预览",
        "ask for the state to see the timeline summary",
    ),
    (
        r"\b(drag and drop|drag|drop)\b( the| a| your)?( [\w\-]+){0,3} (onto|into|to|on) (the )?(timeline|track)\b"
        r"|(拖拽|拖动)[^，。]{0,12}(时间线|轨道)",
        "tell me the change and I will make it",
    ),
    (r"(open|打开) (the )?(project|editor|panel|library|media library|settings|素材库|面板)", "ask for the state"),
    (r"(check|open|go to) (your )?(account|billing|plan|subscription)|查看账户|充值页面", "ask for your credits"),
    (r"(click|press|tap|select)( on)? (the )?[\"'“]?([\w ]+?)[\"'”]?( button| tab| menu| icon)", "ask me to do it"),
    (r"点击\s*[「“\"]?([^」”\"，。]+)[」”\"]?", "告诉我，我来完成"),
]


def translate(text: str) -> str:
    """Rewrite GUI instructions; leave everything else as it is. Quoted words (a title, a name) are kept as
    written: a rule may take a quoted button label whole ('click the "Export" button'), never a piece of one."""
    from free_music_ai.words.message import QUOTED

    quoted = [(m.start(), m.end()) for m in QUOTED.finditer(text)]

    def outside(match: re.Match[str]) -> bool:
        # a match may hold a quoted string whole, but neither start nor end inside one
        return not any(start <= match.start() < end or start < match.end() < end for start, end in quoted)

    def rewrite(replacement: str) -> Callable[[re.Match[str]], str]:
        return lambda match: match.expand(replacement) if outside(match) else match.group(0)

    out = text
    for pattern, replacement in RULES:
        out = re.sub(pattern, rewrite(replacement), out, flags=re.IGNORECASE)
        quoted = [(m.start(), m.end()) for m in QUOTED.finditer(out)]
    return re.sub(r"[ \t]{2,}", " ", out).strip()
