"""The page's server: the page and its static files, and a small JSON and Server-Sent-Events API over the same
backend the MCP tools and the command line use (no second pipeline).

No path from the browser reaches the file system: uploads are saved under names of our own in the data
folder, and results are served by their job id. Sessions made here are the sessions the CLI and MCP see.
"""

from __future__ import annotations

import contextlib
import json
import logging
import secrets
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from free_music_ai.backends.choose import BackendOnDemand
from free_music_ai.backends.export_watch import watch_export
from free_music_ai.backends.models import ExportState, ExportStatus, SessionState
from free_music_ai.config import Settings
from free_music_ai.engine.canvas_choices import PRESETS, Aspect, choices
from free_music_ai.errors import InputError, MusicAIError, user_error, what_failed
from free_music_ai.project.nemo_draft import AUDIO
from free_music_ai.web.guard import Guard
from free_music_ai.web.upload_stream import receive_file
from free_music_ai.words.plain_text import checked_text
from free_music_ai.words.request_fields import MessageOptions, options

log = logging.getLogger(__name__)
ASPECTS = PRESETS  # the page offers the fixed frames
MOODS = ("calm", "warm", "happy", "upbeat", "epic", "sad", "dark", "dreamy", "tense")


def static_dir() -> Path:
    return Path(str(resources.files("free_music_ai") / "web" / "static"))


class WebApi:
    """The routes; the backend is made on first use (the page opens at once)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.backend = BackendOnDemand(settings)

    async def close(self) -> None:
        await self.backend.aclose()

    # the page -------------------------------------------------------------------------------------------
    async def index(self, request: Request) -> Response:
        return FileResponse(static_dir() / "index.html", headers={"cache-control": "no-store"})

    async def info(self, request: Request) -> Response:
        from free_music_ai.engine.music.spec import Genre
        from free_music_ai.limits import MAX_MESSAGE_CHARS

        return JSONResponse({"genres": [genre.value for genre in Genre], "aspects": list(ASPECTS),
                             "max_message": MAX_MESSAGE_CHARS, "max_upload_mb": self.settings.max_input_mb,
                             "moods": list(MOODS)})  # fmt: skip

    # uploads --------------------------------------------------------------------------------------------
    async def upload(self, request: Request) -> Response:
        session_id = request.query_params.get("session") or None
        name = request.query_params.get("name", "upload")
        folder = self.settings.data_dir / "uploads" / "web"
        try:
            path = await receive_file(request, folder, name, max_bytes=self.settings.max_input_bytes)
            try:
                result = await self.backend().upload(session_id, [path], urls=[], files=[])
            except BaseException:
                path.unlink(missing_ok=True)
                raise
        except Exception as exc:
            return _error(exc)
        assets = [a.model_dump(include={"name", "kind", "duration_s", "size_bytes"}) for a in result.assets]
        return JSONResponse({"session_id": result.session_id, "assets": assets})  # no paths of this machine

    # the session ----------------------------------------------------------------------------------------
    async def state(self, request: Request) -> Response:
        try:
            state = await self.backend().state(request.path_params["session"])
        except Exception as exc:
            return _error(exc)
        return JSONResponse(_public_state(state))

    async def message(self, request: Request) -> Response:
        session_id = request.path_params["session"]
        try:
            body = await _json_body(request)
            text = checked_text(str(body.get("message", ""))[:100_000], "The message")  # refused before the stream
            sent = {k: body.get(k) for k in ("genre", "mood", "title", "seed", "aspect")}
            volume = body.get("music_volume")
            filled = {k: v for k, v in sent.items() if v != ""}
            fields = options(music_volume_percent=None if volume == "" else volume, **filled)  # checked before storing
        except Exception as exc:
            return _error(exc)
        return _events(self._message_events(session_id, text, fields))

    async def _message_events(self, session_id: str, text: str, fields: MessageOptions) -> AsyncIterator[str]:
        backend = self.backend()
        async for event in backend.send_message(session_id, text, fields):
            if event.kind == "progress":
                yield _sse("progress", {"fraction": event.fraction, "stage": event.text})
            elif event.kind == "text":
                yield _sse("reply", {"text": event.text, **{k: event.data.get(k) for k in
                                     ("summary", "explanation", "music", "changed")}})  # fmt: skip
        state = await backend.state(session_id)
        yield _sse("state", _public_state(state))

    async def export(self, request: Request) -> Response:
        session_id = request.path_params["session"]
        try:
            body = await _json_body(request)
            asked = body.get("aspect") or None
            if asked is not None and asked not in ASPECTS:
                raise InputError(f"Unknown aspect {asked!r}. Use one of: {choices(ASPECTS)}.")
            aspect = None if asked is None else Aspect(asked)
        except Exception as exc:
            return _error(exc)
        return _events(self._export_events(session_id, aspect, bool(body.get("stems")), bool(body.get("midi"))))

    async def _export_events(
        self, session_id: str, aspect: Aspect | None, stems: bool, midi: bool
    ) -> AsyncIterator[str]:
        from free_music_ai.service.music_files import ExportExtras

        backend = self.backend()
        state = await backend.state(session_id)
        folder = self.settings.output_dir or self.settings.data_dir / "exports"
        folder.mkdir(parents=True, exist_ok=True)
        extras = ExportExtras()
        if (stems or midi) and state.has_music:
            extras_dir = self.settings.data_dir / "exports" / "extras" / secrets.token_hex(6)
            extras_dir.mkdir(parents=True)
            extras = ExportExtras(extras_dir if stems else None, extras_dir / "music.mid" if midi else None)
        job = await backend.export_start(session_id, folder, aspect, extras=extras)
        status: ExportStatus | None = None
        async with contextlib.aclosing(watch_export(backend, job)) as statuses:
            async for status in statuses:
                yield _sse("progress", {"fraction": status.progress, "stage": status.stage or "Rendering"})
        assert status is not None  # the watch yields the final status at least
        if status.status is ExportState.FAILED:
            yield _sse("error", {"message": f"The export failed: {status.error}"})
            return
        yield _sse("done", _export_result(status))
        yield _sse("state", _public_state(await backend.state(session_id)))

    # files, by job id: the files the job's own record names, while they are the ones it wrote -------------
    async def video(self, request: Request) -> Response:
        return await self._file(request, "video", "video/mp4")

    async def licence(self, request: Request) -> Response:
        """The licence as the page shows it: names of files, no paths of this machine (the sidecar on disk keeps
        them, for ``replay``)."""
        from free_music_ai.service.licence import read_licence, without_paths

        found = await self._path(request, "licence")
        if isinstance(found, Response):
            return found
        try:
            shown = without_paths(await anyio.to_thread.run_sync(read_licence, found))
        except Exception as exc:
            return _error(exc)
        return JSONResponse(shown, headers={"content-disposition": f'inline; filename="{found.name}"'})

    async def midi(self, request: Request) -> Response:
        return await self._file(request, "midi", "audio/midi")

    async def stem(self, request: Request) -> Response:
        return await self._file(request, f"stem:{request.path_params['part']}", "audio/wav")

    async def _file(self, request: Request, kind: str, media_type: str) -> Response:
        found = await self._path(request, kind)
        if isinstance(found, Response):
            return found
        return FileResponse(found, media_type=media_type, filename=found.name, content_disposition_type="inline")

    async def _path(self, request: Request, kind: str) -> Path | Response:
        """The path of the job's file of ``kind``, from its record; or the answer that says why there is none (410:
        the file the job wrote was deleted or replaced since)."""
        try:
            status = await self.backend().export_status(request.path_params["job"])
            if status.status is not ExportState.DONE:
                raise InputError("This export is not finished. Wait for it, then download.")
            gone = status.gone.get(kind)
            if gone is not None:
                return JSONResponse({"error": gone}, status_code=410)
            path = status.files.get(kind)
            if path is None:
                what = f"stem {kind.removeprefix('stem:')!r}" if kind.startswith("stem:") else kind
                raise InputError(f"This export has no {what}.")
        except Exception as exc:
            return _error(exc)
        return Path(path)

    async def picture(self, request: Request) -> Response:
        """The footage and its music at a glance: energy, cuts, speech, beats that hit the cuts (PNG)."""
        from free_music_ai.web.picture import draw_session

        try:
            png = await anyio.to_thread.run_sync(draw_session, self.backend(), request.path_params["session"],
                                                 self.settings)  # fmt: skip
        except Exception as exc:
            return _error(exc)
        return Response(png, media_type="image/png", headers={"cache-control": "no-store"})


def _public_state(state: SessionState) -> dict[str, Any]:
    """What the page shows: no paths of this machine, results by job id."""
    renders = [{"job_id": r.id, "status": r.status.value, "error": r.error,
                "name": Path(r.output).name if r.output else None, "version": r.version}
               for r in state.renders]  # fmt: skip
    assets = [a.model_dump(include={"name", "kind", "duration_s"}) for a in state.assets]
    return {"session_id": state.session_id, "summary": state.summary, "version": state.version,
            "versions": [v.model_dump() for v in state.versions], "has_music": state.has_music,
            "music": state.music.model_dump() if state.music else None, "assets": assets, "renders": renders,
            "controls": _controls(state.draft)}  # fmt: skip


def _controls(draft: dict[str, Any]) -> dict[str, Any]:
    """The settings the page's controls show, as the project has them (its words may have set them): the format,
    and the music's level in percent (None where the project has none)."""
    settings = draft.get("m") or {}
    volume = None
    for track in draft.get("t") or []:
        if track.get("tt") == AUDIO and track.get("sg"):
            volume = round(100 * float((track["sg"][0].get("m") or {}).get("volume", 1.0)))
            break
    return {"aspect": settings.get("aspect"), "music_volume": volume}


def _export_result(status: ExportStatus) -> dict[str, Any]:
    base = f"/api/renders/{status.job_id}"
    stems = {part: f"{base}/stems/{part}" for part in status.stems or {}}
    name = Path(status.output).name if status.output else None
    return {"job_id": status.job_id, "video": f"{base}/video", "name": name,
            "licence": f"{base}/licence" if status.license else None,
            "midi": f"{base}/midi" if status.midi else None, "stems": stems,
            "duration_s": status.duration_s, "width": status.width, "height": status.height,
            "note": status.note, "video_reused": status.video_reused}  # fmt: skip


async def _json_body(request: Request) -> dict[str, Any]:
    if not request.headers.get("content-type", "").startswith("application/json"):
        raise InputError("Send JSON (Content-Type: application/json).")
    raw = await request.body()
    if len(raw) > 200_000:
        raise InputError("The request is too large.")
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise InputError("The request is not valid JSON.") from None
    if not isinstance(body, dict):
        raise InputError("The request must be a JSON object.")
    return body


def _sse(kind: str, data: dict[str, Any]) -> str:
    return f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


def _events(source: AsyncIterator[str]) -> StreamingResponse:
    """A stream of events; an error in it is one more event, said in the user's terms."""

    async def guarded() -> AsyncIterator[str]:
        try:
            async for item in source:
                yield item
        except Exception as exc:
            yield _sse("error", {"message": _message_of(exc)})

    return StreamingResponse(guarded(), media_type="text/event-stream",
                             headers={"cache-control": "no-store", "x-accel-buffering": "no"})  # fmt: skip


def _message_of(exc: BaseException) -> str:
    ours = user_error(exc)
    if ours is not None:
        return ours.message
    log.exception("unexpected failure in the web API")
    return f"Unexpected failure ({type(what_failed(exc)).__name__}). Details are in the server's log."


def _error(exc: BaseException) -> Response:
    ours = user_error(exc)
    status = 400 if isinstance(ours, InputError) else 500
    if isinstance(ours, MusicAIError) and not isinstance(ours, InputError):
        status = 502 if type(ours).__name__.startswith("Cloud") else 500
    return JSONResponse({"error": _message_of(exc)}, status_code=status)


def create_app(
    settings: Settings, hosts: set[str], *, token: str | None = None, login_code: str | None = None
) -> Starlette:
    api = WebApi(settings)
    routes = [
        Route("/", api.index),
        Route("/api/info", api.info),
        Route("/api/upload", api.upload, methods=["PUT"]),
        Route("/api/sessions/{session}", api.state),
        Route("/api/sessions/{session}/messages", api.message, methods=["POST"]),
        Route("/api/sessions/{session}/exports", api.export, methods=["POST"]),
        Route("/api/sessions/{session}/picture.png", api.picture),
        Route("/api/renders/{job}/video", api.video),
        Route("/api/renders/{job}/licence", api.licence),
        Route("/api/renders/{job}/midi", api.midi),
        Route("/api/renders/{job}/stems/{part}", api.stem),
        Mount("/static", StaticFiles(directory=static_dir()), name="static"),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        await api.close()

    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(Guard, hosts=hosts, token=token, login_code=login_code)
    return app
