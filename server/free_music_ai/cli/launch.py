"""The ``free-music-ai`` entry point: a one-shot render starts reading its videos before anything else loads.

The command line's own imports (typer, rich, pydantic, the engine) take a few hundred milliseconds on one
core. Reading a video needs only numpy and PyAV, so when the arguments ask for music (``render ... -p``)
that reading starts first, from the raw arguments, and the command line loads beside it. The ``render``
command starts the same reading when it is called another way (it skips files already being read).
Before any thread starts, every command sets the allocator up (allocator.py): a command that runs once keeps
what it frees until it exits, a server until each request ends.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead

# options of ``render`` that take a value: that value is never one of the videos to read
_VALUED = frozenset({"-p", "--prompt", "-o", "--output", "--music", "--music-volume", "--title", "--aspect", "--fit",
                     "--image-seconds", "--seed", "--crf", "--preset", "--ffmpeg", "--backend", "--sign-key",
                     "--sign-cert"})  # fmt: skip


SERVERS = frozenset({"mcp", "web"})  # they run on between requests
SETUP_WAIT_S = 0.3  # the longest the command line waits for the reading to be under way (a slow disk)


# numpy's OpenBLAS starts a helper thread per core that spins for a while after each matrix product (the loudness
# meter's are a few thousand values): on two cores that spinning took 1 % of a one-shot's CPU from the threads
# doing the work. The products are too small to gain from a second thread, and one thread gives the same sums.
BLAS_THREADS = "1"
# numpy asks the kernel for 2 MiB pages under every array of 4 MiB or more. A one-shot makes hundreds of such
# arrays for a moment each (FFT blocks, stretches of stems): each fault zeroes a whole 2 MiB page, and where the
# kernel compacts memory on such a fault (a virtual machine's usual setting) the one-shot spent 1.29 s of system
# time against 0.81 s with 4 KiB pages (CPU 5.80 s against 5.32 s, 6 alternating pairs, 2 cores). Arrays that
# live long enough to gain from fewer TLB misses (a 10-minute piece) measured the same either way.
NUMPY_HUGE_PAGES = "0"


def main() -> None:
    set_up_process(sys.argv[1:])
    reading = read_ahead(sys.argv[1:])
    if reading is not None:
        # the decoders' setup is Python work: the imports below would slow it down more than they gain
        reading.wait_until_decoding(SETUP_WAIT_S)
    from free_music_ai.cli.commands import main as cli_main

    cli_main(reading)


def set_up_process(args: list[str]) -> None:
    """numpy's settings (before it loads), cycles collected seldom and freed memory kept for reuse, for every
    command; a server gives that memory back after each request, a command that runs once at its exit."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", BLAS_THREADS)
    os.environ.setdefault("NUMPY_MADVISE_HUGEPAGE", NUMPY_HUGE_PAGES)
    from free_music_ai.allocator import collect_cycles_seldom, keep_freed_memory

    collect_cycles_seldom()
    keep_freed_memory(until_exit=_command(args) not in SERVERS)


def read_ahead(args: list[str]) -> ReadAhead | None:
    """Start reading the videos of ``render INPUT... -p PROMPT`` in the background; the reading, handed to
    the command (None when there is nothing to read)."""
    videos = render_videos(args)
    if not videos:
        return None
    from free_music_ai.engine.analysis.prefetch import ReadAhead
    from free_music_ai.engine.formats import VIDEO_EXTENSIONS

    reading = ReadAhead()
    reading.start(videos, VIDEO_EXTENSIONS)
    return reading


def _command(args: list[str]) -> str | None:
    return next((arg for arg in args if not arg.startswith("-")), None)


def render_videos(args: list[str]) -> list[Path]:
    """The input files a local one-shot render will analyze (none for any other command, or for the cloud)."""
    if not args or args[0] != "render":
        return []
    inputs: list[Path] = []
    prompted = False
    backend = None
    skip_next = False
    for k, arg in enumerate(args[1:], start=1):
        if skip_next:
            skip_next = False
            continue
        name, has_value, value = arg.partition("=")
        if name in ("-p", "--prompt"):
            prompted = True
        if name == "--backend":
            backend = value if has_value else (args[k + 1] if k + 1 < len(args) else None)
        if name in _VALUED:
            skip_next = not has_value
        elif arg == "--":
            inputs += [Path(rest) for rest in args[k + 1 :]]
            break
        elif not arg.startswith("-"):
            inputs.append(Path(arg))
    if not prompted or backend == "nemo":
        return []
    from free_music_ai.engine.analysis.prefetch import videos_among
    from free_music_ai.engine.formats import VIDEO_EXTENSIONS

    return videos_among(inputs, VIDEO_EXTENSIONS)


if __name__ == "__main__":
    main()
