"""A batch: its inputs found, its jobs made, skipped when done, run on an executor (a local process pool or a
Dask cluster's), and recorded as each comes back."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from free_music_ai.batch.job import BatchJob, JobResult, file_url, path_of, published, run_job, seed_for
from free_music_ai.batch.ledger import Ledger
from free_music_ai.engine.formats import AUDIO_EXTENSIONS, SUPPORTED_EXTENSIONS
from free_music_ai.engine.render.output_path import default_name, partials_starting
from free_music_ai.errors import InputError


@dataclass
class BatchReport:
    outputs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # done before: their outputs
    elsewhere: list[str] = field(default_factory=list)  # inputs another live batch is making now
    failed: list[dict[str, str]] = field(default_factory=list)


Progress = Callable[[int, int, int], None]  # done, failed, total


def find_inputs(inputs: list[Path]) -> list[Path]:
    """Files as given and the media files in folders (sorted); pictures and videos only, each once."""
    found: list[Path] = []
    for item in inputs:
        if item.is_dir():
            found += sorted(p for p in item.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED_EXTENSIONS
                            and p.suffix.lower() not in AUDIO_EXTENSIONS and not p.name.startswith("."))  # fmt: skip
        elif item.is_file():
            found.append(item)
        else:
            raise InputError(f"No file or folder at {item}. Check the path.")
    unique = list(dict.fromkeys(p.resolve() for p in found))  # a clip reached through a link is the same clip
    if not unique:
        raise InputError("No videos or pictures among the inputs.")
    return unique


def make_jobs(inputs: list[Path], prompt: str, out_dir: Path, aspect: str, seed: int | None) -> list[BatchJob]:
    return [BatchJob(file_url(path), file_url(out_dir), prompt, aspect,
                     seed if seed is not None else seed_for(path, prompt)) for path in inputs]  # fmt: skip


def run_batch(jobs: list[BatchJob], executor: concurrent.futures.Executor, ledger: Ledger,
              on_progress: Progress | None = None) -> BatchReport:  # fmt: skip
    """Run every job not already done; record each result as it comes back. On Ctrl+C the jobs not finished
    are marked interrupted (a rerun does them) and the interruption goes on to the caller."""
    report = BatchReport()
    pending: dict[concurrent.futures.Future[JobResult], BatchJob] = {}
    keys = {job: job.key for job in jobs}
    for job in jobs:
        done = ledger.done_output(keys[job])
        if done is None:
            marked = published(job, keys[job])  # made by a run that stopped before it heard back
            if marked is not None:
                ledger.started(keys[job], job.input_url)
                ledger.finished(keys[job], str(marked), None, "")
                done = str(marked)
        if done is not None:
            report.skipped.append(done)
            continue
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
            ledger.finished(result.key, result.output, result.error, result.worker)
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
    (named after the job's output, ``clip-music...``) are removed once no job of it runs."""
    for job in jobs:
        prefix = default_name(path_of(job.input_url).stem, "-music")
        for leftover in partials_starting(path_of(job.output_dir_url), prefix):
            leftover.unlink(missing_ok=True)
