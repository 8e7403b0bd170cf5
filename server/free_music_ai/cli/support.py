"""What every CLI command shares: error reporting without tracebacks, logging, and the progress bar."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from free_music_ai.errors import MusicAIError, user_error

P = ParamSpec("P")
R = TypeVar("R")

err_console = Console(stderr=True, soft_wrap=True)
log = logging.getLogger("free_music_ai")


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
            err_console.print(f"[bold red]error:[/] {exc.message}", highlight=False, markup=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            from free_music_ai.engine.leftovers import clean_up

            clean_up()  # ffmpeg stopped and partial files removed before saying so
            err_console.print("[yellow]stopped[/]: nothing was written.")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:  # the reader went away (`| head`): nothing left to say to it
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as exc:
            ours = user_error(exc)
            if ours is not None:
                err_console.print(f"[bold red]error:[/] {ours.message}", highlight=False, markup=True)
                raise typer.Exit(ours.exit_code) from None
            log.debug("unexpected failure", exc_info=True)
            err_console.print(
                f"[bold red]unexpected error:[/] {type(exc).__name__}: {exc}. Run again with --verbose for details, "
                "and report it if it persists.",
                highlight=False,
            )
            raise typer.Exit(1) from None

    return wrapper


@contextmanager
def progress_bar(enabled: bool = True) -> Iterator[Callable[[float, str], None]]:
    """A rich progress bar on stderr, yielding the ``on_progress(fraction, message)`` callback to feed it."""
    if not enabled or not err_console.is_terminal:
        yield lambda fraction, message: None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("Starting", total=1.0)
        yield lambda fraction, message: progress.update(task, completed=fraction, description=message)


def print_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
