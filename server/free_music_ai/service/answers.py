"""Answers to questions about the session's music, from what the session knows: no change, no file."""

from __future__ import annotations

from free_music_ai.project.model import Project
from free_music_ai.words.questions import Asked

SHAPES = {
    "auto": "its loudest part follows the video's energy",
    "build": "it builds up to the end",
    "steady": "it stays at one level after its intro",
    "settle": "it peaks early, then settles",
}
NO_MUSIC = 'There is no music yet: ask for some ("calm lo-fi", "epic orchestral") and I will tell you all about it.'


def answer(project: Project, asked: list[Asked]) -> str:
    music = project.music
    if music is None:
        return NO_MUSIC
    if music.user:
        level = f"at {round(music.volume * 100)}%"
        return (f"The music is your own song, {music.name}, {level}. I did not make it, so I cannot tell its key, "
                "tempo or instruments.")  # fmt: skip
    return " ".join(_one(project, question) for question in asked)


def _one(project: Project, asked: Asked) -> str:
    from free_music_ai.engine.plan.plan import MODE_WORDS

    music = project.music
    assert music is not None and music.spec is not None
    spec = music.spec
    if asked == Asked.KEY:
        return f"It is in {music.key} {MODE_WORDS.get(music.mode or '', music.mode)}."
    if asked == Asked.TEMPO:
        return f"It plays at {round(music.bpm or 0)} bpm."
    if asked == Asked.GENRE:
        return f"It is {music.genre}."
    if asked == Asked.INSTRUMENT:
        return f"The tune is on the {_lead_name(spec)}."
    if asked == Asked.HITS:
        return _hits(spec)
    return _loudness(project)


def _lead_name(spec: object) -> str:
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.spec import MusicSpec
    from free_music_ai.engine.soundfont.general_midi import PROGRAM_NAMES

    assert isinstance(spec, MusicSpec)
    programs = {e.program for e in compose(spec).events if e.part == "lead" and not e.drum}
    if not programs:
        return "nothing: this piece has no lead tune"
    return " and ".join(PROGRAM_NAMES[p] for p in sorted(programs))


def _clock(seconds: float) -> str:
    return f"{int(seconds) // 60}:{seconds % 60:04.1f}"


def _hits(spec: object) -> str:
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.spec import MusicSpec

    assert isinstance(spec, MusicSpec)
    hits = compose(spec).hits_s
    if not hits:
        return "It has no accents on scene changes (the video has none it could land on)."
    shown = ", ".join(_clock(t) for t in hits[:8])
    more = f" and {len(hits) - 8} more" if len(hits) > 8 else ""
    return f"Accents land on the scene changes at {shown}{more}; {SHAPES[spec.dynamics.value]}."


def _loudness(project: Project) -> str:
    music = project.music
    assert music is not None
    ducked = ""
    spans = music.ducking.spans if music.ducking is not None else []
    if spans:
        ducked = f", and steps back under the speech ({len(spans)} stretch{'es' if len(spans) != 1 else ''})"
    asked = ""
    if abs(music.excess_db) >= 0.1:  # a stretch asked louder or quieter: the rest keeps its level
        way = "louder" if music.excess_db > 0 else "quieter"
        # by what it measures, not by what was asked: a quiet second half can leave the whole louder (the loudness
        # gate leaves the quiet part out, and the first half was the louder one)
        asked = (f" (the music as it would be without the stretches you asked for: they make the whole "
                 f"{abs(music.excess_db):.1f} dB {way})")  # fmt: skip
    from free_music_ai.engine.soundtrack import alone_db

    target = "-14 LUFS"
    under = 0.0 if any(clip.has_audio for clip in project.clips) else alone_db(music.volume)
    if under:  # the music is the whole sound
        target = f"{-14 + under:.1f} LUFS (the video has no sound of its own: its level)"
    return (f"The music plays at {round(music.volume * 100)}% of its level{ducked}; the export is set to {target}"
            f"{asked} with peaks under -1 dBTP.")  # fmt: skip
