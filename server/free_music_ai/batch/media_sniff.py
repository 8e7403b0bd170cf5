"""Which files a batch lists: videos and pictures known by their first bytes, the same rule for a folder on
disk and a prefix in object storage (where reading a few bytes is one small ranged request, and keys often
carry no extension at all)."""

from __future__ import annotations

from free_music_ai.engine.formats import IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, MediaKind

HEAD_BYTES = 16  # enough for every signature below

# the boxes an MP4/MOV file may open with (QuickTime writers do not always start with ftyp)
_MP4_FIRST_BOXES = {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pnot"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}  # an MP4 that says it holds sound only


def kind_of(head: bytes) -> MediaKind | None:
    """What the first bytes of a file say it is; None when they match nothing we know (damaged, or not media)."""
    if head[4:8] in _MP4_FIRST_BOXES:
        return MediaKind.AUDIO if head[4:8] == b"ftyp" and head[8:12] in _AUDIO_BRANDS else MediaKind.VIDEO
    if head[:4] == b"\x1a\x45\xdf\xa3" or (head[:4] == b"RIFF" and head[8:12] == b"AVI "):
        return MediaKind.VIDEO  # Matroska/WebM, AVI
    if head.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")):
        return MediaKind.IMAGE
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return MediaKind.IMAGE
    if (head[:4] == b"RIFF" and head[8:12] == b"WAVE") or head[:3] == b"ID3" or head[:4] == b"fLaC":
        return MediaKind.AUDIO
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0:
        return MediaKind.AUDIO  # an MPEG audio frame (MP3) or ADTS (AAC) with no tag before it
    return None


def is_batch_input(name: str, head: bytes) -> bool:
    """A video or picture by its bytes. A name that says video or picture, over bytes that say nothing we know,
    is listed too: the clip is damaged, and it fails alone with its reason rather than vanishing from the
    report. Hidden files (ours among them: markers, partial uploads) never are."""
    if name.startswith(".") or not name:
        return False
    kind = kind_of(head)
    if kind is not None:
        return kind in (MediaKind.VIDEO, MediaKind.IMAGE)
    suffix = name[name.rfind(".") :].lower() if "." in name else ""
    return suffix in VIDEO_EXTENSIONS | IMAGE_EXTENSIONS
