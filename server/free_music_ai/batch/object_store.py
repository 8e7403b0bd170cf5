"""Object storage for the batch (s3://, and any URL fsspec knows): a prefix listed, one object fetched or put,
and every failure said in words.

Credentials and the endpoint come from the standard environment (AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ...) through s3fs and botocore, on every machine that reads or writes: none
is ever put in a job, the ledger, a marker or a message. A URL is shown without its user part or query (a
pre-signed URL's query is a credential). s3fs comes with the cluster extra; without it, the local batch still
works and an s3:// URL says what to install.
"""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from free_music_ai.batch.media_sniff import HEAD_BYTES, is_batch_input
from free_music_ai.errors import ConfigError, InputError, MusicAIError

INSTALL = 'pip install "free-music-ai-generator[cluster]"'
_QUIET = ("botocore", "aiobotocore", "s3fs", "fsspec", "urllib3", "aiohttp")  # never at debug level, even with -v
# the names botocore and aiohttp give a request that never reached the endpoint (they are not OSErrors)
_UNREACHABLE = {"EndpointConnectionError", "ConnectTimeoutError", "ConnectionClosedError", "ClientConnectorError",
                "ServerDisconnectedError", "ConnectionRefusedError"}  # fmt: skip


@dataclass(frozen=True)
class RemoteObject:
    url: str
    name: str  # the last part of its key: the output is named after it and the seed made from it
    version: str  # its ETag (or what the store has instead) and size: a changed object is a new job


def is_remote(url: str) -> bool:
    """An object-storage URL, not a local path (``C:\\clips`` has a one-letter "scheme": a drive)."""
    scheme = urllib.parse.urlsplit(url).scheme
    return len(scheme) > 1 and scheme != "file"


def join(url: str, name: str) -> str:
    return f"{url.rstrip('/')}/{name}"


def name_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1]


def shown(url: str) -> str:
    """The URL as a message may show it: no user, password or query."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return urllib.parse.urlunsplit((parts.scheme, f"{host}:{parts.port}" if parts.port else host, parts.path, "", ""))


def endpoint() -> str:
    found = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    return shown(found) if found else "the default AWS endpoint"


def filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system for ``url`` and the path inside it."""
    scheme = urllib.parse.urlsplit(url).scheme
    for name in _QUIET:  # their debug lines carry signed request headers (the access key's id among them)
        logging.getLogger(name).setLevel(max(logging.getLogger(name).getEffectiveLevel(), logging.INFO))
    try:
        import fsspec.core
    except ImportError:
        raise ConfigError(f"{scheme}:// locations need the object-storage packages: {INSTALL}") from None
    try:
        fs, path = fsspec.core.url_to_fs(url)
    except ImportError:  # the scheme's own package (s3fs for s3://) is not installed
        hint = INSTALL if scheme in ("s3", "s3a") else f"install the fsspec package for {scheme}://"
        raise ConfigError(f"{scheme}:// locations need a package that is not installed: {hint}") from None
    except ValueError:
        raise InputError(f"Unknown storage {scheme}:// in {shown(url)}. Use s3://bucket/prefix/ or a local "
                         "folder.") from None  # fmt: skip
    return fs, str(path)


@contextlib.contextmanager
def said_in_words(url: str, doing: str) -> Iterator[None]:
    """The store's failures as InputErrors that say what to do next (the store's own text is not shown: it can
    carry request details)."""
    try:
        yield
    except MusicAIError:
        raise
    except FileNotFoundError as exc:
        if "bucket" in str(exc).lower():
            bucket = urllib.parse.urlsplit(url).hostname
            raise InputError(f"There is no bucket {bucket} at {endpoint()}. Check the bucket's name in "
                             f"{shown(url)} (and AWS_ENDPOINT_URL), or create the bucket.") from None  # fmt: skip
        raise InputError(f"Nothing at {shown(url)}. Check the path.") from None
    except PermissionError:
        raise InputError(f"Access denied to {shown(url)} (to {doing} it). Check the credentials in the environment "
                         "(AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE) and that they may "
                         f"{doing} there.") from None  # fmt: skip
    except Exception as exc:
        if _unreachable(exc):
            raise InputError(f"Cannot reach the object storage at {endpoint()}. Check AWS_ENDPOINT_URL and the "
                             "network, then run the batch again.") from None  # fmt: skip
        if isinstance(exc, OSError):
            raise InputError(f"The object storage would not {doing} {shown(url)} ({type(exc).__name__}). Check "
                             "the URL and your access, then run the batch again.") from None  # fmt: skip
        raise


def _unreachable(exc: BaseException | None) -> bool:
    seen = 0
    while exc is not None and seen < 10:  # the chain of causes (s3fs wraps botocore's errors)
        if {kind.__name__ for kind in type(exc).__mro__} & _UNREACHABLE:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def version_of(info: dict[str, Any]) -> str:
    tag = next((info[k] for k in ("ETag", "etag", "md5", "LastModified", "mtime", "created") if info.get(k)), "")
    return f"{str(tag).strip(chr(34))}:{info.get('size')}"


def list_media(url: str) -> list[RemoteObject]:
    """The videos and pictures under a prefix (its direct children, as a local folder's are listed), known by
    their first bytes, sorted by key; or the one object ``url`` names, taken as given (as a file named on the
    command line is: if it is no clip, its job says so)."""
    fs, path = filesystem(url)
    with said_in_words(url, "list"):
        fs.invalidate_cache()
        single = None if url.endswith("/") else _file_info(fs, path)
        if single is not None:
            return [RemoteObject(fs.unstrip_protocol(path), path.rsplit("/", 1)[-1], version_of(single))]
        entries = _children(fs, path)
        if not entries:
            raise InputError(f"No objects under {shown(url)}. Check the prefix (it is the part after the bucket, "
                             "ending in /).")  # fmt: skip
        named = sorted((p, info) for p, info in entries.items() if info.get("type", "file") == "file")
        candidates = [(p, info) for p, info in named if not p.rsplit("/", 1)[-1].startswith(".")]
        heads = fs.cat_ranges([p for p, _ in candidates], [0] * len(candidates), [HEAD_BYTES] * len(candidates),
                              on_error="return") if candidates else []  # fmt: skip
    found = [RemoteObject(fs.unstrip_protocol(p), p.rsplit("/", 1)[-1], version_of(info))
             for (p, info), head in zip(candidates, heads, strict=True)
             if is_batch_input(p.rsplit("/", 1)[-1], head if isinstance(head, bytes) else b"")]  # fmt: skip
    if not found:
        raise InputError(f"No videos or pictures among the {len(named)} objects under {shown(url)}. Check the "
                         "prefix.")  # fmt: skip
    return found


def _children(fs: Any, path: str) -> dict[str, dict[str, Any]]:
    """The entries directly under a prefix; none when it does not exist (a missing bucket is raised)."""
    try:
        return {str(info["name"]): info for info in fs.ls(path, detail=True)}
    except FileNotFoundError as exc:
        if "bucket" in str(exc).lower():
            raise
        return {}


def _file_info(fs: Any, path: str) -> dict[str, Any] | None:
    try:
        info: dict[str, Any] = fs.info(path)
    except FileNotFoundError as exc:
        if "bucket" in str(exc).lower():
            raise
        return None
    return info if info.get("type") == "file" else None


def fetch(url: str, version: str, target: Path) -> Path:
    """Download the object to ``target`` (a worker's own scratch), when it is still the version listed."""
    fs, path = filesystem(url)
    with said_in_words(url, "read"):
        fs.invalidate_cache(path)
        if version and version_of(fs.info(path)) != version:
            raise InputError(f"{name_of(url)} changed in the storage after the batch listed it. Run the batch "
                             "again to score the new version.")  # fmt: skip
        target.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(path, str(target))
    return target


def put_whole(local: Path, final_url: str, temporary_url: str) -> None:
    """Upload under a temporary key, then move to the final key: the final key never names a partial object
    (a worker killed mid-upload leaves only the temporary one, which its batch sweeps)."""
    fs, final = filesystem(final_url)
    _, temporary = filesystem(temporary_url)
    with said_in_words(final_url, "write"):
        try:
            fs.put_file(str(local), temporary)
            fs.mv(temporary, final)  # S3: a server-side copy, then the temporary object is deleted
        except BaseException:
            with contextlib.suppress(Exception):
                fs.rm_file(temporary)
            raise


def exists(url: str) -> bool:
    fs, path = filesystem(url)
    with said_in_words(url, "read"):
        fs.invalidate_cache(path)
        return bool(fs.exists(path))


def names_in(url: str) -> set[str]:
    """The names directly under a prefix (none when it does not exist yet)."""
    fs, path = filesystem(url)
    with said_in_words(url, "list"):
        fs.invalidate_cache()
        return {p.rstrip("/").rsplit("/", 1)[-1] for p in _children(fs, path)}


def read_bytes(url: str) -> bytes | None:
    fs, path = filesystem(url)
    with said_in_words(url, "read"):
        try:
            return bytes(fs.cat_file(path))
        except FileNotFoundError as exc:
            if "bucket" in str(exc).lower():
                raise
            return None


def write_bytes(url: str, data: bytes) -> None:
    """One PUT: an object store shows the whole object or none of it."""
    fs, path = filesystem(url)
    with said_in_words(url, "write"):
        fs.pipe_file(path, data)


def remove(urls: list[str]) -> None:
    for url in urls:
        fs, path = filesystem(url)
        with said_in_words(url, "delete"), contextlib.suppress(FileNotFoundError):
            fs.rm_file(path)


def check_writable(folder_url: str, hidden_folder: str) -> None:
    """Raises InputError (no bucket, access denied, endpoint unreachable) before any clip is rendered."""
    probe = join(join(folder_url, hidden_folder), f".write-check-{secrets.token_hex(6)}")
    write_bytes(probe, b"")
    remove([probe])
