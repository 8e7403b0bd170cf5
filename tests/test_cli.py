"""The command line as a person or a script uses it: exit codes, JSON shapes, messages, and no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from free_music_ai.cli import app
from media_checks import facts

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_probe_json_keys(clip_720: Path) -> None:
    code, out, _ = run("probe", str(clip_720), "--json")
    assert code == 0
    data = json.loads(out)
    assert {"path", "kind", "container", "duration_s", "size_bytes", "video", "audio"} <= data.keys()
    assert {"codec", "width", "height", "display_width", "display_height", "fps", "vfr", "rotation"} <= data[
        "video"
    ].keys()
    assert data["audio"].keys() >= {"codec", "sample_rate", "channels"}
    assert data["kind"] == "video"


def test_probe_human(clip_720: Path) -> None:
    code, out, _ = run("probe", str(clip_720))
    assert code == 0 and "1280x720" in out and "30 fps" in out


@pytest.mark.parametrize("kind", ["missing", "folder", "text", "empty"])
def test_bad_input_exit_2_with_advice(tmp_path: Path, kind: str) -> None:
    path = {"missing": tmp_path / "nope.mp4", "folder": tmp_path, "text": tmp_path / "t.mp4",
            "empty": tmp_path / "e.mp4"}[kind]  # fmt: skip
    if kind == "text":
        path.write_text("hello")
    if kind == "empty":
        path.write_bytes(b"")
    code, out, err = run("probe", str(path))
    assert code == 2 and out == ""
    assert err.startswith("error:") and "Traceback" not in err


def test_render_json(tmp_path: Path, clip_720: Path, music_wav: Path) -> None:
    out = tmp_path / "out.mp4"
    code, stdout, err = run("render", str(clip_720), "--music", str(music_wav), "--music-volume", "35",
                            "--title", "Hello: 'world'", "--aspect", "9:16", "-o", str(out), "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(stdout)
    assert set(data) == {"output", "duration_s", "width", "height", "video_copied"}
    assert data["output"] == str(out) and (data["width"], data["height"]) == (1080, 1920)
    f = facts(out)
    assert (f.width, f.height) == (1080, 1920) and f.audio_codec == "aac"


def test_render_never_overwrites_and_says_so(tmp_path: Path, clip_1080: Path) -> None:
    out = tmp_path / "same.mp4"
    out.write_bytes(b"keep me")
    code, stdout, err = run("render", str(clip_1080), "-o", str(out))
    assert code == 0
    assert "exists already" in err and str(tmp_path / "same-1.mp4") in stdout
    assert out.read_bytes() == b"keep me"


def test_render_bad_choice(tmp_path: Path, clip_720: Path) -> None:
    code, _, err = run("render", str(clip_720), "--aspect", "21:9", "-o", str(tmp_path / "x.mp4"))
    assert code == 2 and "is not one of" in err
    assert list(tmp_path.iterdir()) == []


def test_render_audio_only_is_refused(tmp_path: Path, music_wav: Path) -> None:
    code, _, err = run("render", str(music_wav), "-o", str(tmp_path / "x.mp4"))
    assert code == 2 and "no video or image" in err


def test_console_script_reports_without_traceback(tmp_path: Path) -> None:
    """The installed entry point, as a user runs it."""
    bad = tmp_path / "bad.mov"
    bad.write_text("nope")
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "probe", str(bad)], capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "could not be read as mov" in done.stderr


def test_console_script_output_complete_at_exit(clip_720: Path) -> None:
    """The entry point skips the interpreter's teardown when it is done: nothing it printed may be lost."""
    done = subprocess.run([sys.executable, "-m", "free_music_ai.cli", "probe", str(clip_720), "--json"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["video"]["width"] == 1280


def test_demo_makes_a_playable_file(tmp_path: Path) -> None:
    code, out, err = run("demo", "-o", str(tmp_path / "demo.mp4"))
    assert code == 0, err
    lines = out.strip().splitlines()
    path = Path(lines[0])  # the file first, then the explanation of the music and the timeline
    f = facts(path)
    assert (f.width, f.height) == (1080, 1920) and f.audio_codec == "aac"
    assert lines[-1].strip().startswith("Timeline (3 tracks)") and "BGM" in lines[-1]


def test_a_plain_render_is_mixed_like_one_with_music_made(tmp_path: Path, silent_clip: Path, music_wav: Path) -> None:
    """With or without -p, one path: the same loudness (-14 LUFS, peaks under -1 dBTP, measured by ffmpeg),
    and a song longer than the video ends with it, softly."""
    import numpy as np

    from media_checks import audio_samples, rms_db
    from music_checks import ebur128

    out = tmp_path / "plain.mp4"
    code, _, err = run("render", str(silent_clip), "--music", str(music_wav), "-o", str(out), "--json")
    assert code == 0, err
    samples, rate = audio_samples(out)
    lufs, peak = ebur128(samples.T.astype(np.float32), tmp_path)
    assert abs(lufs + 14) <= 1.0 and peak <= -1.0
    assert rms_db(samples[:, -rate // 10 :]) < rms_db(samples[:, rate : 3 * rate]) - 10  # faded out at the end
    two = run("render", str(silent_clip), "--music", str(music_wav), "--music", str(music_wav), "-o", str(out))
    assert two[0] == 2 and "one song" in two[2]


def test_a_level_out_of_range_says_the_range(tmp_path: Path, clip_720: Path) -> None:
    """A "music 300%" is refused before any music is made, with the range and what to type instead (it ended in
    "unexpected error: ExceptionGroup" once the music was made); the flag has the same range."""
    out = tmp_path / "loud.mp4"
    code, _, err = run("render", str(clip_720), "-p", "music 300%", "-o", str(out))
    assert code == 2 and "ExceptionGroup" not in err, err
    assert "from 0 to 150%" in err and "300%" in err and '"music 150%"' in err
    code, _, err = run("render", str(clip_720), "-p", "original sound 500%", "-o", str(out))
    assert code == 2 and "from 0 to 400%" in err
    code, _, err = run("render", str(clip_720), "--music-volume", "300", "-o", str(out))
    assert code == 2 and "--music-volume" in err and "150" in err
    assert list(tmp_path.iterdir()) == []


def test_an_unexpected_error_in_a_task_group_is_named_by_itself() -> None:
    """Whatever a task in a task group raises reaches the user as itself, never as "ExceptionGroup"."""
    import anyio
    import typer
    from pydantic import BaseModel, Field, ValidationError

    from free_music_ai.cli.support import friendly_errors
    from free_music_ai.errors import InputError

    async def fail(error: Exception) -> None:
        async def task() -> None:
            raise error

        async with anyio.create_task_group() as group:
            group.start_soon(task)

    class Level(BaseModel):
        volume: float = Field(le=1.5)

    with pytest.raises(ValidationError) as invalid:
        Level(volume=3.0)
    for error, code, said in ((InputError("Say it another way."), 2, "error: Say it another way."),
                              (ValueError("the reason"), 1, "unexpected error: ValueError: the reason"),
                              (invalid.value, 1, "ValidationError: 1 validation error for Level. Run")):  # fmt: skip
        one = typer.Typer()
        one.command()(friendly_errors(lambda error=error: anyio.run(fail, error)))
        result = runner.invoke(one, [])
        assert result.exit_code == code and said in result.stderr and "Group" not in result.stderr, result.stderr
        assert "pydantic.dev" not in result.stderr and "type=" not in result.stderr  # the library's report: in the log


@pytest.mark.parametrize(
    "args",
    [["probe", "{clip}"], ["probe", "{clip}", "--json"], ["analyze", "{clip}"], ["analyze", "{clip}", "--json"],
     ["render", "{clip}", "-o", "{out}"], ["render", "{clip}", "-o", "{out}", "--json"], ["--version"]],
)  # fmt: skip
def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path: Path, clip_1080: Path, args: list[str]) -> None:
    """`free-music-ai analyze CLIP | head -1`: once the reader is gone (here before the first line), the command
    ends as a program ended by SIGPIPE does, with nothing on stderr (it printed "lost sys.stderr")."""
    import os

    import free_music_ai

    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's code, whatever is installed
    read, write = os.pipe()
    os.close(read)
    try:
        argv = [arg.format(clip=clip_1080, out=tmp_path / "piped.mp4") for arg in args]
        done = subprocess.run([sys.executable, "-m", "free_music_ai", *argv], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120, env={**os.environ, "PYTHONPATH": source})  # fmt: skip
    finally:
        os.close(write)
    assert done.stderr == "", done.stderr
    assert done.returncode == (1 if args == ["--version"] else 141)  # click ends its own --version with 1
