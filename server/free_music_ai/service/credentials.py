"""Content Credentials: a C2PA manifest signed into every MP4 and WAV we write, before it gets its name.

The manifest says, in the form platforms read, what the sidecar says for people: the music was made by an
algorithm (the C2PA ``c2pa.created`` action with IPTC's ``algorithmicMedia``), by which engine and version,
with which seed and spec, under which licence, and the SHA-256 of its samples. Signing is not byte for byte
the same twice, so the proof of where the music came from hashes the samples, which a replay of the spec
makes again (``free-music-ai verify``). Music the user brought is named as an ingredient, never as generated.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import json
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai import __version__
from free_music_ai.engine.leftovers import partial_done
from free_music_ai.engine.render.output_path import temporary_sibling
from free_music_ai.errors import ConfigError, RenderError, disk_error
from free_music_ai.service.licence import GENERATED_LICENCE, USER_MUSIC, file_sha256, font_record

if TYPE_CHECKING:
    import numpy as np

    from free_music_ai.config import Settings
    from free_music_ai.engine.music.produce import Music as ProducedMusic
    from free_music_ai.engine.sound_stream import SoundStream
    from free_music_ai.project.model import Music
    from free_music_ai.service.media_cache import MediaCache
    from free_music_ai.service.signing_identity import SigningIdentity

ENGINE = "free-music-ai-generator"
MUSIC_LABEL = "org.free-music-ai.music"  # its spec is JSON text: C2PA's CBOR does not keep every JSON list as one
ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/algorithmicMedia"
COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/composite"  # a file made only of the user's media
PCM_FORMAT = "24-bit signed little-endian, interleaved stereo: round(clip(sample, -1, 1) * 8388607)"
PCM_FULL_SCALE = 8_388_607
MIME_TYPES = {".mp4": "video/mp4", ".m4a": "audio/mp4", ".wav": "audio/wav", ".flac": "audio/flac"}

SIGN_BUFFER = 4 << 20
Seal = Callable[[Path], None]  # signs a finished file where it lies, before it is published


@dataclass(frozen=True)
class MusicRecord:
    """What a file's manifest says about its music: generated from a spec (replayable), or the user's file."""

    spec: dict[str, Any] | None = None  # the MusicSpec, when generated
    soundfont: dict[str, Any] | None = None  # licence.font_record: what a replay plays the music with
    target_lufs: float = -14.0
    mastered: bool = True  # produce(finish=...): an export's music is mastered again in the mix, so not here
    part: str | None = None  # a stem: the part's name
    with_stems: bool = False  # produce(keep_stems=...): the parts had their own buses when it was played
    user_file: Path | None = None  # the user's own song, when it is theirs
    details: dict[str, Any] = field(default_factory=dict)  # genre, bpm, key, mode

    @property
    def generated(self) -> bool:
        return self.spec is not None


def pcm_sha256(blocks: Iterable[np.ndarray]) -> str:
    """The SHA-256 of (n, 2) float blocks as 24-bit PCM (PCM_FORMAT): the samples, whatever file holds them."""
    import numpy as np

    digest = hashlib.sha256()
    for block in blocks:
        frames = np.asarray(block, dtype=np.float32)  # as the music is stored: the same values from any source
        pcm = np.rint(np.clip(frames.astype(np.float64), -1.0, 1.0) * PCM_FULL_SCALE).astype("<i4")
        digest.update(np.ascontiguousarray(pcm).tobytes())
    return digest.hexdigest()


def array_blocks(audio: np.ndarray, step: int = 1 << 17) -> Iterator[np.ndarray]:
    """An (n, 2) array (in memory or mapped from a file) a block at a time."""
    for start in range(0, len(audio), step):
        yield audio[start : start + step]


def manifest(record: MusicRecord, pcm_hash: str | None, title: str) -> dict[str, Any]:
    """The manifest definition c2pa's Builder signs."""
    agent = {"name": ENGINE, "version": __version__}
    music: dict[str, Any] = {"engine": ENGINE, "version": __version__}
    ingredients: list[dict[str, Any]] = []
    if record.generated:
        source_type = ALGORITHMIC_MEDIA
        spec = record.spec or {}
        music |= {"music_source": "generated", "statement": GENERATED_LICENCE, "seed": spec.get("seed"),
                  "spec": json.dumps(spec, sort_keys=True), "soundfont": record.soundfont,
                  "target_lufs": record.target_lufs, "mastered": record.mastered, "part": record.part,
                  "with_stems": record.with_stems,
                  "details": record.details, "pcm_sha256": pcm_hash, "pcm_format": PCM_FORMAT}  # fmt: skip
    else:
        source_type = COMPOSITE
        music |= {"music_source": "user" if record.user_file else "none", "statement": USER_MUSIC if record.user_file
                  else "This file has no music made by free-music-ai-generator."}  # fmt: skip
        if record.user_file is not None:
            found = record.user_file
            music["music_file"] = {"name": found.name, "sha256": file_sha256(found) if found.is_file() else None}
            kind = MIME_TYPES.get(found.suffix.lower(), "application/octet-stream")
            ingredients.append({"title": found.name, "relationship": "componentOf", "format": kind})
    return {
        "claim_generator_info": [agent],
        "title": title,
        "ingredients": ingredients,
        "assertions": [
            {"label": "c2pa.actions", "data": {"actions": [
                {"action": "c2pa.created", "digitalSourceType": source_type, "softwareAgent": agent}]}},
            {"label": MUSIC_LABEL, "data": music},
        ],
    }  # fmt: skip


def seal_for(settings: Settings, record: MusicRecord | None, pcm_hash: Callable[[], str] | None) -> Seal | None:
    """What signs a file whose music ``record`` describes (``pcm_hash`` gives its samples' hash), or None when
    Content Credentials are off. The signer is settled here, so a bad key is said before any work starts."""
    if not settings.content_credentials:
        return None
    from free_music_ai.service.signing_identity import signing_identity

    identity = signing_identity(settings)
    if not identity.local:
        check_can_sign(identity)
    _load_c2pa_beside()
    chosen = record or MusicRecord()

    def seal(path: Path) -> None:
        hashed = pcm_hash() if chosen.generated and pcm_hash is not None else None
        sign_in_place(path, manifest(chosen, hashed, path.name), identity)

    return seal


def _load_c2pa_beside() -> None:
    """Load C2PA's library in a thread while the file is made (50 ms of the seal's time otherwise)."""
    if "c2pa" not in sys.modules:
        threading.Thread(target=importlib.import_module, args=("c2pa",), name="c2pa-load", daemon=True).start()


@functools.cache
def _signed_before(identity: SigningIdentity) -> bool:
    """Sign a tenth of a second of silence in memory: C2PA's checks of a certificate run only when it signs."""
    import io

    import c2pa
    import numpy as np
    import soundfile

    silence = io.BytesIO()
    soundfile.write(silence, np.zeros((4800, 2), dtype=np.float32), 48_000, format="WAV", subtype="PCM_24")
    silence.seek(0)
    with identity.c2pa_signer() as signer, c2pa.Builder(manifest(MusicRecord(), None, "check.wav")) as builder:
        builder.sign(signer, "audio/wav", silence, io.BytesIO())
    return True


def check_can_sign(identity: SigningIdentity) -> None:
    """Refuse, in words, a key and certificate C2PA will not sign with, before any file is rendered."""
    import c2pa

    try:
        _signed_before(identity)
    except c2pa.C2paError as exc:
        raise ConfigError(f"The signing certificate cannot sign Content Credentials ({exc}). C2PA needs a "
                          "certificate issued by an authority (not self-signed), for digital signatures, with the "
                          "email protection or document signing usage; or use --no-credentials.") from None  # fmt: skip


def sign_in_place(path: Path, definition: dict[str, Any], identity: SigningIdentity) -> None:
    """Sign ``path`` (a hidden file not yet published): an MP4 where it lies, other files by a signed copy written
    beside it, which then takes its place. No timestamp authority is asked: nothing leaves the machine."""
    import c2pa

    from free_music_ai.service.appended_manifest import sign_by_appending

    mime = MIME_TYPES.get(path.suffix.lower())
    if mime is None:
        return  # a kind of file C2PA has no place for in this program (MIDI): its sidecar speaks for it
    try:
        # an MP4: its manifest after its last box; WAV and FLAC (C2PA's library cannot hand out their manifest
        # to embed), or an MP4 that cannot take a box at its end: a signed copy
        if not sign_by_appending(path, definition, identity, mime=mime):
            _sign_a_copy(path, definition, identity, mime)
    except c2pa.C2paError as exc:
        raise RenderError(f"The Content Credentials could not be signed into {path.name} ({exc}). Check the "
                          "signing key and certificate, or export with --no-credentials.") from None  # fmt: skip
    except OSError as exc:
        raise disk_error(exc, f"the Content Credentials of {path.name}") from None


def _sign_a_copy(path: Path, definition: dict[str, Any], identity: SigningIdentity, mime: str) -> None:
    """Sign ``path`` into a copy beside it, which then takes its place."""
    import c2pa

    # a hidden name beside it, within the file system's name limit however long the output's name (a name
    # built from the path's own overflowed 255 bytes); removed if we are stopped
    signed = temporary_sibling(path)
    try:
        # C2PA reads and writes in small pieces: big buffers save most of the system calls (a tenth of the time)
        with (
            identity.c2pa_signer() as signer,
            c2pa.Builder(definition) as builder,
            path.open("rb", buffering=SIGN_BUFFER) as source,
            signed.open("w+b", buffering=SIGN_BUFFER) as dest,
        ):
            builder.sign(signer, mime, source, dest)
        signed.replace(path)
    finally:
        signed.unlink(missing_ok=True)
        partial_done(signed)


def export_seal(music: Music | None, settings: Settings, media: MediaCache) -> Seal | None:
    """The seal of an exported MP4: its music as the project holds it (generated: hashed from the stored
    samples, which are levelled but not yet mastered; the user's own: named as an ingredient)."""
    if music is None:
        return seal_for(settings, None, None)
    if music.user or not music.spec:
        return seal_for(settings, MusicRecord(user_file=Path(music.path)), None)
    details = music.details
    record = MusicRecord(spec=music.spec.model_dump(mode="json"),
                         soundfont=font_record(settings.soundfont, details.get("genre")),
                         target_lufs=settings.target_lufs, mastered=False, details=details)  # fmt: skip
    seal = seal_for(settings, record, lambda: hashed.result())  # the signer checked before the hashing starts
    if seal is None:
        return None
    # hashed while ffmpeg renders (numpy and hashlib let go of the GIL), once a piece, so the seal only signs
    hashed = media.music_hash(Path(music.path), lambda stream: pcm_sha256(stream_blocks(stream)))
    return seal


def music_seal(settings: Settings, spec: dict[str, Any], produced: ProducedMusic, *, mastered: bool, with_stems: bool,
               part: str | None = None, soundfont: dict[str, Any] | None = None) -> Seal | None:  # fmt: skip
    """The seal of a WAV or FLAC of music made here with ``settings``' loudness and font (or ``soundfont``, a
    font record as a sidecar holds it): the whole piece, or one of its parts (``part``)."""
    c = produced.composition
    font = soundfont if soundfont is not None else font_record(settings.soundfont, c.genre.value)
    record = MusicRecord(spec=spec, soundfont=font, target_lufs=settings.target_lufs, mastered=mastered, part=part,
                         with_stems=with_stems, details={"genre": c.genre.value, "bpm": c.bpm,
                                                         "key": c.key.split()[0]})  # fmt: skip
    audio = produced.stems[part] if part is not None else produced.audio
    return seal_for(settings, record, lambda: pcm_sha256(array_blocks(audio)))


def stream_blocks(stream: SoundStream, step: int = 1 << 17) -> Iterator[np.ndarray]:
    """A sound stream (channel-first blocks) as (n, 2) blocks, to its end."""
    for start in range(0, stream.length, step):
        yield stream.read(min(step, stream.length - start)).T
