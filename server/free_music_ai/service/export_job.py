"""One export: a project version rendered to an MP4 with its soundtrack mixed and mastered, the licence
sidecar beside it, and the music's stems and MIDI when asked for."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai.allocator import give_back_free_memory
from free_music_ai.config import Settings
from free_music_ai.engine.canvas_choices import Aspect, Fit
from free_music_ai.engine.ffmpeg_binary import look_up_beside
from free_music_ai.engine.leftovers import scratch_folder
from free_music_ai.engine.render.output_path import default_name, inside_if_folder
from free_music_ai.errors import InputError
from free_music_ai.project.model import Music, Project
from free_music_ai.service.credentials import export_seal
from free_music_ai.service.licence import SIDECAR_SUFFIX, MusicSource, metadata_comment, sidecar
from free_music_ai.service.media_cache import MediaCache
from free_music_ai.service.music_files import ExportExtras, write_music_files

if TYPE_CHECKING:
    from free_music_ai.engine.render.models import EarlierPicture

Progress = Callable[[float, str], None]
LONG_VIDEO_MS = 300_000  # from here on, memory the one-shot keeps for speed is handed back between stages
CUT_SONG_FADE_S = 1.5
MAX_LICENCE_TRIES = 5


def check_export(project: Project, extras: ExportExtras) -> None:
    """What would make this export fail, said before any job exists (and before any file is written)."""
    if not project.clips:
        raise InputError("There is nothing to export yet: upload a video or images first.")
    if extras.wanted and not project.has_generated_music:
        raise InputError("Stems and MIDI are written for music this program made; this video has none. Ask "
                         "for music first, or export without --stems and --midi.")  # fmt: skip
    if extras.stems_dir is not None and not extras.stems_dir.is_dir():
        raise InputError(f"The stems folder {extras.stems_dir} does not exist. Create it, then export again.")


def render_project(project: Project, output: Path | None, aspect: Aspect | None, *, extras: ExportExtras,
                   settings: Settings, media: MediaCache, on_progress: Progress | None = None,
                   earlier: Sequence[EarlierPicture] = ()) -> dict[str, Any]:  # fmt: skip
    """Render ``project`` (checked by ``check_export``); what the export made (output, size, loudness,
    licence, stems...). ``earlier``: videos earlier exports wrote (render_files.earlier_pictures), whose picture
    is copied when it is this export's (only the sound changed)."""
    from free_music_ai.engine.music.finish import PEAK_LIMIT_DB
    from free_music_ai.engine.paged_audio import is_paged
    from free_music_ai.engine.render import ImageSegment, RenderRequest, TextOverlay, VideoSegment, render
    from free_music_ai.engine.render.encoded_peak import EncodedSound, Overshoot
    from free_music_ai.engine.soundtrack import mix_soundtrack

    report = on_progress or (lambda fraction, message: None)
    report(0.02, "Mixing the soundtrack")
    look_up_beside(settings.ffmpeg)  # its path is in the render's picture key: found while the sound is made
    music = project.music
    # Content Credentials, signed before the file gets its name: the signer checked before any work, and the
    # music's samples hashed on the core the mix leaves idle (its first part runs on one)
    seal = export_seal(music, settings, media)
    if project.video_ms > LONG_VIDEO_MS:
        give_back_free_memory()  # what the analysis and the music freed, before the mix takes its 20-minute buffer
    original = media.original_sound(project)
    samples, ducking, volume, fade_in, fade_out, music_start = None, None, 0.0, 0.0, 0.0, 0.0
    music_excess, music_changed = 0.0, []
    if music is not None:
        samples = media.music_at(Path(music.path))
        ducking = music.ducking
        if project.original_volume == 0.0:
            ducking = None  # the voices are muted: nothing to make room for
        volume, fade_in, music_start = music.volume, music.fade_in_s, music.start_ms / 1000
        if music.start_ms + music.duration_ms > project.video_ms:  # a song longer than the video ends with it
            fade_out = min(CUT_SONG_FADE_S, project.video_ms / 2000)
        fade_out = max(fade_out, music.fade_out_s)  # the one asked for in words
        music_excess, music_changed = music.excess_db, music.changed_s  # what its asked moments did to its level
    audio, lufs = mix_soundtrack(original, samples, original_volume=project.original_volume, music_volume=volume,
                                 ducking=ducking, total_s=project.video_ms / 1000, target_lufs=settings.target_lufs,
                                 music_fade_in_s=fade_in, music_fade_out_s=fade_out, music_start_s=music_start,
                                 original_stretches=[(s.start_ms / 1000, s.end_ms / 1000, s.level)
                                                     for s in project.original_stretches],
                                 music_excess_db=music_excess, music_changed_s=music_changed)  # fmt: skip
    named = default_name(project.clips[0].name)
    target = inside_if_folder(output, named) if output else (settings.output_dir or Path.cwd()) / named
    source = _source(music) if music is not None else None
    comment = metadata_comment(source) if source is not None else ""
    segments = [ImageSegment(path=Path(c.path), duration_s=c.duration_ms / 1000) if c.kind == "image"
                else VideoSegment(path=Path(c.path)) for c in project.clips]  # fmt: skip
    texts = [TextOverlay(text=t.text, start_s=t.start_ms / 1000, end_s=(t.start_ms + t.duration_ms) / 1000,
                         position=t.position) for t in project.titles]  # fmt: skip
    with scratch_folder("export") as work:
        # The peak the licence states is the encoded file's, not the mix's (the codec's noise rides on the peaks):
        # measured as it is encoded (each stretch on its own core). A short mix's file is muxed beside that measure
        # and the video named only once it passed; a rare overshoot lowers the mix, encodes it again and makes the
        # video again. A long mix is settled before any video is made, and let go of before the render.
        beside = project.video_ms <= LONG_VIDEO_MS and not is_paged(audio)
        sound = EncodedSound(audio, Path(work) / "soundtrack.m4a", limit_db=PEAK_LIMIT_DB,
                             yielding=beside)  # fmt: skip
        if not beside:
            sound.settled()
            del audio
            give_back_free_memory()
        request = RenderRequest(
            segments=segments,
            soundtrack=sound.path,
            texts=texts,
            aspect=aspect or project.aspect or Aspect.AUTO,
            fit=project.fit or Fit.BLUR,
            output=target,
            companions=(SIDECAR_SUFFIX,) if source is not None else (),  # a name free for the licence too
            metadata={"comment": comment} if comment else {},
            earlier=tuple(earlier),
        )
        progress = lambda f, m: report(0.1 + 0.88 * f, m)  # noqa: E731
        try:
            result = render(request, settings, on_progress=progress, seal=seal, probes=media.probes,
                            sound_check=sound.check if beside else None)  # fmt: skip
        except Overshoot:  # that video was thrown away: made again from the lowered mix
            sound.settled()
            result = render(request, settings, on_progress=progress, seal=seal, probes=media.probes)
        _, peak, lowered_db = sound.settled()
        lufs += lowered_db
    details: dict[str, Any] = dict(music.details) if music is not None and not music.user else {}
    licence, output = None, result.output
    if source is not None:
        output, licence = _with_licence(result.output, lambda at: sidecar(source, at, soundfont=settings.soundfont,
                                                                          lufs=lufs, peak=peak))  # fmt: skip
        if extras.wanted and source.spec is not None:
            report(0.99, "Writing the stems and MIDI")
            details.update(write_music_files(source.spec, extras, settings, instruments=media.instruments))
    report(1.0, "Done")
    return {**details, "output": str(output), "renamed": result.renamed or output != result.output,
            "duration_s": result.duration_s, "width": result.width, "height": result.height,
            "video_copied": result.video_copied, "video_reused": result.video_reused,
            "picture_key": result.picture_key, "lufs": round(lufs, 2), "true_peak_db": round(peak, 2),
            "license": str(licence) if licence else None, "fps": result.fps,
            "note": frame_rate_note(result.source_fps, result.fps)}  # fmt: skip


def _with_licence(output: Path, licence_of: Callable[[Path], dict[str, Any]]) -> tuple[Path, Path]:
    """The licence written as OUT.license.json beside OUT.mp4, never under another name: the video took a name free
    for both, and should another program take the licence's name in the moment between, the video moves on to
    the next name free for both. The video's path and the licence's."""
    from free_music_ai.engine.audio_file import write_safely
    from free_music_ai.engine.render.output_path import publish

    for _ in range(MAX_LICENCE_TRIES):
        writer = _text_writer(json.dumps(licence_of(output), indent=2))
        try:
            return output, write_safely(output.with_suffix(SIDECAR_SUFFIX), (".json",), writer, exact=True)
        except FileExistsError:
            # linked to the next free name, the old one removed
            output = publish(output, output, companions=(SIDECAR_SUFFIX,))
    raise InputError(f"Files named like {output.name} keep appearing in {output.parent} while this export writes "
                     "there. Export to another folder.")  # fmt: skip


def _text_writer(text: str) -> Callable[[Path], None]:
    def write(temp: Path) -> None:
        temp.write_text(text, encoding="utf-8")

    return write


def frame_rate_note(source_fps: float, fps: float) -> str | None:
    """The sentence that says the picture's frame rate was lowered, or None when it was kept."""
    if source_fps <= fps:
        return None
    return (
        f"The video runs at {source_fps:g} frames per second; the new file plays at {fps:g}, the most it is "
        "made with, so it moves the same and plays everywhere."
    )


def _source(music: Music) -> MusicSource:
    if music.user or not music.spec:
        return MusicSource(None, Path(music.path), {})
    return MusicSource(music.spec.model_dump(mode="json"), None, music.details)
