"""A batch job's side in object storage: its marker, the name its video takes, and the publishing of the video
and its licence, each uploaded whole under a temporary key and then moved to its final key.

The same steps as a local output folder's (job.py), in objects: the marker (``.fmai-batch/KEY.json`` under the
output prefix) names the output before anything is published, so a worker killed between the video and its
licence leaves names the next attempt reuses, never a "-1" copy beside them; and it is how any machine, with any
ledger or none, knows the clip is made.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from free_music_ai.batch import object_store
from free_music_ai.batch.licence_naming import name_licence
from free_music_ai.batch.object_store import join
from free_music_ai.errors import InputError
from free_music_ai.service.licence import SIDECAR_SUFFIX

MARKERS = ".fmai-batch"  # under the output prefix, as in a local output folder
UPLOADING = "uploading"  # under MARKERS: temporary keys, named after the job's key
MAX_SUFFIX = 999


def marker(output_dir_url: str, key: str) -> dict[str, Any] | None:
    data = object_store.read_bytes(join(join(output_dir_url, MARKERS), f"{key}.json"))
    try:
        found = json.loads(data) if data is not None else None
    except ValueError:
        return None
    return found if isinstance(found, dict) and isinstance(found.get("output"), str) else None


def mark(output_dir_url: str, key: str, *, name: str, input_url: str, state: str) -> None:
    record = {"output": name, "input": object_store.shown(input_url), "state": state}
    object_store.write_bytes(join(join(output_dir_url, MARKERS), f"{key}.json"), json.dumps(record).encode())


def published(output_dir_url: str, key: str) -> str | None:
    """The URL of the job's output when a worker already published it whole."""
    found = marker(output_dir_url, key)
    if found is None or found.get("state", "done") != "done":
        return None
    output = join(output_dir_url, str(found["output"]))
    return output if object_store.exists(output) else None


def publish(output_dir_url: str, key: str, *, input_url: str, made: Path, companions: dict[str, Path]) -> str:
    """Publish ``made`` and its companions (suffix -> file, the licence) under a name free for all of them;
    return the video's URL. The marker names it first, so a killed attempt's leftovers are this job's own."""
    unfinished = marker(output_dir_url, key)
    if unfinished is not None:
        name = str(unfinished["output"])
    else:
        name = _free_name(object_store.names_in(output_dir_url), made.name, tuple(companions))
        mark(output_dir_url, key, name=name, input_url=input_url, state="publishing")
    stem = name[: -len(made.suffix)] if made.suffix and name.endswith(made.suffix) else name
    if SIDECAR_SUFFIX in companions:
        name_licence(companions[SIDECAR_SUFFIX], join(output_dir_url, name), stem + SIDECAR_SUFFIX)
    for final, local in [(name, made), *((stem + suffix, path) for suffix, path in companions.items())]:
        temporary = join(join(join(output_dir_url, MARKERS), UPLOADING), f"{key}-{secrets.token_hex(4)}-{final}")
        object_store.put_whole(local, join(output_dir_url, final), temporary)
    mark(output_dir_url, key, name=name, input_url=input_url, state="done")
    return join(output_dir_url, name)


def _free_name(taken: set[str], requested: str, companions: tuple[str, ...]) -> str:
    """The requested name, or the first ``name-N.mp4`` whose companions' names are free too (as free_name does
    in a folder)."""
    stem, dot, suffix = requested.rpartition(".")
    for n in range(MAX_SUFFIX + 1):
        name = requested if n == 0 else f"{stem}-{n}{dot}{suffix}"
        base = name[: -len(dot + suffix)] if dot else name
        if name not in taken and not any(base + companion in taken for companion in companions):
            return name
    raise InputError(f"Too many objects named like {requested} in the output prefix. Choose another -o.")


def sweep_uploads(output_dir_url: str, keys: set[str]) -> None:
    """Remove the temporary objects a lost worker of these jobs left (named after their keys)."""
    folder = join(join(output_dir_url, MARKERS), UPLOADING)
    object_store.remove([join(folder, name) for name in object_store.names_in(folder) if name[:24] in keys])
