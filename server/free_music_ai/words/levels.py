"""The levels a message asks of the music and of the video's own sound ("music 35%", "the music is too loud",
"lower the music by 20%", "music 25%, original audio 100%", "mute the music"), and its fades ("fade the music out
over the last 5 seconds", "fade in"). A number is the level of what it is said of, never of a price or a product
("save 50% on groceries, fun music")."""

from __future__ import annotations

import re

from free_music_ai.project.edits import Edits
from free_music_ai.words.names import says_any

_PERCENT = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*%")  # all of "1000%", never its "000%"
_NUMBER = (r"(?<![\d.])(\d{1,5}(?:\.\d{1,3})?)\s{0,2}(?:%|percent\b|per\s?cent\b)"
           r"(?!\s*(?:speed|tempo|faster|slower))")  # fmt: skip
# what joins a subject to its level: "music 35%", "music: 30%", "the music volume to 60%", "set the music to about
# 30%", "the music should be 30%", "music down to 15%", "音乐音量调到30%"
_LINK = (r"(?:\s+(?:volume|level))?[\s,:=]{0,3}(?:(?:is|should be|to be|be|at|to|down to|up to|of|around|about|"
         r"roughly|approximately|like|~)\s{0,2}){0,3}(?:音量)?(?:调到|调至|设为|设置为|到|为)?\s{0,2}")  # fmt: skip
# "the voice volume", "original volume": those are the video's own sound, not the music's
_NOT_ORIGINAL = r"(?<!original )(?<!voice )(?<!video )(?<!video's )(?<!videos )(?<!audio )(?<!sound )"
_MUSIC_PERCENT = re.compile(rf"(?:(?:background\s+)?(?:music|bgm)|背景音乐|音乐){_LINK}{_NUMBER}"
                            rf"|{_NUMBER}\s+(?:music|bgm)\b|{_NUMBER}\s+volume\s+(?:for|of|on)\s+the\s+(?:music|bgm)"
                            rf"|{_NOT_ORIGINAL}\bvolume{_LINK}{_NUMBER}"
                            rf"|\b(?:lower|raise|set|turn|put|bring|keep)\s+it\s+(?:down\s+|up\s+)?(?:to|at)\s+"
                            rf"{_NUMBER}")  # fmt: skip
# a level with no unit after the music's volume: "music volume 30" (a percent), "set the music volume to 0.3" (a share)
_MUSIC_VOLUME_BARE = re.compile(r"\b(?:music|bgm)\s+(?:volume|level)\s{0,2}(?:(?:to|at|of|=|:)\s{0,2})?"
                                r"(?<![\d.])(0?\.\d{1,3}|1\.0|\d{1,3})(?![\d.%:]|\s*(?:percent|per\s?cent|bpm|s\b|sec))"
                                r"|\bset\s+(?:the\s+)?(?:music|bgm)\s+to\s+(0?\.\d{1,3})(?![\d.%])")  # fmt: skip
_ORIGINAL = r"original(?:\s+(?:sound|audio|voice))?|video'?s?\s+(?:own\s+)?(?:sound|audio)|\bvoice|原声|原音"
_ORIGINAL_PERCENT = re.compile(rf"(?:{_ORIGINAL}){_LINK}{_NUMBER}|{_NUMBER}\s+(?:original|voice)\b")  # fmt: skip
_UP_WORDS = ("raise", "increase", "boost", "up", "louder", "higher")
STEP_DOWN, STEP_UP = 0.7, 1.35  # "lower the music", "my voice is too quiet": a level moved a step with no number said
# "lower the music by 20%", "make it 20% quieter"; never a tempo, a pitch, the bass or the voice ("increase the tempo
# by 20%", "20% higher pitch", "raise the voice by 20%")
_OTHER_SUBJECT = r"tempo|pitch|speed|bpm|bass|voice|original|vocals?|drums|title|text"
_BY_PERCENT = re.compile(rf"\b(lower|reduce|decrease|turn (?:it |the music |the bgm )?down|raise|increase|boost|turn "
                         rf"(?:it |the music |the bgm )?up)\b(?:(?!{_OTHER_SUBJECT})[^%\d]){{0,25}}?\bby\s+{_NUMBER}"
                         rf"|{_NUMBER}\s+(quieter|softer|lower|louder|higher)\b(?!\s+(?:{_OTHER_SUBJECT}))",
                         re.I)  # fmt: skip
# the music taken away, not replaced: "mute the music", "no music", "I don't want music, just the original audio".
# Not said of a time or a part ("mute the music for the first 5 seconds", "no music during the intro": moments.py
# reads the times), not negated ("don't mute the music"), not a statement ("there's no music yet", "I don't want
# music to cover my voice"), not the drums in it ("去掉音乐里的鼓")
_UNLESS_SAID_OF_A_PART = (
    r"(?!\s*(?:during|in\b|for\b|at\b|after|from|between|until|till|before|when|while|on\b|to\b|"
    r"that|yet|\?|里|中|的))"
)
_NOT_NEGATED = r"(?<!don't )(?<!dont )(?<!do not )(?<!never )(?<!not )(?<!why )"
_MUTE_MUSIC = re.compile(rf"{_NOT_NEGATED}\b(?:mute|remove|delete|take out|get rid of|turn off|switch off|kill)\s+"
                         rf"(?:the\s+|all\s+(?:the\s+)?|my\s+|this\s+)?(?:background\s+)?(?:music|bgm|soundtrack)\b"
                         rf"{_UNLESS_SAID_OF_A_PART}|(?:^|[,.;!]\s*|\bplease\s+|\bjust\s+)no (?:background )?music\b"
                         rf"{_UNLESS_SAID_OF_A_PART}|\bdon'?t want (?:any )?(?:background )?music\b"
                         rf"{_UNLESS_SAID_OF_A_PART}|(?:^|[,.;!]\s*)just the original (?:audio|sound)\s*[.!]*$"
                         rf"|(?:去掉|关闭|关掉)(?:背景)?音乐(?!里|中|的)|(?:^|[，,。])不要(?:背景)?音乐(?!里|中|的|太|盖)"
                         rf"|静音音乐|音乐静音|没有音乐$"
                         # "stop the music" on its own (not "no need to stop the music", "stop the music repeating")
                         rf"|(?:^|[,.;!]\s*|\bplease\s+|\bjust\s+)(?:stop|pause)\s+(?:the\s+)?(?:background\s+)?music"
                         rf"\s*(?:(?:please|now)\s*)?[.!]*$")  # fmt: skip
# "mute the original sound", "mute the video's audio" (not "mute the music but keep the original voice")
_MUTE_ORIGINAL = (r"\bmute\s+(?:the\s+|my\s+|all\s+)?(?:original|video|voice|camera|clip'?s)",
                  r"(?:original|video'?s?)\s+(?:sound|audio|voice)\s+(?:off|muted|mute)\b", "静音原声", "关闭原声",
                  "去掉原声")  # fmt: skip
# levels said of the music as a whole ("the music is too loud", "turn the music down"; not "the music is fine but my
# voice is too quiet"), in English and Chinese
_TOO = r"\s+(?:is\s+|sounds\s+|seems\s+|'s\s+)?(?:a\s+bit\s+|a\s+little\s+|way\s+|much\s+|far\s+|kind\s+of\s+)?too"
# the video's own sound moved: "my voice is too quiet", "turn up the original audio", "lower the video's sound a bit",
# "原声调低", "raise the voice by 20%"
_VOICE = (r"(?:(?:my|the|their|his|her)\s+)?(?:voice|vocals?|speech|talking|original(?:\s+(?:sound|audio|voice))?|"
          r"video'?s?\s+(?:own\s+)?(?:sound|audio))\b(?!\s+(?:from|between|during|until|after|before)\b)")  # fmt: skip
_ORIGINAL_BY = re.compile(rf"\b(raise|boost|increase|turn up|lower|reduce|turn down)\s+{_VOICE}\s+by\s+{_NUMBER}"
                          rf"|{_NUMBER}\s+(louder|quieter|softer|higher|lower)\s+{_VOICE}")  # fmt: skip
_ORIGINAL_DOWN = (rf"\b(?:lower|reduce|soften|turn down)\s+{_VOICE}", rf"\b{_VOICE}{_TOO} loud",
                  rf"\b{_VOICE}\s+(?:a\s+bit\s+)?(?:quieter|softer|lower|down)\b", "原声调低", "原声小一点", "原声太大",
                  "人声调低", "人声太大")  # fmt: skip
_ORIGINAL_UP = (rf"\b(?:raise|boost|increase|turn up)\s+{_VOICE}", rf"\b{_VOICE}{_TOO} (?:quiet|soft)",
                rf"\b{_VOICE}\s+(?:a\s+bit\s+)?louder\b", r"can'?t hear (?:my|the) (?:voice|talking|speech)",
                "原声调高", "原声大一点", "原声太小", "人声调高", "人声太小", "听不清人声")  # fmt: skip
_MUSIC_DOWN = (r"(lower|quieter|softer|turn down|reduce)\s+(?:the\s+|my\s+)?(?:background\s+)?(music|bgm)\b",
               r"(music|bgm)\s+(?:be\s+|get\s+|sound\s+)?(?:a\s+bit\s+|a\s+little\s+)?(lower|quieter|softer)\b",
               r"\b(?:lower|reduce|soften) it\b(?!\s+to\s+\d)", rf"(music|bgm){_TOO} loud",
               r"turn (?:the |my )?(?:music|bgm) down", r"(music|bgm) down\b", r"\breduce it\b(?!\s+to\s+\d)",
               "音乐小", "降低音乐", "音乐.{0,6}小声", "音乐调低", "调低音乐", "音乐调小", "音乐.{0,6}太大",
               "音乐.{0,6}太吵")  # fmt: skip
_MUSIC_UP = (r"(louder|raise|turn up|increase|boost)\s+(?:the\s+|my\s+)?(?:background\s+)?(music|bgm)\b",
             r"(music|bgm)\s+(?:be\s+|get\s+|sound\s+)?(?:a\s+bit\s+|a\s+little\s+)?louder\b",
             r"\b(?:raise|boost) it\b(?!\s+to\s+\d)", rf"(music|bgm){_TOO} (?:quiet|soft)",
             r"turn (?:the |my )?(?:music|bgm) up", r"(music|bgm) up\b", r"can'?t hear the music",
             "音乐大", "提高音乐", "音乐调高", "调高音乐", "音乐调大", "音乐.{0,6}太小")  # fmt: skip
# "fade the music out over the last 5 seconds", "fade out at the end", "最后5秒淡出" (a time, "fade out at 0:50", is the
# music's end: moments.py); without a length the fade takes FADE_OUT_S. Not a title's fade, not "don't fade out"
_FADE_OUT = re.compile(
    r"(?<!title )(?<!text )(?<!caption )(?<!don't )(?<!do not )(?<!no )(?<!not )(?<!never )"
    r"\bfade(?:s|d)?\s+(?:the\s+music\s+|the\s+bgm\s+|it\s+)?out\b(?!\s+the\s+(?:title|text|caption))"
    r"(?:[^.;!?\d]{0,30}?\b(?:last|final)\s+(\d{1,3}(?:\.\d)?)\s*(?:s\b|secs?\b|seconds?\b)"
    r"|\s+(?:over|for|across|during)\s+(?:the\s+)?(\d{1,3}(?:\.\d)?)\s*(?:s\b|secs?\b|seconds?\b))?"
    r"|(?:最后|结尾)\s*(?:(\d{1,3})\s*秒)?\s*淡出|(?<!标题)(?<!字幕)(?<!文字)(?<!不要)(?<!别)淡出"
)
FADE_OUT_S = 3.0
FADE_IN_S = 1.5  # a fade-in asked with no length
MIN_FADE_OUT_S = 0.5  # shorter is a click, not a fade
MAX_FADE_OUT_S = 60.0  # longer is the whole of most clips: the music would never be heard at its level
_FADE_IN = re.compile(r"(?:fade[ -]?in|\bfade (?:the music|the bgm|it) in\b)(?:\s+(?:over|for|across|during)\s+"
                      r"(?:the\s+first\s+|the\s+)?(\d{1,2}(?:\.\d)?)\s*(?:s\b|secs?\b|seconds?\b))?|淡入")  # fmt: skip
# a level's words are not a mood: "the music is too quiet" asks for a louder track, not a quiet one
# (not the drums' level: "the drums are too loud" is read with the drums, wishes.py)
_LEVEL_WORDS = re.compile(r"(?<!drums )(?<!drums are )(?<!drums is )(?<!drums are a bit )(?<!drums are way )"
                          r"\btoo (?:loud|quiet|soft)\b", re.I)  # fmt: skip


def read_levels(low: str, intent: Edits) -> None:
    """The levels a message asks of the music and of the video's own sound. A number is the level of what it is
    said of ("music 25%, original audio 100%"), never of a price or a product ("save 50%, fun music"); "by 20%"
    and "20% quieter" move the level that is there."""
    if _MUTE_MUSIC.search(low):
        intent.music_volume = 0.0
    if says_any(low, *_MUTE_ORIGINAL):
        intent.original_volume = 0.0
    music = _MUSIC_PERCENT.search(low)
    original = _ORIGINAL_PERCENT.search(low)
    if original:
        intent.original_volume = float(next(g for g in original.groups() if g)) / 100
    moved = _BY_PERCENT.search(low)
    if intent.original_volume is None:
        intent.original_scale = _original_scale(low)
    if intent.music_volume is not None:
        return
    if moved and not original:
        intent.music_scale = _moved_by(moved)
    elif music:
        intent.music_volume = float(next(g for g in music.groups() if g)) / 100
    elif bare := _MUSIC_VOLUME_BARE.search(low):
        number = next(g for g in bare.groups() if g)
        share = float(number) if "." in number else float(number) / 100
        if 0 <= share <= 1:
            intent.music_volume = share
    elif not original and says_any(low, r"[\u4e00-\u9fff]") and (percent := _PERCENT.search(low)):
        # Chinese links a number to its subject in more ways than the patterns above read: the subject named
        about_original = says_any(low, "原声", "原音", r"original (sound|audio|voice)")
        if about_original:
            intent.original_volume = float(percent.group(1)) / 100
        elif says_any(low, r"music|bgm|volume|音乐|音量"):
            intent.music_volume = float(percent.group(1)) / 100
    elif says_any(low, *_MUSIC_DOWN):
        intent.music_scale = STEP_DOWN
    elif says_any(low, *_MUSIC_UP):
        intent.music_scale = STEP_UP


def _original_scale(low: str) -> float | None:
    """How much the words move the video's own sound ("raise the voice by 20%", "my voice is too quiet")."""
    by = _ORIGINAL_BY.search(low)
    if by:
        return _moved_by(by)
    if says_any(low, *_ORIGINAL_DOWN):
        return STEP_DOWN
    if says_any(low, *_ORIGINAL_UP):
        return STEP_UP
    return None


def _moved_by(said: re.Match[str]) -> float:
    """The factor of "lower ... by 20%" / "20% louder ...": both patterns hold (verb, its number, the number before
    the word, that word)."""
    step = float(said.group(2) or said.group(3)) / 100
    up = any(word in (said.group(1) or said.group(4)) for word in _UP_WORDS)
    return round(1 + step if up else max(0.0, 1 - step), 3)


def fade_in_said(low: str) -> float | None:
    """The length of the fade-in the words ask for ("fade in over 4 seconds"; FADE_IN_S when they give none); None
    when they ask none."""
    faded = _FADE_IN.search(low)
    if not faded:
        return None
    return min(MAX_FADE_OUT_S, max(MIN_FADE_OUT_S, float(faded.group(1)))) if faded.group(1) else FADE_IN_S


def fade_out_said(low: str) -> float | None:
    """The length of the fade-out the words ask for (FADE_OUT_S when they give none); None when they ask none."""
    faded = _FADE_OUT.search(low)
    if not faded:
        return None
    said_s = float(next((g for g in faded.groups() if g), FADE_OUT_S))
    return min(MAX_FADE_OUT_S, max(MIN_FADE_OUT_S, said_s)) if said_s > 0 else FADE_OUT_S


def without_level_words(text: str) -> str:
    """The words without those that speak of a level: "the music is too quiet" asks for a louder track, not a quiet
    one."""
    return _LEVEL_WORDS.sub(" ", text)


# the music asked to step back under speech ("duck the music under my voice", "quieter when I talk"): it does already
_DUCKING_ASKED = re.compile(r"\bduck(?:s|ing)?\b|\b(?:under|beneath|below|behind|over)\s+(?:my|the|his|her|their)\s+"
                           r"(?:voice|voices|talking|speech|narration|voiceover|voice-over|vocals?)\b"
                           r"|\b(?:when|while|whenever)\s+(?:i|we|he|she|they|someone|people)\s+(?:talk|speak)"
                           r"|说话(?:时|的时候)", re.I)  # fmt: skip


def asks_for_ducking(text: str) -> bool:
    """Whether ``text`` asks the music to step back under the video's speech."""
    return bool(_DUCKING_ASKED.search(text))
