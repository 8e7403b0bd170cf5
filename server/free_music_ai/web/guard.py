"""Who may use the page's server: its own page only, on the address it was started for.

Loopback by default. Every request must name one of the server's own addresses as its Host (a web page
elsewhere cannot reach 127.0.0.1 through a name it controls: DNS rebinding), every request that changes
something must come from the page's own origin (no cross-site request forgery), and with a token (required
when listening on another address) every request must carry it: in the ``X-FMAI-Token`` header, or in the
cookie set when the page is opened with ``?token=...``.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

TOKEN_COOKIE = "fmai_token"
TOKEN_HEADER = "x-fmai-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Guard:
    """ASGI middleware: the host, origin and token checks above, before any route runs."""

    def __init__(self, app: ASGIApp, hosts: set[str], token: str | None) -> None:
        self.app = app
        self.hosts = hosts  # "name:port" the server answers to
        self.token = token

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if self.token and request.query_params.get("token") and request.url.path == "/":
            # opened from the printed address: keep the token in a cookie only this site sends, drop it from the bar
            response = Response(status_code=303, headers={"location": "/"})
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return PlainTextResponse("This server answers only to its own address.", status_code=421)
        if self.token and not self._has_token(request):
            return _refuse(request, 401, "This server needs its token: open the address it printed (with ?token=).")
        if request.method not in SAFE_METHODS:
            origin = request.headers.get("origin")
            site = request.headers.get("sec-fetch-site")
            if origin is None and site is None:
                return _refuse(request, 403, "Changes are accepted from the page itself only.")
            if (origin is not None and origin != f"{request.url.scheme}://{host}") or site not in (None, "same-origin"):
                return _refuse(request, 403, "Changes are accepted from the page itself only.")
        return None

    def _has_token(self, request: Request) -> bool:
        assert self.token is not None
        given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
        if request.url.path == "/" and request.method == "GET":
            given = given or request.query_params.get("token", "")
        return hmac.compare_digest(given.encode(), self.token.encode())


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server to this machine."""
    return host in ("127.0.0.1", "localhost", "::1")


def own_hosts(host: str, port: int) -> set[str]:
    """The Host headers that name this server."""
    names = set(LOOPBACK_NAMES) if is_loopback(host) else {host, f"[{host}]"}
    return {f"{name}:{port}" for name in names}


Endpoint = Callable[[Request], Awaitable[Response]]
