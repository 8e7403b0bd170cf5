"""The NemoVideo cloud behind the same Backend interface as the local engine (../shared/nemo-protocol.md).

Sessions, uploads, chat runs, state, credits and exports go to the cloud; this side keeps what the
cloud cannot: the local paths of uploads (to upload them again into a new session when the cloud lost
one, code 1002), the browser link, one chat run and one export at a time per session, and the
downloaded file, published under a name that never replaces another file.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import logging
import mimetypes
import time
import urllib.parse
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx2

from free_music_ai.backends.base import Event, InlineFile
from free_music_ai.backends.choose import BackendChoice
from free_music_ai.backends.models import (
    AssetInfo,
    Credits,
    ExportState,
    ExportStatus,
    RenderInfo,
    SessionState,
    UploadResult,
)
from free_music_ai.backends.nemo_client import UPLOAD_TIMEOUT, NemoClient, SessionGone
from free_music_ai.backends.nemo_config import NemoConfig
from free_music_ai.backends.nemo_models import CreditsData, RenderStatus, SessionData, StateData
from free_music_ai.backends.nemo_stream import run_message
from free_music_ai.config import Settings
from free_music_ai.engine.canvas_choices import Aspect
from free_music_ai.engine.formats import AUDIO_EXTENSIONS, IMAGE_EXTENSIONS, SUPPORTED_EXTENSIONS
from free_music_ai.engine.probe import check_file
from free_music_ai.errors import (
    SUPPORTED_FORMATS_TEXT,
    CloudError,
    FileTooLarge,
    InputError,
    MusicAIError,
    UnsupportedFormat,
)
from free_music_ai.project.changes import describe_changes
from free_music_ai.project.nemo_draft import Draft, from_draft, summary_line
from free_music_ai.service.music_files import ExportExtras
from free_music_ai.words.gui import translate
from free_music_ai.words.message import check_length
from free_music_ai.words.request_fields import MessageOptions, given

log = logging.getLogger(__name__)
T = TypeVar("T")
FIELD_WORDS = {
    "genre": "genre: {}",
    "mood": "mood: {}",
    "bpm": "{:g} bpm",
    "seed": "seed {}",
    "video": "for {}",
    "title": 'add the title "{}" for the first 3 seconds',
    "aspect": "format {}",
    "fit": "fit pictures of another shape by {}",
    "image_seconds": "show each picture for {:g} seconds",
    "keep_music": "keep my own song as the music",
}


@dataclass
class _Session:
    cloud_id: str
    task_id: str
    uploads: list[dict[str, Any]] = field(default_factory=list)  # name, kind, and path or url
    inline: dict[str, bytes] = field(default_factory=dict)  # files sent as data, decoded, by name (for a new session)


@dataclass
class _Export:
    id: str
    session_id: str
    status: str = "running"  # running, done, failed
    progress: float = 0.0
    output: str | None = None
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


class NemoBackend:
    name = "nemo"

    def __init__(self, settings: Settings, config: NemoConfig | None = None, *,
                 transport: httpx2.AsyncBaseTransport | None = None,
                 choice: BackendChoice | None = None) -> None:  # fmt: skip
        """``choice``: what chose the cloud, which its errors name with the way back to the local engine."""
        self.settings = settings
        self.config = config or NemoConfig.from_env()
        self.choice = choice or BackendChoice("nemo")
        self.client = NemoClient(self.config, transport=transport, choice=self.choice)
        self._sessions: dict[str, _Session] = {}
        self._exports: dict[str, _Export] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._running: set[str] = set()
        self._last_render_ts = 0

    async def aclose(self) -> None:
        await self.client.aclose()

    # sessions -------------------------------------------------------------------------------------------
    async def create_session(self) -> str:
        session = await self._new_cloud_session()
        self._sessions[session.cloud_id] = session
        return session.cloud_id

    async def _new_cloud_session(self) -> _Session:
        body = {"task_name": "project", "language": "en"}
        data = await self.client.call_as(SessionData, "POST", "/api/tasks/me/with-session/nemo_agent",
                                         what="creating a session", json=body)  # fmt: skip
        return _Session(data.session_id, data.task_id)

    def _session(self, session_id: str) -> _Session:
        """Sessions made by an earlier process are still the cloud's: use them as they are."""
        return self._sessions.setdefault(session_id, _Session(session_id, ""))

    async def _in_session(self, session_id: str, work: Callable[[str], Awaitable[T]]) -> T:
        """Run ``work(cloud_session_id)``; when the cloud lost the session (1002), make a new one with the same
        uploads and run the work there once."""
        try:
            return await work(self._session(session_id).cloud_id)
        except SessionGone:
            await self._renew(session_id)
        try:
            return await work(self._session(session_id).cloud_id)
        except SessionGone:
            raise CloudError("The NemoVideo service keeps losing the session. Upload the files again.") from None

    async def _renew(self, session_id: str) -> None:
        """A new cloud session behind the same id, with the files uploaded again."""
        log.info("the cloud lost session %s: making a new one with the same uploads", session_id)
        session = self._session(session_id)
        fresh = await self._new_cloud_session()
        for upload in session.uploads:
            await self._send_upload(fresh.cloud_id, upload, session.inline)
        session.cloud_id, session.task_id = fresh.cloud_id, fresh.task_id

    def link(self, session_id: str) -> str:
        session = self._session(session_id)
        query = urllib.parse.urlencode({"task": session.task_id, "session": session.cloud_id,
                                        "skill_name": self.config.skill_name,
                                        "skill_version": self.config.skill_version,
                                        "skill_source": self.config.platform})  # fmt: skip
        return f"{self.config.web_url}/workspace/claim?{query}"

    # upload ---------------------------------------------------------------------------------------------
    async def upload(self, session_id: str | None, paths: list[Path], *, urls: list[str], files: list[InlineFile],
                     analyze: bool = True) -> UploadResult:  # fmt: skip
        for path in paths:  # every file is checked before anything is sent
            _check_upload(path.name, check_file(path, self.settings.max_input_bytes), self.settings.max_input_bytes)
        for file in files:
            _check_upload(file.name, file.size, self.settings.max_input_bytes)
        decoded = {f.name: _decoded(f) for f in files}  # bad base64 is refused before anything is made or sent
        sid = session_id or await self.create_session()
        session = self._session(sid)
        added = [{"name": p.name, "kind": _kind(p.name), "path": str(p.absolute())} for p in paths]
        added += [{"name": Path(urllib.parse.urlparse(u).path).name or u, "kind": _kind(u), "url": u} for u in urls]
        added += [{"name": f.name, "kind": _kind(f.name), "inline": f.name} for f in files]
        session.inline.update(decoded)
        for upload in added:

            async def send(cloud: str, upload: dict[str, Any] = upload) -> None:
                await self._send_upload(cloud, upload, session.inline)

            await self._in_session(sid, send)
            session.uploads.append(upload)
        return UploadResult(session_id=sid, backend=self.name, link=self.link(sid),
                            assets=[AssetInfo.model_validate(upload) for upload in added])  # fmt: skip

    async def _send_upload(self, cloud_id: str, upload: dict[str, Any], inline: dict[str, bytes]) -> None:
        where = f"/api/upload-video/nemo_agent/me/{cloud_id}"
        what = f"uploading {upload['name']}"
        if "url" in upload:
            await self.client.call("POST", where, what, json={"urls": [upload["url"]], "source_type": "url"})
            return
        mime = mimetypes.guess_type(upload["name"])[0] or "application/octet-stream"
        if "inline" in upload:
            data = inline[upload["inline"]]
            await self.client.call("POST", where, what, files=lambda: {"files": (upload["name"], data, mime)},
                                   timeout=UPLOAD_TIMEOUT)  # fmt: skip
            return
        with Path(upload["path"]).open("rb") as handle:  # streamed from disk in chunks by the multipart encoder

            def fresh_stream() -> dict[str, Any]:
                handle.seek(0)  # a retry (new token, rate limit) sends the file from its start
                return {"files": (upload["name"], handle, mime)}

            await self.client.call("POST", where, what, files=fresh_stream, timeout=UPLOAD_TIMEOUT)

    # messages -------------------------------------------------------------------------------------------
    async def send_message(self, session_id: str, text: str,
                           options: MessageOptions | None = None) -> AsyncIterator[Event]:  # fmt: skip
        check_length(text)
        if session_id in self._running:
            raise InputError("A message is still running in this session. Wait for its reply: sending it again "
                             "would do the work twice and charge twice.")  # fmt: skip
        self._running.add(session_id)
        try:
            async for event in self._run(session_id, _with_fields(text, given(options))):
                yield event
        finally:
            self._running.discard(session_id)

    async def _run(self, session_id: str, text: str) -> AsyncIterator[Event]:
        before = await self._draft(session_id)
        texts: list[str] = []
        for attempt in range(2):
            cloud = self._session(session_id).cloud_id
            try:
                async for event in run_message(
                    self.client, cloud, text, read_state=lambda: self._raw_state(session_id)
                ):
                    if event.kind == "done":
                        texts = list(event.data.get("texts", []))
                    else:
                        yield event
                break
            except SessionGone:
                if attempt:
                    raise CloudError("The NemoVideo service keeps losing the session. Upload again.") from None
                await self._renew(session_id)
        after = await self._draft(session_id)
        reply = translate("\n\n".join(texts)) if texts else describe_changes(before, after)
        summary = summary_line(after)
        yield Event("text", f"{reply}\n{summary}", None,
                    {"summary": summary, "explanation": "", "music": {},
                     "changed": before.model_dump() != after.model_dump(), "link": self.link(session_id)})  # fmt: skip
        yield Event("done")

    # state and credits ----------------------------------------------------------------------------------
    async def _raw_state(self, session_id: str) -> dict[str, Any]:
        async def read(cloud: str) -> dict[str, Any]:
            data = await self.client.call_as(StateData, "GET", f"/api/state/nemo_agent/me/{cloud}/latest",
                                             what="reading the state")  # fmt: skip
            return data.state.model_dump()

        return await self._in_session(session_id, read)

    async def _draft(self, session_id: str) -> Draft:
        return _parse_draft(await self._raw_state(session_id))

    async def state(self, session_id: str) -> SessionState:
        raw = await self._raw_state(session_id)
        draft = _parse_draft(raw)
        return SessionState(
            session_id=session_id,
            backend=self.name,
            summary=summary_line(draft),
            has_music=from_draft(draft).music is not None,
            draft=draft.model_dump(mode="json"),
            assets=[AssetInfo.model_validate(upload) for upload in self._session(session_id).uploads],
            renders=[
                RenderInfo(
                    id=e.id,
                    session_id=e.session_id,
                    status=ExportState(e.status),
                    output=e.output,
                    error=e.error,
                    progress=e.progress,
                )
                for e in self._exports.values()
                if e.session_id == session_id
            ],
            link=self.link(session_id),
            cloud={
                "video_infos": raw.get("video_infos"),
                "canvas": raw.get("canvas_config"),
                "generated_media": raw.get("generated_media"),
            },
        )

    async def credits(self) -> Credits:
        data = await self.client.call_as(CreditsData, "GET", "/api/credits/balance/simple", what="reading the credits")
        available, frozen, total = (_count(v) for v in (data.available, data.frozen, data.total))
        return Credits(backend=self.name, available=available, frozen=frozen, total=total,
                       message=f"NemoVideo credits: {available} available, {frozen} held for running work, "
                       f"{total} in all. Exports cost no credits.")  # fmt: skip

    # export ---------------------------------------------------------------------------------------------
    async def export_start(self, session_id: str, output: Path | None, aspect: Aspect | None, *,
                           extras: ExportExtras | None = None) -> str:  # fmt: skip
        if extras is not None and extras.wanted:
            raise InputError("The NemoVideo cloud gives the video only, not the music's stems or MIDI. "
                             f"{self.choice.to_local}")  # fmt: skip
        for job in self._exports.values():
            if job.session_id == session_id and job.status == "running":
                return job.id  # one export at a time per session: the same job again
        job = _Export(f"export_{uuid.uuid4().hex[:10]}", session_id)
        self._exports[job.id] = job
        task = asyncio.get_running_loop().create_task(self._export(job, output, aspect))
        self._tasks.add(task)  # kept until it ends: the caller may stop waiting, the export goes on
        task.add_done_callback(self._tasks.discard)
        return job.id

    async def _export(self, job: _Export, output: Path | None, aspect: Aspect | None) -> None:
        try:
            await self._export_steps(job, output, aspect)
        except MusicAIError as exc:
            job.status, job.error = "failed", exc.message
        except Exception as exc:  # kept on the job for whoever asks; the task itself must not die loudly
            log.exception("export %s failed", job.id)
            job.status, job.error = "failed", f"{type(exc).__name__}: {exc}"

    async def _export_steps(self, job: _Export, output: Path | None, aspect: Aspect | None) -> None:
        from free_music_ai.engine.render.output_path import check_output_location, inside_if_folder

        named = self._default_output(job.session_id)
        target = check_output_location(inside_if_folder(output, named.name) if output else named)
        if aspect is not None and aspect.is_preset:
            async for _ in self._run(job.session_id, f"set the canvas aspect ratio to {aspect}"):
                pass
        raw = await self._raw_state(job.session_id)
        draft = raw.get("draft") or {}
        if not _parse_draft(raw).exportable:
            raise InputError("There is nothing to export yet: upload a video and ask for music first.")
        for attempt in range(2):
            render_id = self._render_id()
            body = {"id": render_id, "sessionId": self._session(job.session_id).cloud_id, "draft": draft,
                    "output": {"format": "mp4", "quality": "high"}}  # fmt: skip
            await self.client.call("POST", "/api/render/proxy/lambda", "starting the export", json=body,
                                   envelope=False)  # fmt: skip
            url = await self._poll_render(job, render_id)
            if url is not None or attempt:
                break
            log.info("render %s failed: trying once more with a new id", render_id)
        if url is None:
            raise CloudError(f"The NemoVideo render failed twice. Try the export again later. {self.choice.to_local}")
        final = await self._download(url, render_id, target)
        self._finish(job, final)

    def _render_id(self) -> str:
        stamp = max(int(time.time()), self._last_render_ts + 1)  # a retry in the same second needs a new id
        self._last_render_ts = stamp
        return f"render_{stamp}"

    async def _poll_render(self, job: _Export, render_id: str) -> str | None:
        """The finished file's URL, or None when the render failed."""
        for n in range(self.config.max_polls):
            await self.client.sleep(self.config.poll_interval_s)
            answer = await self.client.call("GET", f"/api/render/proxy/lambda/{render_id}", "checking the export",
                                            envelope=False)  # fmt: skip
            inner = answer.get("data")  # the status is documented at the top level; an envelope is read too
            body = RenderStatus.model_validate(inner if isinstance(inner, dict) and "status" not in answer else answer)
            status = body.status.lower()
            job.progress = min(0.9, (n + 1) / self.config.max_polls)
            if status == "completed":
                return body.output.url or "" if body.output else ""
            if status == "failed":
                return None
        raise CloudError(f"The NemoVideo render was not done after {self.config.max_polls} checks. Call export "
                         "again later to get it.")  # fmt: skip

    async def _download(self, url: str, render_id: str, target: Path) -> Path:
        """Into a hidden file beside the target, then published under a name that replaces nothing."""
        from free_music_ai.engine.render.output_path import discard, publish, temporary_sibling

        temp = temporary_sibling(target)
        try:
            try:
                if not url:
                    raise CloudError("no address")
                on_api = not urllib.parse.urlparse(url).netloc or url.startswith(self.config.api_url)
                await self.client.download(url, temp, with_auth=on_api)
            except CloudError as first:
                log.info("download from the render address failed (%s): using the fallback", first)
                await self.client.download(f"/api/render/proxy/{render_id}/download", temp, with_auth=True)
            return publish(temp, target)
        finally:
            discard(temp)

    def _finish(self, job: _Export, final: Path) -> None:
        from free_music_ai.engine.probe import probe

        try:
            info = probe(final, self.settings.max_input_bytes * 4)
            job.details = {"duration_s": info.duration_s,
                           "width": info.video.display_width if info.video else None,
                           "height": info.video.display_height if info.video else None}  # fmt: skip
        except MusicAIError as exc:
            raise CloudError(
                f"The file NemoVideo sent ({final.name}) does not play: {exc.message} Export again."
            ) from None
        job.details["link"] = self.link(job.session_id)
        job.output, job.progress, job.status = str(final), 1.0, "done"

    def _default_output(self, session_id: str) -> Path:
        first = next((u for u in self._session(session_id).uploads if u["kind"] in ("video", "image")), None)
        stem = Path(first["name"]).stem if first else "video"
        from free_music_ai.engine.render.output_path import default_name

        return (self.settings.output_dir or Path.cwd()) / default_name(stem)

    async def export_status(self, job_id: str) -> ExportStatus:
        job = self._exports.get(job_id)
        if job is None:
            raise InputError(f"There is no export {job_id!r}. Start one with export.")
        done = job.status == "done" and job.output is not None
        return ExportStatus(job_id=job.id, session_id=job.session_id, status=ExportState(job.status), output=job.output,
                            error=job.error, progress=job.progress, files={"video": job.output} if done else {},
                            **job.details)  # fmt: skip


def _parse_draft(state: dict[str, Any]) -> Draft:
    try:
        return Draft.model_validate(state.get("draft") or {})
    except ValueError:
        log.warning("the cloud's draft did not parse; showing an empty timeline")
        return Draft()


def _with_fields(text: str, fields: dict[str, Any]) -> str:
    """The tools' optional fields, said in words: the cloud's agent reads the message, not our fields."""
    said = [FIELD_WORDS[k].format(v) for k, v in fields.items() if v is not None and k in FIELD_WORDS]
    if fields.get("music_volume") is not None:
        said.append(f"music volume {round(float(fields['music_volume']) * 100)}%")
    return f"{text} ({', '.join(said)})" if said else text


def _count(value: float) -> int | float:
    """Credits are whole numbers: show 90, not 90.0."""
    return int(value) if float(value).is_integer() else value


def _decoded(file: InlineFile) -> bytes:
    try:
        return base64.b64decode(file.data_base64, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"The content of {file.name} is not valid base64. Send the file's bytes base64-encoded, "
                         "or its path.") from None  # fmt: skip


def _check_upload(name: str, size: int, limit: int) -> None:
    if Path(name).suffix.lower() not in SUPPORTED_EXTENSIONS:
        raise UnsupportedFormat(f"{name} is not a format NemoVideo takes. Supported: {SUPPORTED_FORMATS_TEXT}.")
    if size > limit:
        raise FileTooLarge(f"{name} is {size / 1e6:.0f} MB, over the {limit // 1_000_000} MB limit. Compress it "
                           "or trim it, then upload again.")  # fmt: skip


def _kind(name: str) -> str:
    suffix = Path(urllib.parse.urlparse(name).path).suffix.lower()
    return "image" if suffix in IMAGE_EXTENSIONS else "audio" if suffix in AUDIO_EXTENSIONS else "video"
