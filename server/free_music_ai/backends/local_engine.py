"""The embedded engine behind the local backend: sessions, the draft, music and export, all on this machine."""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from free_music_ai.backends.base import ExportExtras
from free_music_ai.config import Settings
from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.music.spec import MusicSpec
from free_music_ai.engine.plan.wishes import Wishes
from free_music_ai.engine.probe import probe
from free_music_ai.engine.render.assemble import MUSIC_UNDER_SOUND
from free_music_ai.errors import InputError
from free_music_ai.service.licence import MusicSource, metadata_comment, sidecar
from free_music_ai.service.music_files import write_music_files
from free_music_ai.sessions.store import AssetRow, RenderRow, SessionStore
from free_music_ai.timeline.draft import AUDIO, TEXT, VIDEO, Draft, Segment, Track, summary_line
from free_music_ai.timeline.focus import current_focus, pick, refocus
from free_music_ai.words.genre import parse_genre
from free_music_ai.words.message import CAPABILITIES, Intent, interpret, title_wish
from free_music_ai.words.wishes import read_wishes

if TYPE_CHECKING:
    from free_music_ai.engine.soundtrack import SoundPiece

log = logging.getLogger(__name__)
Progress = Callable[[float, str], None]
IMAGE_SECONDS = 4.0  # how long a photo stays on screen
FADE_IN_S = 1.5  # a fade-in asked for in words
SOUND_AHEAD_MAX_S = 600.0  # the videos' own sound is decoded ahead for an export only up to this long (memory)


@dataclass
class Reply:
    text: str
    summary: str
    explanation: str = ""
    changed: bool = False
    music: dict[str, Any] = field(default_factory=dict)


class LocalEngine:
    def __init__(self, settings: Settings, data_dir: Path) -> None:
        self.settings = settings
        self.data_dir = data_dir
        self.store = SessionStore(data_dir / "sessions.sqlite3")
        # uploads are watched at once, in the background: by the time music is asked for, the analysis is
        # done or under way (a request that needs it waits for it rather than decoding the file again)
        self._watcher = ThreadPoolExecutor(max_workers=1, thread_name_prefix="watch")
        self._closing = threading.Event()  # stops a watch under way, so closing never waits for one
        # the videos' own sound for the next export, decoded while its music is made (a core is free then)
        self._sound_decoder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sound")
        self._sound_ahead: dict[tuple[SoundPiece, ...], Future[np.ndarray]] = {}
        self._ahead_lock = threading.Lock()
        # new music is written to its file in the background and its export takes it from memory: writing
        # tens of megabytes is not on the way from the music to the video
        self._music_saver = ThreadPoolExecutor(max_workers=1, thread_name_prefix="music-save")
        self._fresh_music: dict[Path, np.ndarray] = {}  # the latest music only
        self._music_saves: dict[Path, Future[None]] = {}
        # edits of one session are applied one after another in this process (two programs sharing the data
        # folder are kept apart by the store's version check instead)
        self._edit_locks: dict[str, threading.Lock] = {}
        self._edit_locks_guard = threading.Lock()

    def edit_lock(self, session_id: str) -> threading.Lock:
        with self._edit_locks_guard:
            return self._edit_locks.setdefault(session_id, threading.Lock())

    def close(self) -> None:
        self._closing.set()
        self._watcher.shutdown(wait=True, cancel_futures=True)
        self._sound_decoder.shutdown(wait=True, cancel_futures=True)
        self._sound_ahead.clear()
        self._music_saver.shutdown(wait=True)  # every file the drafts name is written
        self._fresh_music.clear()
        self.store.close()

    # upload ---------------------------------------------------------------------------------------------
    def upload(
        self, session_id: str | None, paths: list[Path], inline: list[tuple[str, bytes]] | None = None
    ) -> tuple[str, list[AssetRow]]:
        session_id = session_id or self.store.create_session()
        self.store.require(session_id)
        saved = [self._save_inline(session_id, name, data) for name, data in (inline or [])]
        added: list[AssetRow] = []
        for path in [*paths, *saved]:
            info = probe(path, self.settings.max_input_bytes)
            added.append(
                self.store.add_asset(session_id, Path(info.path), info.kind.value, info.model_dump(mode="json"))
            )
        for asset in added:
            if asset.kind != MediaKind.AUDIO.value:
                self._watcher.submit(self._watch, Path(asset.path), asset.id)
        if added:
            with self.edit_lock(session_id):
                self._place_uploads(session_id, added)
        return session_id, added

    def _place_uploads(self, session_id: str, added: list[AssetRow]) -> None:
        if added:
            version, draft = self.store.draft(session_id)
            note = f"added {', '.join(a.name for a in added)}"
            visual = [a for a in added if a.kind != MediaKind.AUDIO.value]
            if visual and _has_generated_music(draft):
                # batch style: the timeline in focus already has its music, so the new upload is its own video
                # (with its own render); "all together" joins them later
                self._refocus(draft, [a.id for a in visual], self.store.assets(session_id))
                note += " as a video of its own"
                self._place_assets(draft, [a for a in added if a.kind == MediaKind.AUDIO.value])
            else:
                self._place_assets(draft, added)
            self.store.save_draft(session_id, draft, note, based_on=version)

    def _save_inline(self, session_id: str, name: str, data: bytes) -> Path:
        safe = Path(name).name or "upload.bin"
        if len(data) > self.settings.max_input_bytes:
            raise InputError(f"{safe} is over the {self.settings.max_input_mb} MB limit. Trim or compress it.")
        folder = self.data_dir / "uploads" / session_id
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / safe
        n = 1
        while target.exists():
            target = folder / f"{Path(safe).stem}-{n}{Path(safe).suffix}"
            n += 1
        target.write_bytes(data)
        return target

    def _place_assets(self, draft: Draft, assets: list[AssetRow]) -> None:
        video = _track(draft, VIDEO)
        for asset in assets:
            if asset.kind == MediaKind.AUDIO.value:
                music = _track(draft, AUDIO, "bgm")
                music.sg = [
                    Segment(
                        d=round(float(asset.info["duration_s"]) * 1000),
                        m={"name": asset.name, "path": asset.path, "volume": 1.0, "user": True},
                    )
                ]
                continue
            seconds = IMAGE_SECONDS if asset.kind == MediaKind.IMAGE.value else float(asset.info["duration_s"])
            start = video.sg[-1].st + video.sg[-1].d if video.sg else 0
            video.sg.append(
                Segment(
                    st=start,
                    d=round(seconds * 1000),
                    m={
                        "asset": asset.id,
                        "name": Path(asset.name).stem,
                        "path": asset.path,
                        "kind": asset.kind,
                        "has_audio": asset.info.get("audio") is not None,
                    },
                )
            )

    # messages -------------------------------------------------------------------------------------------
    def message(
        self, session_id: str, text: str, on_progress: Progress | None = None, overrides: dict[str, Any] | None = None
    ) -> Reply:
        self.store.require(session_id)
        with self.edit_lock(session_id):
            return self._message(session_id, text, on_progress, overrides)

    def _message(self, session_id: str, text: str, on_progress: Progress | None,
                 overrides: dict[str, Any] | None) -> Reply:  # fmt: skip
        intent = interpret(text)
        overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
        _apply_fields(intent, overrides)
        if intent.undo or intent.redo:
            moved, note = self.store.move_head(session_id, -1 if intent.undo else 1)
            word = "Undid" if intent.undo else "Redid"
            _, draft = self.store.draft(session_id)
            answer = f"{word}: {note.rstrip('.')}." if moved else f"Nothing to {'undo' if intent.undo else 'redo'}."
            return Reply(_with_summary(answer, draft), summary_line(draft), changed=moved)
        version, draft = self.store.draft(session_id)
        said: list[str] = []
        self._focus(session_id, draft, text, str(overrides.get("video", "")), said)
        if intent.empty and not said:
            return Reply(_with_summary(f"I could not tell what to change. {CAPABILITIES}", draft), summary_line(draft))
        if not draft.tracks(VIDEO) or not draft.tracks(VIDEO)[0].sg:
            raise InputError("Upload a video or images first: the music is made to fit them.")
        explanation = ""
        music_info: dict[str, Any] = {}
        if intent.names_music and not draft.tracks(AUDIO) and not intent.adjust:
            intent.generate = True  # "calm music, fade in" with no music yet: make it, then fade it in
        self._apply_simple(draft, intent, said)
        if intent.generate or intent.regenerate or intent.adjust:
            explanation, music_info = self._music(session_id, draft, intent, overrides, on_progress)
            said.append(f"Made new music: {explanation}")
        self.store.save_draft(session_id, draft, "; ".join(said) or text[:80], based_on=version)
        return Reply(_with_summary(" ".join(said), draft), summary_line(draft), explanation, True, music_info)

    def _focus(self, session_id: str, draft: Draft, text: str, named: str, said: list[str]) -> None:
        """Switch the timeline to the upload(s) the message names (batch style), keeping each one's edits."""
        visual = [a for a in self.store.assets(session_id) if a.kind != MediaKind.AUDIO.value]
        current = current_focus(draft)
        if named.isdigit():
            named = f"video {named}"
        elif named.lower() in ("all", "全部"):
            named = "all videos"
        chosen = pick(named, visual, current) if named else None
        if named and chosen is None:
            names = ", ".join(f"{k}. {a.name}" for k, a in enumerate(visual, 1))
            raise InputError(f"There is no upload {named!r} in this session. Name one of: {names}.")
        chosen = chosen or pick(text, visual, current)
        by_id = {a.id: a for a in visual}
        if chosen and self._refocus(draft, chosen, visual):
            if len(chosen) == len(visual):
                said.append(f"Working on all {len(visual)} uploads, one after another.")
            else:
                order = [a.id for a in visual]
                which = ", ".join(f"{by_id[i].name} ({order.index(i) + 1} of {len(visual)})" for i in chosen)
                said.append(f"Now working on {which}; the others keep their own music and titles.")

    def _refocus(self, draft: Draft, chosen: list[str], assets: list[AssetRow]) -> bool:
        by_id = {a.id: a for a in assets}
        return refocus(draft, chosen, lambda d, ids: self._place_assets(d, [by_id[i] for i in ids]))

    def _apply_simple(self, draft: Draft, intent: Intent, said: list[str]) -> None:
        if intent.aspect:
            draft.m["aspect"] = intent.aspect
            said.append(f"Set the format to {intent.aspect}.")
        if intent.fit:
            draft.m["fit"] = intent.fit
            said.append(f"Pictures of another shape fit the frame by {intent.fit}.")
        if intent.image_seconds is not None:
            _retime_images(draft, intent.image_seconds, said)
        text_track = _track(draft, TEXT)
        if intent.remove_titles:
            text_track.sg = []
            said.append("Removed the titles.")
        total_ms = draft.video_ms
        for title in intent.titles:
            if title.at_end:  # the last seconds of the video, as long as asked
                length = round(((title.end_s or 3.0) - title.start_s) * 1000)
                start_ms, end_ms = max(0, total_ms - length), total_ms
            else:
                end_ms = total_ms if title.end_s is None else min(total_ms, round(title.end_s * 1000))
                start_ms = min(round(title.start_s * 1000), max(0, end_ms - 500))
            text_track.sg.append(
                Segment(st=start_ms, d=max(500, end_ms - start_ms), m={"text": title.text, "position": title.position})
            )
            shown = f"{start_ms / 1000:g}-{(start_ms + max(500, end_ms - start_ms)) / 1000:g}s"
            said.append(f'Added the title "{title.text}" ({shown}).')
        music = draft.tracks(AUDIO)[0] if draft.tracks(AUDIO) else None
        if music is not None and music.sg and (intent.music_volume is not None or intent.music_scale is not None):
            current = float(music.sg[0].m.get("volume", 1.0))
            volume = intent.music_volume if intent.music_volume is not None else current * (intent.music_scale or 1)
            for segment in music.sg:
                segment.m["volume"] = round(min(1.5, max(0.0, volume)), 2)
            said.append(f"Music volume {round(100 * music.sg[0].m['volume'])}%.")
        elif intent.music_volume is not None or intent.music_scale is not None:
            draft.m["music_volume"] = intent.music_volume
        if intent.original_volume is not None:
            draft.m["original_volume"] = intent.original_volume
            said.append(
                "Muted the original sound."
                if intent.original_volume == 0
                else f"Original sound at {round(100 * intent.original_volume)}%."
            )
        if intent.fade_in and music is not None and music.sg:
            music.sg[0].m["fade_in_s"] = FADE_IN_S
            said.append("The music fades in.")

    def _watch(self, path: Path, asset_id: str | None) -> None:
        """Analyze an upload ahead of need; any failure is left for the request that needs it to report."""
        try:
            self._analyzed(path, asset_id, self._closing)
        except Exception as exc:  # the request that needs this analysis runs it again and reports the error
            log.debug("watching %s ahead failed: %s", path.name, exc)

    def _analyzed(self, path: Path, asset_id: str | None, stopping: threading.Event | None = None,
                  image_seconds: float = IMAGE_SECONDS) -> Any:  # fmt: skip
        """The analysis of one upload, kept with its asset (when it is one) so it is never made again."""
        from free_music_ai.engine.analysis.analyze import analyze

        result = analyze([path], image_seconds, self.settings.cache_dir, self.settings.max_input_bytes,
                         stopping=stopping)  # fmt: skip
        if asset_id is not None:
            self.store.set_analysis(asset_id, result.model_dump(mode="json"))
        return result

    def _analysis(self, session_id: str, draft: Draft) -> Any:
        from free_music_ai.engine.analysis.analyze import join_analyses
        from free_music_ai.engine.analysis.model import Analysis

        stored = {a.id: a for a in self.store.assets(session_id)}
        parts: list[Analysis] = []
        for segment in draft.tracks(VIDEO)[0].sg:
            asset = stored.get(str(segment.m.get("asset")))
            if segment.m.get("kind") == MediaKind.IMAGE.value and segment.d != round(IMAGE_SECONDS * 1000):
                # a picture shown for another time than the usual: its own analysis (quick: one frame)
                parts.append(self._analyzed(Path(segment.m["path"]), None, image_seconds=segment.d / 1000))
                continue
            if asset is not None and asset.analysis is not None:
                parts.append(Analysis.model_validate(asset.analysis))
                continue
            parts.append(self._analyzed(Path(segment.m["path"]), asset.id if asset is not None else None))
        return parts[0] if len(parts) == 1 else join_analyses(parts)

    def _music(
        self,
        session_id: str,
        draft: Draft,
        intent: Intent,
        overrides: dict[str, Any],
        on_progress: Progress | None,
    ) -> tuple[str, dict[str, Any]]:
        from free_music_ai.engine.music.produce import produce
        from free_music_ai.engine.plan.plan import plan_music

        report = on_progress or (lambda fraction, message: None)
        report(0.02, "Watching the video")
        analysis = self._analysis(session_id, draft)
        music_track = draft.tracks(AUDIO)[0] if draft.tracks(AUDIO) else None
        previous = music_track.sg[0].m.get("spec") if music_track and music_track.sg else None
        base = MusicSpec.model_validate(previous) if previous and (intent.adjust or intent.regenerate) else None
        seed = int(
            overrides.get("seed", random.randrange(1, 1_000_000) if base is None or intent.regenerate else base.seed)
        )
        plan = plan_music(analysis, Wishes() if intent.regenerate and base is not None else intent.wishes, seed, base)
        spec = plan.spec if not (intent.regenerate and base) else base.model_copy(update={"seed": seed})
        self._decode_sound_ahead(draft)
        report(0.15, "Composing")
        # the export mixes and masters the music again, so it is levelled here, not limited twice
        music = produce(spec, self.settings.target_lufs, self.settings.soundfont,
                        lambda f, m: report(0.15 + 0.8 * f, m), finish=False)  # fmt: skip
        folder = self.data_dir / "music" / session_id
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"music-{seed}-{abs(hash(spec.model_dump_json())) % 10**8}.npy"
        self._keep_music(path, music.audio)
        c = music.composition
        info = {"genre": c.genre.value, "bpm": c.bpm, "key": c.key.split()[0], "mode": c.character.mode, "seed": seed}
        has_sound = any(s.m.get("has_audio") for s in draft.tracks(VIDEO)[0].sg)
        volume = draft.m.pop("music_volume", None)
        if volume is None:
            volume = (
                music_track.sg[0].m.get("volume")
                if music_track and music_track.sg and not music_track.sg[0].m.get("user")
                else (MUSIC_UNDER_SOUND if has_sound else 1.0)
            )
        # a fade the user asked for belongs to the music track, so new music keeps it
        kept = {"fade_in_s": music_track.sg[0].m["fade_in_s"]} if music_track and music_track.sg and (
            "fade_in_s" in music_track.sg[0].m) else {}  # fmt: skip
        if intent.fade_in:  # asked with the music itself ("calm music, fade in")
            kept["fade_in_s"] = FADE_IN_S
        track = _track(draft, AUDIO, "bgm")
        track.sg = [
            Segment(
                d=round(spec.duration_s * 1000),
                m={
                    "name": c.genre.value.title() if c.genre.value != "lo-fi" else "Lo-fi",
                    "path": str(path),
                    "volume": float(volume),
                    "spec": spec.model_dump(mode="json"),
                    "ducking": plan.ducking.model_dump(mode="json"),
                    "explanation": plan.explanation,
                    **info,
                    **kept,
                },
            )
        ]
        return plan.explanation, info

    def _decode_sound_ahead(self, draft: Draft) -> None:
        from free_music_ai.engine.soundtrack import original_sound

        pieces = _sound_pieces(draft)
        if not any(p.path for p in pieces) or sum(p.duration_s for p in pieces) > SOUND_AHEAD_MAX_S:
            return
        with self._ahead_lock:
            self._sound_ahead = {tuple(pieces): self._sound_decoder.submit(original_sound, pieces)}  # only the latest

    def _original_sound(self, draft: Draft) -> np.ndarray | None:
        """The videos' own sound for an export: the one decoded ahead when it is still the right one."""
        from free_music_ai.engine.soundtrack import original_sound

        pieces = _sound_pieces(draft)
        if not any(p.path for p in pieces):
            return None
        with self._ahead_lock:
            ahead = self._sound_ahead.pop(tuple(pieces), None)
        if ahead is not None:
            try:
                return ahead.result()
            except Exception:  # decoded again below, where a failure is reported with the export
                log.info("the sound decoded ahead failed; decoding it again", exc_info=True)
        return original_sound(pieces)

    def _keep_music(self, path: Path, audio: np.ndarray) -> None:
        with self._ahead_lock:
            self._fresh_music = {path: audio}
            self._music_saves = {p: f for p, f in self._music_saves.items() if not f.done()}
            self._music_saves[path] = self._music_saver.submit(_save_music, path, audio)

    def _music_at(self, path: Path) -> np.ndarray:
        with self._ahead_lock:
            fresh = self._fresh_music.get(path)
            saving = self._music_saves.get(path)
        if fresh is not None:
            return fresh
        if saving is not None:
            saving.result()  # a write that failed is reported here, with the export
        return _load_music(path)

    # state and credits ----------------------------------------------------------------------------------
    def state(self, session_id: str) -> dict[str, Any]:
        version, draft = self.store.draft(session_id)
        focus = set(current_focus(draft))
        return {
            "session_id": session_id,
            "version": version,
            "summary": summary_line(draft),
            "draft": self._public(draft),
            "assets": [{**a.describe(), "in_timeline": a.id in focus} for a in self.store.assets(session_id)],
            "renders": [r.__dict__ for r in self.store.renders(session_id)],
        }

    def _public(self, draft: Draft) -> dict[str, Any]:
        """The draft as a host sees it: the program's own files (stored music) are not named."""
        shown = draft.model_dump(mode="json")
        inside = self.data_dir.resolve()
        for track in shown.get("t", []):
            for segment in track.get("sg", []):
                path = segment.get("m", {}).get("path")
                if path and inside in Path(path).resolve().parents and segment["m"].get("kind") is None:
                    del segment["m"]["path"]
        return shown

    @staticmethod
    def credits() -> dict[str, Any]:
        return {
            "backend": "local",
            "free": True,
            "unlimited": True,
            "message": "The local engine is free and unlimited: no account, no credits, nothing uploaded.",
        }

    # export ---------------------------------------------------------------------------------------------
    def export_request(self, session_id: str, output: Path | None, aspect: str | None,
                       extras: ExportExtras | None = None) -> tuple[str, int]:  # fmt: skip
        """What an export of the session as it is now renders, as canonical JSON (the job's identity: the
        same request is the same job), and the draft version it renders. Nothing to render is an error here,
        before any job exists."""
        version, draft = self.store.draft(session_id)
        _require_visuals(draft)
        extras = extras or ExportExtras()
        if extras.wanted and not _has_generated_music(draft):
            raise InputError("Stems and MIDI are written for music this program made; this video has none. Ask "
                             "for music first, or export without --stems and --midi.")  # fmt: skip
        request = {"version": version, "aspect": aspect or draft.m.get("aspect", "auto"),
                   "output": str(output.absolute()) if output else None, "videos": current_focus(draft),
                   "stems": str(extras.stems_dir) if extras.stems_dir else None,
                   "midi": str(extras.midi_path) if extras.midi_path else None}  # fmt: skip
        return json.dumps(request, sort_keys=True), version

    def export(
        self,
        session_id: str,
        output: Path | None = None,
        aspect: str | None = None,
        on_progress: Progress | None = None,
        render_id: str | None = None,
        version: int | None = None,
        extras: ExportExtras | None = None,
    ) -> RenderRow:
        """Render the session (at ``version``, by default as it is now) to an MP4, and the music's stems and
        MIDI when ``extras`` asks for them."""
        draft = self.store.draft(session_id)[1] if version is None else self.store.draft_at(session_id, version)
        _require_visuals(draft)
        render_id = render_id or self.store.start_render(session_id)
        try:
            row = self._export(session_id, draft, output, aspect, on_progress, render_id, extras or ExportExtras())
        except BaseException as exc:
            self.store.update_render(render_id, status="failed", error=str(exc)[:500] or type(exc).__name__)
            raise
        return row

    def _export(
        self,
        session_id: str,
        draft: Draft,
        output: Path | None,
        aspect: str | None,
        on_progress: Progress | None,
        render_id: str,
        extras: ExportExtras,
    ) -> RenderRow:
        import tempfile

        from free_music_ai.engine.audio_file import write_safely
        from free_music_ai.engine.plan.ducking import DuckingPlan
        from free_music_ai.engine.render import (
            ImageSegment,
            RenderRequest,
            TextOverlay,
            VideoSegment,
            render,
        )
        from free_music_ai.engine.render.sound_encoder import encode_aac
        from free_music_ai.engine.soundtrack import mix_soundtrack

        report = on_progress or (lambda fraction, message: None)
        video = draft.tracks(VIDEO)[0].sg
        total_s = sum(s.d for s in video) / 1000
        report(0.02, "Mixing the soundtrack")
        original = self._original_sound(draft)
        music_segment = draft.tracks(AUDIO)[0].sg[0] if draft.tracks(AUDIO) and draft.tracks(AUDIO)[0].sg else None
        music, ducking, volume, details = None, None, 0.0, {}
        if music_segment is not None:
            music = self._music_at(Path(music_segment.m["path"]))
            ducking = DuckingPlan.model_validate(music_segment.m["ducking"]) if "ducking" in music_segment.m else None
            if float(draft.m.get("original_volume", 1.0)) == 0.0:
                ducking = None  # the voices are muted: nothing to make room for
            volume = float(music_segment.m.get("volume", 1.0))
            details = {k: music_segment.m.get(k) for k in ("genre", "bpm", "key", "mode", "seed")}
        fade_in = float(music_segment.m.get("fade_in_s", 0.0)) if music_segment is not None else 0.0
        audio, lufs, peak = mix_soundtrack(
            original, float(draft.m.get("original_volume", 1.0)), music, volume, ducking, total_s,
            self.settings.target_lufs, fade_in,
        )  # fmt: skip
        target = output or (self.settings.output_dir or Path.cwd()) / f"{video[0].m.get('name', 'video')}-music.mp4"
        with tempfile.TemporaryDirectory(prefix="fmai-export-") as work:
            soundtrack = encode_aac(audio, Path(work) / "soundtrack.m4a", 48_000)
            segments = [
                ImageSegment(path=Path(s.m["path"]), duration_s=s.d / 1000)
                if s.m.get("kind") == "image"
                else VideoSegment(path=Path(s.m["path"]))
                for s in video
            ]
            texts = [
                TextOverlay(
                    text=s.m["text"],
                    start_s=s.st / 1000,
                    end_s=(s.st + s.d) / 1000,
                    position=s.m.get("position", "center"),
                )
                for t in draft.tracks(TEXT)
                for s in t.sg
            ]
            source = _music_source(music_segment, details) if music_segment is not None else None
            comment = metadata_comment(source) if source is not None else ""
            request = RenderRequest(
                segments=segments,
                soundtrack=soundtrack,
                texts=texts,
                aspect=aspect or draft.m.get("aspect", "auto"),
                fit=draft.m.get("fit", "blur"),
                output=target,
                metadata={"comment": comment} if comment else {},
            )
            result = render(request, self.settings, lambda f, m: report(0.1 + 0.88 * f, m))
        licence_path = None
        if source is not None:
            written = sidecar(source, result.output, self.settings.soundfont, lufs, peak)

            def write_sidecar(temp: Path) -> None:
                temp.write_text(json.dumps(written, indent=2), encoding="utf-8")

            licence_path = write_safely(
                result.output.with_suffix(".license.json"),
                (".json",),
                write_sidecar,
            )
        if extras.wanted and source is not None and source.spec is not None:
            report(0.99, "Writing the stems and MIDI")
            details.update(write_music_files(source.spec, extras, self.settings))
        details.update(
            {
                "duration_s": result.duration_s,
                "width": result.width,
                "height": result.height,
                "video_copied": result.video_copied,
                "lufs": round(lufs, 2),
                "true_peak_db": round(peak, 2),
                "license": str(licence_path) if licence_path else None,
            }
        )
        self.store.update_render(render_id, status="done", output=str(result.output), progress=1.0, details=details)
        report(1.0, "Done")
        row = self.store.render(render_id)
        assert row is not None
        return row


def _apply_fields(intent: Intent, fields: dict[str, Any]) -> None:
    """Values given as values (CLI flags, tool arguments) join the message's edits as they are: a title is a
    title whatever its words, a genre the one named."""
    if fields.get("music_volume") is not None:
        intent.music_volume = float(fields["music_volume"])
    if fields.get("title"):
        intent.titles.append(title_wish(str(fields["title"])))
    if fields.get("aspect"):
        intent.aspect = str(fields["aspect"])
    if fields.get("fit"):
        intent.fit = str(fields["fit"])
    if fields.get("image_seconds"):
        intent.image_seconds = float(fields["image_seconds"])
    if fields.get("keep_music"):  # the user's own song was given with the request: it stays the music
        intent.generate = intent.regenerate = intent.adjust = False
    wished: dict[str, Any] = {}
    if fields.get("mood"):  # mood words, which may name a genre too ("epic")
        mood = read_wishes(str(fields["mood"]))
        wished.update({key: value for key, value in (("mood", mood.mood), ("genre", mood.genre)) if value is not None})
        if mood.change != (0.0, 0.0):
            wished["change"] = mood.change
    if fields.get("genre"):
        wished["genre"] = parse_genre(str(fields["genre"]))
    if fields.get("bpm"):
        wished["bpm"] = float(fields["bpm"])
    if wished:
        intent.wishes = intent.wishes.model_copy(update=wished)
    if (wished or "seed" in fields) and not (intent.adjust or intent.regenerate or fields.get("keep_music")):
        intent.generate = True


def _retime_images(draft: Draft, seconds: float, said: list[str]) -> None:
    """Every picture in the timeline shown for ``seconds``; what follows moves with it."""
    video = draft.tracks(VIDEO)[0].sg if draft.tracks(VIDEO) else []
    if not any(s.m.get("kind") == MediaKind.IMAGE.value for s in video):
        return
    start = 0
    for segment in video:
        if segment.m.get("kind") == MediaKind.IMAGE.value:
            segment.d = round(seconds * 1000)
        segment.st, start = start, start + segment.d
    said.append(f"Each picture shows for {seconds:g} s.")


def _music_source(segment: Segment, details: dict[str, Any]) -> MusicSource:
    if segment.m.get("user") or not segment.m.get("spec"):
        return MusicSource(None, Path(str(segment.m.get("path"))), {})
    return MusicSource(segment.m["spec"], None, details)


def _require_visuals(draft: Draft) -> None:
    if not draft.exportable or not draft.tracks(VIDEO) or not draft.tracks(VIDEO)[0].sg:
        raise InputError("There is nothing to export yet: upload a video or images first.")


def _with_summary(text: str, draft: Draft) -> str:
    """Every reply says what changed in plain words and ends with the timeline's summary line."""
    return f"{text}\n{summary_line(draft)}"


def _track(draft: Draft, kind: int, role: str | None = None) -> Track:
    for track in draft.t:
        if track.tt == kind:
            return track
    track = Track(tt=kind, m={"role": role} if role else {})
    draft.t.append(track)
    draft.t.sort(key=lambda t: {VIDEO: 0, AUDIO: 1, TEXT: 2}.get(t.tt, 3))
    return track


def _sound_pieces(draft: Draft) -> list[SoundPiece]:
    """What the export mixes as the videos' own sound: each segment's audio (or its silence), in order."""
    from free_music_ai.engine.soundtrack import SoundPiece

    return [SoundPiece(Path(s.m["path"]) if s.m.get("has_audio") else None, 0.0, s.d / 1000)
            for s in draft.tracks(VIDEO)[0].sg]  # fmt: skip


def _has_generated_music(draft: Draft) -> bool:
    return any(s.m.get("spec") for t in draft.tracks(AUDIO) for s in t.sg)


def _save_music(path: Path, audio: np.ndarray) -> None:
    """Write the music under its final name only once it is whole."""
    part = path.with_name(path.name + ".part")
    with part.open("wb") as file:
        np.save(file, audio)
    part.replace(path)


def _load_music(path: Path) -> np.ndarray:
    """Generated music is kept as .npy; music the user uploaded is decoded from its file."""
    if path.suffix == ".npy":
        if not path.is_file():  # the program stopped while writing it
            raise InputError("This session's music was not saved. Ask for new music, then export again.")
        loaded: np.ndarray = np.load(path)
        return loaded
    from free_music_ai.engine.soundtrack import SoundPiece, original_sound

    return original_sound([SoundPiece(path, 0.0, float(probe(path).duration_s))]).T
