"""Downloading a file a user linked to, without becoming a way into the user's own network.

An MCP host may pass along a link it read in a web page or a document (a prompt injection), so a link is
untrusted: it could name the cloud's metadata service (169.254.169.254), a router, or a port on this machine.
Every address a name resolves to, and every redirect's, is checked before connecting, and the connection
goes to the address that was checked (a name that resolves differently a second later changes nothing).
Every refusal and every network failure gives the same words, so the errors cannot map a network. The body is
streamed to a hidden file under a size cap and an overall deadline, and nothing is kept after a failure.
"""

from __future__ import annotations

import errno
import ipaddress
import secrets
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import httpcore2

from free_music_ai.engine.leftovers import note_partial
from free_music_ai.engine.render.output_path import discard, publish
from free_music_ai.errors import InputError, disk_error
from free_music_ai.service.file_names import plain_name

MAX_REDIRECTS = 5
DEADLINE_S = 300.0  # the whole download: a server that trickles a byte a second is cut off
READ_TIMEOUT_S = 30.0  # the longest silence between two pieces of the body
CONCURRENT = 4  # downloads at once, per process: each holds a worker thread
CHUNK = 1 << 20
DISK_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS})  # ours, not the server's
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_TYPES = {"video/mp4": ".mp4", "video/quicktime": ".mov", "video/webm": ".webm", "video/x-matroska": ".mkv",
          "video/x-msvideo": ".avi", "image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
          "image/webp": ".webp", "audio/mpeg": ".mp3", "audio/wav": ".wav", "audio/x-wav": ".wav",
          "audio/mp4": ".m4a", "audio/aac": ".aac"}  # fmt: skip


class _Refused(Exception):
    """An address or an answer we do not follow; the user sees the neutral error."""


def neutral_error(url: str) -> InputError:
    shown = url if len(url) <= 200 else url[:200] + "..."
    return InputError(
        f"Could not download {shown!r}: only files on public http(s) servers that answer in time can be fetched. "
        "Download it yourself and upload the file."
    )


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (IPv4 inside IPv6, as ::ffff:10.0.0.1, judged as IPv4)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is not None:
            ip = inner
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def is_local_network(address: str) -> bool:
    """Loopback and private addresses: what ``FMAI_ALLOW_LOCAL_URLS`` lets through (never 0.0.0.0 or multicast)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_loopback or ip.is_private or ip.is_link_local) and not (ip.is_unspecified or ip.is_multicast)


class _CheckedAddresses(httpcore2.SyncBackend):
    """Connects only to addresses that pass the check, and to exactly the address that was checked."""

    def __init__(self, allow_local: bool) -> None:
        super().__init__()
        self.allow_local = allow_local

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[Any] | None = None) -> Any:  # fmt: skip
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError):
            raise _Refused("the name does not resolve") from None
        addresses = [str(info[4][0]) for info in found]
        if not addresses or not all(self._allowed(a) for a in addresses):
            raise _Refused("an address is not public")  # every address must pass: no picking the harmless one
        return super().connect_tcp(addresses[0], port, timeout, local_address, socket_options)

    def _allowed(self, address: str) -> bool:
        return is_public(address) or (self.allow_local and is_local_network(address))


class Downloader:
    """The process's downloads: at most ``CONCURRENT`` at once, each checked, capped and cut off in time."""

    def __init__(self, max_bytes: int, allow_local: bool = False, deadline_s: float = DEADLINE_S) -> None:
        self.max_bytes = max_bytes
        self.allow_local = allow_local
        self.deadline_s = deadline_s
        self._slots = threading.BoundedSemaphore(CONCURRENT)

    def fetch(self, url: str, folder: Path) -> Path:
        """Download ``url`` into ``folder`` under a name of our own making; the path it got."""
        if not self._slots.acquire(blocking=False):
            raise InputError(f"{CONCURRENT} downloads are already running. Wait for them to finish, then try again.")
        try:
            return self._fetch(url, folder)
        finally:
            self._slots.release()

    def _fetch(self, url: str, folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        temp = note_partial(folder / f".download-{secrets.token_hex(6)}.part")
        deadline = time.monotonic() + self.deadline_s
        context = ssl.create_default_context()
        try:
            with httpcore2.ConnectionPool(ssl_context=context, network_backend=_CheckedAddresses(self.allow_local),
                                          max_connections=1, retries=0) as pool:  # fmt: skip
                current = url
                for _ in range(MAX_REDIRECTS + 1):
                    target = _checked_url(current)
                    location, kind = self._get(pool, target, temp, deadline)
                    if location is None:
                        return publish(temp, folder / _name_of(target, kind))
                    current = urllib.parse.urljoin(target, location)
                raise _Refused("too many redirects")
        except InputError:
            raise
        except OSError as exc:
            if exc.errno in DISK_ERRORS:
                raise disk_error(exc, "the download") from None
            raise neutral_error(url) from None
        except (_Refused, httpcore2.TimeoutException, httpcore2.NetworkError, httpcore2.ProtocolError,
                httpcore2.UnsupportedProtocol, ValueError):  # fmt: skip
            raise neutral_error(url) from None
        finally:
            discard(temp)

    def _get(self, pool: httpcore2.ConnectionPool, url: str, temp: Path, deadline: float) -> tuple[str | None, str]:
        """One request: the redirect's location, or None once the body is in ``temp``; and the content type."""
        timeout = _remaining(deadline)
        timeouts = {"connect": timeout, "read": min(READ_TIMEOUT_S, timeout), "write": timeout, "pool": timeout}
        headers = [(b"User-Agent", b"free-music-ai-generator"), (b"Accept", b"*/*")]
        with pool.stream("GET", url, headers=headers, extensions={"timeout": timeouts}) as response:
            found = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in response.headers}
            if response.status in _REDIRECTS:
                if "location" not in found:
                    raise _Refused("a redirect without a location")
                return found["location"], ""
            if response.status != 200:
                raise _Refused(f"status {response.status}")
            declared = found.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise self._too_large(url)
            size = 0
            with temp.open("wb") as out:
                for piece in response.iter_stream():
                    size += len(piece)
                    if size > self.max_bytes:
                        raise self._too_large(url)
                    out.write(piece)
                    _remaining(deadline)
            return None, found.get("content-type", "").split(";")[0].strip().lower()

    def _too_large(self, url: str) -> InputError:
        return InputError(f"The file at {url[:200]} is over {self.max_bytes // 1_000_000} MB. Trim or compress it.")


def _remaining(deadline: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Refused("out of time")
    return left


def _checked_url(url: str) -> str:
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise _Refused("not http(s)")
    _ = parts.port  # raises ValueError for a port out of range
    return urllib.parse.urlunsplit(_ascii(parts)._replace(fragment=""))


def _ascii(parts: urllib.parse.SplitResult) -> urllib.parse.SplitResult:
    """The link as the wire carries it: the host in IDNA, the rest percent-encoded. A host in other scripts is
    folded as a resolver would fold it ('①②⑦.0.0.1' is 127.0.0.1), so it meets the same address check."""
    if parts.geturl().isascii():
        return parts
    host = parts.hostname or ""
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise _Refused("a host name that has no ASCII form") from None
    netloc = ascii_host if ":" not in ascii_host else f"[{ascii_host}]"
    if parts.port is not None:
        netloc += f":{parts.port}"
    if parts.username is not None:
        login = urllib.parse.quote(parts.username, safe="")
        if parts.password is not None:
            login += ":" + urllib.parse.quote(parts.password, safe="")
        netloc = f"{login}@{netloc}"
    keep = "/%:@!$&'()*+,;=-._~"
    return parts._replace(netloc=netloc, path=urllib.parse.quote(parts.path, safe=keep),
                          query=urllib.parse.quote(parts.query, safe=keep + "?"))  # fmt: skip


def _name_of(url: str, content_type: str) -> str:
    """A plain file name from the link's last path part; its extension from the content type if the link
    has none."""
    raw = urllib.parse.unquote(urllib.parse.urlsplit(url).path)
    return plain_name(raw.rsplit("/", 1)[-1], "download", _TYPES.get(content_type, ".mp4"))
