"""``free-music-ai batch``: many clips, each with its own music and MP4, on this machine or a Dask cluster."""

from __future__ import annotations

import contextlib
import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from free_music_ai.cli.signing_options import NoCredentials, SignCert, SignKey, signing_environment
from free_music_ai.cli.support import err_console, friendly_errors, print_json, stderr_is_terminal
from free_music_ai.engine.canvas_choices import PRESETS, Aspect, choices
from free_music_ai.errors import ConfigError, InputError

BATCH_ASPECTS = (Aspect.AUTO, *PRESETS)  # each clip's own shape is "auto"; a batch has no one source to follow
RETRIES = 2  # a job whose worker is lost runs again elsewhere this many times, then is reported failed


@friendly_errors
def batch(
    inputs: Annotated[
        list[str], typer.Argument(help="Videos, pictures, or folders of them; or s3://bucket/prefix/ (an object).")
    ],
    *,
    prompt: Annotated[str, typer.Option("--prompt", "-p", help="The music, in words, for every clip.")],
    output: Annotated[
        str, typer.Option("--output", "-o", help="Folder (or s3://bucket/prefix/) for the MP4s and their licences.")
    ],
    cluster: Annotated[
        str | None,
        typer.Option(help="A Dask scheduler, tcp://host:8786 (or FMAI_CLUSTER); default: a process pool here."),
    ] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes of the local pool (default: the cores).", min=1, max=256)
    ] = None,
    aspect: Annotated[str, typer.Option(help=f"{choices(BATCH_ASPECTS)}.")] = Aspect.AUTO.value,
    seed: Annotated[
        int | None, typer.Option(help="One seed for every clip (default: one per clip, fixed).", min=0)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print outputs, skipped and failed as JSON.")] = False,
    sign_key: SignKey = None,
    sign_cert: SignCert = None,
    no_credentials: NoCredentials = False,
) -> None:
    """Score many clips at once: each video or picture gets its own music and its own MP4 in the folder. A
    batch run again skips what is done and finishes what was cut short."""
    from free_music_ai.batch.job import file_url, signing_fingerprint
    from free_music_ai.batch.ledger import Ledger
    from free_music_ai.batch.object_store import check_writable, is_remote, names_in, shown
    from free_music_ai.batch.remote_job import MARKERS
    from free_music_ai.batch.runner import gather_inputs, make_jobs, run_batch
    from free_music_ai.config import load_settings
    from free_music_ai.engine.leftovers import sweep
    from free_music_ai.limits import MAX_MESSAGE_CHARS
    from free_music_ai.service.signing_identity import signing_identity

    if len(prompt) > MAX_MESSAGE_CHARS:
        raise InputError(f"The prompt is over {MAX_MESSAGE_CHARS:,} characters. Say it in a few sentences.")
    if aspect not in BATCH_ASPECTS:
        raise InputError(f"Unknown aspect {aspect!r}. Use one of: {choices(BATCH_ASPECTS)}.")
    if is_remote(output):
        output_url = output.rstrip("/")
        names_in(output_url)  # no bucket, access denied, no endpoint: said before any clip is rendered
        # and the right to write there before the first clip is sent (a probe object: none when all are done)
        first: Callable[[], None] | None = functools.partial(check_writable, output_url, MARKERS)
    else:
        folder = Path(output)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _try_writing_in(folder)  # before any clip is rendered, not after all of them
        except OSError as exc:
            raise InputError(f"Cannot write in the folder {folder} ({exc.strerror}). Choose another -o, or make "
                             "it writable.") from None  # fmt: skip
        output_url = file_url(folder.resolve())  # one folder has one key, whichever link it was reached through
        first = None
    # the local pool's workers inherit these; a cluster's workers need FMAI_SIGN_KEY/FMAI_SIGN_CERT of their own
    os.environ.update(signing_environment(sign_key, sign_cert, no_credentials))
    settings = load_settings()
    if settings.content_credentials:
        signing_identity(settings)  # a key that cannot sign is said before any clip is rendered
    sweep(settings.data_dir / "in-progress")  # scratch folders of batches and workers that were killed
    jobs = make_jobs(
        gather_inputs(inputs), prompt, output_url, aspect=aspect, seed=seed, signing=signing_fingerprint(settings)
    )
    # the ledger is local even for an output in object storage (ledger.py says why)
    ledger = Ledger(settings.data_dir / "batches.sqlite3")
    if ledger.set_aside is not None:
        err_console().print(f"The batch ledger was damaged: it is kept as {ledger.set_aside} and a new one begun. "
                            "Clips already made are still found by their markers.", highlight=False)  # fmt: skip
    address = cluster or os.environ.get("FMAI_CLUSTER") or None
    try:
        with _executor(address, workers) as executor, _bar(not as_json, len(jobs)) as tell:
            report = run_batch(jobs, executor, ledger, on_progress=tell, before_first=first)
    except KeyboardInterrupt:
        # what finished is published and recorded; the rest is marked interrupted for the next run
        err_console().print("[yellow]stopped[/]: the clips already made are kept. Run the same command again to "
                          "finish the rest.")  # fmt: skip
        raise typer.Exit(130) from None
    finally:
        ledger.close()
    if as_json:
        print_json({"outputs": report.outputs, "skipped": report.skipped, "failed": report.failed,
                    "elsewhere": report.elsewhere})  # fmt: skip
    else:
        typer.echo(f"{len(report.outputs)} made, {len(report.skipped)} already done, {len(report.failed)} failed "
                   f"-> {shown(output) if is_remote(output) else output}")  # fmt: skip
        if report.elsewhere:
            err_console().print(f"{len(report.elsewhere)} being made by another batch into the same folder now: "
                                "run this command again after it ends to list them.", highlight=False)  # fmt: skip
        for failure in report.failed:
            err_console().print(f"[red]failed[/] {failure['input']}: {failure['error']}", highlight=False)
    if report.failed:
        raise typer.Exit(2)


def _try_writing_in(folder: Path) -> None:
    """Raises OSError when a file cannot be made in ``folder`` (read-only, no permission, a full disk)."""
    import tempfile

    with tempfile.NamedTemporaryFile(dir=folder, prefix=".fmai-write-check-"):
        pass


@contextlib.contextmanager
def _executor(address: str | None, workers: int | None) -> Iterator[Any]:
    if address is None:
        import concurrent.futures
        import multiprocessing

        from free_music_ai.engine.leftovers import die_with

        count = workers or os.cpu_count() or 1
        # spawn: a fresh interpreter per worker (no threads inherited half-way through their work); each worker
        # dies with this process, however it ends (the death signal ffmpeg gets), so a killed batch leaves none
        with concurrent.futures.ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn"),
                                                    initializer=die_with, initargs=(os.getpid(),)) as pool:  # fmt: skip
            yield pool
        return
    try:
        import distributed
    except ImportError:
        raise ConfigError('--cluster needs Dask: pip install "free-music-ai-generator[cluster]"') from None
    connect: Any = distributed.Client  # untyped: used through Any
    try:
        client = connect(address, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(f"Cannot reach the Dask scheduler at {address} ({type(exc).__name__}). Check that "
                          "`dask scheduler` runs there and the address is right.") from None  # fmt: skip
    try:
        # pure=False: every job runs (its key is ours, in the ledger); retries: a lost worker's job runs again
        yield client.get_executor(pure=False, retries=RETRIES)
    finally:
        client.close()


@contextlib.contextmanager
def _bar(enabled: bool, total: int) -> Iterator[Any]:
    if not enabled or not stderr_is_terminal():
        yield lambda done, failed, count: None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console(), transient=True) as progress:
        task = progress.add_task("Scoring", total=total)

        def tell(done: int, failed: int, count: int) -> None:
            progress.update(task, total=count, completed=done + failed,
                            description=f"Scoring ({failed} failed)" if failed else "Scoring")  # fmt: skip

        yield tell
