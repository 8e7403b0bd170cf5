"""The keyframes-first reading (analysis/windowed.py) against the usual one, clip by clip: same transitions?

For each clip (the real ones in ../shared/media, the same re-encoded as x264 with short GOPs so that the
keyframes-first path is taken on real film, and generated cut, fade and dissolve clips) both readings run on
the same file, and this prints which path the new reading took, its transitions against the usual ones (per
kind: found / usual, extra ones, the largest time offset), what the music would hear (the largest difference
in energy per second, valence, arousal, mean motion and brightness; genre, tempo and key as planned) and the
CPU time of each reading (this process, all its threads).

With --sweep, also 50 short clips with a cut at each of 10 places against the 2 s GOPs (on a keyframe, a frame
or two after one, mid-GOP, a frame before the next) into a near-alike shot (hue +12, +20 or +30, brighter,
mirrored) or another one, and 9 with a short dip to black between the windows, on moving, still and busy
pictures; a line each: how many disagree with the usual reading, and how many gave way to it.

Usage: python tools/window_agreement.py [--media ../shared/media] [--quick] [--sweep]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import tempfile
from pathlib import Path

from free_music_ai.engine import sample_media
from free_music_ai.engine.analysis.analyze import _build
from free_music_ai.engine.analysis.cuts import find_transitions
from free_music_ai.engine.analysis.frames import read_frames
from free_music_ai.engine.analysis.model import Analysis, TransitionModel
from free_music_ai.engine.analysis.sound import read_sound
from free_music_ai.engine.analysis.windowed import read_windowed
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.plan.plan import plan_music
from free_music_ai.engine.probe import probe

SHORT_GOP = ["-c:v", "libx264", "-preset", "veryfast", "-g", "60", "-pix_fmt", "yuv420p"]  # as the bench clip


def cpu_s() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", *args], check=True)


def generated(work: Path, quick: bool) -> list[Path]:
    """Moving pictures with x264's scene-cut keyframes and 2 s GOPs: cuts (inside GOPs, on keyframes, between
    similar pictures), a dissolve, a fade through black; the same cuts with a fixed GOP; flat colour scenes."""
    moving = "testsrc2=s=640x360:r=30:d={d},hue=h={h}"

    def shots(name: str, parts: list[tuple[float, int]], *extra: str) -> Path:
        chain = ";".join(f"{moving.format(d=d, h=h)}[s{k}]" for k, (d, h) in enumerate(parts))
        joined = "".join(f"[s{k}]" for k in range(len(parts)))
        ffmpeg("-f", "lavfi", "-i", f"{chain};{joined}concat=n={len(parts)}:v=1:a=0", *SHORT_GOP, *extra,
               str(work / name))  # fmt: skip
        return work / name

    clips = [sample_media.make_scenes(work / "scenes.mp4", ["red", "navy", "yellow", "green", "white"], scene_s=1.7)]
    clips.append(shots("cuts.mp4", [(5.0, 0), (4.5, 120), (5.7, 240), (4.8, 60)]))
    clips.append(shots("similar-cuts.mp4", [(6.0, 0), (6.5, 120), (7.5, 160)]))  # hue 120 -> 160
    clips.append(shots("fixed-gop.mp4", [(5.0, 0), (4.5, 120), (5.7, 240), (4.8, 60)], "-sc_threshold", "0"))
    clips.append(work / "dissolve.mp4")
    ffmpeg("-f", "lavfi", "-i", moving.format(d=9, h=0), "-f", "lavfi", "-i", "testsrc2=s=640x360:r=30:d=9,negate",
           "-filter_complex", "[0:v][1:v]xfade=transition=fade:duration=1:offset=8", *SHORT_GOP,
           str(clips[-1]))  # fmt: skip
    clips.append(work / "fade.mp4")
    ffmpeg("-f", "lavfi", "-i", f"{moving.format(d=10, h=0)},fade=t=out:st=9:d=1[a];color=c=black:s=640x360:"
           f"r=30:d=0.5[b];{moving.format(d=12, h=90)},fade=t=in:st=0:d=1[c];[a][b][c]concat=n=3:v=1:a=0",
           *SHORT_GOP, str(clips[-1]))  # fmt: skip
    if not quick:
        clips.append(sample_media.make_video(work / "bench.mp4", duration_s=60, width=1920, height=1080))
    return clips


def sweep(work: Path) -> None:
    """Cuts at every place against the GOPs, into near-alike shots, and dips to black (0.4 s out, 0.15 s black,
    0.4 s in) on moving, still and busy pictures: disagreements and fallbacks, in one line each."""
    shot = "testsrc2=s=480x270:r=30:d={d}"
    changes = ["hue=h=12", "hue=h=20", "eq=brightness=0.06", "hflip", "vflip", "hue=h=30", "hue=h=150"]
    cuts = []
    for at in (4.0, 4.033, 4.067, 4.2, 4.45, 4.5, 4.55, 5.0, 5.5, 5.967):
        for change in changes if at in (4.0, 4.2, 4.5, 5.0, 5.5, 5.967) else changes[-2:]:
            clip = work / f"sweep-{at}-{change.replace('=', '')}.mp4"
            ffmpeg("-f", "lavfi", "-i", f"{shot.format(d=at)}[a];{shot.format(d=round(10.5 - at, 3))},{change}[b];"
                   f"{shot.format(d=6)},hue=h=90[c];[a][b][c]concat=n=3:v=1:a=0", *SHORT_GOP, str(clip))  # fmt: skip
            cuts.append(clip)
    dips = []
    for source in ("testsrc2", "smptebars", "testsrc"):
        for at in (8.6, 8.9, 12.55):
            dips.append(work / f"dip-{source}-{at}.mp4")
            black = round(at + 0.55, 3)
            ffmpeg("-f", "lavfi", "-i", f"{source}=s=480x270:r=30:d=20", "-filter_complex",
                   f"[0]split=2[a][b];[a]trim=0:{black},fade=t=out:st={at}:d=0.4[a1];[b]trim={black},"
                   "setpts=PTS-STARTPTS,fade=t=in:st=0.15:d=0.4[b1];[a1][b1]concat=n=2:v=1:a=0", *SHORT_GOP,
                   str(dips[-1]))  # fmt: skip
    for name, clips in (("cuts", cuts), ("dips to black", dips)):
        disagree, usual_way = [], 0
        for clip in clips:
            frames = read_frames(clip)
            usual = [(t.time_s, t.kind) for t in find_transitions(frames, clip)]
            windowed = read_windowed(clip)
            usual_way += windowed is None
            if windowed is not None and [(t.time_s, t.kind) for t in windowed[1]] != usual:
                disagree.append(clip.name)
        print(f"sweep of {name}: {len(clips)} clips, {len(disagree)} disagree with the usual reading {disagree}, "
              f"{usual_way} read the usual way")  # fmt: skip


def re_encoded(real: list[Path], work: Path) -> list[Path]:
    """The real clips with x264's scene-cut keyframes every 2 s at most: the keyframes-first path on film."""
    out = []
    for clip in real:
        if clip.name in ("fades.mp4", "testvideo.mp4", "goldeneye-vfr-drop3.mp4", "issue-195-aspect-ratio.mp4"):
            out.append(work / f"short-gop-{clip.stem}.mp4")
            ffmpeg("-i", str(clip), "-an", *SHORT_GOP, str(out[-1]))
    return out


def both(clip: Path) -> tuple[Analysis, Analysis | None, float, float]:
    """The usual analysis, the keyframes-first one (None when it gave way), and the CPU time of each reading."""
    duration = probe(clip, 10**10).duration_s
    sound = read_sound(clip, duration)
    start = cpu_s()
    frames = read_frames(clip)
    usual = _build(frames, models(find_transitions(frames, clip)), duration, sound, "video")
    middle = cpu_s()
    windowed = read_windowed(clip)
    new = _build(windowed[0], models(windowed[1]), duration, sound, "video") if windowed is not None else None
    return usual, new, middle - start, cpu_s() - middle


def models(found: list) -> list[TransitionModel]:  # type: ignore[type-arg]
    return [TransitionModel(time_s=t.time_s, kind=t.kind) for t in found]


def compare(usual: Analysis, new: Analysis) -> str:
    said = []
    for kind in ("cut", "fade", "dissolve"):
        want = [t.time_s for t in usual.transitions if t.kind == kind]
        got = [t.time_s for t in new.transitions if t.kind == kind]
        found = [min(got, key=lambda g, w=w: abs(g - w)) for w in want if got]
        offsets = [abs(g - w) for g, w in zip(found, want, strict=False)]
        hit = sum(1 for o in offsets if o <= 0.05)
        extra = sum(1 for g in got if not any(abs(g - w) <= 0.05 for w in want))
        if want or got:
            said.append(f"{kind} {hit}/{len(want)} +{extra} off<={max(offsets, default=0):.3f}")
    energy = max(abs(a - b) for a, b in zip(usual.energy, new.energy, strict=True))
    a, b = plan_music(usual).suggested, plan_music(new).suggested
    music = "same music" if (a.genre, a.bpm, a.key, a.mode) == (b.genre, b.bpm, b.key, b.mode) else (
        f"music {a.genre}/{a.bpm}/{a.key} {a.mode} -> {b.genre}/{b.bpm}/{b.key} {b.mode}")  # fmt: skip
    return (f"{'; '.join(said) or 'no transitions'} | energy {energy:.3f} valence {new.valence - usual.valence:+.3f} "
            f"arousal {new.arousal - usual.arousal:+.3f} motion {new.motion - usual.motion:+.4f} "
            f"brightness {new.brightness - usual.brightness:+.4f} | {music}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--media", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "media")
    parser.add_argument("--quick", action="store_true", help="leave out the 60 s 1080p bench clip")
    parser.add_argument("--sweep", action="store_true", help="also 50 clips with a cut at every place in a GOP")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="window-agreement-") as work_dir:
        work = Path(work_dir)
        real = sorted(p for p in args.media.iterdir() if p.suffix.lower() in (".mp4", ".mkv", ".mov"))
        for clip in [*real, *re_encoded(real, work), *generated(work, args.quick)]:
            usual, new, usual_cpu, new_cpu = both(clip)
            cost = f"CPU {usual_cpu:5.2f} s usual, {new_cpu:5.2f} s new"
            if new is None:
                print(f"{clip.name:36s} usual path ({len(usual.transitions)} transitions)  {cost}")
            else:
                print(f"{clip.name:36s} keyframes first  {cost}  {compare(usual, new)}")
        if args.sweep:
            sweep(work)


if __name__ == "__main__":
    main()
