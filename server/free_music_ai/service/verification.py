"""Checking a file's Content Credentials: the manifest is there and whole, who signed it, and the music it
describes is the music its spec plays (replayed here, sample for sample, and hashed as when it was signed)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from free_music_ai.errors import InputError
from free_music_ai.service.credentials import MUSIC_LABEL, array_blocks, pcm_sha256

UNTRUSTED = "signingCredential.untrusted"  # a self-issued signer: reported, not a failure of the file
Progress = Callable[[float, str], None]
WAV_TOLERANCE = 2.5 / 8_388_608  # a sample read back from a 24-bit file: within its rounding of the replay


@dataclass(frozen=True)
class Verdict:
    """What ``verify`` found. ``problem`` is the sentence that makes it fail (None: everything checked out)."""

    path: Path
    state: str  # the C2PA reader's: Trusted, Valid (signer not on a trust list) or Invalid
    signer: str
    trusted: bool
    music: dict[str, Any]  # our assertion (org.free-music-ai.music)
    replayed: bool  # the music was made again from its spec and its samples hashed
    problem: str | None

    def as_json(self) -> dict[str, Any]:
        return {"path": str(self.path), "valid": self.problem is None, "state": self.state, "signer": self.signer,
                "trusted": self.trusted, "music_source": self.music.get("music_source"),
                "seed": self.music.get("seed"), "engine": f"{self.music.get('engine')} {self.music.get('version')}",
                "pcm_sha256": self.music.get("pcm_sha256"), "replayed": self.replayed,
                "problem": self.problem}  # fmt: skip


def read_manifest(path: Path) -> tuple[str, dict[str, Any], list[str]]:
    """The validation state, the active manifest and the validation failures of ``path`` (an untrusted signer
    is not one of them). Nothing is fetched: no remote manifest, no certificate status."""
    import c2pa

    offline = c2pa.Settings.from_dict({"verify": {"remote_manifest_fetch": False, "ocsp_fetch": False}})
    try:
        with c2pa.Context(offline) as context, c2pa.Reader(str(path), context=context) as reader:
            report = json.loads(reader.json())
    except c2pa.C2paError as exc:
        if "ManifestNotFound" in type(exc).__name__ or "not found" in str(exc).lower():
            raise InputError(f"{path.name} carries no Content Credentials: it was not written by this program "
                             "with them on, or a tool rewrote it and dropped them.") from None  # fmt: skip
        raise InputError(f"The Content Credentials of {path.name} cannot be read ({exc}): the file was changed "
                         "or damaged after it was signed.") from None  # fmt: skip
    active = report.get("manifests", {}).get(report.get("active_manifest") or "", {})
    results = (report.get("validation_results") or {}).get("activeManifest") or {}
    failures = [f"{f.get('code')}: {f.get('explanation')}" for f in results.get("failure", [])
                if f.get("code") != UNTRUSTED]  # fmt: skip
    return str(report.get("validation_state") or "Invalid"), active, failures


def music_assertion(manifest: dict[str, Any]) -> dict[str, Any] | None:
    for assertion in manifest.get("assertions", []):
        if assertion.get("label") == MUSIC_LABEL and isinstance(assertion.get("data"), dict):
            found: dict[str, Any] = assertion["data"]
            return found
    return None


def verify_file(path: Path, on_progress: Progress | None = None) -> Verdict:
    """Read and check ``path``'s Content Credentials, then replay its music; raise InputError for a file
    with none, return a Verdict (with the problem in words) for one that has them."""
    if not path.is_file():
        raise InputError(f"There is no file {path}. Give an MP4 or WAV this program wrote.")
    state, manifest, failures = read_manifest(path)
    info = manifest.get("signature_info") or {}
    signer = ", ".join(str(info[k]) for k in ("common_name", "issuer") if info.get(k)) or "unknown"
    music = music_assertion(manifest) or {}
    verdict = Verdict(path, state, signer, state == "Trusted", music, False, None)
    if failures or state not in ("Valid", "Trusted"):
        first = failures[0] if failures else state
        return _failed(verdict, f"{path.name} was changed after it was signed: its Content Credentials no longer "
                                f"match it ({first}).")  # fmt: skip
    if not music:
        return _failed(verdict, f"{path.name} has Content Credentials, but not ones this program wrote (no "
                                f"{MUSIC_LABEL} assertion).")  # fmt: skip
    if music.get("music_source") != "generated":
        return verdict  # the user's own music: nothing of ours to replay
    replayed = _replay(music, on_progress)
    verdict = Verdict(path, state, signer, verdict.trusted, music, True, None)
    if pcm_sha256(array_blocks(replayed)) != music.get("pcm_sha256"):
        return _failed(verdict, f"The music recorded in {path.name} is not what its spec and seed play: the "
                                "manifest's hash of the samples does not match a replay.")  # fmt: skip
    if path.suffix.lower() in (".wav", ".flac") and not _same_samples(path, replayed):
        return _failed(verdict, f"The audio in {path.name} is not the music its Content Credentials describe: "
                                "it was changed.")  # fmt: skip
    return verdict


def _failed(verdict: Verdict, problem: str) -> Verdict:
    return Verdict(verdict.path, verdict.state, verdict.signer, verdict.trusted, verdict.music, verdict.replayed,
                   problem)  # fmt: skip


def _replay(music: dict[str, Any], on_progress: Progress | None) -> Any:
    from pydantic import ValidationError

    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.spec import MusicSpec
    from free_music_ai.service.licence import font_path

    try:
        spec = MusicSpec.model_validate_json(str(music.get("spec")))
    except ValidationError as exc:
        raise InputError(f"The recorded spec cannot be read by this version: {exc.errors()[0]['msg']}.") from None
    part = music.get("part")
    font = font_path(music.get("soundfont") or {})
    made = produce(spec, target_lufs=float(music.get("target_lufs", -14.0)), soundfont=font, on_progress=on_progress,
                   keep_stems=bool(music.get("with_stems")), finish=bool(music.get("mastered", True)))  # fmt: skip
    if part is None:
        return made.audio
    if part not in made.stems:
        raise InputError(f"The recorded part {part!r} is not one this version plays from the spec.")
    return made.stems[part]


def _same_samples(path: Path, replayed: Any) -> bool:
    """The file's own samples are the replay's, within a 24-bit file's rounding (its PCM, read back)."""
    import numpy as np
    import soundfile

    with soundfile.SoundFile(str(path)) as file:
        if file.frames != len(replayed):
            return False
        for expected in array_blocks(replayed):
            want = np.clip(np.asarray(expected, dtype=np.float64), -1.0, 1.0).reshape(len(expected), -1)
            found = file.read(len(want), dtype="float64", always_2d=True)
            if found.shape != want.shape or float(np.max(np.abs(found - want))) > WAV_TOLERANCE:
                return False
    return True
