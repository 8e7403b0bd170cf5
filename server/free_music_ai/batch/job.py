"""One clip of a batch: a plain, picklable description, and the plain function that makes its video.

The same function runs in a process of the local pool or on a Dask worker on another machine; it reads its
input from, and publishes its output to, locations both sides see: a shared folder, or object storage
(s3://..., remote_job.py), where a worker downloads its one input to its own scratch and uploads its outputs.
Everything that decides the music is in the job, the seed included, so the same job makes the same audio
wherever it runs.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing.util
import os
import shutil
import tempfile
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from free_music_ai.batch import object_store, remote_job
from free_music_ai.batch.licence_naming import name_licence
from free_music_ai.batch.object_store import is_remote, name_of

if TYPE_CHECKING:
    from free_music_ai.config import Settings

KEY_VERSION = 2  # bumped when a change makes old results different (2: the signing options are in the key)


@dataclass(frozen=True)
class BatchJob:
    input_url: str  # file:///... or an object's URL (s3://bucket/key)
    output_dir_url: str  # file:///... or s3://bucket/prefix: where the MP4 and its licence are published
    prompt: str
    aspect: str
    seed: int
    input_version: str = ""  # an object's ETag and size, as listed ("" for a file: its stat is read instead)
    signing: str = ""  # who signs the Content Credentials (signing_fingerprint), no key material or path

    @property
    def key(self) -> str:
        """A hash of the input (its location and version: an object's ETag and size, a file's size and
        modification time) and the options, signing included: the same job run again is recognised as done."""
        identity: dict[str, Any] = {"job": asdict(self), "v": KEY_VERSION}
        if not is_remote(self.input_url):
            stat = path_of(self.input_url).stat()
            identity |= {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:24]


@dataclass(frozen=True)
class JobResult:
    key: str
    output: str | None
    error: str | None
    worker: str


def file_url(path: Path) -> str:
    return path.absolute().as_uri()


def path_of(url: str) -> Path:
    """The local path of a file: URL (object-storage URLs are object_store's)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "file":
        raise ValueError(f"only file: locations are supported yet, not {parts.scheme}:")
    return Path(urllib.request.url2pathname(parts.path))


def seed_for(name: str, prompt: str) -> int:
    """The seed a job gets when none is asked for: fixed by the input's name (a file's or an object's) and the
    words, never by chance, so a rerun, another worker or the same clip in object storage makes the same music."""
    digest = hashlib.sha256(f"{name}\n{prompt}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 1_000_000


def run_job(job: BatchJob) -> JobResult:
    """Make the job's music video and publish it under the output folder; never raises (a failure is a
    result with its reason, said in the user's terms)."""
    from free_music_ai.engine.process_owner import current_owner
    from free_music_ai.errors import MusicAIError, unexpected_text, what_failed

    worker = current_owner()  # host:pid:start, as the renders' owners are recorded
    key = job.key
    try:
        return JobResult(key, _render(job), None, worker)
    except Exception as exc:
        failed = what_failed(exc)  # what a task group raised, not the group that carried it
        reason = (
            failed.message if isinstance(failed, MusicAIError) else f"unexpected failure: {unexpected_text(failed)}"
        )
        return JobResult(key, None, reason, worker)


def signing_fingerprint(settings: Settings) -> str:
    """Who signs the outputs, for the job's key: "off", "local" (the certificate each machine makes on first
    use: on a cluster every worker has its own, so none of them names the batch), or the SHA-256 of the user's
    signing certificate (public: neither the key nor the paths are in it)."""
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509 import load_pem_x509_certificates

    from free_music_ai.service.signing_identity import signing_identity

    if not settings.content_credentials:
        return "off"
    identity = signing_identity(settings)
    if identity.local:
        return "local"
    certificate = load_pem_x509_certificates(identity.chain_pem)[0]
    return "cert-sha256:" + hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def published(job: BatchJob, key: str | None = None) -> str | None:
    """The job's output when a worker already published it (its marker in the output folder names it): a
    job that finished after its batch stopped listening is not made twice."""
    if is_remote(job.output_dir_url):
        return remote_job.published(job.output_dir_url, key or job.key)
    found = _marker(job, key)
    if found is None or found.get("state", "done") != "done":
        return None
    output = path_of(job.output_dir_url) / str(found["output"])
    return str(output) if output.is_file() else None


def _marker(job: BatchJob, key: str | None = None) -> dict[str, Any] | None:
    marker = path_of(job.output_dir_url) / MARKERS / f"{key or job.key}.json"
    try:
        found = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) and isinstance(found.get("output"), str) else None


MARKERS = ".fmai-batch"  # in the output folder: which job made which file


def _mark(job: BatchJob, output: Path, state: str = "done") -> None:
    folder = path_of(job.output_dir_url) / MARKERS
    folder.mkdir(exist_ok=True)
    temp = folder / f".{job.key}.{os.getpid()}.part"
    temp.write_text(json.dumps({"output": output.name, "input": job.input_url, "state": state}), encoding="utf-8")
    temp.replace(folder / f"{job.key}.json")


def _render(job: BatchJob) -> str:
    from free_music_ai.engine.canvas_choices import Aspect
    from free_music_ai.engine.render.output_path import default_name, free_name
    from free_music_ai.service.licence import SIDECAR_SUFFIX
    from free_music_ai.words.request_fields import options

    done = published(job)
    if done is not None:
        return done
    engine = _engine(job.signing)
    # rendered in the worker's own scratch folder, then published whole: a worker killed mid-render leaves
    # nothing in the shared folder or the bucket
    scratch = engine.data_dir.parent / "out" / job.key
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        if is_remote(job.input_url):  # the worker's own copy of its one input
            source = object_store.fetch(job.input_url, job.input_version, scratch / "in" / name_of(job.input_url))
        else:
            source = path_of(job.input_url)
        session, _ = engine.upload(None, [source])
        engine.message(session, job.prompt, options=options(seed=job.seed))
        aspect = None if job.aspect == Aspect.AUTO else Aspect(job.aspect)
        made = Path(str(engine.export(session, scratch / default_name(source.stem), aspect).output))
        licence = made.with_suffix(SIDECAR_SUFFIX)
        if is_remote(job.output_dir_url):
            companions = {SIDECAR_SUFFIX: licence} if licence.is_file() else {}
            return remote_job.publish(
                job.output_dir_url, job.key, input_url=job.input_url, made=made, companions=companions
            )
        folder = path_of(job.output_dir_url)
        # the names are chosen and marked before anything is published: a worker killed between the video and
        # its licence left files that are this job's own, which the next attempt replaces (not "-1" beside them)
        unfinished = _marker(job)
        fresh = free_name(folder / made.name, (SIDECAR_SUFFIX,))  # a name free for the video and its licence
        output = folder / unfinished["output"] if unfinished is not None else fresh
        ours = unfinished is not None
        if not ours:
            _mark(job, output, "publishing")
        _publish(made, folder, output.name, replace=ours)
        if licence.is_file():
            name_licence(licence, str(output), output.with_suffix(SIDECAR_SUFFIX).name)
            _publish(licence, folder, output.with_suffix(SIDECAR_SUFFIX).name, replace=ours)
        _mark(job, output)
        return str(output)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _publish(made: Path, folder: Path, name: str | None = None, replace: bool = False) -> Path:
    """Copy a finished file into the shared folder under a hidden name, then give it its name (never over
    an existing file, unless ``replace``: a file this job's own killed attempt left there)."""
    from free_music_ai.engine.render.output_path import discard, publish, temporary_sibling

    target = folder / (name or made.name)
    temp = temporary_sibling(target)
    try:
        shutil.copyfile(made, temp)
        if replace:
            temp.replace(target)
            return target
        return publish(temp, target)
    finally:
        discard(temp)


# one engine per worker process (and per choice of signing: on or off), with its own scratch data folder, and
# the signer it signs with. The worker process owns it: a job reaches a pool's or a cluster's worker as a pickled
# function call, with nothing of ours to hand an engine down through, and the engine (its media cache, its
# instruments) is worth keeping from one clip to the next
_ENGINES: dict[tuple[int, bool], tuple[Any, str]] = {}


def _engine(signing: str) -> Any:
    """The worker's engine for a job. --no-credentials travels in the job (a cluster's worker does not share the
    batch's environment); a signer cannot (its key stays where it is), so a worker that would sign with another
    than the batch asked for refuses the job instead of publishing what the job's key does not say."""
    from free_music_ai.backends.local_engine import LocalEngine
    from free_music_ai.config import load_settings
    from free_music_ai.errors import ConfigError

    off = signing == "off"
    found = _ENGINES.get((os.getpid(), off))
    if found is None:
        scratch = Path(tempfile.mkdtemp(prefix=f"fmai-batch-p{os.getpid()}-"))
        settings = load_settings({"data_dir": scratch / "data", "content_credentials": False if off else None})
        engine = LocalEngine(settings, settings.data_dir)
        found = _ENGINES[(os.getpid(), off)] = (engine, signing_fingerprint(settings))
        # a pool's worker ends through multiprocessing, which runs its finalizers but not atexit; a worker that
        # is killed leaves the folder to the next start's sweep (named after its process)
        multiprocessing.util.Finalize(None, _discard, args=(engine, scratch), exitpriority=10)
    engine, signer = found
    if signing and signer != signing:
        raise ConfigError(f"This worker would sign the Content Credentials as {_signer_words(signer)}, not as "
                          f"{_signer_words(signing)} as the batch asked. Set FMAI_SIGN_KEY and FMAI_SIGN_CERT (or "
                          "neither) where the workers run as where the batch runs.")  # fmt: skip
    return engine


def _signer_words(signing: str) -> str:
    if signing == "off":
        return "nobody (Content Credentials off)"
    return "this machine's own certificate" if signing == "local" else f"the certificate {signing[12:28]}..."


def _discard(engine: Any, scratch: Path) -> None:
    engine.close()
    shutil.rmtree(scratch, ignore_errors=True)
