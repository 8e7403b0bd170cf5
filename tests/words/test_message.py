from __future__ import annotations

import pytest

from free_music_ai.errors import InputError
from free_music_ai.project.edits import TitleWish
from free_music_ai.project.nemo_draft import AUDIO, TEXT, VIDEO, Draft, Segment, Track, summary_line
from free_music_ai.words.message import interpret
from free_music_ai.words.moment_phrases import UNTIL_THE_END_S
from free_music_ai.words.routes import route


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("generate a background music track that matches the mood of my video", {"generate": True}),
        ("add some lo-fi background music", {"generate": True}),
        ("epic orchestral score please", {"generate": True}),
        ("给视频配上轻松的背景音乐", {"generate": True}),
        ("another version", {"regenerate": True}),
        ("换一首", {"regenerate": True}),
        ("make it calmer", {"adjust": True}),
        ("more upbeat", {"adjust": True}),
        ("darker", {"adjust": True}),
        ("更欢快一点", {"adjust": True}),
        ("music 35%", {"music_volume": 0.35}),
        ("set the music volume to 60%", {"music_volume": 0.6}),
        ("lower the music", {"music_scale": 0.7}),
        ("make the music louder", {"music_scale": 1.35}),
        ("mute the original sound", {"original_volume": 0.0}),
        ("original audio at 40%", {"original_volume": 0.4}),
        ("music 1000%", {"music_volume": 10.0}),  # all of the number (its "000%" muted the music), refused later
        ("music 12.5%", {"music_volume": 0.125}),
        ("make it for TikTok", {"aspect": "9:16"}),
        ("YouTube version", {"aspect": "16:9"}),
        ("square for instagram", {"aspect": "1:1"}),
        ("4:5 please", {"aspect": "4:5"}),
        ("an instagram portrait version", {"aspect": "4:5"}),  # not the "portrait" of 9:16
        ("portrait for the story", {"aspect": "9:16"}),
        ("竖屏", {"aspect": "9:16"}),
        ("undo", {"undo": True}),
        ("撤销", {"undo": True}),
        ("redo that", {"redo": True}),
    ],
)
def test_phrasings(message: str, expected: dict[str, object]) -> None:
    assert_read_as(message, expected)


def assert_read_as(message: str, expected: dict[str, object]) -> None:
    """Each named field of the message's edits is as expected."""
    intent = interpret(message)
    for key, value in expected.items():
        assert getattr(intent, key) == value, (message, key, getattr(intent, key))


def test_titles() -> None:
    assert interpret("add title 'Urban Dreams' for the first 3 seconds").titles == [
        TitleWish("Urban Dreams", 0.0, 3.0, "center")
    ]
    assert interpret('add text "Hello: 100%" from 2 to 5 s at the top').titles == [
        TitleWish("Hello: 100%", 2.0, 5.0, "top")
    ]
    assert interpret("加标题「城市之梦」前4秒").titles == [TitleWish("城市之梦", 0.0, 4.0, "center")]
    assert interpret("remove the title").remove_titles


@pytest.mark.parametrize(
    ("message", "title"),
    [
        ("在0:10加标题'夏天'", TitleWish("夏天", 10.0, 13.0)),  # no title: the quote after 题 read as an apostrophe
        ("在0:10加标题：夏天", TitleWish("夏天", 10.0, 13.0)),  # at 0:00: the time before the title word was not read
        ("at 0:10 add the title 'Hi'", TitleWish("Hi", 10.0, 13.0)),
        ("从0:05到0:09加标题'夏天'", TitleWish("夏天", 5.0, 9.0)),
        ("a hit at 0:15, then add the title 'Hi'", TitleWish("Hi", 0.0, 3.0)),  # the hit's time is not the title's
        ("add title 'Mom's day' at 0:04", TitleWish("Mom's day", 4.0, 7.0)),  # an apostrophe in English stays one
    ],
)
def test_a_titles_time_said_before_it_in_either_language(message: str, title: TitleWish) -> None:
    assert interpret(message).titles == [title]


@pytest.mark.parametrize("message", ["what's the weather", "hello", "thanks!", "how are you"])
def test_unknown_requests_are_not_edits(message: str) -> None:
    assert interpret(message).empty


def test_volume_edits_do_not_regenerate() -> None:
    intent = interpret("lower the music a bit")
    assert not intent.generate and intent.music_scale == 0.7
    faded = interpret("fade in the music")
    assert faded.fade_in and not faded.generate


def test_summary_line_format() -> None:
    draft = Draft(t=[Track(tt=VIDEO, sg=[Segment(d=10000, m={"name": "city timelapse"})]),
                     Track(tt=AUDIO, m={"role": "bgm"}, sg=[Segment(d=10000, m={"name": "Lo-fi", "volume": 0.35})]),
                     Track(tt=TEXT, sg=[Segment(d=3000, m={"text": "Urban Dreams"})])])  # fmt: skip
    seed_example = (  # the example in the original skill text, to the letter
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )
    assert summary_line(draft) == seed_example
    assert summary_line(Draft()) == "Timeline (0 tracks):"


def test_quoted_words_are_the_title_and_nothing_else() -> None:
    sad = interpret("add title 'Mom's Birthday: Sad Day, 50% off, 9:16' for 2 seconds")
    assert sad.titles == [TitleWish("Mom's Birthday: Sad Day, 50% off, 9:16", 0.0, 2.0)]
    assert sad.music_volume is None and sad.aspect is None and not sad.generate and not sad.wishes.says_something
    assert interpret("加标题「城市之梦」从4秒到7秒").titles == [TitleWish("城市之梦", 4.0, 7.0)]
    assert interpret("add a title 'Thanks' at the end").titles == [TitleWish("Thanks", 0.0, 3.0, at_end=True)]
    assert interpret("end credits 'Made by Ana' for the last 4 seconds").titles == [
        TitleWish("Made by Ana", 0.0, 4.0, at_end=True)
    ]


def test_a_title_too_long_for_the_screen_is_an_error() -> None:
    with pytest.raises(InputError, match="at most 500 characters"):
        interpret(f"add title '{'x' * 600}'")


@pytest.mark.parametrize(
    ("message", "undo", "redo", "generate"),
    [("undo", True, False, False), ("please undo that", True, False, False), ("redo", False, True, False),
     ("redo that", False, True, False), ("upbeat music, redo the vibe", False, False, True)],
)  # fmt: skip
def test_undo_and_redo_are_commands_not_words(message: str, undo: bool, redo: bool, generate: bool) -> None:
    intent = interpret(message)
    assert (intent.undo, intent.redo, intent.generate) == (undo, redo, generate)


def test_an_export_after_edits_keeps_the_edits() -> None:
    intent = interpret("lower the music to 20% and then export it")
    assert intent.music_volume == 0.2 and intent.export
    assert route("lower the music to 20% and then export it") == "message"
    assert route("export it") == "export"
    assert route("what's the status of my music?") == "state"
    assert route("add a title 'Credits' at the end") == "message"


@pytest.mark.parametrize("message", ["lower the music from 0:10 to 0:20", "music quieter between 0:10 and 0:20",
                                     "make it calmer after 0:30", "quiet after 0:20"])  # fmt: skip
def test_a_quiet_stretch_is_not_the_whole_music_made_quieter_or_calmer(message: str) -> None:
    intent = interpret(message)
    assert intent.music_volume is None and intent.music_scale is None, message  # the level of the rest stays
    assert intent.wishes.mood is None and intent.wishes.change == (0.0, 0.0), message
    assert intent.adjust and not intent.generate and len(intent.wishes.moments.quiet_s) == 1, message


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # the music taken away or its level moved is never new music
        ("mute the music", {"music_volume": 0.0, "generate": False}),
        ("no music", {"music_volume": 0.0, "generate": False}),
        ("I don't want music, just the original audio", {"music_volume": 0.0, "generate": False}),
        ("the music is too loud", {"music_scale": 0.7, "generate": False}),
        ("music is too quiet", {"music_scale": 1.35, "generate": False}),  # louder, not a quiet mood
        ("turn the music down a bit", {"music_scale": 0.7, "generate": False}),
        ("lower the music by 20%", {"music_scale": 0.8, "music_volume": None}),
        ("make the music 20% quieter", {"music_scale": 0.8, "music_volume": None}),
        ("is the music too loud? lower it to 20%", {"music_volume": 0.2}),
        # each number is the level of what it is said of, and only of a level
        ("music 25%, original audio 100%", {"music_volume": 0.25, "original_volume": 1.0, "generate": False}),
        ("The user wants the original audio at 20% and music at 80%", {"music_volume": 0.8, "original_volume": 0.2}),
        ("a video about 3 ways to save 50% on groceries, fun music", {"music_volume": None, "generate": True}),
        # a first request that says "matches the video" asks for music, not for a refit of none
        ("generate background music that matches the video", {"generate": True, "refit": False}),
        ("make the music match the new cut", {"refit": True, "generate": False}),
        # music words beside a level still ask for that music
        ("calm lofi, music 30%", {"generate": True, "music_volume": 0.3}),
        # a level with no "%" is still the music's level, and never new music in its place (the word "music" made
        # a new piece of "music volume 30", "music at 30 percent", "set music to 0.3")
        ("music volume 30", {"music_volume": 0.3, "generate": False}),
        ("music at 30 percent", {"music_volume": 0.3, "generate": False}),
        ("set music to 0.3", {"music_volume": 0.3, "generate": False}),
        ("lower music by 10 percent", {"music_scale": 0.9, "generate": False}),
        ("music volume 7 bpm", {"music_volume": None}),
        # the word "music" alone asks for music where there is none (names_music), never a new piece over the one
        # there; asking to make or give music, or one that fits the video, still does
        ("the music ends too early", {"generate": False, "names_music": True}),
        ("go back to the original music", {"generate": False, "back_to_first_music": True}),
        ("duck the music under my voice", {"generate": False, "names_music": True}),
        ("music for my vlog", {"generate": False, "names_music": True}),
        ("give me some music", {"generate": True}),
        # back to the first music, or one step: "version 2" alone was understood
        ("go back to the first version", {"back_to_first_music": True, "undo": False}),
        ("the first one was better", {"back_to_first_music": True}),
        ("i liked the first one better", {"back_to_first_music": True}),
        ("回到第一个版本", {"back_to_first_music": True}),
        ("回到上一个版本", {"undo": True, "back_to_first_music": False}),
        ("the previous one was better", {"undo": True}),
        ("make music for my 2:45 vlog", {"generate": True}),
        ("background music that fits the video", {"generate": True}),
        ("给我的视频配一段背景音乐", {"generate": True}),
        # formats: a ratio written out wins; "a story about" is not the format
        ("music for my TikTok about cooking, keep it 16:9", {"aspect": "16:9"}),
        ("this is a story about my trip, calm music", {"aspect": None, "generate": True}),
        ("for my instagram story", {"aspect": "9:16"}),
    ],
)
def test_phrasings_of_levels_formats_and_first_requests(message: str, expected: dict[str, object]) -> None:
    assert_read_as(message, expected)


@pytest.mark.parametrize(
    ("message", "genre", "mood", "lead", "drums"),
    [
        ("no piano", None, None, None, None),  # never the solo piano it refuses
        ("不要钢琴", None, None, None, None),
        ("use a violin instead of piano", None, None, 40, None),
        ("cinematic but not too epic", "cinematic", None, None, None),
        ("not sad, something hopeful", None, (0.6, 0.15), None, None),
        ("no violin", None, None, None, None),
        ("lofi hip hop beats to study to", "lo-fi", None, None, None),
        ("remove the drums", None, None, None, False),
        ("no more drums", None, None, None, False),
    ],
)
def test_what_is_refused_is_not_asked_for(message: str, genre: str | None, mood: tuple[float, float] | None,
                                          lead: int | None, drums: bool | None) -> None:  # fmt: skip
    wishes = interpret(message).wishes
    assert (wishes.genre.value if wishes.genre else None) == genre, message
    assert wishes.mood == (pytest.approx(mood) if mood else None), message
    assert (wishes.lead, wishes.drums, wishes.drums_db) == (lead, drums, 0.0), message


def test_less_of_a_mood_moves_away_from_it() -> None:
    calmer = interpret("make it less epic")
    assert calmer.adjust and not calmer.generate and calmer.wishes.change[1] < -0.3  # less energy
    assert interpret("less dark").wishes.change[0] > 0.2  # brighter
    assert interpret("don't make it more epic").wishes.change == (0.0, 0.0)


def test_times_in_a_message_with_a_format_and_late_in_the_sentence() -> None:
    assert interpret("hit at 0:15, 9:16 for TikTok").wishes.moments.hits_s == [15.0]  # 9:16 is the format
    assert interpret("add a hit when the dog jumps at 0:07").wishes.moments.hits_s == [7.0]
    dropped = interpret("drop the beat at 12 seconds").wishes.moments
    assert dropped.hits_s == [12.0] and dropped.builds[0].peak_s == 12.0
    assert interpret("no drums for the first 8 seconds").wishes.moments.drums_from_s == 8.0


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("fade the music out over the last 5 seconds", {"fade_out_s": 5.0, "generate": False}),
        ("fade out at the end", {"fade_out_s": 3.0, "generate": False}),
        ("最后5秒淡出", {"fade_out_s": 5.0}),
        ("fade out at 0:50", {"fade_out_s": None}),  # a time: the music ends there (moments.py)
        ("fade the music in", {"fade_in": True, "generate": False}),
        ("speed it up", {"adjust": True, "generate": False}),
        ("tone it down", {"adjust": True, "generate": False}),
        ("go back", {"undo": True}),
        ("go back to the previous version", {"undo": True}),
        ("revert to version 2", {"back_to_version": 2, "undo": False}),
        ("回到第3版", {"back_to_version": 3}),
        ("move the title to the bottom", {"titles_to": "bottom"}),
        ("标题移到顶部", {"titles_to": "top"}),
        ("keep the music from version 3", {"back_to_version": None, "music_from_version": 3}),
    ],
)
def test_phrasings_of_fades_steps_and_going_back(message: str, expected: dict[str, object]) -> None:
    assert_read_as(message, expected)


@pytest.mark.parametrize(
    ("message", "quiet"),
    [
        ("quiet while I talk from 0:05 to 0:15", (5.0, 15.0)),
        ("quiet from 5 to 15 seconds", (5.0, 15.0)),
        ("quiet 0:10-0:20", (10.0, 20.0)),
        ("make the first 10 seconds quiet", (0.0, 10.0)),
        ("music 20% from 0:10 to 0:20", (10.0, 20.0)),
    ],
)
def test_quiet_stretches_said_other_ways(message: str, quiet: tuple[float, float]) -> None:
    intent = interpret(message)
    assert intent.wishes.moments.quiet_s == [quiet] and intent.music_volume is None and intent.wishes.mood is None


def test_requests_phrased_as_questions_and_film_credits_are_requests() -> None:
    from free_music_ai.words.questions import questions_in

    for message in ("could the music be louder?", "is the music too loud? lower it to 20%",
                    "any chance you could add a hit at 0:15?"):  # fmt: skip
        assert questions_in(message) == [], message
    assert interpret("is the music too loud? lower it to 20%").music_volume == 0.2
    assert route("add end credits with music") == "message" and route("how many credits do I have") == "credits"
    assert route("perfect, export") == "export" and route("lower the music to 20% and then export it") == "message"
    assert interpret("make the title bigger").wishes.texture == 0 and interpret("bigger").wishes.texture == 1
    assert interpret("tempo around 100").wishes.bpm == 100.0


def test_the_music_lifting_starting_and_stopping_said_other_ways() -> None:
    lifted = interpret("calm at first, then energetic after 0:20").wishes
    assert lifted.moments.hits_s == [20.0] and lifted.moments.builds[0].peak_s == 20.0  # a drop at 0:20
    assert interpret("the drums kick in at 0:12").wishes.moments.drums_from_s == 12.0
    faded_in = interpret("fade in at 0:05")
    assert faded_in.fade_in and faded_in.wishes.music_start_s == 5.0
    assert interpret("the music should end at 0:45").wishes.music_stop_s == 45.0
    assert interpret("fade the music out over the last 0 seconds").fade_out_s == 3.0  # no fade of nothing


@pytest.mark.parametrize(
    ("message", "text", "position"),
    [
        ("add title Summer Vibes for 3 seconds", "Summer Vibes", "center"),
        ("add a title that says Day 1 at the top", "Day 1", "top"),
        ("add title Sad Day, calm piano", "Sad Day", "center"),  # its words are not the music's mood
        ("add a title for the first 3 seconds", None, None),  # no words to show
        ("make the title bigger", None, None),
    ],
)
def test_a_title_written_without_quotes(message: str, text: str | None, position: str | None) -> None:
    intent = interpret(message)
    assert [(t.text, t.position) for t in intent.titles] == ([(text, position)] if text else []), message
    if text == "Sad Day":
        assert intent.wishes.mood == pytest.approx((0.3, -0.7))  # calm, not sad


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        # taking the music away for a while is a moment, and a negated or stated "no music" takes nothing away
        ("mute the music for the first 5 seconds", {"music_volume": None}),
        ("turn off the music at 0:30", {"music_volume": None}),
        ("don't mute the music", {"music_volume": None, "generate": False}),
        ("don't remove the music, just lower it", {"music_volume": None, "music_scale": 0.7}),
        ("there's no music yet, add something calm", {"music_volume": None, "generate": True}),
        ("I don't want music to cover my voice", {"music_volume": None}),
        ("no music while I'm talking", {"music_volume": None, "generate": False}),
        ("remove the music and make something upbeat", {"music_volume": None, "generate": True}),
        ("去掉音乐里的鼓", {"music_volume": None}),
        ("mute the music but keep the original voice", {"music_volume": 0.0, "original_volume": None}),
        # a level is said of its own subject
        ("original volume 50%", {"original_volume": 0.5, "music_volume": None}),
        ("raise the voice by 20%", {"music_scale": None}),
        ("increase the tempo by 20%", {"music_scale": None}),
        ("The music is fine but my voice is too quiet", {"music_scale": None, "generate": False}),
        ("把原声调低一点", {"music_scale": None}),
        ("could the music be louder?", {"music_scale": 1.35}),
        ("music: 30%", {"music_volume": 0.3, "generate": False}),
        ("set the music to about 30%", {"music_volume": 0.3}),
        ("音乐调小一点", {"music_scale": 0.7, "generate": False}),
        # a title's fade and a refused fade are not the music's
        ("make the title fade out", {"fade_out_s": None}),
        ("don't fade out the music", {"fade_out_s": None, "generate": False}),
        ("标题淡出", {"fade_out_s": None}),
        # a drop out is not a drop
        ("the music drops out at 0:30", {"adjust": True}),
        # undo said after something else; "export quickly" is not a faster tempo
        ("no, go back", {"undo": True}),
        ("快一点导出吧", {"export": True, "adjust": False}),
    ],
)
def test_what_the_new_words_do_not_reach(message: str, expected: dict[str, object]) -> None:
    assert_read_as(message, expected)


@pytest.mark.parametrize(
    ("message", "quiet", "start", "stop", "hits"),
    [
        ("no music between 0:10 and 0:20", [], None, None, []),  # a silent stretch, never music only there
        ("mute the music for the first 5 seconds", [], 5.0, None, []),
        ("turn off the music at 0:30", [], None, 30.0, []),
        ("the music drops out at 0:30", [], None, 30.0, []),
        ("drop the volume at 0:20", [], None, None, []),
        ("lower the voice from 0:10 to 0:20", [], None, None, []),  # the video's sound, not the music
        ("add a hit at 0:05 then calmer music", [], None, None, [5.0]),
    ],
)
def test_times_said_of_the_music_taken_away_or_of_something_else(
    message: str, quiet: list[tuple[float, float]], start: float | None, stop: float | None, hits: list[float]
) -> None:
    wishes = interpret(message).wishes
    assert wishes.moments.quiet_s == quiet and wishes.moments.hits_s == hits, message
    assert (wishes.music_start_s, wishes.music_stop_s) == (start, stop), message


@pytest.mark.parametrize(
    ("message", "silent"),
    [
        ("no music between 0:10 and 0:20", [(10.0, 20.0)]),
        ("silence from 0:10 to 0:20", [(10.0, 20.0)]),
        ("pause the music from 10 to 20 seconds", [(10.0, 20.0)]),
        ("music 0% from 0:10 to 0:20", [(10.0, 20.0)]),
        ("0:10到0:20不要音乐", [(10.0, 20.0)]),
        ("drop everything out at 0:30", [(30.0, 32.0)]),  # a dropout: the music is back a bar or so later
        ("everything drops out at 0:12 and 0:40", [(12.0, 14.0), (40.0, 42.0)]),
        ("a moment of silence at 0:30", [(30.0, 32.0)]),
    ],
)
def test_music_taken_away_for_a_stretch_is_silence_there_not_quieter_music(
    message: str, silent: list[tuple[float, float]]
) -> None:
    intent = interpret(message)
    assert intent.wishes.moments.silent_s == silent and intent.wishes.moments.quiet_s == [], message
    assert intent.adjust and not intent.generate and intent.music_volume is None, message


def test_a_refused_build_or_drop_is_taken_away_not_added() -> None:
    for message in ("don't build up to 0:30", "no build at 0:30", "remove the build-up at 0:30", "不要在0:30渐强"):
        wishes = interpret(message).wishes
        assert wishes.builds_removed_s == (30.0,) and not wishes.moments.builds, message
    refused = interpret("no drop at 0:30, build up to 0:45").wishes
    assert refused.builds_removed_s == (30.0,) and refused.hits_removed_s == (30.0,)
    assert [(b.start_s, b.peak_s) for b in refused.moments.builds] == [(37.0, 45.0)]


@pytest.mark.parametrize(
    ("message", "genre", "mood", "lead"),
    [
        ("特别安静的钢琴曲", "solo piano", (0.2, -0.75), None),  # 特别 is "very", not 别 "don't"
        ("不要钢琴要吉他", "acoustic", None, None),
        ("replace it with a violin", None, None, 40),
        ("nothing but piano", "solo piano", None, None),
    ],
)
def test_negation_takes_only_what_it_refuses(message: str, genre: str | None, mood: tuple[float, float] | None,
                                             lead: int | None) -> None:  # fmt: skip
    wishes = interpret(message).wishes
    assert (wishes.genre.value if wishes.genre else None) == genre, message
    assert wishes.mood == (pytest.approx(mood) if mood else None) and wishes.lead == lead, message


def test_not_enough_of_a_mood_asks_for_more_of_it() -> None:
    more = interpret("it's not epic enough")
    assert more.adjust and not more.generate and more.wishes.change[1] > 0.3


def test_a_host_relaying_the_users_words_in_quotes_is_read() -> None:
    """Quotes are a title's text only where a title is spoken of; a host relaying 'The user says: "make it
    calmer"' is asking for that (it was read as a title nobody asked for, and nothing was done)."""
    relayed = interpret('The user says: "make it calmer"')
    assert relayed.adjust and relayed.wishes.change[1] < 0 and not relayed.titles
    assert interpret('User: "perfect, export"').export
    titled = interpret('"Sad Day" title please, calm piano')
    assert [t.text for t in titled.titles] == ["Sad Day"] and titled.wishes.mood == pytest.approx((0.3, -0.7))


def test_music_asked_for_beside_a_moment_is_made() -> None:
    both = interpret("add background music, no music for the first 5 seconds")
    assert both.generate and not both.adjust and both.wishes.music_start_s == 5.0
    assert interpret("add a hit at 0:15").adjust  # a moment alone edits the music that is there


@pytest.mark.parametrize(
    ("message", "scale"),
    [
        ("make my voice louder", 1.35),
        ("The music is fine but my voice is too quiet", 1.35),
        ("the original audio is too loud", 0.7),
        ("raise the voice by 20%", 1.2),
        ("原声调低", 0.7),
        ("lower the voice from 0:10 to 0:20", None),  # a stretch of the video's sound: not the whole of it
    ],
)
def test_the_videos_own_sound_moved_in_words(message: str, scale: float | None) -> None:
    intent = interpret(message)
    assert intent.original_scale == scale and intent.music_scale is None and intent.music_volume is None, message


@pytest.mark.parametrize("message", ["don't put a hit at 0:15", "no need for a hit at 0:15", "不要在0:15加重音"])
def test_a_refused_hit_is_taken_away_not_added(message: str) -> None:
    wishes = interpret(message).wishes
    assert wishes.moments.hits_s == [] and wishes.hits_removed_s == (15.0,), message


@pytest.mark.parametrize(
    ("message", "drumless", "drums_from"),
    [
        ("drop the drums at 0:20", [(20.0, UNTIL_THE_END_S)], None),
        ("no drums after 0:30", [(30.0, UNTIL_THE_END_S)], None),
        ("the drums stop at 0:30", [(30.0, UNTIL_THE_END_S)], None),
        ("remove the drums from 0:10 to 0:20", [(10.0, 20.0)], None),
        ("从0:10到0:20不要鼓", [(10.0, 20.0)], None),
        ("0:30之后不要鼓", [(30.0, UNTIL_THE_END_S)], None),
        ("bring the drums in at 0:12", [], 12.0),
    ],
)
def test_drums_taken_out_or_brought_in_at_a_time_are_moments_not_a_drumless_piece(
    message: str, drumless: list[tuple[float, float]], drums_from: float | None
) -> None:
    intent = interpret(message)
    wishes = intent.wishes
    assert wishes.moments.drumless_s == drumless and wishes.moments.drums_from_s == drums_from, message
    assert wishes.drums is None and intent.adjust and not intent.generate, message


@pytest.mark.parametrize(
    ("message", "drums", "drums_db"),
    [
        ("remove the drums", False, 0.0),  # the piece that is there, without its drums: not a new piece
        ("no drums", False, 0.0),
        ("不要鼓", False, 0.0),
        ("add drums", True, 0.0),
        ("bring the drums back", True, 0.0),
        ("加点鼓", True, 0.0),
        ("the drums are too loud", None, -4.0),
        ("turn down the drums", None, -4.0),
        ("the drums are too quiet", None, 3.0),  # not quiet music
    ],
)
def test_the_drums_of_the_music_that_is_there_are_edited_not_replaced(
    message: str, drums: bool | None, drums_db: float
) -> None:
    intent = interpret(message)
    assert (intent.wishes.drums, intent.wishes.drums_db) == (drums, drums_db), message
    assert intent.adjust and not intent.generate and intent.wishes.mood is None, message
    assert intent.music_volume is None and intent.music_scale is None, message


@pytest.mark.parametrize(
    ("message", "out", "back", "lead"),
    [
        ("remove the piano", ("piano",), (), None),  # before: new solo piano music, the opposite
        ("take out the guitar", ("guitar",), (), None),
        ("mute the strings", ("strings",), (), None),
        ("get rid of the synths", ("synth",), (), None),
        ("去掉钢琴", ("piano",), (), None),
        ("把吉他去掉", ("guitar",), (), None),
        ("replace the piano with a violin", ("piano",), (), 40),
        ("bring the piano back", (), ("piano",), None),
        ("把钢琴加回来", (), ("piano",), None),
    ],
)
def test_an_instrument_taken_out_or_put_back_edits_the_piece_that_is_there(
    message: str, out: tuple[str, ...], back: tuple[str, ...], lead: int | None
) -> None:
    intent = interpret(message)
    wishes = intent.wishes
    assert (tuple(wishes.instruments_out), tuple(wishes.instruments_back)) == (out, back), message
    assert wishes.genre is None and wishes.lead == lead, message  # the instrument named is not a genre asked for
    assert intent.adjust and not intent.generate, message


def test_words_near_instrument_removal_are_read_as_before() -> None:
    assert interpret("calm music without piano").generate  # new music, without the piano
    assert interpret("calm music without piano").wishes.instruments_out == ("piano",)
    assert not interpret("no piano music").wishes.instruments_out  # a piece refused, not an instrument taken out
    assert not interpret("drop the bass").wishes.instruments_out  # a bass drop
    assert interpret("solo piano please").wishes.genre == "solo piano"


@pytest.mark.parametrize(
    ("message", "levels"),
    [
        ("make the piano louder", {"piano": 3.0}),  # before: new solo piano music
        ("the piano is too quiet", {"piano": 3.0}),
        ("turn down the strings", {"strings": -4.0}),  # before: new orchestral music
        ("the bass is too loud", {"bass": -4.0}),  # before: nothing read
        ("more bass", {"bass": 3.0}),
        ("钢琴大声一点", {"piano": 3.0}),
    ],
)
def test_an_instruments_level_is_an_edit_of_the_piece_not_a_genre(message: str, levels: dict[str, float]) -> None:
    intent = interpret(message)
    assert intent.wishes.instruments_db == levels and intent.wishes.genre is None, message
    assert intent.adjust and not intent.generate and intent.music_scale is None, message


@pytest.mark.parametrize(
    ("message", "bpm"),
    [("faster, like 140", 140.0), ("bump the tempo up to 128", 128.0), ("速度120", 120.0), ("节奏调到95", 95.0),
     ("slow it down to 70", 70.0), ("tempo 90", 90.0), ("faster at 0:30", None), ("slower for 20 seconds", None),
     ("make it faster to 120%", None)],
)  # fmt: skip
def test_a_tempo_said_without_bpm_is_the_tempo(message: str, bpm: float | None) -> None:
    """ "faster, like 140" gave a step (100 bpm), "bump the tempo up to 128" and "速度120" nothing: the number needed
    "bpm". A time, a length or a share after "faster" is none."""
    assert interpret(message).wishes.bpm == bpm


@pytest.mark.parametrize(
    ("message", "change"),
    [("make it calmer, take the drums out of the intro and put the music at 20%", (0.0, -0.35)),
     ("darker, and no piano in the outro", (-0.35, 0.0)),
     ("the last 10 seconds feel too busy, calm it down", (0.0, 0.0))],  # that stretch's, quiet
)  # fmt: skip
def test_a_mood_step_beside_an_instrument_taken_out_of_a_place_is_the_whole_pieces(
    message: str, change: tuple[float, float]
) -> None:
    """ "calmer" was dropped whenever a place was named ("no drums in the intro"): a step beside a stretch named by
    its place is that stretch's only where the stretch is a mood (quieter, livelier, sadder, happier)."""
    assert interpret(message).wishes.change == change


@pytest.mark.parametrize(
    ("message", "change", "placed"),
    [("make it calmer and end with a big finish", (0.0, -0.35), "lift"),
     ("make it sadder, and a big finish", (-0.35, -0.1), "lift"),
     ("calmer please, and a more energetic second half", (0.0, -0.35), "lift"),
     ("make the ending calmer", (0.0, 0.0), "quiet"), ("make it calmer at the end", (0.0, 0.0), "quiet")],
)  # fmt: skip
def test_a_mood_step_said_before_a_stretch_is_named_is_the_whole_pieces(
    message: str, change: tuple[float, float], placed: str
) -> None:
    """ "make it calmer and end with a big finish" gave the big finish and dropped "calmer" (a step beside a stretch
    was the stretch's): said before any stretch is named, it is the piece's; said of the stretch, the stretch's."""
    wishes = interpret(message).wishes
    assert wishes.change == change and [p.kind for p in wishes.placed] == [placed]


@pytest.mark.parametrize(
    ("message", "asked"),
    [("end with a big finish", True), ("give it an epic ending", True), ("slow start, big finish", True),
     ("no big finish please", False), ("don't give it a big finish", False)],
)  # fmt: skip
def test_a_big_finish_lifts_the_ending_and_strikes_its_final_chord(message: str, asked: bool) -> None:
    """ "end with a big finish" lifted the last quarter only: the final chord is now struck as a hit too, as "end on a
    big hit" strikes it (its first half second 1.7 LU louder over the lift, pop, cinematic and lo-fi at 24 s)."""
    wishes = interpret(message).wishes
    assert wishes.moments.end_hit is asked and ([p.kind for p in wishes.placed] == ["lift"]) is asked


@pytest.mark.parametrize(
    "message",
    ["the big finish is too much", "tone down the big finish", "the big finish is too loud", "remove the big ending",
     "no big finish please", "make it calmer, and the big finish is too much"],
)  # fmt: skip
def test_a_big_finish_complained_of_is_taken_away(message: str) -> None:
    """ "the big finish is too much" was read as asking for one (a lifted last quarter and a final hit): a complaint
    or a refusal of the big finish now takes the final hit away and lifts nothing (a lift asked before stays)."""
    wishes = interpret(message).wishes
    assert wishes.end_hit_removed and not wishes.moments.end_hit and "lift" not in [p.kind for p in wishes.placed]


@pytest.mark.parametrize(
    ("message", "change"),
    [("calmer", (0.0, -0.35)), ("a bit calmer please", (0.0, -0.175)), ("slightly calmer", (0.0, -0.175)),
     ("much calmer", (0.0, -0.6125)), ("way more energetic", (0.0875, 0.6125)), ("a little sadder", (-0.175, -0.05)),
     ("thanks so much, make it calmer", (0.0, -0.35)), ("a bit of piano and calmer", (0.0, -0.35))],
)  # fmt: skip
def test_a_step_goes_as_far_as_its_degree_says(message: str, change: tuple[float, float]) -> None:
    """ "a bit calmer", "calmer" and "much calmer" were one step: said just before the step, "a bit" is half of it
    and "much" one and three quarters; "so much" said elsewhere, or "a bit of piano", moves nothing."""
    assert interpret(message).wishes.change == change


@pytest.mark.parametrize(
    ("message", "change"),
    [("more relaxed", (0.18, -0.24)), ("a bit more chill", (0.07, -0.09)), ("make it more cheerful", (0.32, 0.18))],
)
def test_more_of_a_mood_is_a_step_towards_it(message: str, change: tuple[float, float]) -> None:
    """ "more relaxed" set the mood to relaxed's own value and made a new piece: after "much calmer" it was livelier.
    It is a step towards the word from the music there, as "less epic" is a step away; a piece that "gets more
    intense" is a shape, not a step."""
    intent = interpret(message)
    assert intent.adjust and intent.wishes.mood is None
    assert tuple(round(x, 2) for x in intent.wishes.change) == change
    assert interpret("music that starts calm and gets more intense").wishes.change == (0.0, 0.0)
