"""New music for a project: the video's analysis and the user's wishes make a plan, the plan is composed and
played, and the project's music becomes it (keeping the level and fade the user chose)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai.allocator import give_back_free_memory
from free_music_ai.config import Settings
from free_music_ai.engine.leftovers import note_partial
from free_music_ai.engine.music.moments import Moments
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.engine.render.output_path import discard
from free_music_ai.errors import disk_error
from free_music_ai.project.edits import Edits
from free_music_ai.project.model import Music, Project
from free_music_ai.service.media_cache import MediaCache, music_part

if TYPE_CHECKING:
    from free_music_ai.engine.music.level_reference import Heard
    from free_music_ai.engine.music.spec import MusicSpec

HEARD_BLOCK = 50 * 4800  # samples of the piece heard before measured at a time: whole 100 ms loudness frames
LONG_MUSIC_S = 300.0  # from here on, memory the one-shot keeps for speed is handed back before the music

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class MusicMade:
    """What ``make_music`` did: the explanation and what the music is (genre, tempo, key, mode, seed), or, when the
    edit asked left the piece as it was ("no choir in the intro" of a piece without one), why; then ``made`` is
    False and the project's music is untouched."""

    explanation: str
    info: dict[str, Any]
    made: bool = True


def make_music(project: Project, intent: Edits, *, seed: int | None, folder: Path, settings: Settings,
               media: MediaCache, session_id: str, on_progress: Progress | None = None,
               fitted: Music | None = None) -> MusicMade:  # fmt: skip
    """Make the project's music as ``intent`` asks (new, another version, or the last one edited). ``fitted``:
    generated music (of an earlier version, or of the timeline before a focus moved) to fit to the video as it is
    now: the same piece, its key, tempo, themes and section material, at the new length, on the new cuts."""
    from free_music_ai.engine.music.compose import kept_form
    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.versions import another_seed
    from free_music_ai.engine.plan.plan import first_seed, plan_music

    report = on_progress or (lambda fraction, message: None)
    report(0.02, "Watching the video")
    analysis = media.analysis(session_id, project)
    previous = fitted if fitted is not None else project.music
    last_spec = previous.spec if previous is not None and not previous.user else None
    # a genre, a tempo or a mood named for the music there ("switch to jazz", "at 100 bpm", "sad") edits it: its
    # moments, its start, its drums and instruments stay (they were dropped, unsaid); new music asked by name does not
    edits = (
        intent.adjust
        or intent.regenerate
        or intent.refit
        or fitted is not None
        or (intent.generate and not intent.fresh)
    )
    base = last_spec if last_spec and edits else None
    wishes = Wishes() if intent.regenerate and base is not None else intent.wishes
    if seed is None and previous is None:  # the first music: the seed `analyze` shows for this clip and words
        seed = first_seed(analysis, wishes)
    elif seed is None and base is not None and intent.regenerate:  # another version, heard as another piece
        seed = another_seed(base, lambda: random.randrange(1, 1_000_000))
    elif seed is None:
        seed = random.randrange(1, 1_000_000) if base is None else base.seed
    base_start = previous.start_ms / 1000 if previous is not None and base is not None else 0.0
    plan = plan_music(analysis, wishes, seed=seed, base=base, base_start_s=base_start)
    # another version draws its own form with its seed (the one it plays is kept in its spec once it is made)
    spec = (plan.spec if not (intent.regenerate and base)
            else base.model_copy(update={"seed": seed, "form": None, "verse_theme": None}))  # fmt: skip
    # "no choir in the intro" of a piece with none: no version that changes nothing
    if (
        previous is not None
        and base is not None
        and fitted is None
        and not intent.regenerate
        and (round(plan.start_s * 1000) == previous.start_ms and _as_heard(previous, spec))
    ):
        why = ("; ".join(plan.notes) or "it already plays what you asked").rstrip(".")
        return MusicMade(f"The music stays as it was: {why[0].lower()}{why[1:]}.", {}, made=False)
    media.decode_sound_ahead(project)
    if spec.duration_s > LONG_MUSIC_S:
        give_back_free_memory()  # what the analysis freed, before a long piece takes its buffer
    report(0.15, "Composing")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"music-{seed}-{abs(hash(spec.model_dump_json())) % 10**8}.npy"
    part = note_partial(music_part(path))  # a long piece is played straight into its file
    try:
        # the export mixes and masters the music again, so it is levelled here, not limited twice
        music = produce(spec, target_lufs=settings.target_lufs, soundfont=settings.soundfont,
                        on_progress=lambda f, m: report(0.15 + 0.8 * f, m), finish=False, file=part,
                        instruments=media.instruments,
                        heard=_heard(previous, spec, media, settings.target_lufs))  # fmt: skip
    except BaseException as exc:
        discard(part)  # nothing half-played is left behind
        if isinstance(exc, OSError):
            raise disk_error(exc, "the music") from None
        raise
    media.keep_music(path, music.audio)
    c = music.composition
    spec = spec.model_copy(update=kept_form(spec, c))
    info = {"genre": c.genre.value, "bpm": c.bpm, "key": c.key.split()[0], "mode": c.character.mode, "seed": seed}
    volume = project.music_volume
    if volume is None:  # the level the user chose for the music before, else one that fits under the video
        volume = previous.volume if previous is not None and not previous.user else project.music_level
    # a fade the user asked for belongs to the music, so new music keeps it
    fade = intent.fade_in_s if intent.fade_in_s is not None else (previous.fade_in_s if previous is not None else 0.0)
    fade_out = intent.fade_out_s if intent.fade_out_s is not None else (previous.fade_out_s if previous else 0.0)
    project.music = Music(
        name=c.genre.value.title() if c.genre.value != "lo-fi" else "Lo-fi",
        path=str(path),
        volume=float(volume),
        start_ms=round((plan.start_s if not (intent.regenerate and base) else base_start) * 1000),
        duration_ms=round(spec.duration_s * 1000),
        spec=spec,
        ducking=plan.ducking,
        explanation=plan.explanation,
        fade_in_s=fade,
        fade_out_s=fade_out,
        changed_s=list(music.changed_s),
        excess_db=music.excess_db,
        **info,
    )
    project.music_volume = None
    return MusicMade(plan.explanation, info)


def only_past_the_music(project: Project, intent: Edits) -> str:
    """The reply when a message asks only for moments the music never reaches ("remove the piano from 99:00 to
    99:30" of a 24 s video): nothing is made, and the words say why; "" when the message asks anything else."""
    music, wishes = project.music, intent.wishes
    if music is None or music.user or music.spec is None or intent.generate or intent.regenerate:
        return ""
    if not wishes.moments.any or wishes.model_copy(update={"moments": Moments()}) != Wishes():
        return ""
    if not replace(intent, adjust=False, wishes=Wishes()).empty:
        return ""
    end_s = (music.start_ms + music.duration_ms) / 1000
    if wishes.moments.past(end_s) != wishes.moments:
        return ""
    from free_music_ai.engine.plan.plan import past_the_music

    return past_the_music(wishes.moments, end_s, project.video_ms / 1000)


def _heard(previous: Music | None, spec: MusicSpec, media: MediaCache, target_lufs: float) -> Heard | None:
    """The piece ``spec`` edits, as it was heard, when only its moments differ ("make the second half more
    energetic"): the new piece's untouched part is matched to it in loudness (level_reference.py)."""
    import numpy as np

    from free_music_ai.engine.loudness import FRAME_S, frame_energies
    from free_music_ai.engine.music.level_reference import Heard

    if previous is None or previous.user or previous.spec is None or not (spec.moments.any or previous.changed_s):
        return None
    if not _same_piece(previous, spec):
        return None
    try:
        stream = media.music_at(Path(previous.path))
    except (OSError, ValueError):  # its file is gone: the new piece's level is estimated instead
        return None
    frame = round(FRAME_S * 48_000)
    energies = [frame_energies(stream.read(HEARD_BLOCK), channels_first=True) for _ in
                range(0, stream.length - stream.length % frame, HEARD_BLOCK)]  # fmt: skip
    whole = np.concatenate(energies)[: stream.length // frame] if energies else np.zeros(0)
    return Heard(whole, previous.changed_s, target_lufs)


def _same_piece(previous: Music, spec: MusicSpec) -> bool:
    """Whether ``spec`` is ``previous``'s piece but for its moments: the fields the seed chose for it (left None in
    its spec) may now be named, as the piece played them (an edit keeps its key)."""
    assert previous.spec is not None
    played = {"genre": previous.genre, "bpm": previous.bpm, "key": previous.key, "mode": previous.mode}
    was = previous.spec.model_dump(mode="json", exclude={"moments"})
    now = spec.model_dump(mode="json", exclude={"moments"})
    for field, value in now.items():
        if was.get(field) is None and value is not None and field in played:
            was[field] = value if _alike(value, played[field]) else was[field]
    for field in ("form", "verse_theme"):  # a piece planned before these were kept took the seed's
        if was.get(field) is None:
            was[field] = now.get(field)
    return was == now


def _as_heard(previous: Music, spec: MusicSpec) -> bool:
    """Whether ``spec`` is ``previous``'s piece with its moments too: the edit changed nothing in it."""
    assert previous.spec is not None
    return _same_piece(previous, spec) and spec.moments == previous.spec.moments


def _alike(value: object, played: object) -> bool:
    if isinstance(value, float) and isinstance(played, float):
        return abs(value - played) < 0.05
    return value == played
