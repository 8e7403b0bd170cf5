"""A file sent by the page as the raw body of one request, streamed to disk under the size limit.

The page sends each file as it is (``PUT /api/upload?name=clip.mp4``): no multipart parsing, and the browser
reports upload progress. The body never sits whole in memory; a body over the limit, or one cut short, leaves
nothing behind.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from starlette.requests import ClientDisconnect, Request

from free_music_ai.engine.leftovers import note_partial
from free_music_ai.engine.render.output_path import discard, publish
from free_music_ai.errors import FileTooLarge, InputError, disk_error
from free_music_ai.service.file_names import plain_name


async def receive_file(request: Request, folder: Path, name: str, *, max_bytes: int) -> Path:
    """Save the request's body in ``folder`` under a plain form of ``name``; the path it got."""
    safe = plain_name(name)
    too_large = f"{safe} is over the {max_bytes // 1_000_000} MB limit. Trim or compress it."
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FileTooLarge(too_large)
    folder.mkdir(parents=True, exist_ok=True)
    temp = note_partial(folder / f".upload-{secrets.token_hex(6)}.part")
    size = 0
    try:
        with temp.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > max_bytes:
                    raise FileTooLarge(too_large)
                out.write(chunk)
        if size == 0:
            raise InputError(f"{safe} arrived empty. Choose the file again.")
        return publish(temp, folder / safe)
    except ClientDisconnect:
        raise InputError(f"The upload of {safe} was cut short. Try again.") from None
    except OSError as exc:
        raise disk_error(exc, "the upload") from None
    finally:
        discard(temp)
