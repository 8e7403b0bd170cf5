"""Where the one-shot's time goes: `free-music-ai render CLIP -p "..."` run cold in a fresh process, each stage's
start and end (wall seconds from the process's start, and the thread it ran on), with the process's CPU and page
faults when it ended. This is the breakdown the README's `bench_e2e` row gives; bench_e2e gives the totals.

The stages are functions of the package wrapped before the command starts (a stage whose function has moved is
left out and named). Wrapping costs about 0.25 s of imports before the command's own start, which the trace shows.

Usage: python tools/stage_trace.py [--clip CLIP] [--seconds 60] [--seed 5] [--repeat 2]
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from one_shot import PROMPT, cold_env, compile_bytecode

# (module, owner class or None, function): the one-shot's stages, in the order they run
STAGES = (
    ("free_music_ai.engine.analysis.prefetch", None, "read_video"),
    ("free_music_ai.engine.analysis.analyze", None, "analyze"),
    ("free_music_ai.service.music_job", None, "make_music"),
    ("free_music_ai.engine.music.produce", None, "compose"),
    ("free_music_ai.engine.soundfont.synth", "Synthesizer", "_plan"),
    ("free_music_ai.engine.soundfont.synth", "Synthesizer", "_prepare"),
    ("free_music_ai.engine.music.produce", None, "render_piece"),
    ("free_music_ai.service.export_job", None, "render_project"),
    ("free_music_ai.service.credentials", None, "pcm_sha256"),
    ("free_music_ai.engine.soundtrack", None, "mix_soundtrack"),
    ("free_music_ai.engine.soundtrack", None, "limit_in_place"),
    ("free_music_ai.engine.render.encoded_peak", "EncodedSound", "__init__"),  # the encode; its check runs beside
    ("free_music_ai.engine.render.render", None, "mux_copied_picture"),
    ("free_music_ai.service.credentials", None, "sign_in_place"),
)


def _faults() -> int:
    try:
        return int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[7])  # minflt (Linux)
    except (OSError, IndexError, ValueError):
        return 0


def _wrap(owner: Any, name: str, label: str, start: float, log: Path) -> None:
    function = getattr(owner, name)

    @functools.wraps(function)
    def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter() - start
        try:
            return function(*args, **kwargs)
        finally:
            cpu = os.times()
            event = {"stage": label, "start": began, "end": time.perf_counter() - start,
                     "thread": threading.current_thread().name, "cpu": cpu.user + cpu.system,
                     "faults": _faults()}  # fmt: skip
            with log.open("a") as out:  # a line a stage: the command ends with os._exit, without atexit
                out.write(json.dumps(event) + "\n")

    setattr(owner, name, timed)


def _child(log: Path, argv: list[str]) -> None:
    """In the traced process: wrap the stages, then run the command as its entry point does."""
    start = time.perf_counter()
    missing = []
    for module_name, class_name, name in STAGES:
        try:
            owner: Any = importlib.import_module(module_name)
            owner = getattr(owner, class_name) if class_name else owner
            getattr(owner, name)
        except (ImportError, AttributeError):
            missing.append(f"{module_name}.{class_name + '.' if class_name else ''}{name}")
            continue
        _wrap(owner, name, f"{class_name or module_name.rsplit('.', 1)[1]}.{name}", start, log)
    with log.open("a") as out:
        out.write(json.dumps({"wrapped_after": time.perf_counter() - start, "missing": missing}) + "\n")
    from free_music_ai.cli.launch import main

    sys.argv = ["free-music-ai", *argv]
    main()


def _show(log: Path, wall: float) -> None:
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    head = next((line for line in lines if "wrapped_after" in line), {"wrapped_after": 0.0, "missing": []})
    print(f"process {wall:.2f} s wall; stages wrapped after {head['wrapped_after']:.2f} s")
    if head["missing"]:
        print(f"not found (moved?): {', '.join(head['missing'])}")
    print(f"{'start':>6} {'end':>6} {'wall':>5} {'CPU at end':>10} {'faults':>7}  {'thread':22} stage")
    for event in sorted((line for line in lines if "stage" in line), key=lambda e: e["start"]):
        print(f"{event['start']:6.2f} {event['end']:6.2f} {event['end'] - event['start']:5.2f} {event['cpu']:10.2f} "
              f"{event['faults']:7d}  {event['thread'][:22]:22} {event['stage']}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clip", type=Path, help="the video (default: a generated 1080p30 H.264+AAC clip)")
    parser.add_argument("--seconds", type=float, default=60.0, help="the generated clip's length")
    parser.add_argument("--seed", type=int, default=5, help="the music's seed (the same piece each run)")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _child(Path(args.child[0]), args.child[1:])
        return
    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="fmai-trace-") as work_dir:
        work = Path(work_dir)
        clip = args.clip
        if clip is None:
            from free_music_ai.engine import sample_media

            clip = sample_media.make_video(work / "clip.mp4", duration_s=args.seconds, width=1920, height=1080)
        for turn in range(max(1, args.repeat)):
            log = work / f"trace{turn}.jsonl"
            command = [sys.executable, __file__, "--child", str(log), "render", str(clip.absolute()), "-p", PROMPT,
                       "-o", str(work / f"out{turn}.mp4"), "--json", "--seed", str(args.seed)]  # fmt: skip
            env = cold_env(work, f"trace{turn}")
            began = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True, env=env)
            print(f"\n== run {turn + 1} (machine: {os.cpu_count()} cores)")
            _show(log, time.perf_counter() - began)


if __name__ == "__main__":
    main()
