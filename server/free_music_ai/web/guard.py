"""Who may use the page's server: its own page only, on the address it was started for.

Loopback by default. Every request must name one of the server's own addresses as its Host (a web page
elsewhere cannot reach 127.0.0.1 through a name it controls: DNS rebinding), every request that changes
something must come from the page's own origin (no cross-site request forgery), and with a token (required
when listening on another address) every request must carry it: in the ``X-FMAI-Token`` header, or in the
cookie set when the page is opened with ``?token=...`` or with the one-time ``?login=...`` the server printed.

The token itself is never printed: the printed address carries a login code that works once (a terminal's
scrollback, a shell history or a screen share shows a used code). Cookies do not isolate ports, so the cookie's
name carries the port: two of these servers on one machine never overwrite or take each other's token (a browser
still sends it to every port of the host; a header-only client, X-FMAI-Token, sends it nowhere else).
"""

from __future__ import annotations

import hmac
import secrets
import threading
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

    def __init__(self, app: ASGIApp, *, hosts: set[str], token: str | None, login_code: str | None = None) -> None:
        self.app = app
        self.hosts = hosts  # "name:port" the server answers to
        self.token = token
        self.cookie = token_cookie(hosts)
        self._login_code = login_code  # one use: set to None once a browser has logged in with it
        self._login_lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if self.token and _asks_login(request) and not self._logs_in(request):
            used = _refuse(request, 401, "This login address was used already (or never was one). Open the page "
                                         "with ?token= and the server's token, or restart the server for a new "
                                         "address.")  # fmt: skip
            await used(scope, receive, send)
            return
        if self.token and request.url.path == "/" and (request.query_params.get("token") or _asks_login(request)):
            # keep the token in a cookie only this site sends, and drop what opened the page from the bar
            response = Response(status_code=303, headers={"location": "/"})
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _logs_in(self, request: Request) -> bool:
        """Whether the request carries the unused login code (and uses it up)."""
        given = request.query_params.get("login", "")
        with self._login_lock:
            code = self._login_code
            if not given or code is None or not hmac.compare_digest(given.encode(), code.encode()):
                return False
            self._login_code = None
            return True

    def _refusal(self, request: Request) -> Response | None:
        host = request.headers.get("host", "")
        if host not in self.hosts:
            return PlainTextResponse("This server answers only to its own address.", status_code=421)
        if self.token and not self._has_token(request) and not _asks_login(request):  # a login is judged after
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
        given = request.headers.get(TOKEN_HEADER) or request.cookies.get(self.cookie) or ""
        if request.url.path == "/" and request.method == "GET":
            given = given or request.query_params.get("token", "")
        return hmac.compare_digest(given.encode(), self.token.encode())


def _refuse(request: Request, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status_code=status)
    return PlainTextResponse(message, status_code=status)


def _asks_login(request: Request) -> bool:
    return request.url.path == "/" and request.method == "GET" and bool(request.query_params.get("login"))


def token_cookie(hosts: set[str]) -> str:
    """The cookie's name on this server: its port in it (every name in ``hosts`` has the same port)."""
    ports = {name.rsplit(":", 1)[-1] for name in hosts}
    return f"{TOKEN_COOKIE}_{min(ports)}" if ports else TOKEN_COOKIE


def new_login_code() -> str:
    return secrets.token_urlsafe(18)


def is_loopback(host: str) -> bool:
    """Whether listening on ``host`` keeps the server to this machine."""
    return host in ("127.0.0.1", "localhost", "::1")


def own_hosts(host: str, port: int) -> set[str]:
    """The Host headers that name this server."""
    names = set(LOOPBACK_NAMES) if is_loopback(host) else {host, f"[{host}]"}
    return {f"{name}:{port}" for name in names}


Endpoint = Callable[[Request], Awaitable[Response]]
