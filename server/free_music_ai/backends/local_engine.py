"""The embedded engine behind the local backend: sessions and their projects, edits in order, music, exports.

It holds what lives as long as the program (the store, the media cache, one edit at a time per session)
and hands each job to the service module that does it: service/uploads.py, service/edits.py,
service/music_job.py, service/export_job.py. Words are read in words/; the project is typed (project/).
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai.allocator import a_request
from free_music_ai.backends.models import (
    AssetInfo,
    Credits,
    ExportState,
    MusicDetails,
    RenderInfo,
    SessionState,
    VersionInfo,
)
from free_music_ai.config import Settings
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.leftovers import keep_ledger, sweep
from free_music_ai.engine.music.moments import clock
from free_music_ai.engine.probe import MediaInfo, probe
from free_music_ai.engine.render.output_path import default_name, inside_if_folder, with_suffix_of
from free_music_ai.errors import InputError
from free_music_ai.limits import MAX_ASSETS_PER_SESSION, MAX_TIMELINE_S
from free_music_ai.project.edits import Edits
from free_music_ai.project.focus import refocus
from free_music_ai.project.model import Music, Project
from free_music_ai.project.nemo_draft import public_draft, summary_line_of
from free_music_ai.service.answers import answer
from free_music_ai.service.edits import apply_edits
from free_music_ai.service.export_job import check_export, render_project
from free_music_ai.service.media_cache import IMAGE_SECONDS, MediaCache
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.service.music_job import make_music, only_past_the_music
from free_music_ai.service.render_files import VIDEO, earlier_pictures, files_of, record_of
from free_music_ai.service.store import AssetRow, RenderRow, SessionStore
from free_music_ai.service.uploads import clip_of, place, save_inline
from free_music_ai.words.fields import apply_fields
from free_music_ai.words.focus import pick
from free_music_ai.words.languages import other_language
from free_music_ai.words.levels import asks_for_ducking
from free_music_ai.words.message import CAPABILITIES, interpret
from free_music_ai.words.questions import questions_in
from free_music_ai.words.request_fields import MessageOptions, given

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead

Progress = Callable[[float, str], None]


@dataclass
class Reply:
    text: str
    summary: str
    explanation: str = ""
    changed: bool = False
    music: dict[str, Any] = field(default_factory=dict)


SONG_KEPT = (
    "Your song stays as it is: a song you gave cannot be played calmer or darker. Set its level "
    '("music 30%"), or ask for new music instead ("make calm music instead of my song").'
)


class LocalEngine:
    def __init__(self, settings: Settings, data_dir: Path, read_ahead: ReadAhead | None = None) -> None:
        self.settings = settings
        self.data_dir = data_dir
        # what ended processes left half-written goes; what this one half-writes is listed for the next
        sweep(data_dir / "in-progress")
        keep_ledger(data_dir / "in-progress")
        self.store = SessionStore(data_dir / "sessions.sqlite3")
        self.media = MediaCache(settings, self.store, read_ahead)
        # edits of one session are applied one after another in this process (two programs sharing the data
        # folder are kept apart by the store's version check instead)
        self._edit_locks: dict[str, threading.Lock] = {}
        self._edit_locks_guard = threading.Lock()

    def edit_lock(self, session_id: str) -> threading.Lock:
        with self._edit_locks_guard:
            return self._edit_locks.setdefault(session_id, threading.Lock())

    def close(self) -> None:
        self.media.close()
        self.store.close()

    # upload ---------------------------------------------------------------------------------------------
    @a_request  # a server gives back what it freed
    def upload(
        self,
        session_id: str | None,
        paths: list[Path],
        *,
        inline: list[tuple[str, str]] | None = None,  # name and base64 text
        analyze: bool = True,
    ) -> tuple[str, list[AssetRow]]:
        if session_id is not None:
            self.store.require(session_id)
        already = len(self.store.assets(session_id)) if session_id is not None else 0
        if already + len(paths) + len(inline or []) > MAX_ASSETS_PER_SESSION:
            raise InputError(f"A session holds at most {MAX_ASSETS_PER_SESSION} files ({already} there, "
                             f"{len(paths) + len(inline or [])} more). Start a new session for the rest.")  # fmt: skip
        limit = self.settings.max_input_bytes
        # a file that cannot be used fails before anything is made
        infos = [probe(path, limit, self.media.probes) for path in paths]
        self._check_timeline(session_id, infos)
        new = session_id is None
        session_id = session_id or self.store.create_session()
        saved: list[Path] = []
        try:  # a failed upload leaves neither its files nor an empty session behind
            for name, data in inline or []:
                saved.append(save_inline(self.data_dir / "uploads" / session_id, name, data, max_bytes=limit))
            infos += [probe(path, limit, self.media.probes) for path in saved]
            self._check_timeline(session_id, infos)
        except BaseException:
            for path in saved:
                path.unlink(missing_ok=True)
            if new:
                self.store.delete_session(session_id)
            raise
        added = [self.store.add_asset(session_id, Path(info.path), info.kind.value,
                                      info=info.model_dump(mode="json")) for info in infos]  # fmt: skip
        for asset in added:
            if analyze and asset.kind != MediaKind.AUDIO.value:
                self.media.watch(Path(asset.path), asset.id)
        if added:
            with self.edit_lock(session_id):
                self._place_uploads(session_id, added)
        return session_id, added

    def _check_timeline(self, session_id: str | None, infos: list[MediaInfo]) -> None:
        """The video the project would make stays within the longest a project may make."""
        added_s = sum(IMAGE_SECONDS if i.kind == MediaKind.IMAGE else i.duration_s for i in infos
                      if i.kind != MediaKind.AUDIO)  # fmt: skip
        project = self.store.project(session_id)[1] if session_id is not None else None
        joined = project is not None and not project.has_generated_music  # else the upload is a video of its own
        total_s = added_s + (project.video_ms / 1000 if project is not None and joined else 0.0)
        if total_s > MAX_TIMELINE_S:
            raise InputError(f"The video would be {total_s / 60:.1f} minutes long; a project makes at most "
                             f"{MAX_TIMELINE_S // 60} minutes. Trim the videos or use more sessions.")  # fmt: skip

    def _place_uploads(self, session_id: str, added: list[AssetRow]) -> None:
        version, project = self.store.project(session_id)
        note = f"added {', '.join(a.name for a in added)}"
        visual = [a for a in added if a.kind != MediaKind.AUDIO.value]
        if visual and project.has_generated_music:
            # batch style: the timeline in focus already has its music, so the new upload is its own video
            # (with its own render); "all together" joins them later
            self._refocus(session_id, project, [a.id for a in visual])
            note += " as a video of its own"
            place(project, [a for a in added if a.kind == MediaKind.AUDIO.value])
        else:
            place(project, added)
        self.store.save_project(session_id, project, note, based_on=version)

    # messages -------------------------------------------------------------------------------------------
    @a_request
    def message(
        self, session_id: str, text: str, *, on_progress: Progress | None = None, options: MessageOptions | None = None
    ) -> Reply:
        self.store.require(session_id)
        with self.edit_lock(session_id):
            return self._message(session_id, text, on_progress, options)

    def _message(self, session_id: str, text: str, on_progress: Progress | None,
                 options: MessageOptions | None) -> Reply:  # fmt: skip
        intent = interpret(text)
        fields = given(options)  # every door's values, checked by one typed model when the door built them
        apply_fields(intent, fields)
        if intent.back_to_first_music:
            first = self._first_with_music(session_id)
            if first is None:
                _, project = self.store.project(session_id)
                return Reply(_with_summary("There is no music yet to go back to.", project), summary_line_of(project))
            return self._back_to(session_id, first)
        if intent.back_to_version is not None:
            return self._back_to(session_id, intent.back_to_version)
        if intent.undo or intent.redo:
            moved, note = self.store.move_head(session_id, -1 if intent.undo else 1)
            word = "Undid" if intent.undo else "Redid"
            _, project = self.store.project(session_id)
            done = f"{word}: {note.rstrip('.')}." if moved else f"Nothing to {'undo' if intent.undo else 'redo'}."
            return Reply(_with_summary(done, project), summary_line_of(project), changed=moved)
        version, project = self.store.project(session_id)
        asked = questions_in(text)
        if asked and not fields:  # a question changes nothing and writes nothing: it is answered
            return Reply(_with_summary(answer(project, asked), project), summary_line_of(project))
        before = project.music
        said = self._focus(session_id, project, text, str(fields.get("video", "")))
        fitted = self._music_to_fit(session_id, project, intent, before, said, fields.get("fit_spec"))
        if intent.names_music and project.music is None and not intent.adjust:
            intent.generate = True  # "calm music, fade in", "music for my outro" with no music yet: make it
        if intent.empty and not said and fitted is None:
            return Reply(_with_summary(_not_understood(text, project), project), summary_line_of(project))
        if intent.empty and fitted is None and all(line.startswith("Already") for line in said):  # nothing to do
            return Reply(_with_summary(" ".join(said), project), summary_line_of(project))
        if not project.clips:
            raise InputError("Upload a video or images first: the music is made to fit them.")
        late = only_past_the_music(project, intent) if fitted is None and not said else ""
        if late:  # every moment asked lies after the music's end: no new version that changes nothing
            return Reply(_with_summary(late, project), summary_line_of(project))
        explanation = ""
        music_info: dict[str, Any] = {}
        said += apply_edits(project, intent)
        if (
            project.music is not None
            and project.music.user
            and not intent.generate
            and (intent.adjust or intent.regenerate)
        ):
            # the user's own song is never swapped for generated music unless they ask for new music by name
            said.append(SONG_KEPT)
            intent.adjust = intent.regenerate = False
        if intent.generate or intent.regenerate or intent.adjust or fitted is not None:
            seed = int(fields["seed"]) if "seed" in fields else None
            made = make_music(project, intent, seed=seed, settings=self.settings,
                              folder=self.data_dir / "music" / session_id, media=self.media, session_id=session_id,
                              on_progress=on_progress, fitted=fitted)  # fmt: skip
            if not made.made and not said:  # the edit left the piece as it was, and nothing else was asked
                return Reply(_with_summary(made.explanation, project), summary_line_of(project))
            if made.made:
                explanation, music_info = made.explanation, made.info
                said.append(
                    f"{'Fitted the music to this video' if fitted is not None else 'Made new music'}: {explanation}"
                )
            else:  # said beside the other edits the message made
                said.append(made.explanation)
        self.store.save_project(session_id, project, "; ".join(said) or text[:80], based_on=version)
        return Reply(_with_summary(" ".join(said), project), summary_line_of(project), explanation, True, music_info)

    def _first_with_music(self, session_id: str) -> int | None:
        """The first version whose project has music (a session's first version is its upload, with none)."""
        for version in sorted(dict(self.store.versions(session_id))):
            if self.store.project_at(session_id, version).music is not None:
                return version
        return None

    def _back_to(self, session_id: str, version: int) -> Reply:
        """The project as ``version`` was, saved as a new version (so "undo" comes back to where it was)."""
        head, current = self.store.project(session_id)
        if version == head:
            return Reply(_with_summary(f"Already at version {version}.", current), summary_line_of(current))
        notes = dict(self.store.versions(session_id))
        if version not in notes:
            raise InputError(f"Version {version} does not exist in this session: its versions are "
                             f"{min(notes)}-{max(notes)} (the state lists them with what each changed).")  # fmt: skip
        earlier = self.store.project_at(session_id, version)
        note = notes[version]
        self.store.save_project(session_id, earlier, f"Back to version {version}.", based_on=head)
        said = f"Back to version {version}" + (f" ({note.rstrip('.')})." if note else ".")
        return Reply(_with_summary(said, earlier), summary_line_of(earlier), changed=True)

    def _music_to_fit(self, session_id: str, project: Project, intent: Edits, before: Music | None,
                      said: list[str], spec: object = None) -> Music | None:  # fmt: skip
        """The generated music to fit to the video as it is now: an earlier export's (``spec``, from its licence:
        `render NEW.mp4 --like OLD.license.json`), an earlier version's ("keep the music from version 3"), the
        current one ("make the music match the new cut"), or, when the focus moved to uploads with no music of
        their own, the music the timeline had (it does not disappear)."""
        if isinstance(spec, dict):
            return Music(name="music", path="", duration_ms=round(1000 * float(spec["duration_s"])), spec=spec,
                         volume=project.music_level)  # fmt: skip
        if intent.music_from_version is not None:
            try:
                music = self.store.project_at(session_id, intent.music_from_version).music
            except InputError:  # undone and replaced
                music = None
            if music is None or music.user:
                raise InputError(
                    f"Version {intent.music_from_version} has no music of mine to keep. Say which "
                    "version had it (the list of versions is in the state), or ask for new music."
                )
            return music
        if intent.refit and project.music is None:  # "music that fits the new cut" with none yet: make it
            intent.refit, intent.generate = False, True
            return None
        if intent.refit:
            if project.music is None or project.music.user:
                raise InputError("There is no music of mine to fit to the video yet: ask for some first "
                                 '("calm piano music").')  # fmt: skip
            return project.music
        moved = any(line.startswith("Now working on") for line in said)
        if moved and project.music is None and before is not None and not before.user and not intent.generate:
            return before
        return None

    def _focus(self, session_id: str, project: Project, text: str, named: str) -> list[str]:
        """Switch the timeline to the upload(s) the message names (batch style), keeping each one's edits."""
        visual = [a for a in self.store.assets(session_id) if a.kind != MediaKind.AUDIO.value]
        current = project.focus
        if named.isdigit():
            named = f"video {named}"
        elif named.lower() in ("all", "全部"):
            named = "all videos"
        chosen = pick(named, visual, current) if named else None
        if named and chosen is None:
            names = ", ".join(f"{k}. {a.name}" for k, a in enumerate(visual, 1))
            raise InputError(f"There is no upload {named!r} in this session. Name one of: {names}.")
        chosen = chosen or pick(text, visual, current)
        if not chosen:
            return []
        by_id, order = {a.id: a for a in visual}, [a.id for a in visual]
        which = ", ".join(f"{by_id[i].name} ({order.index(i) + 1} of {len(visual)})" for i in chosen)
        if not self._refocus(session_id, project, chosen):  # named, and on screen already: said, not ignored
            together = len(chosen) == len(visual) and len(visual) > 1
            return [f"Already working on all {len(visual)} uploads together." if together else f"Already on {which}."]
        if len(chosen) == len(visual):
            return [f"Working on all {len(visual)} uploads, one after another."]
        return [f"Now working on {which}; the others keep their own music and titles."]

    def _refocus(self, session_id: str, project: Project, chosen: list[str]) -> bool:
        by_id = {a.id: a for a in self.store.assets(session_id)}
        return refocus(project, chosen, lambda ids: project.laid_out([clip_of(by_id[i]) for i in ids]))

    # state and credits ----------------------------------------------------------------------------------
    def state(self, session_id: str) -> SessionState:
        version, project = self.store.project(session_id)
        focus = set(project.focus)
        music = project.music
        return SessionState(
            session_id=session_id,
            backend="local",
            version=version,
            summary=summary_line_of(project),
            has_music=music is not None,
            versions=[
                VersionInfo(version=v, note=note, current=v == version) for v, note in self.store.versions(session_id)
            ],
            music=MusicDetails.model_validate(music.details) if music is not None and not music.user else None,
            draft=self._public(project),
            assets=[asset_info(a, a.id in focus) for a in self.store.assets(session_id)],
            renders=[_shown(r) for r in self.store.renders(session_id)],
        )

    def _public(self, project: Project) -> dict[str, Any]:
        """The project as a host sees it, in the NemoVideo draft's form: the program's own files (stored
        music) are not named."""
        shown = project.model_copy(deep=True)
        if shown.music is not None and self.data_dir.resolve() in Path(shown.music.path).resolve().parents:
            shown.music.path = ""
        return public_draft(shown)

    @staticmethod
    def credits() -> Credits:
        said = "The local engine is free and unlimited: no account, no credits, nothing uploaded."
        return Credits(backend="local", free=True, unlimited=True, message=said)

    # export ---------------------------------------------------------------------------------------------
    def export_request(self, session_id: str, output: Path | None, aspect: Aspect | None, *,
                       extras: ExportExtras | None = None) -> tuple[str, int]:  # fmt: skip
        """What an export of the session as it is now renders, as canonical JSON (the job's identity: the
        same request is the same job), and the project version it renders. Nothing to render is an error
        here, before any job exists."""
        version, project = self.store.project(session_id)
        extras = extras or ExportExtras()
        check_export(project, extras)
        # the file as it will be named, by its real folder: a folder (the page's) and the file in it (a host's),
        # or a folder reached through a link, are the same export
        named = with_suffix_of(inside_if_folder(output, default_name(project.clips[0].name))) if output else None
        request = {"version": version, "aspect": aspect or project.aspect or Aspect.AUTO,
                   "output": os.path.realpath(named) if named else None, "videos": project.focus,
                   "stems": str(extras.stems_dir) if extras.stems_dir else None,
                   "midi": str(extras.midi_path) if extras.midi_path else None}  # fmt: skip
        return json.dumps(request, sort_keys=True), version

    @a_request
    def export(
        self,
        session_id: str,
        output: Path | None = None,
        aspect: Aspect | None = None,
        *,
        on_progress: Progress | None = None,
        render_id: str | None = None,
        version: int | None = None,
        extras: ExportExtras | None = None,
    ) -> RenderRow:
        """Render the session (at ``version``, by default as it is now) to an MP4, and the music's stems and
        MIDI when ``extras`` asks for them."""
        extras = extras or ExportExtras()
        try:  # a job that exists ends, whatever fails and wherever (its reason kept for whoever asks)
            project = (self.store.project(session_id)[1] if version is None
                       else self.store.project_at(session_id, version))  # fmt: skip
            check_export(project, extras)
            render_id = render_id or self.store.start_render(session_id)
            earlier = earlier_pictures(self.store.renders(session_id))  # a picture made before is copied, not encoded
            made = render_project(project, output, aspect, extras=extras, settings=self.settings, media=self.media,
                                  on_progress=on_progress, earlier=earlier)  # fmt: skip
            files = record_of(made)  # the job's own files, exactly: served by the job, never by a name on disk
        except BaseException as exc:
            if render_id is not None:
                self.store.update_render(render_id, status="failed", error=str(exc)[:500] or type(exc).__name__)
            raise
        output_path = made.pop("output")
        self.store.update_render(render_id, status="done", output=output_path, progress=1.0, details=made, files=files)
        row = self.store.render(render_id)
        assert row is not None
        return row


def _shown(render: RenderRow) -> RenderInfo:
    """A render as the state lists it: its outcome, its video only while it is the one it wrote (a file deleted or
    replaced since is said to be gone); its owner and its files' record stay in the store."""
    shown = RenderInfo(id=render.id, session_id=render.session_id, status=ExportState(render.status),
                       output=render.output, error=render.error, progress=render.progress,
                       version=render.version)  # fmt: skip
    if render.status == "done":
        files, gone = files_of(render)
        shown.output = files.get(VIDEO)
        shown.gone = list(gone.values())
    return shown


def asset_info(asset: AssetRow, in_timeline: bool | None = None) -> AssetInfo:
    """What a host or a user needs to know of an upload."""
    return AssetInfo(id=asset.id, name=asset.name, kind=asset.kind, path=asset.path,
                     duration_s=asset.info.get("duration_s"), size_bytes=asset.info.get("size_bytes"),
                     in_timeline=in_timeline)  # fmt: skip


def _not_understood(text: str, project: Project) -> str:
    """The reply to words no rule could read: about the music that is there, it stays (a word such as "music" alone
    made a new piece in its place), and a wish it already fulfils is said ("duck the music under my voice")."""
    music = project.music
    if music is not None and asks_for_ducking(text):
        spans = music.ducking.spans if music.ducking is not None else []
        if spans:
            start = music.start_ms / 1000
            where = ", ".join(f"{clock(start + a)}-{clock(start + b)}" for a, b in spans[:4])
            return f'The music already steps back under the speech ({where}). To lower it everywhere say "music 20%".'
        return (
            'I hear no speech in the video, so the music has nothing to step back under. To lower it say "music 20%".'
        )
    language = other_language(text)
    read = (f'This looks like {language}: I read English and Chinese only (for example "calmer music" or '
            f'"安静一点的音乐"). ' if language else "")  # fmt: skip
    if music is not None:
        kept = 'I could not tell what to change, so the music stays as it is ("new music" makes another piece).'
        return f"{read}{kept} {CAPABILITIES}"
    return f"{read}I could not tell what to change. {CAPABILITIES}"


def _with_summary(text: str, project: Project) -> str:
    """Every reply says what changed in plain words and ends with the timeline's summary line."""
    return f"{text}\n{summary_line_of(project)}"
