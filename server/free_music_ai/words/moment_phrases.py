"""The phrases that place music in time ("hit at 0:15", "build up to 0:42", "no music between 0:10 and 0:20", "no
drums after 0:30", "start the music at 0:05", "在0:15加一个重音"), as patterns: moments.py reads them in
``READ_ORDER``."""

from __future__ import annotations

import re

from free_music_ai.limits import MAX_TIMELINE_S

# a time of the video: 0:15, 1:02.5, 15s, 15 sec, 15 seconds, 15秒. It starts where a number starts and its parts
# are bounded: tried at every digit of an 8,000-digit message, the unbounded form took 17-97 s to read it
_TIME = r"(?<![\d.:])(\d{1,2}:\d{2}(?:\.\d{1,3})?|\d{1,5}(?:\.\d{1,3})?\s{0,3}(?:s\b|secs?\b|seconds?\b|秒))"
ONE_TIME = re.compile(_TIME, re.I)
# several times after one word: "hits at 0:05, 0:12 and 0:20" (each one is read)
# (a later item is never "9:16", which beside a time is the TikTok format: "hit at 0:15, 9:16 for TikTok")
_TIMES = rf"{_TIME}(?:\s*(?:,\s*(?:and\s+)?|\band\b|&|和|、)\s*(?!9\s*[:/x]\s*16\b){_TIME})*"
# "0:10 to 0:20", "between 10s and 20s", "0:10-0:20", "from 5 to 15 seconds" (the first number takes the second's unit)
_SPAN = rf"(?:{_TIME}|(?<![\d.:])\d{{1,5}}(?:\.\d{{1,3}})?)\s*(?:to|-|until|till|and)\s*{_TIME}"
SPAN_NUMBER = re.compile(r"(?<![\d.:])(\d{1,2}:\d{2}(?:\.\d{1,3})?|\d{1,5}(?:\.\d{1,3})?)")
# the few words a phrase may hold between its word and its time, never past a comma or into a quoted title: "a hit
# when the dog jumps at 0:07", "quiet while I talk from 0:05 to 0:15"
_WITHIN = r"[^.,;:!?\d'\"“”‘’]"
# "quiet", "softer", "calm down" (not "lower the voice": the video's own sound)
_QUIETLY = (r"\b(?:quiet|soft|calm|low)(?:er)?\b(?:\s+down)?"
            r"(?!\s+(?:the\s+|my\s+)?(?:voice|original|vocals?|title|text))")  # fmt: skip
_LOWER_MUSIC = (r"(?:\b(?:lower|duck|dip|turn down|soften|bring down)\s+(?:the\s+)?(?:music|bgm)"
                r"|\b(?:turn|bring)\s+(?:the\s+)?(?:music|bgm)\s+down)")  # fmt: skip
# the music taken away for a while: "no music between 0:10 and 0:20" (a silent stretch), "mute the music for the
# first 5 seconds" (it starts then), "turn off the music at 0:30" (it stops then)
# "the music", "any music", "the bgm", and "it" after a verb of the music's own ("stop it at 0:40")
_THE_MUSIC = r"(?:the\s+|any\s+|this\s+)?(?:background\s+)?(?:music|bgm|soundtrack)\b"
_IT = rf"(?:{_THE_MUSIC}|it\b)"
_SILENCE_MUSIC = (rf"(?:\b(?:mute|silence|stop|cut|kill|turn off|switch off|leave out|skip|take out|take away|pause)"
                  rf"\s+{_IT}(?:\s+out(?:\s+of)?)?|\b(?:no|remove|without)\s+{_THE_MUSIC}(?:\s+out(?:\s+of)?)?"
                  rf"|\bkeep\s+{_THE_MUSIC}\s+out(?:\s+of)?"
                  rf"|\b(?:don'?t|do not)\s+(?:want|need|play|have)\s+{_THE_MUSIC}|\b(?:turn|switch|set)\s+{_THE_MUSIC}"
                  rf"\s+(?:off|to\s+(?:0|zero)\b(?:\s*%)?)"
                  rf"|\b(?:music|bgm)\s+(?:off|muted|out|to\s+(?:0|zero)\b(?:\s*%)?))")  # fmt: skip
# the verbs that take the music away, said after a time ("between 0:10 and 0:20 mute the music")
_SILENCE_AFTER_TIME = (rf"\s*(?:[,:]\s*)?(?:(?:please\s+)?(?:mute|silence|stop|cut|kill|turn off|no)\s+{_IT}"
                       rf"|silence\b)")  # fmt: skip
UNTIL_THE_END_S = float(MAX_TIMELINE_S)  # "quiet after 0:30": to the end of any piece (cut to it where it is used)

# the words between a Chinese time and its accent ("0:15处加一个重音"), each taking the spaces after it: optional words
# each between two runs of spaces made an 8,000-character message of spaces take minutes to read
_ZH_ACCENT_WORDS = r"(?:(?:处|时)\s*)?(?:(?:加|放|来)\s*)?(?:(?:一个|个)\s*)?"
# the time may come a few words later: "add a hit when the dog jumps at 0:07", "a sting when the logo shows at 0:03"
_A_HIT = r"(?:a|an|some)\s+(?:big\s+|huge\s+|strong\s+|little\s+)?(?:hit|accent|stab|boom|impact|bang|sting)\b"
HIT = re.compile(rf"\b(?:hit|accent|stab|boom|impact|bang|sting)s?\b{_WITHIN}{{0,40}}?\s(?:at|on)\s+{_TIMES}"
                 rf"|\bat\s+{_TIMES}\s*(?:,\s*)?(?:please\s+)?(?:(?:add|put|place|give\s+(?:me|it))\s+)?{_A_HIT}"
                 rf"(?!\s+(?:at|on)\s+\d)"  # "a drop at 0:16, a hit at 0:04": that hit has a time of its own
                 rf"|\bwhen\b{_WITHIN}{{0,40}}?\sat\s+{_TIMES}\s*(?:,\s*)?(?:add|put|place|give\s+(?:me|it))\s+{_A_HIT}"
                  rf"|(?:在\s*)?{_TIME}\s*{_ZH_ACCENT_WORDS}重音",
                  re.I)  # fmt: skip
DROP = re.compile(
    rf"\bdrops?\b(?!\s+(?:out\b|everything|to\s+(?:silence|nothing)|down\b|(?:the\s+)?(?:title|text|caption|drums|"
    rf"music|hit|accent|volume|level|piano|guitar|bass|vocals?|strings|synth)s?\b)){_WITHIN}{{0,30}}?"
    rf"\s(?:at|on)\s+{_TIMES}|(?:在\s*)?{_TIME}\s*(?:(?:处|时)\s*)?(?:(?:来个|来一个|加个|加一个|放个)\s*)?drop",
    re.I,
)
# a build with both ends: "build from 0:20 to 0:40", "swell between 0:20 and 0:40", "从0:20到0:40渐强"
BUILD_SPAN = re.compile(rf"\b(?:build|swell|rise)(?:s|ing)?(?:\s+up)?\s+(?:from|between)\s+{_SPAN}"
                         rf"|\bbuild\b{_WITHIN}{{0,20}}?\bstart(?:s|ing)?\s+at\s+{_TIME}\s+and\s+peaks?\s+at\s+{_TIME}"
                         rf"|(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*渐强", re.I)  # fmt: skip
BUILD_TO = re.compile(rf"\bbuild(?:s|ing)?(?:[\s-]+up)?(?:\s+(?:slowly|gradually))?\s+(?:to|until|till|before)"
                      rf"\s+{_TIMES}"
                      rf"|\bswell\s+into\s+{_TIMES}"
                       rf"|\b(?:climax|crescendo|swell)(?:es|s)?\s+(?:at|on|by)\s+{_TIMES}|渐强(?:到|至)\s*{_TIME}",
                       re.I)  # fmt: skip
# the music lifted for a stretch: "energetic from 0:20 to 0:40", "raise the music between 0:30 and 0:40" (built into
# and landed on as a drop, as "a more energetic second half" is)
LIFT_SPAN = re.compile(rf"\b(?:(?:more\s+)?(?:energetic|upbeat|intense|epic)|bigger|louder|full(?:er)?|go(?:es)? big"
                       rf"|(?:raise|boost|turn up)\s+{_THE_MUSIC}|(?:turn|bring)\s+{_THE_MUSIC}\s+up)"
                       rf"(?<!voice louder)(?<!vocals louder)(?<!original louder)\s+(?:from|between)\s+{_SPAN}",
                       re.I)  # fmt: skip
# the music lifting at a time: "energetic after 0:20", "kick in at 0:12", "go big at 0:30" (a drop there)
# ("after" and "from" lift it to the end too: "more epic after 0:45" is not an epic piece)
LIFT = re.compile(rf"\b(?:(?:more\s+)?(?:energetic|upbeat|intense|epic)|bigger|louder|full(?:er)?|go(?:es)? big"
                  rf"|(?<!drums )kicks? in)(?<!voice louder)(?<!vocals louder)(?<!original louder)"
                  rf"\s+(?P<on>after|from|at)\s+{_TIME}", re.I)  # fmt: skip
BUILD_FROM = re.compile(
    rf"\bbuild(?:s|ing)?(?:\s+up)?\s+from\s+{_TIME}|\bstart\s+building(?:\s+up)?\s+(?:at|from)\s+{_TIME}|{_TIME}\s*开始\s*渐强",
    re.I,
)
# "quiet from 0:10 to 0:20", "quiet while I talk from 0:05 to 0:15", "quiet 0:10-0:20", "music 20% from 0:10 to 0:20"
# the music taken away for a stretch, then back: "no music between 0:10 and 0:20", "silence from 0:10 to 0:20",
# "pause the music from 0:10 to 0:20", "music 0% from 0:10 to 0:20", "0:10到0:20不要音乐"
SILENT = re.compile(rf"(?:{_SILENCE_MUSIC}|\bpause\s+(?:the\s+)?music|\b(?:silence|silent)\b)"
                     rf"(?:{_WITHIN}{{0,30}}?\s(?:from|between))?\s+{_SPAN}"
                     rf"|\b(?:music|bgm)(?:\s+(?:at|to))?\s+0\s*%\s+(?:from|between)\s+{_SPAN}"
                     rf"|(?:(?:from|between)\s*)?{_SPAN}{_SILENCE_AFTER_TIME}"
                     rf"|(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*(?:把)?(?:背景)?(?:音乐)?\s*(?:不要(?:背景)?音乐|没有音乐|"
                     rf"静音|停一下|暂停|关掉)", re.I)  # fmt: skip
# the music taken away at a time for a while: "mute the music at 0:30 for 2 seconds" (then back)
SILENT_FOR = re.compile(rf"(?:{_SILENCE_MUSIC}|\b(?:total\s+)?silence)\s+(?:at|from)\s+{_TIME}\s+for\s+{_TIME}"
                        rf"|\bmusic\s+(?:should\s+)?drops?\s+out\s+at\s+{_TIME}\s+and\s+comes?\s+back\s+(?:in\s+)?at\s+"
                        rf"(?P<back>{_TIME})", re.I)  # fmt: skip
# the same, its length said first: "kill the music for 5 seconds at 0:30"
SILENT_FOR_FIRST = re.compile(rf"{_SILENCE_MUSIC}\s+for\s+{_TIME}\s+(?:at|from)\s+{_TIME}", re.I)
# everything stops for a moment, then comes back: "drop everything out at 0:30", "a dropout at 0:30", "a moment of
# silence at 0:30", "在0:30停顿一下"
DROP_OUT = re.compile(rf"\b(?:drop|cut|take)\s+(?:everything|it all|all (?:the )?(?:music|instruments))\s+out\s+"
                       rf"(?:at|on)\s+{_TIMES}|\beverything\s+(?:drops|cuts)\s+out\s+(?:at|on)\s+{_TIMES}"
                       rf"|\b(?:drop-?outs?|(?:a\s+)?(?:moment|second|beat)\s+of\s+silence|(?:a\s+)?(?:short\s+|quick\s+"
                       rf"|brief\s+)?(?:pause|stop|silence)\s+in\s+the\s+music)\s+(?:at|on)\s+{_TIMES}"
                       rf"|\bpause\s+{_IT}\s+(?:at|on)\s+{_TIMES}(?!\s+for\b)"
                       rf"|在\s*{_TIME}\s*(?:(?:处|时)\s*)?(?:停顿|静音)(?:一下)?", re.I)  # fmt: skip
DROP_OUT_S = 2.0  # a dropout said without its end: about a bar at a moderate tempo, then the music is back
QUIET = re.compile(rf"{_LOWER_MUSIC}{_WITHIN}{{0,30}}?\(\s*{_SPAN}\s*\)"
                   rf"|\bfrom\s+{_SPAN}\s*,\s*(?:keep|make|have|put)\s+(?:the\s+)?music\s+(?:low|quiet|down|soft)(?:er)?\b"
                   rf"|(?:{_QUIETLY}|{_LOWER_MUSIC}|{_THE_MUSIC}\s+(?:is\s+)?(?:a\s+bit\s+|way\s+)?too\s+loud)"
                   rf"(?:{_WITHIN}{{0,30}}?\s(?:from|between))?"
                    rf"\s+{_SPAN}"
                    rf"|\b(?:music|bgm)(?:\s+(?:at|to))?\s+\d{{1,3}}\s*%\s+(?:from|between)\s+{_SPAN}"
                    rf"|(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*(?:音乐\s*)?(?:安静|轻|小声|小)", re.I)  # fmt: skip
# a quiet stretch with one end said: to the end of the piece, or from its start
QUIET_AFTER = re.compile(rf"(?:{_QUIETLY}|{_LOWER_MUSIC})\s+(?:from|after|since)\s+{_TIME}"
                          rf"(?:\s+(?:on(?:wards)?|to the end))?|{_TIME}\s*(?:之后|以后)\s*(?:安静|轻一点|小声)",
                          re.I)  # fmt: skip
QUIET_UNTIL = re.compile(rf"(?:{_QUIETLY}|{_LOWER_MUSIC})\s+(?:until|till|before|up to|(?:for|in|during)\s+the"
                          rf"\s+first)\s+{_TIME}|\bthe first {_TIME}\s+(?:quiet|soft|calm)(?:er)?\b"
                          rf"|{_TIME}\s*(?:之前|以前)\s*(?:安静|轻一点|小声)", re.I)  # fmt: skip
# "build up to 0:15, then calm": quiet from the time said just before, to the end (only the "then ..." words are
# taken out of the text: the time belongs to its own phrase too)
# "build up to 0:30 then drop": the drop lands where the build peaks
THEN_DROP = re.compile(rf"\bbuild(?:s|ing)?(?:\s+up)?\s+(?:to|until|till)\s+{_TIME}\s*(?:,\s*)?(?:and\s+)?then\s+"
                       rf"(?:a\s+(?:big\s+)?)?drop\b|\bbuild(?:s|ing)?(?:\s+up)?\s+(?:in)?to\s+the\s+drop\s+(?:at|on)\s+{_TIME}",
                       re.I)  # fmt: skip
THEN_QUIET = re.compile(rf"{_TIME}[^.;!?\d]{{0,40}}?(?P<then>\bthen\s+(?:it\s+|go(?:es)?\s+|gets?\s+|turns?\s+)?"
                         r"(?:calm|quiet|soft|low)(?:er|s)?(?:\s+down)?\b(?!\s+(?:music|track|song|piece|tune)))",
                         re.I)  # fmt: skip
NO_DRUMS_UNTIL = re.compile(
    rf"\bno drums (?:until|till|before|for the first|in the first)\s+{_TIME}"
    rf"|\bdrums (?:should |will |to )?(?:come|kick|start|enter|join)s? "
    rf"(?:in\s+)?(?:at|from|after)\s+{_TIME}"
    rf"|\b(?:bring|add|start)\s+(?:in\s+)?(?:the\s+|some\s+|a\s+|an\s+)?drums\s+(?:in\s+)?(?:at|from|after)\s+{_TIME}"
    rf"|\bkeep the drums out (?:until|till){_WITHIN}{{0,20}}?\s(?:at\s+)?{_TIME}|\bdrums only (?:after|from)\s+{_TIME}"
    rf"|{_TIME}\s*(?:之前|以前)\s*不要鼓|{_TIME}\s*(?:(?:之后|以后)\s*)?(?:鼓进来|开始加鼓|进鼓|再加鼓|才加鼓|加入鼓|加鼓)"
    rf"|在\s*{_TIME}\s*进鼓|鼓\s*(?:在|从)\s*{_TIME}\s*(?:开始\s*)?(?:进来|加入|进)",
    re.I,
)
# the drums taken out for a stretch, or from a time to the end: "remove the drums from 0:10 to 0:20", "no drums
# after 0:30", "drop the drums at 0:20", "the drums stop at 0:30", "0:30之后不要鼓"
_DRUMS_OUT = (
    r"\b(?:no drums|(?:remove|mute|drop|cut|kill|take out|stop|lose|pull)\s+(?:all\s+)?(?:the\s+)?drums(?:\s+out)?)"
)
NO_DRUMS_SPAN = re.compile(rf"{_DRUMS_OUT}(?:{_WITHIN}{{0,20}}?\s(?:from|between))?\s+{_SPAN}"
                            rf"|(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*不要鼓", re.I)  # fmt: skip
NO_DRUMS_AFTER = re.compile(rf"{_DRUMS_OUT}\s+(?:at|after|from|since)\s+{_TIME}"
                             rf"|\bdrums\s+(?:should\s+)?(?:stop|drop out|cut out|end|go away|out)\s+(?:at|after)"
                             rf"\s+{_TIME}"
                             rf"|{_TIME}\s*(?:之后|以后)\s*不要鼓", re.I)  # fmt: skip
# the video's own sound at another level for a stretch: "mute my voice from 0:10 to 0:20", "lower the original audio
# between 0:10 and 0:20", "original sound 30% from 0:10 to 0:20", "0:10到0:20原声静音"
OWN_SOUND = (r"(?:the\s+|my\s+|our\s+)?(?:original\s+(?:sound|audio|voice)|original|voice|vocals|"
              r"video'?s?\s+(?:own\s+)?(?:sound|audio)|camera\s+(?:sound|audio)|background\s+noise|"
              r"ambient\s+sound)")  # fmt: skip
OWN_SOUND_SPAN = re.compile(
    rf"\b(?P<verb>mute|silence|cut|remove|kill|turn\s+off|switch\s+off|lower|turn\s+down|reduce|soften|duck|raise|"
    rf"boost|turn\s+up)\s+{OWN_SOUND}(?:{_WITHIN}{{0,20}}?\s(?:from|between))?\s+{_SPAN}"
    rf"|{OWN_SOUND}\s+(?:(?P<off>off|muted)|(?:at\s+|to\s+)?(?P<pct>\d{{1,3}})\s*%)\s+(?:from|between)\s+{_SPAN}"
    rf"|(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*(?:把)?原声\s*(?P<zh>静音|关掉|去掉|小一点|小声|调低)",
    re.I,
)
# the music taken away where only the video's own sound should be: "only the original sound from 0:10 to 0:20"
ONLY_OWN_SOUND = re.compile(rf"\b(?:only|just)\s+{OWN_SOUND}(?:\s+sound)?\s+(?:from|between)\s+{_SPAN}"
                            rf"(?:\s*(?:,\s*)?(?:and\s+|so\s+)?no\s+(?:background\s+)?music)?", re.I)  # fmt: skip
# the music moved by a length: "delay the music by 5 seconds", "push the music back 3 seconds", "start the music 2
# seconds earlier" (read with its sign: later is positive)
_LENGTH = r"\d{1,3}(?:\.\d{1,2})?\s*(?:s|secs?|seconds?)\b"
SHIFT = re.compile(rf"\b(?P<later>delay|push)\s+{_IT}(?:\s+back)?\s+(?:by\s+)?(?P<n>{_LENGTH})(?:\s+later)?"
                   rf"|\b(?:start|move|shift)\s+{_IT}\s+(?:by\s+)?(?P<n2>{_LENGTH})\s+(?:(?P<later2>later)|earlier|sooner)",
                   re.I)  # fmt: skip
# the music's own span: "music from 0:05 to 0:50", "music between 5s and 50s"
# (only where it is asked to play there, not after another verb: "raise the music from 0:30 to 0:40" is no placement)
MUSIC_SPAN = re.compile(rf"(?:^|[,.;:!?]\s*|\b(?:play|have|want|need|put|keep|add|i\s+want|only)\s+)(?:the\s+|some\s+)?"
                        rf"(?:background\s+)?(?:music|bgm)\s+(?:is\s+)?(?:only\s+)?(?:needed\s+|wanted\s+)?(?:from|between)"
                        rf"\s+{_SPAN}", re.I)  # fmt: skip
START = re.compile(rf"\b(?:start|begin)\s+{_IT}\s+(?:(?:at|from|after)\s+|after\s+the\s+\w+\s+at\s+){_TIME}"
                   rf"|\bhave it start\s+at\s+{_TIME}"
                   rf"|\bso\s+(?:that\s+)?it\s+(?:starts?|begins?)\s+at\s+{_TIME}"
                    rf"|\b(?:don'?t|do not)\s+start\s+{_IT}\s+(?:until|till|before)\s+{_TIME}"
                    rf"|\b(?:for|in|during)\s+the\s+first\s+{_TIME}\s*(?:,\s*)?(?:no|without)\s+{_THE_MUSIC}"
                    rf"|\bfirst\s+{_TIME}\s+no\s+music|(?:开头|前)\s*{_TIME}\s*不要(?:背景)?音乐|{_TIME}\s*开始放音乐"
                    rf"|\bmusic (?:should |will |to )?(?:starts?|begins?|comes? in)\s+(?:at|after)\s+{_TIME}"
                    rf"|\bfade (?:the music |it )?in (?:at|from)\s+{_TIME}"
                    rf"|{_SILENCE_MUSIC}\s+(?:until|till|before|for the first|in the first)\s+{_TIME}"
                    rf"|\b(?:music|bgm)\s+only\s+(?:from|after)\s+{_TIME}|音乐\s*(?:从|在)\s*{_TIME}\s*开始",
                    re.I)  # fmt: skip
STOP = re.compile(rf"\b(?:stop|end|cut|drop)\s+(?:off\s+)?{_IT}\s+(?:off\s+)?at\s+{_TIME}"
                  rf"|\bmusic\s+drops?\s+to\s+(?:silence|nothing)\s+at\s+{_TIME}"
                  rf"|(?:^|[,.;:!?]\s*)(?:the\s+)?music\s+(?:should\s+)?(?:go\s+|play\s+|run\s+)?(?:until|till|up\s+to)\s+{_TIME}"
                  rf"|\blet\s+(?:it|the\s+music)\s+(?:play|run|go)\s+(?:until|till)\s+{_TIME}|音乐\s*{_TIME}\s*停"
                   rf"|\b(?:at|after)\s+{_TIME}\s*(?:,\s*)?(?:(?:mute|stop|cut|kill|end|turn off)\s+{_IT}"
                   rf"|the music should\s+(?:stop|end))|\bmake it (?:stop|end)\s+at\s+{_TIME}"
                   rf"|(?:在\s*)?{_TIME}\s*(?:停止|关掉|结束)(?:背景)?音乐"
                   rf"|{_TIME}\s*(?:之后|以后)\s*不要(?:背景)?音乐"
                   rf"|{_SILENCE_MUSIC}\s+(?:at|after|from)\s+{_TIME}|\bmusic\s+drops?\s+out\s+(?:at|after)\s+{_TIME}"
                   rf"|\bmusic (?:should |will |to )?(?:stops?|ends?)\s+at\s+{_TIME}"
                   rf"|\bfade\s+(?:the\s+music\s+)?out\s+(?:the\s+music\s+)?(?:at|by)\s+{_TIME}"
                   rf"|\b(?:music|bgm)\s+fades?\s+out\s+(?:at|by)\s+{_TIME}|\bno music\s+after\s+{_TIME}"
                   rf"|音乐\s*(?:在|到)\s*{_TIME}\s*(?:结束|停|淡出)|在\s*{_TIME}\s*淡出", re.I)  # fmt: skip
END_HIT = re.compile(r"\b(?:end|finish)(?:es|s|ing)? (?:on|with) a (?:big |huge |strong |final )?"
                      r"(?:hit|bang|boom|accent)|\b(?:big |huge |strong |final )?(?:hit|bang|boom|accent) at the "
                      r"(?:very )?end\b|以重音结束|结尾(?:加|来)?(?:一个)?重音", re.I)  # fmt: skip


# a hit or a drop moved: "move the hit from 0:15 to 0:18", "the drop at 0:30 should be at 0:40" (taken away at the
# first time, placed at the second)
MOVE = re.compile(rf"\bmove\s+the\s+(?P<what>hit|accent|drop)\s+(?:from|at)\s+{_TIME}\s+to\s+{_TIME}"
                  rf"|\bthe\s+(?P<what2>hit|accent|drop)\s+(?:at|on)\s+{_TIME}\s+should\s+be\s+(?:at|on)\s+{_TIME}",
                  re.I)  # fmt: skip
# a hit, drop or build moved without its old time: "move the drop to 0:40", "the drop should be at 0:40", "put the
# hit at 0:18 instead", "把drop移到0:40": every one of that kind taken away, one placed there ("the" drop: a drop
# the piece has; "put a drop at 0:40" adds one)
_MOVABLE = r"(?:hit|accent|drop|build(?:-?up)?|climax|重音|高潮)"
MOVE_TO = re.compile(rf"\b(?:move|shift|push|pull|put|place|have|make|set)\s+(?:the|my)\s+(?P<what>{_MOVABLE})\s+"
                     rf"(?:(?:back|later|earlier|forward|up)\s+)?(?:(?:happen|hit|land|come|start)\s+)?"
                     rf"(?:to|at|on|until)\s+{_TIME}"
                     rf"|\bthe\s+(?P<what2>{_MOVABLE})\s+should\s+(?:be|come|happen|land|hit)\s+(?:at|on)\s+{_TIME}"
                     rf"|\b(?:a\s+|the\s+)?(?P<what3>hit|drop|climax)\s+at\s+{_TIME}\s+instead\b"
                     rf"|把\s*(?P<what4>{_MOVABLE})\s*(?:移|挪|改|放)到\s*{_TIME}", re.I)  # fmt: skip
# taking moments away: "remove the hit at 0:15", "no hits at 0:15 and 0:30", "remove the builds", "clear the moments"
# (and a hit refused: "don't put a hit at 0:15", "no need for a hit at 0:15", "不要在0:15加重音")
_TAKE_AWAY = r"remove|delete|drop|take out|take away|get rid of|lose|cut|kill|skip|scrap|cancel|no"
REMOVE_HIT = re.compile(rf"\b(?:{_TAKE_AWAY})\s+(?:the\s+)?(?:hit|accent)s?\s+(?:at|on)\s+{_TIMES}"
                         rf"|\b(?:don'?t|do not|never|no need to)\s+(?:put|add|place|want|need)\s+(?:a\s+|an\s+|any\s+|"
                         rf"the\s+)?(?:hit|accent)s?\s+(?:at|on)\s+{_TIMES}"
                         rf"|\bno need for (?:a |an |the )?(?:hit|accent)s?\s+(?:at|on)\s+{_TIMES}"
                         rf"|去掉\s*{_TIME}\s*(?:的)?重音|不要在\s*{_TIME}\s*(?:(?:处|时)\s*)?(?:加\s*)?重音"
                         rf"|把\s*{_TIME}\s*(?:处|时)?的?重音(?:删掉|去掉)|不要\s*{_TIME}\s*(?:处|时)?的?重音",
                         re.I)  # fmt: skip
# a build or a drop refused or taken away: "don't build up to 0:30", "no build at 0:30", "remove the drop at 0:30"
REMOVE_BUILD = re.compile(rf"\b(?:{_TAKE_AWAY}|(?:don'?t|do not|never|no need to)(?:\s+(?:put|add|"
                           rf"place|want|need|have))?)\s+(?:a\s+|an\s+|any\s+|the\s+)?(?P<what>build(?:-?up)?s?|"
                           rf"crescendos?|swells?|drops?)(?:\s+up)?\s+(?:at|on|to|by|until|before)\s+{_TIMES}"
                           rf"|\b(?:don'?t|do not|never)\s+(?P<verb>build|swell|drop)(?:\s+up)?\s+(?:at|on|to|by|until)"
                           rf"\s+{_TIMES}|不要\s*(?:在\s*)?{_TIME}\s*(?:(?:处|时)\s*)?(?:有\s*)?(?:渐强|drop)"
                           rf"|{_TIME}\s*(?:(?:处|时)\s*)?不要\s*(?:渐强|drop)", re.I)  # fmt: skip
REMOVE_ALL = re.compile(r"\b(?:remove|delete|clear)\s+(?:all\s+)?(?:the\s+)?moments\b|清除", re.I)  # fmt: skip
# every moment of a kind taken away: "remove the drops", "no more hits", "remove the build", "no big ending",
# "remove the silence", "don't make it build up" (not "remove the hit at 0:15": one moment, REMOVE_HIT)
REMOVE_KIND = re.compile(r"\b(?:remove|delete|clear|no more|no|get rid of|lose|kill|cancel|scrap)\s+(?:all\s+)?"
                         r"(?:of\s+)?(?:the\s+|any\s+)?(?P<kind>hits|accents|builds?|build-?ups?|drops?|big ending|"
                         r"(?:end|ending|final) hit|silences?|silent (?:parts?|stretch(?:es)?)|pauses?|dropouts?|"
                         r"quiet (?:parts?|stretch(?:es)?|bits?))\b(?!\s+(?:at|on|to|from|between|before)\b)"
                         r"|\b(?:don'?t|do not)\s+(?:make\s+it\s+)?(?P<verb>build)(?:\s+up)?\b"
                         r"(?!\s+(?:to|until|at|by|before)\b)"
                         r"|去掉所有(?P<zh>重音)", re.I)  # fmt: skip
# a stretch taken away at a time said inside it: "remove the silence at 0:30", "no quiet part at 0:10"
REMOVE_STRETCH_AT = re.compile(rf"\b(?:remove|delete|no|get rid of|cancel)\s+(?:the\s+)?(?:silence|pause|dropout|"
                               rf"quiet\s+(?:part|stretch|bit)|silent\s+(?:part|stretch))\s+(?:at|on)\s+{_TIMES}",
                               re.I)  # fmt: skip

# a stretch in another mood, played in the parallel minor or major: "sadder from 0:20 to 0:40", "happier after
# 0:30", "darker between 0:10 and 0:20", "0:20到0:40悲伤一点"
_SAD = r"(?:sad(?:der)?|dark(?:er)?|gloom(?:y|ier)|melanchol(?:y|ic)|somb(?:er|re)|more\s+(?:melancholic|somber|sad))"
_HAPPY = (r"(?:happ(?:y|ier)|bright(?:er)?|cheer(?:ful|ier)|joyful|hopeful|uplifting|more\s+(?:hopeful|uplifting|"
          r"cheerful|joyful|positive|optimistic|happy))")  # fmt: skip
_MOOD_AT = r"\s+(?:from|between)\s+"
_ZH_SPAN = rf"(?:从\s*)?{_TIME}\s*(?:到|至)\s*{_TIME}\s*(?:更)?"
MINOR_SPAN = re.compile(rf"\b{_SAD}{_MOOD_AT}{_SPAN}|{_ZH_SPAN}(?:悲伤|伤感|忧伤)", re.I)
MAJOR_SPAN = re.compile(rf"\b{_HAPPY}{_MOOD_AT}{_SPAN}|{_ZH_SPAN}(?:欢快|开心)", re.I)
MINOR_AFTER = re.compile(rf"\b{_SAD}\s+(?:from|after)\s+{_TIME}|{_TIME}\s*(?:之后|以后)\s*(?:更)?(?:悲伤|伤感|忧伤)",
                         re.I)  # fmt: skip
MAJOR_AFTER = re.compile(rf"\b{_HAPPY}\s+(?:from|after)\s+{_TIME}|{_TIME}\s*(?:之后|以后)\s*(?:更)?(?:欢快|开心)",
                         re.I)  # fmt: skip

# the order the phrases are read in, each taken out of the text once read, so that a phrase's words are never read
# again as part of another ("lower the music from 0:10 to 0:20" is a quiet stretch, not the music's start; "build
# from 0:20 to 0:40" is one build, not a build from 0:20)
READ_ORDER = (MOVE, MOVE_TO, THEN_DROP, REMOVE_HIT, REMOVE_BUILD, REMOVE_STRETCH_AT, REMOVE_ALL, REMOVE_KIND, DROP_OUT,
              HIT, DROP, LIFT_SPAN, LIFT, BUILD_SPAN, BUILD_TO, BUILD_FROM, OWN_SOUND_SPAN, ONLY_OWN_SOUND, SILENT_FOR,
              SILENT_FOR_FIRST, SILENT, QUIET,
              QUIET_AFTER, QUIET_UNTIL, MINOR_SPAN, MAJOR_SPAN, MINOR_AFTER, MAJOR_AFTER, NO_DRUMS_SPAN,
              NO_DRUMS_AFTER, NO_DRUMS_UNTIL, SHIFT, MUSIC_SPAN, START,
              STOP, END_HIT)  # fmt: skip
