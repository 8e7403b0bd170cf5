"""The ``free-music-ai`` command line: for people at a terminal and for scripts (every command has --json)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from free_music_ai import __version__
from free_music_ai.cli.signing_options import NoCredentials, SignCert, SignKey, signing_overrides
from free_music_ai.cli.support import friendly_errors, print_json, setup_logging
from free_music_ai.engine.canvas_choices import Aspect, Fit, choices
from free_music_ai.errors import InputError

if TYPE_CHECKING:
    from free_music_ai.engine.analysis.prefetch import ReadAhead

Choice = TypeVar("Choice", bound=StrEnum)
app = typer.Typer(
    name="free-music-ai",
    help="Original, royalty-free music for your videos, made on your own machine.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register_groups() -> None:
    from free_music_ai.cli.analyze import analyze
    from free_music_ai.cli.batch import batch
    from free_music_ai.cli.compose import compose
    from free_music_ai.cli.mcp import mcp
    from free_music_ai.cli.replay import replay
    from free_music_ai.cli.soundfont import app as soundfont_app
    from free_music_ai.cli.verify import verify
    from free_music_ai.cli.web import web

    app.add_typer(soundfont_app, name="soundfont")
    app.command()(compose)
    app.command()(analyze)
    app.command()(mcp)
    app.command()(replay)
    app.command()(web)
    app.command()(batch)
    app.command()(verify)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"free-music-ai {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details to stderr.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    setup_logging(verbose)


@app.command()
@friendly_errors
def probe(
    file: Annotated[Path, typer.Argument(help="A video, image or audio file.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Tell what a media file is: kind, container, duration, picture and sound."""
    from free_music_ai.config import load_settings
    from free_music_ai.engine.probe import probe as probe_file

    settings = load_settings()
    info = probe_file(file, settings.max_input_bytes)
    if as_json:
        print_json(info.model_dump(mode="json"))
        return
    typer.echo(
        f"{info.path}\n  {info.kind.value}, {info.container}, {info.duration_s:.2f} s, {info.size_bytes:,} bytes"
    )
    if info.video:
        v = info.video
        shown = (
            f"shown {v.display_width}x{v.display_height}"
            if (v.display_width, v.display_height) != (v.width, v.height)
            else ""
        )
        extras = ", ".join(
            x
            for x in (shown, f"rotated {v.rotation}°" if v.rotation else "", "variable frame rate" if v.vfr else "")
            if x
        )
        typer.echo(f"  picture: {v.codec} {v.width}x{v.height} at {v.fps:g} fps" + (f" ({extras})" if extras else ""))
    if info.audio:
        typer.echo(f"  sound: {info.audio.codec} {info.audio.sample_rate} Hz, {info.audio.channels} channels")


@app.command()
@friendly_errors
def render(
    ctx: typer.Context,
    inputs: Annotated[list[Path], typer.Argument(help="Videos and images, in order; audio files become music.")],
    *,
    prompt: Annotated[
        str | None,
        typer.Option(
            "--prompt",
            "-p",
            help="What music to make: 'generate a background music track that matches the mood of my video'.",
        ),
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output MP4 (never overwritten).")] = None,
    music: Annotated[list[Path] | None, typer.Option("--music", help="An audio file to mix in.")] = None,
    music_volume: Annotated[
        float | None,
        typer.Option(
            # the top is project.model.MAX_MUSIC_VOLUME in percent (not imported: pydantic would load for --help)
            help="Music level in percent, 0-150 (default: 35 under the video's own sound, else 100).",
            min=0,
            max=150,
        ),
    ] = None,
    title: Annotated[str | None, typer.Option(help="A title shown for the first 3 seconds.")] = None,
    aspect: Annotated[str, typer.Option(help=f"Canvas: {choices(Aspect)}.")] = Aspect.AUTO.value,
    fit: Annotated[str, typer.Option(help=f"How a picture of another shape fits: {choices(Fit)}.")] = Fit.BLUR.value,
    image_seconds: Annotated[float, typer.Option(help="How long each image is shown.", min=0.5, max=600)] = 4.0,
    seed: Annotated[int | None, typer.Option(help="Seed for the music (same seed, same music).", min=0)] = None,
    crf: Annotated[
        int | None, typer.Option(help="Quality, lower is better (overrides FMAI_CRF).", min=0, max=51)
    ] = None,
    preset: Annotated[str | None, typer.Option(help="libx264 preset (overrides FMAI_X264_PRESET).")] = None,
    ffmpeg: Annotated[str | None, typer.Option(help="ffmpeg binary to use (overrides FMAI_FFMPEG).")] = None,
    each: Annotated[
        bool,
        typer.Option("--each", help="With -p: each video or image gets its own music and file (-o: a folder)."),
    ] = False,
    backend: Annotated[
        str | None, typer.Option(help="With -p: local (this machine) or nemo (the NemoVideo cloud).")
    ] = None,
    stems: Annotated[
        Path | None, typer.Option(help="With -p: also write each part of the music as a WAV into this folder.")
    ] = None,
    midi: Annotated[Path | None, typer.Option(help="With -p: also write the music's notes as a MIDI file.")] = None,
    like: Annotated[
        Path | None,
        typer.Option(
            help="The music of an earlier export (its NAME.license.json), fitted to these videos: the "
            "same piece, at their length, on their cuts."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    sign_key: SignKey = None,
    sign_cert: SignCert = None,
    no_credentials: NoCredentials = False,
) -> None:
    """Render videos and/or images into a ready-to-post 1080p MP4; with -p, with original music made for them."""
    canvas, fitted = _choice("aspect", aspect, Aspect), _choice("fit", fit, Fit)
    from free_music_ai.engine.analysis.prefetch import ReadAhead

    reading = ctx.obj if isinstance(ctx.obj, ReadAhead) else None  # started by the entry point
    if prompt is not None and backend != "nemo":
        from free_music_ai.engine.formats import VIDEO_EXTENSIONS

        reading = reading or ReadAhead()
        reading.start(inputs, VIDEO_EXTENSIONS)  # read while the rest of the program loads (not twice)
    from free_music_ai.config import load_settings

    settings = load_settings({"crf": crf, "x264_preset": preset, "ffmpeg": ffmpeg,
                              **signing_overrides(sign_key, sign_cert, no_credentials)})  # fmt: skip
    if prompt is None and (each or backend or stems or midi):
        raise InputError("--each, --backend, --stems and --midi go with -p: they are about the music it makes.")
    from free_music_ai.cli.oneshot import one_shot
    from free_music_ai.service.music_files import ExportExtras

    # one path with or without words: the same project, the same mix. Flags are values: the user's own song
    # stays the music; pictures fit and last as asked
    look = {"fit": None if fitted == Fit.BLUR else fitted,
            "image_seconds": None if image_seconds == 4.0 else image_seconds,
            "keep_music": True if music else None, "fit_spec": _earlier_music(like, music)}  # fmt: skip
    if like is not None and prompt is None:
        prompt = ""  # the music is the earlier piece's: nothing more to say
    one_shot([*inputs, *(music or [])], prompt, output, aspect=canvas, title=title, seed=seed,
             music_volume=music_volume, settings=settings, as_json=as_json, each=each,
             backend_name=backend if prompt is not None else "local", extras=ExportExtras(stems, midi), look=look,
             read_ahead=reading)  # fmt: skip


def _earlier_music(like: Path | None, music: list[Path] | None) -> dict[str, object] | None:
    """The spec of the music an earlier export holds (its licence sidecar), to fit to new videos."""
    if like is None:
        return None
    if music:
        raise InputError("--like fits an earlier piece of ours; --music brings your own song. Give one of them.")
    if not like.is_file():
        raise InputError(f"There is no file {like}. Give the NAME.license.json written beside an exported video.")
    from pydantic import ValidationError

    from free_music_ai.engine.music.spec import MusicSpec
    from free_music_ai.service.licence import read_sidecar

    try:
        return MusicSpec.model_validate(read_sidecar(like)["spec"]).model_dump(mode="json")
    except ValidationError as exc:
        raise InputError(f"{like.name} holds a spec this version cannot read: {exc.errors()[0]['msg']}.") from None


def _choice(name: str, value: str, allowed: type[Choice]) -> Choice:
    """The value of a flag with a closed set of values, or an error that lists them (not typer's usage text)."""
    try:
        return allowed(value)
    except ValueError:
        raise InputError(f"--{name} {value!r} is not one of: {choices(allowed)}.") from None


@app.command()
@friendly_errors
def demo(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the demo MP4.")] = None,
    *,
    sign_key: SignKey = None,
    sign_cert: SignCert = None,
    no_credentials: NoCredentials = False,
) -> None:
    """Make a sample clip and give it music, end to end, to see the whole product work on this machine."""
    from free_music_ai.cli.oneshot import one_shot
    from free_music_ai.config import load_settings
    from free_music_ai.engine import sample_media
    from free_music_ai.engine.leftovers import scratch_folder

    settings = load_settings(signing_overrides(sign_key, sign_cert, no_credentials))
    target = output or (settings.output_dir or Path.cwd()) / "free-music-ai-demo.mp4"
    with scratch_folder("demo") as work:
        clip = sample_media.make_scenes(
            Path(work) / "sample.mp4",
            ["0x1d3557", "0xe63946", "0xf1faee", "0x457b9d", "0xa8dadc"],
            scene_s=2.4,
            ffmpeg=settings.ffmpeg,
        )
        one_shot(
            [clip],
            "generate a background music track that matches the mood of my video",
            target,
            aspect=Aspect.TALL,
            title="free-music-ai demo",
            seed=7,
            music_volume=None,
            settings=settings,
            as_json=False,
            backend_name="local",
        )


_register_groups()


def main(read_ahead: ReadAhead | None = None) -> None:
    """Run the command line; ``read_ahead``: the videos the entry point started reading, for the command."""
    from free_music_ai.engine.leftovers import stop_on_terminate

    stop_on_terminate()  # SIGTERM ends the command through the same clean-up as Ctrl+C
    try:
        app(obj=read_ahead)
    except SystemExit as done:
        _exit_now(done.code)
    _exit_now(0)


EXIT_GRACE_S = 0.5


def _exit_now(code: int | str | None) -> None:
    """End the process; when nothing is left running, without the interpreter's teardown.

    Unloading numpy, PyAV and pydantic module by module takes a noticeable moment (0.1-0.2 s)
    after the work is done. When no other thread runs, every file is closed and only the output streams
    and log handlers hold anything, so those are flushed and the process ends at once.
    """
    import logging
    import os
    import sys
    import threading
    import time

    from free_music_ai.cli.support import reader_gone

    try:  # what is still buffered (a --json answer) reaches the reader now, or the reader is gone
        sys.stdout.flush()
    except BrokenPipeError:
        code = reader_gone()
    others = [t for t in threading.enumerate() if t is not threading.main_thread() and not t.daemon]
    deadline = time.monotonic() + EXIT_GRACE_S
    for thread in others:  # pool workers that are just stopping
        thread.join(max(0.0, deadline - time.monotonic()))
    if any(thread.is_alive() for thread in others):
        sys.exit(code)  # something still works: let the interpreter wait for it as usual
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    from free_music_ai.engine.leftovers import clean_up

    clean_up()  # os._exit skips atexit: stop helpers and remove partial files here
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":
    main()
