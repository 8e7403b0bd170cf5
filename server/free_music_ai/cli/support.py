"""What every CLI command shares: error reporting without tracebacks, logging, and the progress bar."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

import typer
from rich.markup import escape

from free_music_ai.errors import MusicAIError, unexpected_text, what_failed

if TYPE_CHECKING:
    from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger("free_music_ai")
SIGPIPE_STATUS = 128 + 13  # a program ended by SIGPIPE, as a shell reports it (`yes | head -1`: 141)
# what makes rich treat a stream that is not a terminal as one
_TERMINAL_HINTS = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


@functools.cache
def err_console() -> Console:
    """The console for messages on stderr, made for the first one: rich takes ~40 ms to import, which a
    command whose output goes to a script and that has nothing to complain about never needs."""
    from rich.console import Console

    return Console(stderr=True, soft_wrap=True)


def stderr_is_terminal() -> bool:
    """Whether stderr shows a progress bar: rich's judgement, asked only when stderr may be a terminal."""
    if not sys.stderr.isatty() and not any(name in os.environ for name in _TERMINAL_HINTS):
        return False
    return err_console().is_terminal


def setup_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Our errors print their message and exit 2; anything else prints one line and exits 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except MusicAIError as exc:
            # escaped: a message's own brackets (pip install "...[cluster]") are words, not rich markup
            err_console().print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, markup=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from free_music_ai.engine.leftovers import clean_up

            clean_up()  # ffmpeg stopped and partial files removed before saying so
            err_console().print("[yellow]stopped[/]: nothing was written.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except Exception as exc:
            failed = what_failed(exc)  # what a task group raised, not the group that carried it
            if isinstance(failed, BrokenPipeError):  # the reader went away (`| head`): nothing left to say to it
                raise typer.Exit(reader_gone()) from None
            if isinstance(failed, MusicAIError):
                err_console().print(f"[bold red]error:[/] {escape(failed.message)}", highlight=False, markup=True)
                raise typer.Exit(failed.exit_code) from None
            log.debug("unexpected failure", exc_info=True)
            err_console().print(
                f"[bold red]unexpected error:[/] {unexpected_text(failed)}. Run again with --verbose for details, "
                "and report it if it persists.",
                highlight=False,
            )
            raise typer.Exit(1) from None

    return wrapper


def reader_gone() -> int:
    """The program reading our output went away (`analyze CLIP | head -1`): what is left to print goes to
    the null device, so no later write or flush (ours, logging's, the interpreter's) fails and complains on
    stderr, and the command ends without a word, with the status a shell gives a program ended by SIGPIPE."""
    for stream in (sys.stdout, sys.stderr):
        try:
            target = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a file (captured output): nothing to redirect
            continue
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, target)
        finally:
            os.close(null)
    return SIGPIPE_STATUS


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[float, str], None]]:
    """A rich progress bar on stderr, yielding the ``on_progress(fraction, message)`` callback to feed it."""
    if not enabled or not stderr_is_terminal():
        yield lambda fraction, message: None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console(), transient=True) as progress:
        task = progress.add_task("Starting", total=1.0)
        yield lambda fraction, message: progress.update(task, completed=fraction, description=message)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
