"""One chat run on the NemoVideo cloud: the /run_sse stream read as the spec says.

- Each ``data:`` line is an ADK event. Text parts are the assistant's words (partial chunks are joined
  and a final repeat of the whole text is shown once); functionCall/functionResponse parts are internal.
- Heartbeats (a ``heartbeat`` event, or an empty ``data:``) mean still working: "still working" at most
  every 2 minutes, and ten minutes of nothing else is a time-out. A run never lasts over 15 minutes.
- The stream is read to its end, so a second stage (music and a title after a raw edit) finishes too.
- A dropped stream is resumed with Last-Event-ID (never sent again as a new message) up to 3 times,
  then the state is polled until it settles.
- A run that ends with no words: the reply says what changed in the draft.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2

from free_music_ai.backends.base import Event
from free_music_ai.backends.nemo_client import NemoClient
from free_music_ai.errors import CloudError, NoCredits

log = logging.getLogger(__name__)
MAX_RESUMES = 3
STREAM_TIMEOUT = httpx2.Timeout(30.0, connect=10.0, read=180.0)  # heartbeats come far more often than this
TEMPORARY_ISSUE = "i encountered a temporary issue"
TERMINAL = {"idle", "done", "completed", "finished", "failed", "error"}

StateReader = Callable[[], Awaitable[dict[str, Any]]]


@dataclass
class _Reader:
    """What the events so far said, and where the stream got to (for Last-Event-ID)."""

    texts: list[str] = field(default_factory=list)
    partial: str = ""
    last_id: str = ""
    last_content: float = field(default_factory=time.monotonic)
    last_notice: float = field(default_factory=time.monotonic)

    def take(self, event_name: str, data: str, event_id: str, now: float) -> list[Event]:
        if event_id:
            self.last_id = event_id
        if event_name == "heartbeat" or not data.strip():
            return []
        try:
            payload = json.loads(data)
        except ValueError:
            log.debug("ignored a non-JSON event (%d bytes)", len(data))
            return []
        if not isinstance(payload, dict) or payload.get("type") == "heartbeat":
            return []
        self.last_content = now
        code = payload.get("error_code") or payload.get("errorCode")
        if code:
            _raise_for(code, str(payload.get("error_message") or payload.get("errorMessage") or ""))
        out: list[Event] = []
        parts = (payload.get("content") or {}).get("parts") or []
        for part in parts if isinstance(parts, list) else []:
            if not isinstance(part, dict):
                continue
            if isinstance(part.get("text"), str):
                self._text(part["text"], bool(payload.get("partial")))
            for kind in ("functionCall", "functionResponse"):
                if isinstance(part.get(kind), dict):
                    out.append(Event("internal", str(part[kind].get("name", "tool")), data={"kind": kind}))
        return out

    def _text(self, text: str, partial: bool) -> None:
        if partial:
            self.partial += text
            return
        whole = text if not self.partial or text.strip() == self.partial.strip() else self.partial + text
        self.partial = ""
        if whole.strip():
            self.texts.append(whole.strip())

    def finish(self) -> list[str]:
        if self.partial.strip():  # a stream that ended on chunks without the final event: keep what came
            self.texts.append(self.partial.strip())
            self.partial = ""
        return self.texts


def _raise_for(code: Any, message: str) -> None:
    if str(code) in ("2001", "INSUFFICIENT_CREDITS"):
        raise NoCredits("The NemoVideo credits are used up. Register or top up, or use the local engine (free).")
    raise CloudError(f"The NemoVideo agent stopped with an error ({code}{': ' + message if message else ''}). "
                     "Try the request again in other words, or use the local engine.")  # fmt: skip


async def run_message(client: NemoClient, session_id: str, text: str, *, read_state: StateReader,
                      clock: Callable[[], float] = time.monotonic) -> AsyncIterator[Event]:  # fmt: skip
    """Send one message and yield its events; the last is ``done`` with the run's texts."""
    config = client.config
    body = {"app_name": "nemo_agent", "user_id": "me", "session_id": session_id,
            "new_message": {"parts": [{"text": text}]}}  # fmt: skip
    reader = _Reader(last_content=clock(), last_notice=clock())
    started = clock()
    resumes = 0
    renewed = False
    while True:
        headers = await client.headers()
        if reader.last_id:
            headers["Last-Event-ID"] = reader.last_id
        try:
            async with client.http.sse("/run_sse", method="POST", json=body, headers=headers,
                                       timeout=STREAM_TIMEOUT) as source:  # fmt: skip
                kind = source.response.headers.get("content-type", "")
                if source.response.status_code >= 400 or not kind.startswith("text/event-stream"):
                    # an envelope instead of a stream: an error code (1001, 1002, 2001...) or a refusal
                    await source.response.aread()
                    if _token_refused(source.response) and not renewed:
                        # the token expired between the session and the message: the spec's recovery is a new
                        # anonymous token and the message sent once more (nothing ran, so nothing runs twice)
                        renewed = True
                        await client.renew_token()
                        continue
                    client.data_or_raise(source.response, "sending the message")
                    raise CloudError("The NemoVideo service answered the message without a stream. Try again.")
                async for sse in source:
                    now = clock()
                    for event in reader.take(sse.event, sse.data, sse.id, now):
                        yield event
                    if now - started > config.run_limit_s:
                        raise CloudError("The NemoVideo agent took over 15 minutes. Ask for the state to see what "
                                         "it did, then try again.")  # fmt: skip
                    if now - reader.last_content > config.heartbeat_limit_s:
                        raise CloudError("The NemoVideo agent sent only 'still working' for 10 minutes: treated as "
                                         "timed out. Ask for the state to see what it did.")  # fmt: skip
                    if min(now - reader.last_notice, now - reader.last_content) >= config.notice_every_s:
                        reader.last_notice = now
                        yield Event("progress", "Still working...", None)
            break
        except (httpx2.RemoteProtocolError, httpx2.ReadError, httpx2.ReadTimeout, httpx2.SSEError) as exc:
            if resumes >= MAX_RESUMES:
                log.info("stream dropped %d times (%s): polling the state", resumes + 1, type(exc).__name__)
                await _poll_until_settled(client, read_state, started, clock)
                break
            resumes += 1
            log.info("stream dropped (%s): resuming from event %r", type(exc).__name__, reader.last_id)
            await client.sleep(config.reconnect_wait_s)
    yield Event("done", data={"texts": _meaningful(reader.finish())})


def _token_refused(response: httpx2.Response) -> bool:
    try:
        body = response.json()
    except ValueError:
        body = None
    return response.status_code == 401 or (isinstance(body, dict) and body.get("code") == 1001)


def _meaningful(texts: list[str]) -> list[str]:
    """A trailing 'I encountered a temporary issue' after normal replies is noise."""
    while len(texts) > 1 and TEMPORARY_ISSUE in texts[-1].lower():
        texts = texts[:-1]
    return texts


async def _poll_until_settled(client: NemoClient, read_state: StateReader, started: float,
                              clock: Callable[[], float]) -> None:  # fmt: skip
    """After three failed resumes: read the state every 5 s until it says it is done or stops changing."""
    previous: str | None = None
    while clock() - started < client.config.run_limit_s:
        state = await read_state()
        status = str(state.get("status") or "").lower()
        draft = json.dumps(state.get("draft"), sort_keys=True)
        if status in TERMINAL or (not status and draft == previous):
            return
        previous = draft
        await client.sleep(client.config.state_poll_s)
    raise CloudError("The NemoVideo agent did not finish within 15 minutes. Ask for the state to see what it did.")
