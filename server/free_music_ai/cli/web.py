"""``free-music-ai web``: the page for creators without an MCP host, served on this machine."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
from pathlib import Path
from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors
from free_music_ai.errors import ConfigError


@friendly_errors
def web(
    *,
    host: Annotated[str, typer.Option(help="Address to listen on (this machine only by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).", min=0, max=65535)] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the browser.")] = False,
    token_file: Annotated[
        Path | None,
        typer.Option(
            help="A file holding the token every request must carry (or FMAI_WEB_TOKEN); required to "
            "listen beyond this machine.",
            dir_okay=False,
        ),
    ] = None,
    token: Annotated[str | None, typer.Option(hidden=True)] = None,
) -> None:
    """Serve the web page: drop a video, describe the music, download the video with its music."""
    import uvicorn

    from free_music_ai.config import load_settings
    from free_music_ai.web.app import create_app
    from free_music_ai.web.guard import is_loopback, new_login_code, own_hosts

    if token is not None:  # on the command line, every user of this machine reads it (ps, /proc)
        raise ConfigError("Give the token in a file (--token-file PATH) or in FMAI_WEB_TOKEN, not on the command "
                          "line, where every user of this machine can read it.")  # fmt: skip
    token = _read_token(token_file) if token_file is not None else os.environ.get("FMAI_WEB_TOKEN") or None
    if not is_loopback(host) and not token:
        raise ConfigError(f"Listening on {host} lets other machines in: give a token, a long random word, in a file "
                          f"(--token-file PATH) or in FMAI_WEB_TOKEN, for example: "
                          f"{secrets.token_urlsafe(16)}")  # fmt: skip
    family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"Cannot listen on {host}:{port} ({exc.strerror}). Choose another --port.") from None
    sock.listen(128)  # the address is printed only once a browser can connect to it
    bound = sock.getsockname()[1]
    settings = load_settings()
    login_code = new_login_code() if token else None
    app = create_app(settings, own_hosts(host, bound), token=token, login_code=login_code)
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    # the token is never printed: the address carries a login code that works once
    address = f"http://{'127.0.0.1' if host == 'localhost' else shown}:{bound}/" + (
        f"?login={login_code}" if login_code else ""
    )
    once = "  (the link works once; later, add ?token= and the token)" if login_code else ""
    typer.echo(f"free-music-ai web page: {address}  (Ctrl+C to stop){once}", err=False)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


MAX_TOKEN_BYTES = 4096  # a token is a word: a path to /dev/zero or a video is not read to its end


def _read_token(path: Path) -> str:
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_TOKEN_BYTES + 1)
        token = raw.decode("utf-8").strip()
    except (OSError, UnicodeError) as exc:
        raise ConfigError(f"Cannot read the token file {path} ({exc}). Check the path.") from None
    if len(raw) > MAX_TOKEN_BYTES:
        raise ConfigError(f"{path} is not a token file: it holds more than {MAX_TOKEN_BYTES} bytes. Give a file that "
                          "holds only the token.")  # fmt: skip
    if len(token) < 12 or not token.isprintable() or " " in token:
        raise ConfigError(f"The token in {path} is too short or has spaces: use a long random word of 12 or more "
                          f"letters, for example {secrets.token_urlsafe(16)}")  # fmt: skip
    return token


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False
