"""Typed edits applied to a project: canvas, pictures' timing, titles, volumes, the original sound, fades.
Each says what it did, in the words the reply is made of. (Music is made in service/music_job.py.)"""

from __future__ import annotations

from free_music_ai.errors import InputError
from free_music_ai.project.edits import Edits
from free_music_ai.project.model import MAX_MUSIC_VOLUME, MAX_ORIGINAL_VOLUME, Project, SoundStretch, Title

MIN_TITLE_MS = 500


def apply_edits(project: Project, intent: Edits) -> list[str]:
    said: list[str] = []
    if intent.aspect:
        project.aspect = intent.aspect
        said.append(f"Set the format to {intent.aspect}.")
    if intent.fit:
        project.fit = intent.fit
        said.append(f"Pictures of another shape fit the frame by {intent.fit}.")
    if intent.image_seconds is not None:
        said += retime_images(project, intent.image_seconds)
    if intent.remove_titles:
        said.append(_removed_titles(project, intent))
    said += _titles(project, intent)
    if intent.titles_to is not None and project.titles:
        project.titles = [t.model_copy(update={"position": intent.titles_to}) for t in project.titles]
        said.append(f"Moved the title{'s' if len(project.titles) > 1 else ''} to the {intent.titles_to}.")
    if intent.titles_at_s is not None and project.titles:
        said.append(_titles_at(project, intent.titles_at_s))
    said += _volumes(project, intent)
    if intent.fade_in_s is not None and project.music is not None:
        project.music.fade_in_s = intent.fade_in_s
        said.append(f"The music fades in over {project.music.fade_in_s:g} s.")
    if intent.fade_out_s is not None and project.music is not None:
        project.music.fade_out_s = intent.fade_out_s
        said.append(f"The music fades out over its last {intent.fade_out_s:g} s.")
    return said


def retime_images(project: Project, seconds: float) -> list[str]:
    """Every picture in the timeline shown for ``seconds``; what follows moves with it."""
    if not any(c.kind == "image" for c in project.clips):
        return []
    timed = [c.model_copy(update={"duration_ms": round(seconds * 1000)}) if c.kind == "image" else c
             for c in project.clips]  # fmt: skip
    project.clips = project.laid_out(timed)
    return [f"Each picture shows for {seconds:g} s."]


def _titles(project: Project, intent: Edits) -> list[str]:
    said: list[str] = []
    total_ms = project.video_ms
    for wish in intent.titles:
        if wish.at_end:  # the last seconds of the video, as long as asked
            length = round(((wish.end_s or 3.0) - wish.start_s) * 1000)
            start_ms, end_ms = max(0, total_ms - length), total_ms
        else:
            end_ms = total_ms if wish.end_s is None else min(total_ms, round(wish.end_s * 1000))
            start_ms = min(round(wish.start_s * 1000), max(0, end_ms - MIN_TITLE_MS))
        title = Title.model_validate({"text": wish.text, "start_ms": start_ms, "position": wish.position,
                                      "duration_ms": max(MIN_TITLE_MS, end_ms - start_ms)})  # fmt: skip
        project.titles.append(title)
        shown = f"{title.start_ms / 1000:g}-{(title.start_ms + title.duration_ms) / 1000:g}s"
        said.append(f'Added the title "{title.text}" ({shown}).')
    return said


def _removed_titles(project: Project, intent: Edits) -> str:
    """The titles the words name taken out (one by its text or its place in time), or all of them."""
    if intent.removed_title is None and intent.removed_title_at is None:
        project.titles = []
        return "Removed the titles."
    ordered = sorted(project.titles, key=lambda t: t.start_ms)
    if intent.removed_title is not None:
        gone = [t for t in ordered if t.text.casefold() == intent.removed_title.casefold()]
    else:
        at = intent.removed_title_at
        gone = [ordered[at]] if at is not None and -len(ordered) <= at < len(ordered) else []
    if not gone:
        there = ", ".join(f'"{t.text}"' for t in ordered) or "none yet"
        raise InputError(f"There is no such title (the titles: {there}). Name one by its text or its place "
                         "(\"remove the last title\"), or say \"remove the titles\" for all of them.")  # fmt: skip
    project.titles = [t for t in project.titles if t not in gone]
    return f'Removed the title "{gone[0].text}".' if len(gone) == 1 else f"Removed {len(gone)} titles."


def _titles_at(project: Project, start_s: float) -> str:
    """The titles there moved to start at ``start_s`` (each keeps its length, within the video)."""
    total_ms = project.video_ms
    start_ms = min(round(start_s * 1000), max(0, total_ms - MIN_TITLE_MS))
    project.titles = [t.model_copy(update={"start_ms": start_ms, "duration_ms": max(MIN_TITLE_MS, min(
        t.duration_ms, total_ms - start_ms))}) for t in project.titles]  # fmt: skip
    shown = ", ".join(f"{t.start_ms / 1000:g}-{(t.start_ms + t.duration_ms) / 1000:g}s" for t in project.titles)
    return f"Moved the title{'s' if len(project.titles) > 1 else ''} to {shown}."


def _volumes(project: Project, intent: Edits) -> list[str]:
    said: list[str] = []
    _check_level(intent.music_volume, MAX_MUSIC_VOLUME, "music volume", "music")
    _check_level(intent.original_volume, MAX_ORIGINAL_VOLUME, "original sound", "original sound")
    asked = intent.music_volume is not None or intent.music_scale is not None
    if asked and project.music is not None:
        current = project.music.volume
        volume = intent.music_volume if intent.music_volume is not None else current * (intent.music_scale or 1)
        project.music.volume = _within(volume, MAX_MUSIC_VOLUME)  # "louder" stops at the top
        said.append(f"Music volume {round(100 * project.music.volume)}%.")
    elif asked:
        project.music_volume = intent.music_volume  # the next music gets it
    original = intent.original_volume
    if original is None and intent.original_scale is not None:  # "make my voice louder": a step from where it is
        original = _within(project.original_volume * intent.original_scale, MAX_ORIGINAL_VOLUME)
        if original == project.original_volume:  # at the top, or muted: a step moves nothing
            said.append(
                'The original sound is muted: ask for a level to bring it back ("original sound 100%").'
                if original == 0
                else f"Already at {round(100 * original)}%, the most the original sound goes."
            )
            original = None
    if original is not None:
        project.original_volume = original
        said.append("Muted the original sound." if original == 0 else f"Original sound at {round(100 * original)}%.")
    said += _original_stretches(project, intent)
    return said


def _original_stretches(project: Project, intent: Edits) -> list[str]:
    """The videos' own sound at another level for stretches ("mute my voice from 0:10 to 0:20"): each replaces
    what was asked before where they overlap, and stays inside the video."""
    from free_music_ai.engine.music.moments import placed_span

    said: list[str] = []
    end_ms = project.video_ms
    placed = [
        (*placed_span((p.first, p.last), p.seconds, start_s=0.0, stop_s=end_ms / 1000), p.level)
        for p in intent.original_places
    ]  # "lower my voice at the end": its times, the video's length known
    for first_s, last_s, level in [*intent.original_stretches, *placed]:
        _check_level(level, MAX_ORIGINAL_VOLUME, "original sound", "original sound")  # "999% from…": the range said
        first, last = round(first_s * 1000), min(round(last_s * 1000), end_ms)
        if last <= first:
            said.append(f"The video ends at {end_ms / 1000:g} s: there is no original sound from {first_s:g} s to "
                        "change.")  # fmt: skip
            continue
        kept = [s for s in project.original_stretches if s.end_ms <= first or s.start_ms >= last]
        stretch = SoundStretch(start_ms=first, end_ms=last, level=_within(level, MAX_ORIGINAL_VOLUME))
        project.original_stretches = sorted([*kept, stretch], key=lambda s: s.start_ms)
        shown = f"{first / 1000:g}-{last / 1000:g}s"
        said.append(f"Muted the original sound {shown}." if stretch.level == 0
                    else f"Original sound {shown} at {round(100 * stretch.level)}% of its level.")  # fmt: skip
    return said


def _within(level: float, highest: float) -> float:
    """A level moved by a step, kept between silence and the most it may be."""
    return round(min(highest, max(0.0, level)), 2)


def _check_level(level: float | None, highest: float, what: str, example: str) -> None:
    """A level asked for in numbers is one the project can hold, else an error that gives the range: never
    silently the nearest one, and never a failure after the music was made for it."""
    if level is None or 0.0 <= level <= highest:
        return
    top = round(100 * highest)
    raise InputError(f"The {what} goes from 0 to {top}%, and {100 * level:g}% is outside that. Ask for a level "
                     f'in that range, such as "{example} {top}%" for the loudest or "{example} 35%".')  # fmt: skip
