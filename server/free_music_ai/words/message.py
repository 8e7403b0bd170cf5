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
from free_music_ai.project.model import TitlePosition
from free_music_ai.words.levels import fade_in_said, fade_out_said, read_levels
from free_music_ai.words.moment_phrases import ONE_TIME
from free_music_ai.words.moments import read_moments, without_moments
from free_music_ai.words.moments import seconds as seconds_of
from free_music_ai.words.names import says_any
from free_music_ai.words.own_sound_places import read_own_sound_places, without_own_sound_places
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
# a single quote beside a letter of a word written in letters is an apostrophe ("don't"), not a quote; beside a
# Chinese character it quotes ("加标题'夏天'" had no title: every CJK character is a word character to \w)
_LETTER = "A-Za-z0-9_\u00c0-\u024f"
QUOTED = re.compile(rf"[\"“”「『]([^\"“”」』]+)[\"“”」』]|(?<![{_LETTER}])['‘’](.+?)['‘’](?![{_LETTER}])")
QUOTE_MARKS = re.compile(rf"[\"“”「」『』]|(?<![{_LETTER}])['‘’]|['‘’](?![{_LETTER}])")
_TITLE_WORDS = (r"\btitles?\b", r"\btext\b", r"\bcaptions?\b", r"\bheading\b", r"\bcredits?\b", "标题", "字幕",
                "文字")  # fmt: skip
MAX_TITLE_CHARS = 500  # what a title on screen can hold (the renderer's limit)
_SECONDS = re.compile(r"(?:first|for|last)\s+(\d+(?:\.\d+)?)\s*(?:s\b|sec|seconds?)|[前后最]\s*(\d+(?:\.\d+)?)\s*秒")
# a new title's start: "add title 'Hi' at 0:10", "starting at 5s", "在0:10加标题" (not "at the end", "at the top")
_TITLE_STARTS = re.compile(rf"\b(?:at|starting\s+at|from)\s+(?P<at>{ONE_TIME.pattern})"
                           rf"|在\s*(?P<zh>{ONE_TIME.pattern})", re.I)  # fmt: skip
# one title of several, by its place in time: "remove the last title", "delete the second caption"
_ORDINALS = {"first": 0, "second": 1, "third": 2, "last": -1}
_WHICH_TITLE = re.compile(r"\b(?:remove|delete|drop)\s+the\s+(first|second|third|last)\s+(?:title|text|caption)\b")
_CLAUSE_END = re.compile(r"[,.;!?，。；！？\n]|\s(?:and|then)\s")
_TITLE_SPAN = re.compile(rf"\bfrom\s+(?P<first>{ONE_TIME.pattern})\s*(?:to|-|until)\s*(?P<last>{ONE_TIME.pattern})"
                         rf"|从\s*(?P<zfirst>{ONE_TIME.pattern})\s*(?:到|至)\s*(?P<zlast>{ONE_TIME.pattern})",
                         re.I)  # fmt: skip
_RANGE = re.compile(
    r"from\s+(\d+(?:\.\d+)?)\s*s?\s*(?:to|-|until)\s*(\d+(?:\.\d+)?)\s*s?"
    r"|从\s*第?\s*(\d+(?:\.\d+)?)\s*秒?\s*(?:到|至)\s*第?\s*(\d+(?:\.\d+)?)\s*秒"
)
_AT_END = re.compile(r"\bat the end\b|\bend(ing)? (title|credits?|card)\b|\blast \d|结尾|最后|片尾")
_UNDO = re.compile(r"^\s*(please\s+)?(undo|revert)\b|\bundo (that|it|this|the last|my last)\b"
                   r"|(?:^|[,.!;]\s*)(please\s+)?go back\s*[.!]*\s*$|\bgo back to the (previous|last|earlier) "
                   r"(version|one)\b|\bthe (previous|last) (one|version) was better\b"
                   r"|撤销|撤回|(?:回到|退回|恢复到?)上一个?版本?|上一个版本更好")  # fmt: skip
# the project as it first had music: "go back to the first version", "the first one was better", "回到第一个版本"
# (the first version of a session is its upload, with none: "the first" a user means is the first music)
_BACK_TO_FIRST = re.compile(r"\b(?:go|going|get|switch|change)\s+(?:it\s+)?back\s+to\s+(?:the\s+|my\s+)?(?:very\s+)?"
                            r"(?:first|original)\s+(?:version|one|music|track|song|piece)\b"
                            r"|\b(?:revert|return|restore|roll back)\s+(?:it\s+)?to\s+(?:the\s+)?(?:first|original)\s+"
                            r"(?:version|one|music|track|song|piece)\b"
                            r"|\bthe first (?:one|version|music|track|song|piece) (?:was|is|sounded) better\b"
                            r"|\bi (?:liked|preferred|prefer|like) the first (?:one|version|music|track|song|piece)"
                            r"(?: better| more)?\b"
                            r"|(?:回到|恢复到?|退回)(?:最初|第一个?)的?(?:版本|音乐)"
                            r"|第一版更好|还是第一版")  # fmt: skip
# the whole project as a version was ("revert to version 2", "go back to v3", "回到第2版"); the music alone of a
# version is _MUSIC_FROM_VERSION
_BACK_TO_VERSION = re.compile(r"\b(?:go back|revert|return|back|restore|roll back|switch back)\s+(?:to\s+)?"
                              r"(?:the\s+)?(?:version|v)\s*(\d{1,4})\b(?!\s*'?s\s+music)"
                              r"|(?:回到|恢复|退回)(?:到)?第?\s*(\d{1,4})\s*版", re.I)  # fmt: skip
# the titles there are, moved: "move the title to the bottom", "put the text at the top", "标题移到底部"
_MOVE_TITLES = re.compile(r"\b(?:move|put|place|show|shift)\s+(?:the\s+|my\s+|all\s+(?:the\s+)?)?(?:titles?|texts?|"
                          r"captions?)\s+(?:up\s+|down\s+)?(?:to|at|on|in)\s+(?:the\s+)?(top|bottom|center|centre|middle)\b"
                          r"|(?:标题|字幕|文字)(?:移到|放到|放在|移至)(顶部|底部|中间)")  # fmt: skip
# the titles there, moved in time: "move the title to 0:10", "show the text at 5 seconds", "标题移到0:10"
_TITLES_AT = re.compile(rf"\b(?:move|put|show|shift|start)\s+(?:the\s+|my\s+|all\s+(?:the\s+)?)?(?:titles?|texts?|"
                        rf"captions?)\s+(?:to|at|from)\s+(?P<at>{ONE_TIME.pattern})"
                        rf"|(?:标题|字幕|文字)(?:移到|放到|改到|放在)\s*(?P<zh>{ONE_TIME.pattern})", re.I)  # fmt: skip
# "add title Summer Vibes for 3 seconds", "put a caption saying Day 1 at the top", "title: Hello"
_UNQUOTED_TITLE = re.compile(r"\b(?:add|put|with)\s+(?:a\s+|the\s+)?(?:title|caption|text)"
                             r"(?:\s*:|\s+(?:that\s+says|saying|reading))?\s+([^,.;!?\n]{1,80}?)"
                             r"(?=\s+(?:for|from|at|on|in|to|until)\s|\s+(?:and|then)\s+(?:make|add|set|put|change|"
                             r"use|turn|lower|raise|mute|remove|give|export)\b|\s+then\s|\s*[,.;!?\n]|\s*$)"
                             r"|^\s*title\s*:\s*([^,.;!?\n]{1,80})"
                             r"|(?:加|添加|加个|加一个|放个|放一个)?(?:标题|字幕)\s*[:：]\s*([^，。；！？,.;!?\n]{1,40})",
                             re.I)  # fmt: skip
_PLACES: dict[str, TitlePosition] = {"top": "top", "bottom": "bottom", "center": "center", "centre": "center",
                                     "middle": "center", "顶部": "top", "底部": "bottom", "中间": "center"}  # fmt: skip
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
# the music named, but not asked for: kept ("don't mute the music", "the music is fine"), or taken away from a part
# of the video that no time says ("no music while I'm talking"), which no new music would answer
_NOT_ASKING_FOR_MUSIC = re.compile(r"\b(?:don'?t|do not|never)\s+(?:mute|remove|delete|stop|fade|change|replace|"
                                   r"touch)\b|\b(?:the\s+)?music\s+(?:is|sounds|was)\s+(?:fine|good|great|ok|okay|"
                                   r"perfect|nice|alright|awesome)\b|\b(?:no|mute|remove|without|kill|turn off)\s+"
                                   r"(?:the\s+)?music\b")  # fmt: skip
_MUSIC_FROM_VERSION = re.compile(r"music (?:from|of) version (\d+)|第\s*(\d+)\s*版的?音乐")
_NEW_MUSIC = re.compile(r"\bgenerate\b|\bnew (?:music|track|song|piece|soundtrack)\b|\bcompose\b|"
                        r"\b(?:make|give|get|pick|choose|write)\s+(?:me\s+|us\s+)?(?:some\s+|a\s+|an\s+|"
                        r"other\s+|different\s+)?(?:background\s+)?(?:music|track|song|soundtrack|bgm)\b|"
                        r"\b(?:match(?:es|ing)?|fits?|suits?)\s+(?:the\s+|my\s+)?(?:mood|vibe|video|footage|clip)\b|"
                        r"\badd (?:some |a |the )?(?:background )?(?:music|bgm|soundtrack)\b|"
                        r"\bcreate (?:some |a )?(?:music|track|song|soundtrack)\b|生成|新的音乐|新音乐|"
                        r"配上?(?:一段|一首|点|个)?(?:背景)?音乐|(?:加|来|换)(?:一段|一首)")  # fmt: skip


CAPABILITIES = (
    "I can: generate background music that matches the video (with a genre, mood or tempo if you like: "
    '"calm lo-fi", "epic", "90 bpm", "no drums"), make another version, make it calmer, more upbeat, '
    'darker or more epic, set the music volume ("music 35%", "lower the music", "mute the music"), fade it '
    '("fade out over the last 5 seconds"), place moments ("hit at 0:15", "build up to 0:42", "quiet from 0:10 to '
    '0:20", "no music from 0:30 to 0:35"), set or mute the original sound, add a title ("add title \'Urban Dreams\' '
    'for the first 3 seconds"), change the format (TikTok/Reels '
    '9:16, YouTube 16:9, Instagram 1:1 or 4:5), work on one upload at a time ("video 2", "back to beach.mp4", '
    '"all the videos together"), undo and redo, and export the video.'
)


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
    if titles and not says_any(plain.lower(), *_TITLE_WORDS):
        # no title is spoken of: the quotes hold the user's own words, relayed ('The user says: "make it calmer"')
        titles, plain = [], QUOTE_MARKS.sub(" ", text)
    if not titles and (titles := unquoted_title(text)):
        plain = plain.replace(titles[0], " ")  # a title's words are not requests ("add title Sad Day")
    low = plain.lower()
    intent = Edits(export=bool(_EXPORT.search(low)))
    back = _BACK_TO_VERSION.search(low)
    if back:
        intent.back_to_version = int(next(g for g in back.groups() if g))
        return intent
    if _BACK_TO_FIRST.search(low):
        intent.back_to_first_music = True
        return intent
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
    moved = _MOVE_TITLES.search(low)
    if moved and not intent.titles:  # a new title's place is its own ("add title 'Hi' at the top")
        intent.titles_to = _PLACES[moved.group(1) or moved.group(2)]
    moved_at = _TITLES_AT.search(low)
    if moved_at and not intent.titles:  # a new title's time is its own ("add title 'Hi' at 0:10")
        intent.titles_at_s = seconds_of(moved_at.group("at") or moved_at.group("zh"))
    # "lower the music from 0:10 to 0:20" is a moment, not the whole level
    untimed = without_own_sound_places(without_moments(plain)).lower()  # their levels are for a stretch only
    read_levels(untimed, intent)
    intent.fade_in_s = fade_in_said(low)
    intent.fade_out_s = fade_out_said(untimed)
    if says_any(
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
    intent.wishes = read_wishes(plain)
    intent.original_stretches = list(read_moments(plain).original_stretches)  # "mute my voice from 0:10 to 0:20"
    intent.original_places = list(read_own_sound_places(plain))  # "lower my voice at the end"
    if intent.wishes.change != (0.0, 0.0) and not intent.regenerate:
        intent.adjust = True
    if intent.regenerate and intent.wishes.says_something and not intent.adjust:
        intent.regenerate, intent.generate = False, True  # "upbeat music, redo the vibe": new music as described
    asks_music = says_any(
        untimed,  # "don't stop the music at 0:40" is a moment refused, not a request for music
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
    ) and not _NOT_ASKING_FOR_MUSIC.search(untimed)  # the timed phrases are moments (words/moments.py)
    # edits of the music that is there (its level, a fade) must not replace it with new music
    volume_only = (intent.music_volume is not None or intent.music_scale is not None or intent.fade_in
                   or intent.fade_out_s is not None)  # fmt: skip
    intent.names_music = asks_music or intent.wishes.says_something
    wished = intent.wishes
    # a genre, a mood, a tempo or an instrument named beside a level still asks for that music ("calm lofi, music
    # 30%"); taking the music away never does
    names_piece = any(v is not None for v in (wished.genre, wished.mood, wished.bpm, wished.lead))
    intent.fresh = bool(_NEW_MUSIC.search(low))
    if intent.music_volume == 0.0 and (names_piece or intent.fresh or says_any(low, r"\binstead\b", "换成")):
        intent.music_volume = None  # "remove the music and make something upbeat": the music replaced, not muted
    # the word "music" alone asks for music where there is none (names_music), and never replaces the music that is
    # there: "music volume 30", "go back to the original music", "duck the music under my voice", "delay the music
    # by 5 seconds" made a new piece
    if intent.music_volume != 0.0 and (
        (asks_music and not volume_only and intent.fresh)
        or (wished.says_something and not intent.adjust and (not volume_only or names_piece))
    ):
        intent.generate = True
    version = _MUSIC_FROM_VERSION.search(low)
    if version:
        intent.music_from_version = int(version.group(1) or version.group(2))
    if version or _REFIT.search(low):
        intent.refit, intent.generate, intent.regenerate = True, False, False
    if intent.wishes.only_edits and not intent.fresh:
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


def unquoted_title(text: str) -> list[str]:
    """A title written without quotes: "add title Summer Vibes for 3 seconds", "add a title that says Day 1" (its
    words up to the first that says when or where; empty when there are none)."""
    found = _UNQUOTED_TITLE.search(text)
    words = (found.group(1) or found.group(2) or found.group(3) or "").strip() if found else ""
    said_when = re.fullmatch(r"(?i)(?:for|from|at|on|in|to|the|a|an|with|and|of|that|which|music|too|please)\b.*",
                             words)  # fmt: skip
    return [words] if words and not said_when else []


def _titles(quoted: list[str], low: str, intent: Edits) -> None:
    if says_any(low, r"(remove|delete|drop|no) (the )?(title|text|caption)s?", "删除标题", "去掉标题"):
        intent.remove_titles = True
        intent.removed_title = quoted[0] if quoted else None
        return
    which = _WHICH_TITLE.search(low)
    if which:  # "remove the last title", "delete the second caption"
        intent.remove_titles = True
        intent.removed_title_at = _ORDINALS[which.group(1)]
        return
    if not quoted or not says_any(low, *_TITLE_WORDS):
        return
    start, end = 0.0, 3.0
    seconds = _SECONDS.search(low)
    span = _RANGE.search(low)
    # the times said in the title's own clause ("title 'Hi' at 0:10, and a hit at 0:15": the hit's time is not its)
    said = re.search(r"title|text|caption|标题|字幕", low)
    # its clause from its start: a time said before the title word is the title's too ("在0:10加标题", "at 0:10 add
    # the title 'Hi'")
    opened = [end.end() for end in _CLAUSE_END.finditer(low, 0, said.start())] if said else []
    clause = _CLAUSE_END.split(low[opened[-1] if opened else 0 :], maxsplit=1)[0]
    starts = None if _AT_END.search(clause) else _TITLE_STARTS.search(clause)
    clock_span = _TITLE_SPAN.search(clause)
    if span:
        start, end = float(span.group(1) or span.group(3)), float(span.group(2) or span.group(4))
    elif clock_span:  # "from 0:02 to 0:06"
        first, last = (
            clock_span.group("first") or clock_span.group("zfirst"),
            clock_span.group("last") or clock_span.group("zlast"),
        )
        start, end = seconds_of(first), seconds_of(last)
    elif starts:  # "add title 'Hi' at 0:10 for 4 seconds": from there, three seconds or as long as said
        start = seconds_of(starts.group("at") or starts.group("zh"))
        end = start + (float(seconds.group(1) or seconds.group(2)) if seconds else 3.0)
    elif seconds:
        end = float(seconds.group(1) or seconds.group(2))
    elif says_any(low, r"whole|entire|throughout|all the way", "全程"):
        end = -1.0
    position = (
        "top" if says_any(low, r"\btop\b", "顶部") else ("bottom" if says_any(low, r"\bbottom\b", "底部") else "center")
    )
    wish = title_wish(quoted[0], start_s=start, end_s=None if end < 0 else end, position=position)
    if not span and end > 0 and _AT_END.search(low):
        wish = TitleWish(wish.text, 0.0, end, position, at_end=True)
    intent.titles.append(wish)
