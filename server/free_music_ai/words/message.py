"""What the messages users and host LLMs send mean, as typed edits of the timeline.

The cloud has an LLM agent behind its chat; locally a table of patterns (English and Chinese) does the same
job deterministically. One message may ask several things ("lo-fi music, title 'Hi' for 3 s, 9:16, then
export it"); each is an edit, applied in a fixed order. A message that asks nothing it knows gets a reply
listing what it can do, never a silent no-op.

Quoted text is the user's own words for a title: it is taken out before anything else is read, so a title
"Sad Day" does not make the music sad and "50% off" does not set the volume.
"""

from __future__ import annotations

import re

from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.errors import InputError
from free_music_ai.limits import MAX_MESSAGE_CHARS
from free_music_ai.project.edits import Edits, TitleWish
from free_music_ai.words.moments import without_moments
from free_music_ai.words.negation import changes_said
from free_music_ai.words.plain_text import checked_text, checked_title
from free_music_ai.words.wishes import read_wishes

# a ratio written out wins over a platform's name ("my TikTok about cooking, keep it 16:9"); then the first name that
# matches: "instagram portrait" is 4:5, not the "portrait" of 9:16. A "story" is the format only as one posts it
# ("for my story", "instagram story"), not "a story about my trip"
ASPECT_WORDS: list[tuple[str, Aspect]] = [
    (r"\b4\s*[:/x]\s*5\b", Aspect.PORTRAIT), (r"\b9\s*[:/x]\s*16\b", Aspect.TALL),
    (r"\b1\s*[:/x]\s*1\b", Aspect.SQUARE), (r"\b16\s*[:/x]\s*9\b", Aspect.WIDE),
    (r"instagram (post|portrait)|ig portrait", Aspect.PORTRAIT),
    (r"tiktok|reels?|shorts|vertical|portrait|\b(for|as|in|to) (my |the |an? |your )?(instagram |ig |facebook |fb )?"
     r"(story|stories)\b|\b(instagram|ig|facebook|fb|snapchat) stor(y|ies)\b|竖屏|抖音", Aspect.TALL),
    (r"square|instagram|方形|正方形", Aspect.SQUARE),
    (r"youtube|landscape|horizontal|widescreen|横屏", Aspect.WIDE),
]  # fmt: skip
# double quotes and corner brackets hold anything; single quotes may hold an apostrophe ('Mom's Birthday'):
# they open after a non-letter and close before one
QUOTED = re.compile(r"[\"“”「『]([^\"“”」』]+)[\"“”」』]|(?<!\w)['‘’](.+?)['‘’](?!\w)")
MAX_TITLE_CHARS = 500  # what a title on screen can hold (the renderer's limit)
_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")  # all of "1000%", never its "000%"
_NUMBER = r"(?<![\d.])(\d{1,5}(?:\.\d{1,3})?)\s{0,2}%(?!\s*(?:speed|tempo|faster|slower))"
# what joins a subject to its level: "music 35%", "the music volume to 60%", "music down to 15%", "音乐音量调到30%"
_LINK = (r"(?:\s+(?:volume|level))?(?:\s+(?:is\s+)?(?:at|to|down to|up to|of|=|:))?\s{0,2}"
         r"(?:音量)?(?:调到|调至|设为|设置为|到|为)?\s{0,2}")  # fmt: skip
_MUSIC_PERCENT = re.compile(rf"(?:(?:background\s+)?(?:music|bgm)|背景音乐|音乐){_LINK}{_NUMBER}"
                            rf"|{_NUMBER}\s+(?:music|bgm)\b|\bvolume{_LINK}{_NUMBER}"
                            rf"|\b(?:lower|raise|set|turn|put|bring)\s+it\s+(?:down\s+|up\s+)?to\s+"
                            rf"{_NUMBER}")  # fmt: skip
_ORIGINAL_PERCENT = re.compile(rf"(?:original(?:\s+(?:sound|audio|voice))?|video'?s?\s+(?:own\s+)?(?:sound|audio)|"
                               rf"\bvoice|原声|原音){_LINK}{_NUMBER}|{_NUMBER}\s+(?:original|voice)\b")  # fmt: skip
_UP_WORDS = ("raise", "increase", "boost", "up", "louder", "higher")
_BY_PERCENT = re.compile(rf"\b(lower|reduce|decrease|turn (?:it |the music |the bgm )?down|raise|increase|boost|turn "
                         rf"(?:it |the music |the bgm )?up)\b[^%\d]{{0,25}}?\bby\s+{_NUMBER}"
                         rf"|{_NUMBER}\s+(quieter|softer|lower|louder|higher)\b", re.I)  # fmt: skip
# the music taken away, not replaced: "mute the music", "no music", "I don't want music, just the original audio"
_MUTE_MUSIC = re.compile(r"\b(?:mute|remove|delete|take out|get rid of|turn off|switch off|kill)\s+(?:the\s+|all\s+"
                         r"(?:the\s+)?|my\s+|this\s+)?(?:background\s+)?(?:music|bgm|soundtrack)\b|\bno (?:background "
                         r")?music\b(?!\s+(?:for|until|till|before|after|from|between))|\bwithout (?:any |the )?"
                         r"(?:background )?music\b|\bdon'?t want (?:any )?(?:background )?music|\bjust the original "
                         r"(?:audio|sound)|去掉(?:背景)?音乐|不要(?:背景)?音乐|"
                         r"关闭(?:背景)?音乐|静音音乐|音乐静音")  # fmt: skip
_MUSIC_DOWN = (r"(lower|quieter|softer|turn down|reduce)\b.{0,30}(music|bgm)",
               r"(music|bgm)\b.{0,30}(lower|quieter|softer)", r"(music|bgm)\b.{0,30}\btoo loud",
               r"turn (?:the |my )?(?:music|bgm) down", r"(music|bgm) down\b", r"\breduce it\b",
               "音乐小", "降低音乐", "音乐.*小声", "调低", "音乐太大")  # fmt: skip
_MUSIC_UP = (r"(louder|raise|turn up|increase|boost)\b.{0,30}(music|bgm)", r"(music|bgm)\b.{0,30}\blouder",
             r"(music|bgm)\b.{0,30}\btoo (?:quiet|soft)", r"turn (?:the |my )?(?:music|bgm) up", r"(music|bgm) up\b",
             r"can'?t hear the music", "音乐大", "提高音乐", "调高", "音乐太小")  # fmt: skip
# "fade the music out over the last 5 seconds", "fade out at the end", "最后5秒淡出" (a time, "fade out at 0:50", is the
# music's end: moments.py); without a length the fade takes FADE_OUT_S
_FADE_OUT = re.compile(
    r"\bfade(?:s|d)?\s+(?:the\s+music\s+|the\s+bgm\s+|it\s+)?out\b(?:[^.;!?\d]{0,30}?\b(?:last|final)\s+"
    r"(\d{1,3}(?:\.\d)?)\s*(?:s\b|secs?\b|seconds?\b))?|(?:最后|结尾)\s*(?:(\d{1,3})\s*秒)?\s*淡出|淡出"
)
FADE_OUT_S = 3.0
MIN_FADE_OUT_S = 0.5  # shorter is a click, not a fade
MAX_FADE_OUT_S = 60.0  # longer is the whole of most clips: the music would never be heard at its level
_FADE_IN = re.compile(r"fade[ -]?in|\bfade (?:the music|the bgm|it) in\b|淡入")
# a level's words are not a mood: "the music is too quiet" asks for a louder track, not a quiet one
_LEVEL_WORDS = re.compile(r"\btoo (?:loud|quiet|soft)\b", re.I)
_SECONDS = re.compile(r"(?:first|for|last)\s+(\d+(?:\.\d+)?)\s*(?:s\b|sec|seconds?)|[前后最]\s*(\d+(?:\.\d+)?)\s*秒")
_RANGE = re.compile(
    r"from\s+(\d+(?:\.\d+)?)\s*s?\s*(?:to|-|until)\s*(\d+(?:\.\d+)?)\s*s?"
    r"|从\s*第?\s*(\d+(?:\.\d+)?)\s*秒?\s*(?:到|至)\s*第?\s*(\d+(?:\.\d+)?)\s*秒"
)
_AT_END = re.compile(r"\bat the end\b|\bend(ing)? (title|credits?|card)\b|\blast \d|结尾|最后|片尾")
_UNDO = re.compile(r"^\s*(please\s+)?(undo|revert)\b|\bundo (that|it|this|the last|my last)\b|^\s*(please\s+)?go back"
                   r"\s*[.!]*\s*$|\bgo back to the (previous|last|earlier) (version|one)\b|撤销|撤回")  # fmt: skip
_REDO = re.compile(r"^\s*(please\s+)?redo\s*(that|it|this|the last( change| edit)?)?\s*[.!]*\s*$|重做")
_EXPORT = re.compile(
    r"\bexport\b|\bdownload (it|the video|the file|my video)\b|send me the (video|file|mp4)|"
    r"give me the (video|file|mp4)|\brender (it|the video|now)\b|导出|下载"
)

# the same piece, fitted to the video as it is now
# (not "music that matches the video": a first request's words; "keep the music calm" is a mood)
_REFIT = re.compile(r"match(?:es)? the (?:new|re-?cut|edited|shorter|longer) (?:cut|edit|video|version)"
                    r"|match(?:es)? the (?:cut|edit) (?:again|now)"
                    r"|\bfit (?:the music |it )?to the (?:new )?(?:cut|edit)|"
                    r"\bfit (?:the music |it )?to the new video|\bre-?fit\b|"
                    r"\bkeep the (?:same )?music\b(?=\s*(?:$|[,.;!]|and\b|but\b|for\b|from\b|on\b))|\bsame music\b|"
                    r"音乐(?:匹配|适配)新的?剪辑|保留(?:这首|原来的)?音乐")  # fmt: skip
_MUSIC_FROM_VERSION = re.compile(r"music (?:from|of) version (\d+)|第\s*(\d+)\s*版的?音乐")
_NEW_MUSIC = re.compile(r"\bgenerate\b|\bnew music\b|\bcompose\b|生成|新的音乐|新音乐")

CAPABILITIES = (
    "I can: generate background music that matches the video (with a genre, mood or tempo if you like: "
    '"calm lo-fi", "epic", "90 bpm", "no drums"), make another version, make it calmer, more upbeat, '
    'darker or more epic, set the music volume ("music 35%", "lower the music", "mute the music"), fade it '
    '("fade out over the last 5 seconds"), place moments ("hit at 0:15", "build up to 0:42", "quiet from 0:10 to '
    '0:20"), set or mute the original sound, add a title ("add title \'Urban Dreams\' for the first 3 seconds"), '
    "change the format (TikTok/Reels "
    '9:16, YouTube 16:9, Instagram 1:1 or 4:5), work on one upload at a time ("video 2", "back to beach.mp4", '
    '"all the videos together"), undo and redo, and export the video.'
)


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def without_quotes(text: str) -> str:
    """The message without the user's quoted words (titles), which are never read as requests."""
    return QUOTED.sub(" ", text)


def check_length(message: str) -> None:
    """A message longer than anyone types is refused before any parsing (each parse stays short)."""
    if len(message) > MAX_MESSAGE_CHARS:
        raise InputError(f"The message is {len(message):,} characters long; at most {MAX_MESSAGE_CHARS:,} are read. "
                         "Say what you want in a few sentences.")  # fmt: skip


def interpret(message: str) -> Edits:
    check_length(message)
    checked_text(message, "The message")
    text = message.strip()
    titles = [m.group(1) or m.group(2) for m in QUOTED.finditer(text)]
    plain = without_quotes(text)
    low = plain.lower()
    intent = Edits(export=bool(_EXPORT.search(low)))
    if _UNDO.search(low):
        intent.undo = True
        return intent
    if _REDO.search(low):
        intent.redo = True
        return intent
    for pattern, aspect in ASPECT_WORDS:
        if re.search(pattern, low):
            intent.aspect = aspect
            break
    _titles(titles, low, intent)
    untimed = without_moments(plain)  # "lower the music from 0:10 to 0:20" is a moment, not the whole level
    _volumes(untimed.lower(), intent)
    if _FADE_IN.search(low):
        intent.fade_in = True
    faded = _FADE_OUT.search(untimed.lower())
    if faded:
        said_s = float(faded.group(1) or faded.group(2) or FADE_OUT_S)
        intent.fade_out_s = min(MAX_FADE_OUT_S, max(MIN_FADE_OUT_S, said_s)) if said_s > 0 else FADE_OUT_S
    if _has(
        low,
        r"another (version|one|take)",
        r"\bregenerate\b",
        r"\bredo\b",
        r"try again",
        r"different (music|song|track)",
        "换一首",
        "再来一首",
        "换个",
        "重新生成",
    ):
        intent.regenerate = True
    if changes_said(untimed) != (0.0, 0.0) and not intent.regenerate:
        intent.adjust = True
    intent.wishes = read_wishes(_LEVEL_WORDS.sub(" ", plain))
    if intent.regenerate and intent.wishes.says_something and not intent.adjust:
        intent.regenerate, intent.generate = False, True  # "upbeat music, redo the vibe": new music as described
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
    volume_only = (intent.music_volume is not None or intent.music_scale is not None or intent.fade_in
                   or intent.fade_out_s is not None)  # fmt: skip
    intent.names_music = asks_music or intent.wishes.says_something
    wished = intent.wishes
    # a genre, a mood, a tempo or an instrument named beside a level still asks for that music ("calm lofi, music
    # 30%"); taking the music away never does
    names_piece = any(v is not None for v in (wished.genre, wished.mood, wished.bpm, wished.lead))
    if intent.music_volume != 0.0 and (
        (asks_music and not volume_only)
        or (wished.says_something and not intent.adjust and (not volume_only or names_piece))
    ):
        intent.generate = True
    version = _MUSIC_FROM_VERSION.search(low)
    if version:
        intent.music_from_version = int(version.group(1) or version.group(2))
    if version or _REFIT.search(low):
        intent.refit, intent.generate, intent.regenerate = True, False, False
    if intent.wishes.only_edits and not _NEW_MUSIC.search(low):
        # "hit at 0:15", "more minimal", "less drums": the music that is there, edited
        intent.generate, intent.adjust = False, True
    return intent


def title_wish(text: str, *, start_s: float = 0.0, end_s: float | None = 3.0, position: str = "center") -> TitleWish:
    """A title given as a value (a --title flag, a tool argument): drawn exactly as written."""
    words = checked_title(text).strip()
    if not words:
        raise InputError("A title needs some text.")
    if len(words) > MAX_TITLE_CHARS:
        raise InputError(f"A title holds at most {MAX_TITLE_CHARS} characters; this one has {len(words)}. "
                         "Shorten it, or split it into several titles at different times.")  # fmt: skip
    return TitleWish(words, start_s, end_s, position)


def _titles(quoted: list[str], low: str, intent: Edits) -> None:
    if _has(low, r"(remove|delete|drop|no) (the )?(title|text|caption)s?", "删除标题", "去掉标题"):
        intent.remove_titles = True
        return
    if not quoted or not _has(low, r"\btitle\b", r"\btext\b", r"\bcaption\b", r"\bheading\b", r"\bcredits?\b",
                              "标题", "字幕", "文字"):  # fmt: skip
        return
    start, end = 0.0, 3.0
    seconds = _SECONDS.search(low)
    span = _RANGE.search(low)
    if span:
        start, end = float(span.group(1) or span.group(3)), float(span.group(2) or span.group(4))
    elif seconds:
        end = float(seconds.group(1) or seconds.group(2))
    elif _has(low, r"whole|entire|throughout|all the way", "全程"):
        end = -1.0
    position = "top" if _has(low, r"\btop\b", "顶部") else ("bottom" if _has(low, r"\bbottom\b", "底部") else "center")
    wish = title_wish(quoted[0], start_s=start, end_s=None if end < 0 else end, position=position)
    if not span and end > 0 and _AT_END.search(low):
        wish = TitleWish(wish.text, 0.0, end, position, at_end=True)
    intent.titles.append(wish)


def _volumes(low: str, intent: Edits) -> None:
    """The levels a message asks of the music and of the video's own sound. A number is the level of what it is
    said of ("music 25%, original audio 100%"), never of a price or a product ("save 50%, fun music"); "by 20%"
    and "20% quieter" move the level that is there."""
    if _MUTE_MUSIC.search(low):
        intent.music_volume = 0.0
    if _has(low, r"\bmute\b.*(original|video|voice)|(original|video).*\bmute", "静音原声", "关闭原声", "去掉原声"):
        intent.original_volume = 0.0
    music = _MUSIC_PERCENT.search(low)
    original = _ORIGINAL_PERCENT.search(low)
    if original:
        intent.original_volume = float(next(g for g in original.groups() if g)) / 100
    moved = _BY_PERCENT.search(low)
    if intent.music_volume is not None:
        return
    if moved and not original:
        step = float(moved.group(2) or moved.group(3)) / 100
        up = any(word in (moved.group(1) or moved.group(4)) for word in _UP_WORDS)
        intent.music_scale = round(1 + step if up else max(0.0, 1 - step), 3)
    elif music:
        intent.music_volume = float(next(g for g in music.groups() if g)) / 100
    elif not original and _has(low, r"[\u4e00-\u9fff]") and (percent := _PERCENT.search(low)):
        # Chinese links a number to its subject in more ways than the patterns above read: the subject named
        about_original = _has(low, "原声", "原音", r"original (sound|audio|voice)")
        if about_original:
            intent.original_volume = float(percent.group(1)) / 100
        elif _has(low, r"music|bgm|volume|音乐|音量"):
            intent.music_volume = float(percent.group(1)) / 100
    elif _has(low, *_MUSIC_DOWN):
        intent.music_scale = 0.7
    elif _has(low, *_MUSIC_UP):
        intent.music_scale = 1.35
