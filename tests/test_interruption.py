"""Stopping the program mid-render leaves nothing behind: no ffmpeg still encoding, no hidden partial file,
no scratch folder; a program killed outright is cleaned up after by the next one to start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from free_music_ai.backends.local_engine import LocalEngine
from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Long enough that re-encoding it for 9:16 takes several seconds (8-10 s on 2 cores; the stop comes as ffmpeg
    starts, after well under 2 s of analysis and music)."""
    folder = tmp_path_factory.mktemp("long")
    return sample_media.make_video(folder / "long.mp4", duration_s=16, width=1280, height=720)


def _start_render(tmp_path: Path, clip: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    out_dir, scratch = tmp_path / "out", tmp_path / "scratch"
    out_dir.mkdir()
    scratch.mkdir()
    env = {**os.environ, "FMAI_DATA_DIR": str(tmp_path / "data"), "FMAI_CACHE_DIR": str(tmp_path / "cache"),
           "TMPDIR": str(scratch)}  # fmt: skip
    command = [sys.executable, "-m", "free_music_ai.cli", "render", str(clip), "-o", str(out_dir / "v.mp4"),
               "--aspect", "9:16"]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not (_encoders(out_dir) and list(out_dir.iterdir())):  # ffmpeg is writing the hidden partial file
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "ffmpeg never started"
        time.sleep(0.05)
    return process, out_dir, scratch


def _encoders(out_dir: Path) -> list[int]:
    """Processes whose command line writes into ``out_dir`` (ffmpeg)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                args = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if args and b"ffmpeg" in args[0] and any(str(out_dir).encode() in a for a in args):
                found.append(int(entry.name))
    return found


def _gone(out_dir: Path, wait_s: float = 10.0) -> bool:
    deadline = time.monotonic() + wait_s
    while _encoders(out_dir) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not _encoders(out_dir)


pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find ffmpeg")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_a_stopped_render_leaves_nothing(tmp_path: Path, long_clip: Path, stop: signal.Signals) -> None:
    process, out_dir, scratch = _start_render(tmp_path, long_clip)
    process.send_signal(stop)
    _, err = process.communicate(timeout=30)
    assert process.returncode != 0
    assert _gone(out_dir), "ffmpeg kept encoding after the program stopped"
    assert list(out_dir.iterdir()) == [], "a partial file was left"
    assert list(scratch.iterdir()) == [], "a scratch folder was left"
    assert b"Traceback" not in err
    if stop == signal.SIGINT:
        assert b"nothing was written" in err


def test_a_killed_render_is_cleaned_up_by_the_next_start(tmp_path: Path, long_clip: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    process, out_dir, scratch = _start_render(tmp_path, long_clip)
    process.kill()  # SIGKILL: no clean-up of its own is possible
    process.communicate(timeout=30)
    assert _gone(out_dir), "ffmpeg outlived the program that started it"
    assert [p for p in out_dir.iterdir() if ".partial-" in p.name], "the test needs a leftover to clean"
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    engine = LocalEngine(load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"}),
                         tmp_path / "data")  # fmt: skip
    engine.close()
    assert list(out_dir.iterdir()) == []
    assert list(scratch.iterdir()) == []


def test_the_windows_job_limits_have_the_windows_layout() -> None:
    """JOBOBJECT_EXTENDED_LIMIT_INFORMATION is 144 bytes on 64-bit Windows (winnt.h); Linux x86-64 lays out
    the same C types the same way, so a wrong field here shows on any 64-bit machine. Elsewhere the job is
    not used."""
    import ctypes

    from free_music_ai.engine.windows_job import ExtendedLimits, end_with_this_process

    if ctypes.sizeof(ctypes.c_void_p) == 8:
        assert ctypes.sizeof(ExtendedLimits) == 144
        assert ExtendedLimits.basic.offset == 0 and ExtendedLimits.io.offset == 64
    if sys.platform != "win32":
        assert end_with_this_process(os.getpid()) is False


HELD_THREAD_STATE = """
import os, threading, time
from free_music_ai.engine.leftovers import start_child

class Blocks:  # a thread's object whose release never returns, as a PyAV scaler's sws_freeContext did
    def __del__(self):
        threading.Event().wait()

local, ready = threading.local(), threading.Event()

def hold():
    local.held = Blocks()
    ready.set()
    time.sleep(60)

threading.Thread(target=hold, daemon=True).start()
ready.wait()
process = start_child(["true"])
print("ended", process.wait(), flush=True)
os._exit(0)  # the held object would block this interpreter's own exit
"""


def test_a_helper_program_starts_whatever_another_thread_holds() -> None:
    """ffmpeg was started with a Python hook between fork and exec (to set its death signal); in the child, Python
    then tore down every other thread's state, and a thread's PyAV scaler waited there forever: ffmpeg never
    started and the render hung (two test workers at once). A helper program now starts and ends at once while
    another thread holds an object whose release never returns."""
    done = subprocess.run([sys.executable, "-c", HELD_THREAD_STATE], capture_output=True, text=True, timeout=30)
    assert done.stdout.strip() == "ended 0", (done.stdout, done.stderr)


def test_an_old_setpriv_does_not_stop_ffmpeg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """util-linux before 2.33 has a setpriv without --pdeathsig: put in front of every helper program it would have
    failed them all. Found so, it is left out and the program runs (without a death signal)."""
    from free_music_ai.engine import leftovers

    fake = tmp_path / "setpriv"
    fake.write_text("#!/bin/sh\necho 'setpriv: unrecognized option --pdeathsig' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    leftovers._death_signal_setter.cache_clear()
    try:
        process = leftovers.start_child(["sh", "-c", "exit 7"])
        assert process.wait(timeout=10) == 7
        leftovers.child_ended(process)
    finally:
        leftovers._death_signal_setter.cache_clear()
