"""The files an export wrote, kept as the job's own record: each one's exact path and what it was when written
(size, modification time, file id), so that a file deleted since, or another file put under the same name later
(a new export taking a freed name), is told apart from the job's own and never served as the job's.

Kinds: ``video``, ``licence``, ``midi`` and ``stem:<part>``. Jobs recorded before this record existed have
only their paths (``legacy``): those are trusted while a file is there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from free_music_ai.engine.render.models import EarlierPicture
    from free_music_ai.service.store import RenderRow

VIDEO, LICENCE, MIDI, STEM = "video", "licence", "midi", "stem:"
WHAT = {VIDEO: "video", LICENCE: "licence", MIDI: "MIDI file"}


def fingerprint(path: Path) -> dict[str, Any]:
    """What identifies the file at ``path`` as it is now."""
    found = path.stat()
    return {"path": str(path), "size": found.st_size, "mtime_ns": found.st_mtime_ns, "file_id": found.st_ino}


def record_of(made: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The record of what an export made (``render_project``'s answer), taken right after it wrote them."""
    return {kind: fingerprint(Path(path)) for kind, path in _paths(made).items()}


def legacy_record(output: str | None, details: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The paths a job recorded before fingerprints were kept (its licence as it was named then)."""
    return {kind: {"path": path, "legacy": True} for kind, path in _paths({**details, "output": output}).items()}


def _paths(made: dict[str, Any]) -> dict[str, str]:
    paths = {VIDEO: made.get("output"), LICENCE: made.get("license"), MIDI: made.get("midi")}
    paths.update({STEM + str(part): path for part, path in (made.get("stems") or {}).items()})
    return {kind: str(path) for kind, path in paths.items() if path}


def is_intact(entry: dict[str, Any]) -> bool:
    """Whether the file the record names is still the one the job wrote."""
    try:
        found = Path(str(entry["path"])).stat()
    except (OSError, KeyError, ValueError):
        return False
    if entry.get("legacy"):
        return True
    now = (found.st_size, found.st_mtime_ns, found.st_ino)
    return now == (entry.get("size"), entry.get("mtime_ns"), entry.get("file_id"))


def files_of(row: RenderRow) -> tuple[dict[str, str], dict[str, str]]:
    """A done job's files that are still the ones it wrote (kind: path), and for each one that is not, what to say."""
    if row.status != "done":
        return {}, {}
    record = row.files or legacy_record(row.output, row.details)
    files = {kind: str(entry["path"]) for kind, entry in record.items() if is_intact(entry)}
    gone = {kind: gone_message(kind, str(entry["path"])) for kind, entry in record.items() if kind not in files}
    return files, gone


def reusable(row: RenderRow) -> bool:
    """A done job asked for again is that job while its video and every other file it wrote are still its own."""
    files, gone = files_of(row)
    return VIDEO in files and not gone


def earlier_pictures(rows: list[RenderRow]) -> list[EarlierPicture]:
    """The videos a session's done exports wrote, newest first, each with the picture key it was made with and
    its stamp when written: the pictures a new export of the same picture may copy instead of encoding. A video
    deleted or replaced since (or recorded without its stamp) is none of them."""
    from free_music_ai.engine.render.models import EarlierPicture, FileStamp

    found: list[EarlierPicture] = []
    for row in reversed(rows):
        entry, key = row.files.get(VIDEO), row.details.get("picture_key")
        if row.status != "done" or not key or entry is None or entry.get("legacy") or not is_intact(entry):
            continue
        try:
            stamp = FileStamp(size=entry["size"], mtime_ns=entry["mtime_ns"], file_id=entry["file_id"])
        except (KeyError, ValueError):  # a record this program did not write so: its picture is encoded anew
            continue
        found.append(EarlierPicture(path=Path(str(entry["path"])), stamp=stamp, picture_key=str(key)))
    return found


def name_of(kind: str) -> str:
    """The kind in words: "video", "licence", "bass stem"."""
    return f"{kind.removeprefix(STEM)} stem" if kind.startswith(STEM) else WHAT.get(kind, kind)


def gone_message(kind: str, path: str) -> str:
    return (f"This render's {name_of(kind)} ({Path(path).name}) is gone: it was deleted, moved or replaced on disk "
            "after the export. Export again to make it anew.")  # fmt: skip
