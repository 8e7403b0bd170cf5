"""A protocol double of the NemoVideo service: a real HTTP server (Starlette on uvicorn, 127.0.0.1) with real SSE.

It implements ../shared/nemo-protocol.md as documented, checks the attribution headers and the token on
every call, and can be told to misbehave the ways the spec says the service does: heartbeats, silent
edits, a dropped stream, slow or failing renders, and every error code.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from free_music_ai.engine.probe import probe

ATTRIBUTION = ("X-Skill-Source", "X-Skill-Version", "X-Skill-Platform")
SUPPORTED = {".mp4", ".mov", ".avi", ".webm", ".mkv", ".jpg", ".png", ".gif", ".webp", ".mp3", ".wav", ".m4a", ".aac"}


@dataclass
class Behaviour:
    """What the double does next; tests set these before a call."""

    heartbeats: int = 1  # before the first words of a run
    heartbeat_gap_s: float = 0.0
    heartbeats_only: bool = False  # a run that never says anything: the client must time out
    silent: bool = False  # the run edits the draft and closes with no text
    drops: int = 0  # how many connections of the next run break mid-stream
    second_stage: bool = True  # after the edit, a second stage adds a title
    trailing_issue: bool = True  # "I encountered a temporary issue" after the normal replies
    expire_token: int = 0  # this many authenticated calls answer 1001
    expire_token_on_run: bool = False  # the token expires just before the next message is sent
    lose_session: bool = False  # the next session call answers 1002 once
    lose_session_on_run: bool = False  # the next message answers 1002 once
    no_credits: bool = False  # runs answer 2001
    reject_format: bool = False  # uploads answer 4001
    too_large: bool = False  # uploads answer 4002
    rate_limit: int = 0  # this many calls answer HTTP 429 first
    client_id_refused: bool = False  # the anonymous-token call answers HTTP 400 once
    plan_blocks_export: bool = False  # export answers HTTP 402
    render_polls: int = 1  # status checks before a render completes
    fail_first_render: bool = False
    broken_output_url: bool = False  # the completed render's URL fails: the fallback download is used


@dataclass
class Session:
    task_id: str
    draft: dict[str, Any] = field(default_factory=lambda: {"t": [], "m": {}})
    files: list[Path] = field(default_factory=list)
    runs: int = 0
    events: list[str] = field(default_factory=list)  # the current run's events, for Last-Event-ID resumes


class NemoDouble:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.behaviour = Behaviour()
        self.tokens: set[str] = set()
        self.client_ids: list[str] = []
        self.sessions: dict[str, Session] = {}
        self.renders: dict[str, dict[str, Any]] = {}
        self.requests: list[dict[str, Any]] = []
        self.resumes: list[str] = []
        self.uploaded_bytes: list[int] = []
        self.url = ""
        self.app = Starlette(routes=[
            Route("/api/auth/anonymous-token", self.anonymous_token, methods=["POST"]),
            Route("/api/tasks/me/with-session/nemo_agent", self.create_session, methods=["POST"]),
            Route("/api/upload-video/nemo_agent/me/{sid}", self.upload, methods=["POST"]),
            Route("/run_sse", self.run_sse, methods=["POST"]),
            Route("/api/state/nemo_agent/me/{sid}/latest", self.state),
            Route("/api/credits/balance/simple", self.credits),
            Route("/api/render/proxy/lambda", self.render, methods=["POST"]),
            Route("/api/render/proxy/lambda/{rid}", self.render_status),
            Route("/api/render/proxy/{rid}/download", self.download),
            Route("/files/{rid}.mp4", self.output_file),
        ])  # fmt: skip

    # the checks every call goes through --------------------------------------------------------------
    def _log(self, request: Request) -> None:
        self.requests.append({"path": request.url.path, "method": request.method, "headers": dict(request.headers)})

    def _refuse(self, request: Request) -> Response | None:
        """HTTP 429 while rate limited, 1001 for a bad or expired token."""
        self._log(request)
        if self.behaviour.rate_limit > 0:
            self.behaviour.rate_limit -= 1
            return JSONResponse({"code": 429, "message": "slow down"}, status_code=429)
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self.tokens or self.behaviour.expire_token > 0:
            self.behaviour.expire_token = max(0, self.behaviour.expire_token - 1)
            self.tokens.discard(token)
            return JSONResponse({"code": 1001, "message": "token expired"})
        return None

    def _session(self, sid: str) -> Session | Response:
        if sid not in self.sessions or self.behaviour.lose_session:
            self.behaviour.lose_session = False
            self.sessions.pop(sid, None)
            return JSONResponse({"code": 1002, "message": "session not found"})
        return self.sessions[sid]

    # calls --------------------------------------------------------------------------------------------
    async def anonymous_token(self, request: Request) -> Response:
        self._log(request)
        client_id = request.headers.get("x-client-id")
        if not client_id or self.behaviour.client_id_refused:
            self.behaviour.client_id_refused = False
            return JSONResponse({"code": 400, "message": "missing X-Client-Id"}, status_code=400)
        self.client_ids.append(client_id)
        token = "tok-" + uuid.uuid4().hex
        self.tokens.add(token)
        return JSONResponse({"code": 0, "data": {"token": token, "credits": 100}})

    async def create_session(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        body = await request.json()
        assert body == {"task_name": "project", "language": "en"}
        sid, task = "s" + uuid.uuid4().hex[:8], "t" + uuid.uuid4().hex[:8]
        self.sessions[sid] = Session(task)
        return JSONResponse({"code": 0, "data": {"task_id": task, "session_id": sid}})

    async def upload(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        session = self._session(request.path_params["sid"])
        if isinstance(session, Response):
            return session
        if self.behaviour.reject_format:
            return JSONResponse({"code": 4001, "message": "unsupported"})
        if self.behaviour.too_large:
            return JSONResponse({"code": 4002, "message": "too large"})
        if request.headers.get("content-type", "").startswith("application/json"):
            body = await request.json()
            assert body["source_type"] == "url" and body["urls"]
            self._add_video(session, Path(body["urls"][0]).stem, 10_000)
            return JSONResponse({"code": 0, "data": {"files": body["urls"]}})
        async with request.form(max_part_size=600 * 1024 * 1024) as form:
            upload = form["files"]
            assert not isinstance(upload, str)
            name = upload.filename or "upload.bin"
            assert Path(name).suffix.lower() in SUPPORTED
            target = self.folder / f"{uuid.uuid4().hex[:6]}-{name}"
            target.write_bytes(await upload.read())
        self.uploaded_bytes.append(target.stat().st_size)
        session.files.append(target)
        self._add_video(session, Path(name).stem, round(probe(target).duration_s * 1000))
        return JSONResponse({"code": 0, "data": {"files": [name]}})

    @staticmethod
    def _add_video(session: Session, name: str, ms: int) -> None:
        tracks = session.draft["t"]
        video = next((t for t in tracks if t["tt"] == 0), None)
        if video is None:
            video = {"tt": 0, "sg": [], "m": {}}
            tracks.insert(0, video)
        start = sum(s["d"] for s in video["sg"])
        video["sg"].append({"st": start, "d": ms, "m": {"name": name}})

    async def state(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        session = self._session(request.path_params["sid"])
        if isinstance(session, Response):
            return session
        return JSONResponse({"code": 0, "data": {"state": {
            "draft": session.draft, "video_infos": [{"name": f.name} for f in session.files],
            "canvas_config": {"aspect": "16:9", "width": 1920, "height": 1080}, "generated_media": []}}})  # fmt: skip

    async def credits(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        return JSONResponse({"code": 0, "data": {"available": 90, "frozen": 10, "total": 100}})

    # the chat -----------------------------------------------------------------------------------------
    async def run_sse(self, request: Request) -> Response:
        if self.behaviour.expire_token_on_run:
            self.behaviour.expire_token_on_run = False
            self.tokens.discard(request.headers.get("authorization", "").removeprefix("Bearer "))
        if refused := self._refuse(request):
            return refused
        assert "text/event-stream" in request.headers.get("accept", "")
        body = await request.json()
        assert body["app_name"] == "nemo_agent" and body["user_id"] == "me"
        if self.behaviour.lose_session_on_run:
            self.behaviour.lose_session_on_run = False
            self.sessions.pop(body["session_id"], None)
        session = self._session(body["session_id"])
        if isinstance(session, Response):
            return session
        if self.behaviour.no_credits:
            return JSONResponse({"code": 2001, "message": "no credits", "data": {"bind_id": "bind-42"}})
        resume_from = request.headers.get("last-event-id")
        if resume_from is None:  # a new message: a new run
            session.runs += 1
            session.events = self._script(session, body["new_message"]["parts"][0]["text"])
            start = 0
        else:
            self.resumes.append(resume_from)
            start = int(resume_from) + 1
        drop = self.behaviour.drops > 0
        if drop:
            self.behaviour.drops -= 1
        return StreamingResponse(self._stream(session.events, start, drop), media_type="text/event-stream")

    def _script(self, session: Session, text: str) -> list[str]:
        """The run's events as SSE blocks; the draft is edited as the agent would."""
        b = self.behaviour
        events = ["event: heartbeat\ndata: \n\n"] * b.heartbeats
        if b.heartbeats_only:
            return events + ["event: heartbeat\ndata: \n\n"] * 10_000
        video_ms = max((s["st"] + s["d"] for t in session.draft["t"] if t["tt"] == 0 for s in t["sg"]), default=0)
        calm = "calm" in text.lower()
        tracks = [t for t in session.draft["t"] if t["tt"] != 1]
        tracks.append({"tt": 1, "sg": [{"st": 0, "d": video_ms, "m": {"name": "Ambient" if calm else "Lo-fi",
                                                                      "volume": 0.35}}], "m": {}})  # fmt: skip
        session.draft["t"] = tracks
        adk: list[dict[str, Any]] = [
            {"author": "nemo_agent", "invocationId": "i1", "content": {"role": "model", "parts": [
                {"functionCall": {"name": "generate_bgm", "args": {"prompt": text}, "id": "c1"}}]}},
            {"author": "nemo_agent", "invocationId": "i1", "content": {"role": "model", "parts": [
                {"functionResponse": {"name": "generate_bgm", "response": {"ok": True}, "id": "c1"}}]}},
        ]  # fmt: skip
        if not b.silent:
            words = ["I added a ", "lo-fi track that fits the mood. ", 'Click the "Export" button to download it.']
            adk += [{"partial": True, "content": {"role": "model", "parts": [{"text": w}]}} for w in words]
            adk.append({"partial": False, "content": {"role": "model", "parts": [{"text": "".join(words)}]}})
            if b.second_stage:
                session.draft["t"].append({"tt": 7, "sg": [{"st": 0, "d": 3000, "m": {"text": "Hello"}}], "m": {}})
                stage_two = 'Stage two: added the title "Hello".'
                adk.append({"invocationId": "i2", "content": {"parts": [{"text": stage_two}]}})
            if b.trailing_issue:
                adk.append({"content": {"parts": [{"text": "I encountered a temporary issue."}]}})
        adk.append({"unknownField": {"x": 1}, "actions": {"stateDelta": {}}})  # ignorable
        events += [f"data: {json.dumps(e)}\n\n" for e in adk]
        events.insert(len(events) // 2, "data:\n\n")  # an empty data line: still working
        return events

    async def _stream(self, events: list[str], start: int, drop: bool) -> AsyncIterator[bytes]:
        for index in range(start, len(events)):
            block = events[index]
            if block.startswith("event: heartbeat"):
                await asyncio.sleep(self.behaviour.heartbeat_gap_s)
            yield f"id: {index}\n{block}".encode()
            if drop and index >= start + 2:
                raise ConnectionAbortedError("the double drops the stream")  # uvicorn cuts the response short

    # export -------------------------------------------------------------------------------------------
    async def render(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        if self.behaviour.plan_blocks_export or any(h.lower() not in request.headers for h in ATTRIBUTION):
            return JSONResponse({"code": 402, "message": "plan does not allow export"}, status_code=402)
        body = await request.json()
        assert body["id"].startswith("render_") and body["output"] == {"format": "mp4", "quality": "high"}
        session = self._session(body["sessionId"])
        if isinstance(session, Response):
            return session
        assert any(t["sg"] for t in body["draft"]["t"])
        fail = self.behaviour.fail_first_render
        self.behaviour.fail_first_render = False
        self.renders[body["id"]] = {"polls": 0, "fail": fail, "file": session.files[-1]}
        return JSONResponse({"code": 0, "data": {"id": body["id"], "status": "pending"}})

    async def render_status(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        render = self.renders[request.path_params["rid"]]
        render["polls"] += 1
        if render["fail"]:
            return JSONResponse({"status": "failed"})
        if render["polls"] < self.behaviour.render_polls:
            return JSONResponse({"status": "processing"})
        url = f"{self.url}/files/{request.path_params['rid']}.mp4"
        return JSONResponse({"status": "completed", "output": {"url": url}})

    async def output_file(self, request: Request) -> Response:
        self._log(request)
        if self.behaviour.broken_output_url:
            return JSONResponse({"message": "expired"}, status_code=404)
        return FileResponse(self.renders[request.path_params["rid"]]["file"], media_type="video/mp4")

    async def download(self, request: Request) -> Response:
        if refused := self._refuse(request):
            return refused
        return FileResponse(self.renders[request.path_params["rid"]]["file"], media_type="video/mp4")


@contextmanager
def serve(folder: Path) -> Iterator[NemoDouble]:
    """The double on a free loopback port, in a thread, for the length of the block."""
    double = NemoDouble(folder)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(double.app, log_level="critical", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    double.url = f"http://127.0.0.1:{port}"
    try:
        yield double
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
