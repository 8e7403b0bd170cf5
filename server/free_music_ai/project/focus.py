"""Batch style: one session holds several uploads and works on one of them (or all together) at a time.

Each focus keeps its own music, titles and format, set aside in the project when another is picked, so every
video gets its own render with its own instructions, and going back to a video finds its edits again. Music
the user brought belongs to the whole session and stays. Which upload a message means is read in
words/focus.py.
"""

from __future__ import annotations

from collections.abc import Callable

from free_music_ai.project.model import Clip, Project, Waiting


def refocus(project: Project, chosen: list[str], place: Callable[[list[str]], list[Clip]]) -> bool:
    """Put the chosen uploads on the video track (laid out by ``place``), setting the current focus's music,
    titles and format aside and bringing back the chosen one's. Whether anything changed."""
    current = project.focus
    if chosen == current:
        return False
    if current:
        project.waiting[",".join(current)] = Waiting(
            music=project.music if project.has_generated_music else None,
            titles=list(project.titles),
            aspect=project.aspect,
            original_volume=None if project.original_volume == 1.0 else project.original_volume,
            original_stretches=list(project.original_stretches),
        )
    users_song = project.music if project.music is not None and project.music.user else None
    saved = project.waiting.pop(",".join(chosen), None)
    project.clips = place(chosen)
    project.music = saved.music if saved is not None and saved.music is not None else users_song
    project.titles = list(saved.titles) if saved is not None else []
    if saved is not None:  # a new focus keeps the current format; one seen before gets its own back
        project.aspect = saved.aspect
        project.original_volume = 1.0 if saved.original_volume is None else saved.original_volume
    project.original_stretches = list(saved.original_stretches) if saved is not None else []  # its own times
    return True
