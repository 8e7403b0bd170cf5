"""``free-music-ai web``: the page for creators without an MCP host, served on this machine."""

from __future__ import annotations

import ipaddress
import os
import secrets
import socket
from typing import Annotated

import typer

from free_music_ai.cli.support import friendly_errors
from free_music_ai.errors import ConfigError


@friendly_errors
def web(
    host: Annotated[str, typer.Option(help="Address to listen on (this machine only by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free one).", min=0, max=65535)] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in the browser.")] = False,
    token: Annotated[
        str | None,
        typer.Option(help="Required to listen beyond this machine (or FMAI_WEB_TOKEN); every request must carry it."),
    ] = None,
) -> None:
    """Serve the web page: drop a video, describe the music, download the video with its music."""
    import uvicorn

    from free_music_ai.config import load_settings
    from free_music_ai.web.app import create_app
    from free_music_ai.web.guard import is_loopback, own_hosts

    token = token or os.environ.get("FMAI_WEB_TOKEN") or None
    if not is_loopback(host) and not token:
        raise ConfigError(f"Listening on {host} lets other machines in: give --token (or FMAI_WEB_TOKEN), a long "
                          f"random word, for example --token {secrets.token_urlsafe(16)}")  # fmt: skip
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
    app = create_app(settings, own_hosts(host, bound), token)
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    address = f"http://{'127.0.0.1' if host == 'localhost' else shown}:{bound}/" + (f"?token={token}" if token else "")
    typer.echo(f"free-music-ai web page: {address}  (Ctrl+C to stop)", err=False)
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    config = uvicorn.Config(app, log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False
