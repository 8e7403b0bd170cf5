"""The GUI translator: backend text that assumes a graphical editor, rewritten into what the tools do.

"Click Export" becomes "say export (or call the export tool)"; "drag the clip" becomes "tell me the change";
"preview it in the timeline" becomes "ask for the state to see the timeline". What the text says about
the content (the music, the mood, the edit) is kept.
"""

from __future__ import annotations

import re

RULES: list[tuple[str, str]] = [
    (
        r"(click|press|tap|hit)( on)? (the )?[\"'“]?export[\"'”]?( button)?|点击导出|导出按钮",
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
        r"(drag|drop|drag and drop|拖拽|拖动)( the| a)? ?([\w\- ]+?)? ?(onto|into|to)? ?(the )?(timeline|track)?",
        "tell me the change and I will make it",
    ),
    (r"(open|打开) (the )?(project|editor|panel|library|media library|settings|素材库|面板)", "ask for the state"),
    (r"(check|open|go to) (your )?(account|billing|plan|subscription)|查看账户|充值页面", "ask for your credits"),
    (r"(click|press|tap|select)( on)? (the )?[\"'“]?([\w ]+?)[\"'”]?( button| tab| menu| icon)", "ask me to do it"),
    (r"点击\s*[「“\"]?([^」”\"，。]+)[」”\"]?", "告诉我，我来完成"),
]


def translate(text: str) -> str:
    """Rewrite GUI instructions; leave everything else as it is."""
    out = text
    for pattern, replacement in RULES:
        out = re.sub(pattern, replacement, out, flags=re.IGNORECASE)
    return re.sub(r"\s{2,}", " ", out).strip()
