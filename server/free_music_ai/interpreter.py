"""The local message interpreter: what the messages users and host LLMs send mean, as timeline operations.

The cloud has an LLM agent behind its chat; locally a table of patterns (English and Chinese) does the same
job deterministically. One message may ask several things ("lo-fi music, title 'Hi' for 3 s, 9:16");
each is an operation, applied in a fixed order. A message that asks nothing it knows gets a reply listing
what it can do, never a silent no-op.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from free_music_ai.engine.music.mood_words import mood_changes
from free_music_ai.engine.plan.words import read_wishes

ASPECT_WORDS: list[tuple[str, str]] = [
    (r"\b9\s*[:/x]\s*16\b|tiktok|reels?|shorts|vertical|portrait|story|stories|竖屏|抖音", "9:16"),
    (r"\b4\s*[:/x]\s*5\b|instagram (post|portrait)|ig portrait", "4:5"),
    (r"\b1\s*[:/x]\s*1\b|square|instagram|方形|正方形", "1:1"),
    (r"\b16\s*[:/x]\s*9\b|youtube|landscape|horizontal|widescreen|横屏", "16:9"),
]
_QUOTED = re.compile(r"[\"“”'‘’「『]([^\"“”'‘’」』]{1,200})[\"“”'‘’」』]")
_PERCENT = re.compile(r"(\d{1,3})\s*%")
_SECONDS = re.compile(r"(?:first|for)\s+(\d+(?:\.\d+)?)\s*(?:s\b|sec|seconds?)|前\s*(\d+(?:\.\d+)?)\s*秒")
_RANGE = re.compile(r"from\s+(\d+(?:\.\d+)?)\s*s?\s*(?:to|-|until)\s*(\d+(?:\.\d+)?)\s*s?")

CAPABILITIES = (
    "I can: generate background music that matches the video (with a genre, mood or tempo if you like: "
    '"calm lo-fi", "epic", "90 bpm", "no drums"), make another version, make it calmer, more upbeat, '
    'darker or more epic, set the music volume ("music 35%", "lower the music"), set or mute the original '
    "sound, add a title (\"add title 'Urban Dreams' for the first 3 seconds\"), change the format (TikTok/Reels "
    '9:16, YouTube 16:9, Instagram 1:1 or 4:5), work on one upload at a time ("video 2", "back to beach.mp4", '
    '"all the videos together"), undo and redo, and export the video.'
)


@dataclass
class Intent:
    undo: bool = False
    redo: bool = False
    aspect: str | None = None
    titles: list[tuple[str, float, float | None, str]] = field(default_factory=list)  # text, start, end, position
    remove_titles: bool = False
    music_volume: float | None = None  # absolute (0.35)
    music_scale: float | None = None  # relative (0.7 = lower)
    original_volume: float | None = None
    generate: bool = False
    regenerate: bool = False  # same spec, new seed
    adjust: bool = False  # calmer, darker...: change the last spec
    fade_in: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.undo
            or self.redo
            or self.aspect
            or self.titles
            or self.remove_titles
            or self.generate
            or self.regenerate
            or self.adjust
            or self.fade_in
            or self.music_volume is not None
            or self.music_scale is not None
            or self.original_volume is not None
        )


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def interpret(message: str) -> Intent:
    text = message.strip()
    low = text.lower()
    intent = Intent()
    if _has(low, r"^\s*undo\b", r"\bundo\b", "撤销", "撤回"):
        intent.undo = True
        return intent
    if _has(low, r"\bredo\b", "重做"):
        intent.redo = True
        return intent
    for pattern, aspect in ASPECT_WORDS:
        if re.search(pattern, low):
            intent.aspect = aspect
            break
    _titles(text, low, intent)
    _volumes(low, intent)
    if _has(low, r"fade[ -]?in", "淡入"):
        intent.fade_in = True
    if _has(
        low,
        r"another (version|one|take)",
        r"\bregenerate\b",
        r"try again",
        r"different (music|song|track)",
        "换一首",
        "再来一首",
        "换个",
        "重新生成",
    ):
        intent.regenerate = True
    if mood_changes(text) != (0.0, 0.0) and not intent.regenerate:
        intent.adjust = True
    wishes = read_wishes(text)
    asks_music = _has(
        low,
        r"\bmusic\b",
        r"\bbgm\b",
        r"\bsoundtrack\b",
        r"\btrack\b",
        r"\bsong\b",
        r"\bscore\b",
        r"generate",
        r"\bcompose\b",
        r"matches the mood",
        "配乐",
        "背景音乐",
        "音乐",
        "生成",
    )
    # edits of the music that is there (its level, a fade) must not replace it with new music
    volume_only = intent.music_volume is not None or intent.music_scale is not None or intent.fade_in
    if (asks_music and not volume_only) or (wishes.says_something and not intent.adjust and not volume_only):
        intent.generate = True
    return intent


def _titles(text: str, low: str, intent: Intent) -> None:
    if _has(low, r"(remove|delete|drop|no) (the )?(title|text|caption)s?", "删除标题", "去掉标题"):
        intent.remove_titles = True
        return
    if not _has(low, r"\btitle\b", r"\btext\b", r"\bcaption\b", r"\bheading\b", "标题", "字幕", "文字"):
        return
    quoted = _QUOTED.search(text)
    if not quoted:
        return
    start, end = 0.0, 3.0
    seconds = _SECONDS.search(low)
    span = _RANGE.search(low)
    if span:
        start, end = float(span.group(1)), float(span.group(2))
    elif seconds:
        end = float(seconds.group(1) or seconds.group(2))
    elif _has(low, r"whole|entire|throughout|all the way", "全程"):
        end = -1.0
    position = "top" if _has(low, r"\btop\b", "顶部") else ("bottom" if _has(low, r"\bbottom\b", "底部") else "center")
    intent.titles.append((quoted.group(1).strip(), start, None if end < 0 else end, position))


def _volumes(low: str, intent: Intent) -> None:
    percent = _PERCENT.search(low)
    about_original = _has(
        low, r"original (sound|audio|voice)", r"video('s)? (sound|audio)", r"\bvoice\b", "原声", "原音"
    )
    if _has(low, r"\bmute\b.*(original|video|voice)|(original|video).*\bmute", "静音原声", "关闭原声", "去掉原声"):
        intent.original_volume = 0.0
    elif about_original and percent:
        intent.original_volume = int(percent.group(1)) / 100
    elif percent and _has(low, r"music|bgm|volume|音乐|音量"):
        intent.music_volume = int(percent.group(1)) / 100
    elif _has(
        low,
        r"(lower|quieter|softer|turn down|reduce).*(music|bgm)",
        r"(music|bgm).*(lower|quieter|softer)",
        "音乐小",
        "降低音乐",
        "音乐.*小声",
    ):
        intent.music_scale = 0.7
    elif _has(low, r"(louder|raise|turn up|increase).*(music|bgm)", r"(music|bgm).*(louder|up)", "音乐大", "提高音乐"):
        intent.music_scale = 1.35
