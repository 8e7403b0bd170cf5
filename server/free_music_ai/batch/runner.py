"""A batch: its inputs found, its jobs made, skipped when done, run on an executor (a local process pool or a
Dask cluster's), and recorded as each comes back."""

from __future__ import annotations

import concurrent.futures
import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from free_music_ai.batch import object_store, remote_job
from free_music_ai.batch.job import BatchJob, JobResult, file_url, path_of, published, run_job, seed_for
from free_music_ai.batch.ledger import Ledger
from free_music_ai.batch.media_sniff import HEAD_BYTES, is_batch_input
from free_music_ai.batch.object_store import is_remote
from free_music_ai.engine.render.output_path import default_name, partials_starting
from free_music_ai.errors import InputError, MusicAIError


@dataclass
class BatchReport:
    outputs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # done before: their outputs
    elsewhere: list[str] = field(default_factory=list)  # inputs another live batch is making now
    failed: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class BatchInput:
    url: str  # file:///... or an object's URL
    name: str  # the file's or object's name: the output is named after it and its seed made from it
    version: str = ""  # an object's ETag and size ("" for a file: its stat is read when the job is keyed)


Progress = Callable[[int, int, int], None]  # done, failed, total


def gather_inputs(items: list[str]) -> list[BatchInput]:
    """Local files and folders, and object-storage URLs (an object, or a prefix whose direct children are
    listed), in the order given; each clip once."""
    found: list[BatchInput] = []
    for item in items:
        if is_remote(item):
            found += [BatchInput(o.url, o.name, o.version) for o in object_store.list_media(item)]
        else:
            found += [BatchInput(file_url(p), p.name) for p in find_inputs([Path(item)])]
    return list({entry.url: entry for entry in found}.values())


def find_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given and the videos and pictures in folders (sorted; known by their first bytes, as objects
    in storage are), each once."""
    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found += sorted(p for p in item.iterdir() if p.is_file() and is_batch_input(p.name, _head(p)))
        elif item.is_file():
            found.append(item)
        else:
            raise InputError(f"No file or folder at {item}. Check the path.")
    unique = list(dict.fromkeys(p.resolve() for p in found))  # a clip reached through a link is the same clip
    if not unique:
        raise InputError("No videos or pictures among the inputs.")
    return unique


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(HEAD_BYTES)
    except OSError:  # unreadable: listed by its name, if at all, and its job says why
        return b""


def make_jobs(inputs: list[BatchInput], prompt: str, out_url: str, *, aspect: str, seed: int | None,
              signing: str = "") -> list[BatchJob]:  # fmt: skip
    return [BatchJob(entry.url, out_url, prompt, aspect, seed if seed is not None else seed_for(entry.name, prompt),
                     entry.version, signing) for entry in inputs]  # fmt: skip


def output_exists(output: str) -> bool:
    return object_store.exists(output) if is_remote(output) else Path(output).is_file()


def run_batch(jobs: list[BatchJob], executor: concurrent.futures.Executor, ledger: Ledger, *,
              on_progress: Progress | None = None,
              before_first: Callable[[], None] | None = None) -> BatchReport:  # fmt: skip
    """Run every job not already done; record each result as it comes back. On Ctrl+C the jobs not finished
    are marked interrupted (a rerun does them) and the interruption goes on to the caller. ``before_first`` runs
    once, before the first job is claimed, and not at all when every job is done (a check that writes, such as
    a probe of a bucket, then never makes a rerun write)."""
    report = BatchReport()
    pending: dict[concurrent.futures.Future[JobResult], BatchJob] = {}
    keys = {job: job.key for job in jobs}
    for job in jobs:
        done = ledger.done_output(keys[job], output_exists)
        if done is None:
            marked = published(job, keys[job])  # made by a run that stopped before it heard back, or elsewhere
            if marked is not None:
                ledger.started(keys[job], job.input_url)
                ledger.finished(keys[job], output=marked, error=None, worker="")
                done = marked
        if done is not None:
            report.skipped.append(done)
            continue
        if before_first is not None:
            before_first()
            before_first = None
        if not ledger.claim(keys[job], job.input_url):  # another batch into this folder is making it now
            report.elsewhere.append(job.input_url)
            continue
        pending[executor.submit(run_job, job)] = job
    total = len(pending)
    tell = on_progress or (lambda done, failed, total: None)
    tell(0, 0, total)
    try:
        for future in concurrent.futures.as_completed(pending):
            job = pending[future]
            try:
                result = future.result()
            except Exception as exc:  # the worker itself was lost more often than the retries allow
                result = JobResult(keys[job], None, f"the worker running it was lost ({type(exc).__name__})", "")
            ledger.finished(result.key, output=result.output, error=result.error, worker=result.worker)
            if result.output:
                report.outputs.append(result.output)
            else:
                report.failed.append({"input": job.input_url, "error": result.error or "failed"})
            tell(len(report.outputs), len(report.failed), total)
    except BaseException:
        for future in pending:
            future.cancel()
        try:  # jobs already handed to a worker finish and publish (with their markers); the rest are dropped
            executor.shutdown(wait=False, cancel_futures=True)
        except TypeError:
            executor.shutdown(wait=False)
        ledger.interrupted([keys[job] for future, job in pending.items() if not future.done()])
        raise
    finally:
        _sweep_partials(jobs)
    return report


def _sweep_partials(jobs: list[BatchJob]) -> None:
    """A worker lost while copying its file leaves a hidden partial in the output folder: this batch's own
    (named after the job's output, ``clip-music...``) are removed once no job of it runs. In object storage,
    the temporary keys are named after the jobs' keys."""
    remote = {job.output_dir_url for job in jobs if is_remote(job.output_dir_url)}
    for url in remote:
        with contextlib.suppress(MusicAIError):  # the store gone meanwhile: the next run sweeps them
            remote_job.sweep_uploads(url, {job.key for job in jobs if job.output_dir_url == url})
    for job in jobs:
        if job.output_dir_url in remote:
            continue
        prefix = default_name(Path(object_store.name_of(job.input_url)).stem, "-music")
        for leftover in partials_starting(path_of(job.output_dir_url), prefix):
            leftover.unlink(missing_ok=True)
