"""What the service keeps of media between requests, so no file is read twice: each upload's analysis (made
as soon as it arrives, kept with its asset), the videos' own sound decoded for the next export while its
music is made, and the newest music, handed to its export from memory while it is written to disk."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from free_music_ai.config import Settings
from free_music_ai.engine.analysis.under_way import AnalysesUnderWay
from free_music_ai.engine.background_thread import yield_to_others
from free_music_ai.engine.leftovers import note_partial
from free_music_ai.engine.paged_audio import file_of, is_paged
from free_music_ai.engine.probe_memory import ProbeMemory
from free_music_ai.engine.render.output_path import discard
from free_music_ai.engine.soundfont.instruments import Instruments
from free_music_ai.errors import InputError, disk_error
from free_music_ai.project.model import Project
from free_music_ai.service.store import SessionStore

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.model import Analysis
    from free_music_ai.engine.analysis.prefetch import ReadAhead
    from free_music_ai.engine.sound_stream import SoundStream
    from free_music_ai.engine.soundtrack import SoundPiece

log = logging.getLogger(__name__)
IMAGE_SECONDS = 4.0  # how long a picture shows unless asked otherwise
SOUND_AHEAD_MAX_S = 600.0  # the videos' own sound is decoded ahead for an export only up to this long (memory)
FRESH_MUSIC_MAX_S = 300.0  # new music up to this long stays in memory for the export; longer is read from disk
MUSIC_RATE = 48_000
KEPT_MUSIC_HASHES = 16


class MediaCache:
    def __init__(self, settings: Settings, store: SessionStore, read_ahead: ReadAhead | None = None) -> None:
        self.settings = settings
        self.store = store
        self.read_ahead = read_ahead  # videos the command started reading before it loaded
        self.probes = ProbeMemory()  # the files probed: at upload, analysis and render, each is read once
        self.under_way = AnalysesUnderWay()  # a request meets the upload's watch of the same video here
        # uploads are watched at once, in the background: by the time music is asked for, the analysis is
        # done or under way (a request that needs it waits for it rather than decoding the file again)
        self._watcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="watch")
        self._closing = threading.Event()  # stops a watch under way, so closing never waits for one
        # the videos' own sound for the next export, decoded while its music is made (a core is free then)
        self._sound_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sound")
        self._sound_ahead: dict[tuple[SoundPiece, ...], Future[np.ndarray]] = {}
        self._lock = threading.Lock()
        # new music is written to its file in the background and its export takes it from memory: writing
        # tens of megabytes is not on the way from the music to the video, nor takes a core from it
        self._music_saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="music-save",
                                               initializer=yield_to_others)  # fmt: skip
        self._fresh_music: dict[Path, np.ndarray] = {}  # the latest music only
        self._music_saves: dict[Path, Future[None]] = {}
        # the hash of each piece's samples its Content Credentials state, made once: an edit of the volume
        # exports the same piece again (a piece's name is its spec's, never reused for other samples here)
        self._music_hasher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pcm-hash")
        self._music_hashes: dict[Path, Future[str]] = {}
        # the synthesizers every piece of this engine is played on, with the waveforms they keep
        self.instruments = Instruments()

    def close(self) -> None:
        self._closing.set()
        self._watcher.shutdown(wait=True, cancel_futures=True)
        self._sound_decoder.shutdown(wait=True, cancel_futures=True)
        self._sound_ahead.clear()
        self._music_saver.shutdown(wait=True)  # every file a project names is written
        self._fresh_music.clear()
        self._music_hasher.shutdown(wait=False, cancel_futures=True)

    # analysis -------------------------------------------------------------------------------------------
    def watch(self, path: Path, asset_id: str) -> None:
        """Analyze an upload ahead of need."""
        self._watcher.submit(self._watch, path, asset_id)

    def _watch(self, path: Path, asset_id: str) -> None:
        try:
            self._analyzed(path, asset_id, self._closing)
        except Exception as exc:  # the request that needs this analysis runs it again and reports the error
            log.debug("watching %s ahead failed: %s", path.name, exc)

    def _analyzed(self, path: Path, asset_id: str | None, stopping: threading.Event | None = None,
                  image_seconds: float = IMAGE_SECONDS) -> Analysis:  # fmt: skip
        """The analysis of one upload, kept with its asset (when it is one) so it is never made again."""
        from free_music_ai.engine.analysis.analyze import analyze

        result = analyze([path], image_seconds=image_seconds, cache_dir=self.settings.cache_dir,
                         max_bytes=self.settings.max_input_bytes, stopping=stopping, read_ahead=self.read_ahead,
                         under_way=self.under_way, probes=self.probes)  # fmt: skip
        if asset_id is not None:
            self.store.set_analysis(asset_id, result.model_dump(mode="json"))
        return result

    def analysis(self, session_id: str, project: Project) -> Analysis:
        """The analysis of the project's video: its clips' analyses, one after another."""
        from free_music_ai.engine.analysis.analyze import join_analyses
        from free_music_ai.engine.analysis.model import Analysis

        stored = {a.id: a for a in self.store.assets(session_id)}
        parts: list[Analysis] = []
        for clip in project.clips:
            asset = stored.get(clip.asset)
            if clip.kind == "image" and clip.duration_ms != round(IMAGE_SECONDS * 1000):
                # a picture shown for another time than the usual: its own analysis (quick: one frame)
                parts.append(self._analyzed(Path(clip.path), None, image_seconds=clip.duration_ms / 1000))
            elif asset is not None and asset.analysis is not None:
                parts.append(Analysis.model_validate(asset.analysis))
            else:
                parts.append(self._analyzed(Path(clip.path), asset.id if asset is not None else None))
        return parts[0] if len(parts) == 1 else join_analyses(parts)

    # the videos' own sound ------------------------------------------------------------------------------
    def decode_sound_ahead(self, project: Project) -> None:
        from free_music_ai.engine.soundtrack import original_sound

        pieces = sound_pieces(project)
        if not any(p.path for p in pieces) or sum(p.duration_s for p in pieces) > SOUND_AHEAD_MAX_S:
            return
        with self._lock:
            self._sound_ahead = {tuple(pieces): self._sound_decoder.submit(original_sound, pieces)}  # the latest only

    def original_sound(self, project: Project) -> SoundStream | None:
        """The videos' own sound for an export: the one decoded ahead when it is still the right one, else
        decoded as the mix reads it."""
        from free_music_ai.engine.sound_stream import SoundStream
        from free_music_ai.engine.soundtrack import original_sound_stream

        pieces = sound_pieces(project)
        if not any(p.path for p in pieces):
            return None
        with self._lock:
            ahead = self._sound_ahead.pop(tuple(pieces), None)
        if ahead is not None:
            try:
                return SoundStream.of_array(ahead.result(), channels_first=True)
            except Exception:  # decoded again below, where a failure is reported with the export
                log.info("the sound decoded ahead failed; decoding it again", exc_info=True)
        return original_sound_stream(pieces)

    # music ----------------------------------------------------------------------------------------------
    def keep_music(self, path: Path, audio: np.ndarray) -> None:
        """Save new music; a short piece is also kept in memory for the export that usually follows."""
        with self._lock:
            short = len(audio) <= FRESH_MUSIC_MAX_S * MUSIC_RATE and not is_paged(audio)
            self._fresh_music = {path: audio} if short else {}
            self._music_saves = {p: f for p, f in self._music_saves.items() if not f.done()}
            self._music_saves[path] = self._music_saver.submit(_save_music, path, audio)

    def music_at(self, path: Path) -> SoundStream:
        """The music to mix, read a block at a time (a long piece is read from its file, never held whole)."""
        from free_music_ai.engine.sound_stream import SoundStream

        with self._lock:
            fresh = self._fresh_music.get(path)
            saving = self._music_saves.get(path)
        if fresh is not None:
            return SoundStream.of_array(fresh, channels_first=False)
        if saving is not None:
            saving.result()  # a write that failed is reported here, with the export
        return _music_stream(path, self.probes)

    def music_hash(self, path: Path, hashing: Callable[[SoundStream], str]) -> Future[str]:
        """``hashing`` of the music at ``path``, begun in a thread on first asking (beside the render that
        asks) and kept for the pieces asked for last."""
        with self._lock:
            known = self._music_hashes.get(path)
            failed = known is not None and known.done() and known.exception() is not None  # asked again
            if known is None or failed:
                known = self._music_hashes[path] = self._music_hasher.submit(lambda: hashing(self.music_at(path)))
                while len(self._music_hashes) > KEPT_MUSIC_HASHES:
                    self._music_hashes.pop(next(iter(self._music_hashes)))
            return known


def sound_pieces(project: Project) -> list[SoundPiece]:
    """What an export mixes as the videos' own sound: each clip's audio (or its silence), in order."""
    from free_music_ai.engine.soundtrack import SoundPiece

    return [SoundPiece(Path(c.path) if c.has_audio else None, 0.0, c.duration_ms / 1000) for c in project.clips]


def music_part(path: Path) -> Path:
    """Where music is written before it is whole (a long piece is played straight into it)."""
    return path.with_name(path.name + ".part")


def _save_music(path: Path, audio: np.ndarray) -> None:
    """Write the music under its final name only once it is whole."""
    part = note_partial(music_part(path))
    try:
        if file_of(audio) != part:  # else it was played into its file, which is whole now
            with part.open("wb") as file:
                np.save(file, audio)
        part.replace(path)
    except OSError as exc:
        raise disk_error(exc, "the music") from None
    finally:
        discard(part)  # a full disk leaves no half-written music behind


def _music_stream(path: Path, probes: ProbeMemory) -> SoundStream:
    """Generated music is kept as .npy; music the user uploaded is decoded from its file as it is read."""
    from free_music_ai.engine.sound_stream import SoundStream

    if path.suffix == ".npy":
        if not path.is_file():  # the program stopped while writing it
            raise InputError("This session's music was not saved. Ask for new music, then export again.")
        return SoundStream.of_npy(path)
    from free_music_ai.engine.probe import probe
    from free_music_ai.engine.soundtrack import SoundPiece, original_sound_stream

    return original_sound_stream([SoundPiece(path, 0.0, float(probe(path, memory=probes).duration_s))])
