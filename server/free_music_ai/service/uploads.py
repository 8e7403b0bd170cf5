"""Uploads into a project: files given as data saved under names of our own, and each upload laid on the
timeline (pictures and videos as clips, a song as the music)."""

from __future__ import annotations

import binascii
import secrets
from pathlib import Path

from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.leftovers import note_partial
from free_music_ai.engine.render.output_path import discard, publish
from free_music_ai.errors import InputError, disk_error
from free_music_ai.project.model import Clip, Music, Project
from free_music_ai.service.file_names import plain_name
from free_music_ai.service.media_cache import IMAGE_SECONDS
from free_music_ai.service.store import AssetRow

DECODE_CHARS = 4 * 1024 * 1024  # base64 decoded at a time (a multiple of 4: each piece decodes alone)


def save_inline(folder: Path, name: str, data_base64: str, *, max_bytes: int) -> Path:
    """A file sent as base64 text, decoded a piece at a time into ``folder`` (the file's bytes are never all in
    memory beside the text) and saved under a plain form of its name (a new one when it is taken), never
    half-written under that name (a full disk or bad base64 leaves nothing)."""
    safe = plain_name(name)
    if len(data_base64) // 4 * 3 > max_bytes + 2:
        raise InputError(f"{safe} is over the {max_bytes // 1_000_000} MB limit. Trim or compress it.")
    folder.mkdir(parents=True, exist_ok=True)
    temp = note_partial(folder / f".upload-{secrets.token_hex(6)}.part")
    try:
        with temp.open("wb") as out:
            for at in range(0, len(data_base64), DECODE_CHARS):
                out.write(binascii.a2b_base64(data_base64[at : at + DECODE_CHARS], strict_mode=True))
        return publish(temp, folder / safe)
    except (binascii.Error, ValueError):
        raise InputError(f"The content of {safe} is not valid base64. Send the file's bytes base64-encoded, or "
                         "its path.") from None  # fmt: skip
    except OSError as exc:
        raise disk_error(exc, "the upload") from None
    finally:
        discard(temp)


def clip_of(asset: AssetRow, image_seconds: float = IMAGE_SECONDS) -> Clip:
    image = asset.kind == MediaKind.IMAGE.value
    seconds = image_seconds if image else float(asset.info["duration_s"])
    return Clip(asset=asset.id, name=Path(asset.name).stem, path=asset.path, kind="image" if image else "video",
                has_audio=asset.info.get("audio") is not None, duration_ms=round(seconds * 1000))  # fmt: skip


def place(project: Project, assets: list[AssetRow]) -> None:
    """Videos and pictures after the clips already there; a song becomes the music (the user's own), under
    the videos' own sound at the usual level, alone at full level."""
    clips = list(project.clips)
    song: Music | None = None
    for asset in assets:
        if asset.kind == MediaKind.AUDIO.value:
            song = Music(name=asset.name, path=asset.path, user=True,
                         duration_ms=round(float(asset.info["duration_s"]) * 1000))  # fmt: skip
        else:
            clips.append(clip_of(asset))
    project.clips = project.laid_out(clips)
    if song is not None:
        song.volume = project.music_level
        project.music = song
