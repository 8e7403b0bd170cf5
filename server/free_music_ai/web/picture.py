"""The picture of a session's video and its music: the footage's energy, cuts and speech, the music's level
under them and the beats that land on the cuts (drawn by engine/analysis/plot.py)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from free_music_ai.config import Settings
from free_music_ai.errors import InputError

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.plot import MusicTrace
    from free_music_ai.project.model import Project


def draw_session(backend: Any, session_id: str, settings: Settings) -> bytes:
    """The PNG for the session's video as it is now (the local engine only: the cloud does not say)."""
    from free_music_ai.engine.analysis.plot import draw

    engine = getattr(backend, "engine", None)
    if engine is None:
        raise InputError("The picture of the music is drawn by the local engine only.")
    engine.store.require(session_id)
    _, project = engine.store.project(session_id)
    if not project.clips:
        raise InputError("There is nothing to draw yet: upload a video or pictures first.")
    analysis = engine.media.analysis(session_id, project)
    music = _trace(project) if project.music is not None and project.music.spec else None
    with tempfile.TemporaryDirectory(prefix="fmai-picture-") as work:
        path = Path(work) / "picture.png"
        draw(analysis, path, ffmpeg=settings.ffmpeg, music=music)
        return path.read_bytes()


NO_MUSIC_DB = -60.0


def _trace(project: Project) -> MusicTrace:
    from free_music_ai.engine.analysis.plot import MusicTrace
    from free_music_ai.engine.music.compose import compose
    from free_music_ai.engine.music.mixdown import moment_envelopes

    music = project.music
    assert music is not None and music.spec, "drawn only for generated music"
    spec = music.spec
    composition = compose(spec)  # the notes only: quick, and exactly the same
    frames = max(1, round(project.video_ms / 100))
    offset = round(music.start_ms / 100)  # frames of video before the music starts
    own = max(1, min(frames - offset, round(spec.duration_s * 10)))
    ducking = music.ducking
    gain = ducking.gain(10, own) if ducking is not None else np.ones(own, np.float32)
    level = 20 * np.log10(np.maximum(gain * music.volume, 1e-4))
    times = np.arange(own) / 10.0
    for moment_times, moment_db in moment_envelopes(spec.moments):  # builds, quiet and silent stretches, as mixed
        level += np.interp(times, moment_times, moment_db)
    level = np.maximum(level, NO_MUSIC_DB)  # a silent stretch is drawn as where there is no music
    level_db = np.full(frames, NO_MUSIC_DB)
    level_db[offset : offset + own] = level[: max(0, frames - offset)]
    return MusicTrace(level_db=level_db.tolist(), hits_s=[t + music.start_ms / 1000 for t in composition.hits_s])
