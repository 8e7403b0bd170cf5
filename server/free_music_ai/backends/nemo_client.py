"""The NemoVideo cloud's HTTP calls, with the spec's error handling, on one httpx2 AsyncClient.

Every request carries the three attribution headers and, except the anonymous-token call, the bearer
token. The token is asked for on first use when none is configured, renewed once on 1001, and never
written to a log or an error message. Errors become our typed errors with the advice the spec gives.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
import httpx2
from pydantic import BaseModel, ValidationError

from free_music_ai.backends.choose import BackendChoice
from free_music_ai.backends.nemo_config import NemoConfig
from free_music_ai.backends.nemo_models import TokenData
from free_music_ai.errors import (
    SUPPORTED_FORMATS_TEXT,
    CloudError,
    FileTooLarge,
    NoCredits,
    PlanLimit,
    UnsupportedFormat,
)

log = logging.getLogger(__name__)
TIMEOUT = httpx2.Timeout(30.0, connect=10.0)
UPLOAD_TIMEOUT = httpx2.Timeout(600.0, connect=10.0)  # 500 MB on a slow line
Sleep = Callable[[float], Awaitable[None]]
M = TypeVar("M", bound=BaseModel)


class SessionGone(CloudError):
    """1002: the cloud no longer knows the session; the backend makes a new one."""


@dataclass
class Identity:
    """Who the client is: shared by every client of one backend, so a renewed token serves them all."""

    client_id: str
    token: str | None
    anonymous: bool = field(init=False)

    def __post_init__(self) -> None:
        self.anonymous = self.token is None


class NemoClient:
    def __init__(self, config: NemoConfig, *, identity: Identity | None = None,
                 transport: httpx2.AsyncBaseTransport | None = None, sleep: Sleep = anyio.sleep,
                 choice: BackendChoice | None = None) -> None:  # fmt: skip
        """``choice``: what chose the cloud; errors name it and the way back to the local engine."""
        self.config = config
        self.choice = choice or BackendChoice("nemo")
        self.identity = identity or Identity(config.client_id, config.token)
        self.sleep = sleep
        self.http = httpx2.AsyncClient(base_url=config.api_url, transport=transport, timeout=TIMEOUT,
                                       follow_redirects=True)  # fmt: skip

    async def aclose(self) -> None:
        await self.http.aclose()

    # headers and the token ------------------------------------------------------------------------------
    def attribution(self) -> dict[str, str]:
        c = self.config
        return {"X-Skill-Source": c.skill_name, "X-Skill-Version": c.skill_version, "X-Skill-Platform": c.platform}

    async def headers(self) -> dict[str, str]:
        if self.identity.token is None:
            await self.renew_token()
        return {**self.attribution(), "Authorization": f"Bearer {self.identity.token}"}

    async def renew_token(self) -> None:
        """An anonymous token for this client id (100 credits, 7 days)."""
        for attempt in range(2):
            response = await self._send("POST", "/api/auth/anonymous-token",
                                        {**self.attribution(), "X-Client-Id": self.identity.client_id})  # fmt: skip
            if response.status_code == 400 and attempt == 0:
                # the service did not take the client id: make a fresh one and ask once more
                self.identity.client_id = str(uuid.uuid4())
                continue
            try:
                token = TokenData.model_validate(self.data_or_raise(response, "getting a token")).token
            except ValidationError:
                raise CloudError("The NemoVideo service gave no token. Try again later, or set NEMO_TOKEN.") from None
            self.identity.token = token
            self.identity.anonymous = True
            return

    # one call -------------------------------------------------------------------------------------------
    async def call(self, method: str, path: str, what: str, *, json: Any = None,
                   files: Callable[[], Any] | None = None, timeout: httpx2.Timeout = TIMEOUT,
                   envelope: bool = True) -> dict[str, Any]:  # fmt: skip
        """One request with the spec's recoveries: a new token once on 1001 (or 401), one wait on 429."""
        renewed = waited = False
        while True:
            response = await self._send(method, path, await self.headers(), json=json,
                                        files=files() if files else None, timeout=timeout)  # fmt: skip
            if response.status_code == 429 and not waited:
                waited = True
                log.info("rate limited while %s: waiting %.0f s", what, self.config.retry_wait_s)
                await self.sleep(self.config.retry_wait_s)
                continue
            body = _json(response)
            code = body.get("code") if isinstance(body, dict) else None
            if (response.status_code == 401 or code == 1001) and not renewed:
                renewed = True
                self.identity.token = None  # a new anonymous token with the same client id, then once more
                continue
            if not envelope and response.status_code < 400 and code in (None, 0):
                return body if isinstance(body, dict) else {}
            return self.data_or_raise(response, what, body)

    async def _send(self, method: str, path: str, headers: dict[str, str], *, json: Any = None, files: Any = None,
                    timeout: httpx2.Timeout = TIMEOUT) -> httpx2.Response:  # fmt: skip
        try:
            return await self.http.request(method, path, headers=headers, json=json, files=files, timeout=timeout)
        except httpx2.TimeoutException:
            raise CloudError(f"The NemoVideo service at {self.config.api_url} did not answer in time. "
                             f"Try again in a minute. {self.choice.to_local}") from None  # fmt: skip
        except httpx2.TransportError as exc:
            raise CloudError(
                f"Cannot reach the NemoVideo service at {self.config.api_url} "
                f"({type(exc).__name__}). Check the connection. {self.choice.to_local}"
            ) from None

    async def call_as(self, model: type[M], method: str, path: str, *, what: str, **kwargs: Any) -> M:
        """``call``, with the answer checked against its model."""
        data = await self.call(method, path, what, **kwargs)
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            field = ".".join(str(p) for p in exc.errors()[0]["loc"]) if exc.errors() else "?"
            raise CloudError(f"The NemoVideo service gave an unexpected answer while {what} ({field}). Try again "
                             f"later. {self.choice.to_local}") from None  # fmt: skip

    def data_or_raise(self, response: httpx2.Response, what: str, body: Any = None) -> dict[str, Any]:
        """The envelope's data, or the typed error its code or HTTP status means."""
        body = _json(response) if body is None else body
        code = body.get("code") if isinstance(body, dict) else None
        message = str(body.get("message") or body.get("msg") or "") if isinstance(body, dict) else ""
        if response.status_code == 402:
            raise PlanLimit(
                "The NemoVideo plan does not allow this (it is not about credits). Register or upgrade "
                f"your plan at {self.config.web_url} to unlock export. {self.choice.to_local}"
            )
        if response.status_code == 429:
            raise CloudError("The NemoVideo service is rate limiting this client. Wait a few minutes and try again.")
        if code == 1001 or response.status_code == 401:
            raise CloudError("The NemoVideo token was refused even after renewing it. Check NEMO_TOKEN, or unset it "
                             "to get a new anonymous one.")  # fmt: skip
        if code == 1002:
            raise SessionGone("The NemoVideo session no longer exists.")
        if code == 2001:
            raise NoCredits(self._no_credits(body.get("data") if isinstance(body, dict) else None))
        if code == 4001:
            raise UnsupportedFormat(f"NemoVideo does not take this file. Supported: {SUPPORTED_FORMATS_TEXT}.")
        if code == 4002:
            raise FileTooLarge("The file is too large for NemoVideo (500 MB at most). Compress it or trim it first.")
        if response.status_code >= 400 or code not in (0, None) or not isinstance(body, dict):
            detail = f"code {code}" if code not in (0, None) else f"HTTP {response.status_code}"
            raise CloudError(f"The NemoVideo service failed while {what} ({detail}{': ' + message if message else ''})."
                             f" Try again. {self.choice.to_local}")  # fmt: skip
        data = body.get("data")
        return data if isinstance(data, dict) else {}

    def _no_credits(self, data: Any) -> str:
        if self.identity.anonymous:
            bind = data.get("bind_id") if isinstance(data, dict) and data.get("bind_id") else self.identity.client_id
            return (f"The free NemoVideo credits are used up. Register to get more: {self.config.web_url}/register"
                    f"?bind={bind} (your work stays with you). {self.choice.to_local}")  # fmt: skip
        return f"Your NemoVideo account has no credits left. Top up your account. {self.choice.to_local}"

    # downloads ------------------------------------------------------------------------------------------
    async def download(self, url: str, target: Path, with_auth: bool) -> None:
        """Stream ``url`` into ``target`` (an absolute URL, or a path on the API)."""
        headers = await self.headers() if with_auth else self.attribution()
        try:
            async with self.http.stream("GET", url, headers=headers, timeout=UPLOAD_TIMEOUT) as response:
                if response.status_code >= 400:
                    raise CloudError(f"The download failed (HTTP {response.status_code}).")
                with target.open("wb") as handle:
                    async for chunk in response.aiter_bytes(1 << 20):
                        handle.write(chunk)
        except httpx2.TransportError as exc:
            raise CloudError(f"The download was interrupted ({type(exc).__name__}).") from None


def _json(response: httpx2.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
