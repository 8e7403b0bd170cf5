"""Outputs never overwrite and never appear half-written: render to a temporary name, then publish.

The final name is claimed with a hard link, which fails instead of replacing when the name is taken, so
two renders that race for the same name both keep their files (one gets a -N suffix). A file that others follow
(an MP4 and its licence, OUT.mp4 and OUT.license.json) takes only a name whose followers' names are free too: the
pair always keeps one name, never a -1 on one of them only.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from free_music_ai.engine.leftovers import note_partial, partial_done
from free_music_ai.errors import InputError

MAX_SUFFIX = 9999
NAME_BYTES = 255  # the longest file name most file systems take


def check_output_location(requested: Path, suffixes: tuple[str, ...] = (".mp4",)) -> Path:
    """Resolve the requested output and make sure its folder exists and is writable; say what to do if not.

    A name without one of ``suffixes`` gets the first of them.
    """
    path = with_suffix_of(requested.expanduser(), suffixes)
    if len(path.name.encode("utf-8")) > NAME_BYTES - 5:  # room for a "-9999" when the name is taken
        raise InputError(f"The output name is {len(path.name.encode('utf-8'))} bytes long; files here can have at "
                         f"most {NAME_BYTES - 5}. Choose a shorter name.")  # fmt: skip
    folder = path.parent if str(path.parent) else Path()
    if path.exists() and path.is_dir():
        raise InputError(
            f"{path} is a folder. Give a file name for the output, such as {path / ('out' + suffixes[0])}."
        )
    if not folder.exists():
        raise InputError(f"The output folder {folder} does not exist. Create it or choose another output path.")
    if not os.access(folder, os.W_OK):
        raise InputError(f"The output folder {folder} is not writable. Choose another output path.")
    return path.absolute()


def with_suffix_of(path: Path, suffixes: tuple[str, ...] = (".mp4",)) -> Path:
    """The name as it will be written: one of ``suffixes``, the first when it has none of them."""
    if path.suffix.lower() in suffixes:
        return path
    return path.with_name(path.name + suffixes[0]) if path.suffix == "" else path.with_suffix(suffixes[0])


def inside_if_folder(requested: Path, default_name: str) -> Path:
    """An output given as an existing folder means a file with the default name inside it (never a file
    named after the folder, beside it)."""
    return requested / default_name if requested.expanduser().is_dir() else requested


def default_name(stem: str, ending: str = "-music.mp4") -> str:
    """The output named after its first input (``clip-music.mp4``), shortened to fit any file system."""
    room = NAME_BYTES - 5 - len(ending.encode("utf-8"))
    return stem.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ending


PARTIAL_TAG = ".partial-"


def temporary_sibling(final: Path) -> Path:
    """A hidden name in the same folder (same file system, so publishing is a rename, never a copy), within
    the file system's name limit however long the final name is."""
    tag = f"{PARTIAL_TAG}{secrets.token_hex(4)}{final.suffix}"
    room = NAME_BYTES - len(("." + tag).encode("utf-8"))
    stem = final.stem.encode("utf-8")[:room].decode("utf-8", errors="ignore")
    return note_partial(final.with_name(f".{stem}{tag}"))


def partials_starting(folder: Path, prefix: str) -> list[Path]:
    """The hidden partial files ``temporary_sibling`` made in ``folder`` for final names that start with
    ``prefix`` (what a killed writer left)."""
    return [p for p in folder.glob(f".*{PARTIAL_TAG}*") if p.name[1:].split(PARTIAL_TAG)[0].startswith(prefix)]


def free_name(requested: Path, companions: tuple[str, ...] = ()) -> Path:
    """The requested path if free, else the first free ``name-N.mp4``; with ``companions`` (suffixes such as
    ".license.json"), only a name whose companions' names are free too."""
    for n in range(MAX_SUFFIX + 1):
        path = requested if n == 0 else requested.with_name(f"{requested.stem}-{n}{requested.suffix}")
        if not _taken(path, companions):
            return path
    raise InputError(f"Too many files named like {requested.name} in {requested.parent}. Choose another name.")


def _taken(path: Path, companions: tuple[str, ...]) -> bool:
    return path.exists() or any(path.with_suffix(suffix).exists() for suffix in companions)


def publish(temp: Path, requested: Path, *, companions: tuple[str, ...] = (), exact: bool = False) -> Path:
    """Give ``temp`` its final name without ever replacing an existing file; return the name it got. A name is
    taken only when its ``companions``' names (suffixes) are free too. ``exact``: that name or FileExistsError."""
    for n in range(1 if exact else MAX_SUFFIX + 1):
        target = requested if n == 0 else requested.with_name(f"{requested.stem}-{n}{requested.suffix}")
        if _taken(target, companions):
            continue
        try:
            os.link(temp, target)
        except FileExistsError:
            continue  # taken between the check and the link: try the next name
        except OSError:  # no hard links here (some network or FAT drives): fall back to a checked rename
            if target.exists():
                continue
            temp.replace(target)
            partial_done(temp)
            return target
        discard(temp)
        return target
    if exact:
        raise FileExistsError(requested)
    raise InputError(f"Too many files named like {requested.name} in {requested.parent}. Choose another name.")


def discard(temp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    partial_done(temp)
