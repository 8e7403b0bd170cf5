"""Analyze videos and images: one pass over the picture, one over the sound, cached by content."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from free_music_ai.engine.analysis.cache import AnalysisCache, content_hash
from free_music_ai.engine.analysis.frames import FrameFeatures, read_frames
from free_music_ai.engine.analysis.model import Analysis, ReasonModel, TransitionModel
from free_music_ai.engine.analysis.prefetch import ReadAhead, read_video
from free_music_ai.engine.analysis.sound import SoundFeatures
from free_music_ai.engine.analysis.under_way import AnalysesUnderWay
from free_music_ai.engine.analysis.visual_mood import mood_from_features
from free_music_ai.engine.formats import MediaKind
from free_music_ai.engine.probe import MediaInfo, probe
from free_music_ai.engine.probe_memory import ProbeMemory
from free_music_ai.engine.render.models import DEFAULT_IMAGE_SECONDS
from free_music_ai.errors import InputError

Progress = Callable[[float, str], None]
MOTION_FULL = 0.03  # mean change per frame that counts as lively motion


def analyze(
    paths: list[Path],
    *,
    image_seconds: float = DEFAULT_IMAGE_SECONDS,
    cache_dir: Path | None = None,
    max_bytes: int = 500_000_000,
    on_progress: Progress | None = None,
    stopping: threading.Event | None = None,
    read_ahead: ReadAhead | None = None,
    under_way: AnalysesUnderWay | None = None,
    probes: ProbeMemory | None = None,
) -> Analysis:
    """The analysis of the inputs as they would play one after another (images for ``image_seconds`` each).

    Setting ``stopping`` ends it early with ``AnalysisStopped``. ``read_ahead``: videos the command started
    reading when it began, taken instead of decoding them again. ``under_way`` and ``probes``: the engine's
    analyses running and files probed, met instead of read again (without them, nothing is shared).
    """
    if not paths:
        raise InputError("Give at least one video or image to analyze.")
    cache = AnalysisCache(cache_dir)
    parts: list[Analysis] = []
    for index, path in enumerate(paths):
        if on_progress:
            on_progress(index / len(paths), f"Watching {path.name}")
        parts.append(_analyze_one(path, image_seconds, cache, max_bytes, stopping, read_ahead, under_way, probes))
    if on_progress:
        on_progress(1.0, "Analysis ready")
    return parts[0] if len(parts) == 1 else join_analyses(parts)


def _analyze_one(path: Path, image_seconds: float, cache: AnalysisCache, max_bytes: int,
                 stopping: threading.Event | None, read_ahead: ReadAhead | None,
                 under_way: AnalysesUnderWay | None, probes: ProbeMemory | None) -> Analysis:  # fmt: skip
    info = probe(path, max_bytes, probes)
    if info.kind == MediaKind.AUDIO:
        raise InputError(f"{path.name} is audio, with no picture to analyze. Give a video or images to set music to.")
    key = content_hash(path) + (f"-image{image_seconds:g}" if info.kind == MediaKind.IMAGE else "")
    cached = cache.get(key)
    if cached is not None:
        if read_ahead is not None:
            read_ahead.drop(path)
        return cached

    # an analysis started at upload may still be running: wait for it instead of decoding the file twice
    def work() -> Analysis:
        return _analyze_file(path, info, image_seconds, stopping, read_ahead)

    return (under_way or AnalysesUnderWay()).once(key, cache, work)


def _analyze_file(path: Path, info: MediaInfo, image_seconds: float, stopping: threading.Event | None,
                  read_ahead: ReadAhead | None = None) -> Analysis:  # fmt: skip
    if info.kind == MediaKind.IMAGE:
        frames = read_frames(path, fast=False, stopping=stopping)
        return _build(frames, [], image_seconds, None, "image")
    # read ahead when the command started (prefetch.py), or read now
    taken = read_ahead.take(path) if read_ahead is not None else None
    frames, found, sound = taken or read_video(path, info.duration_s, stopping=stopping)
    transitions = [TransitionModel(time_s=t.time_s, kind=t.kind) for t in found]
    return _build(frames, transitions, info.duration_s, sound, "video")


def _per_second(times: np.ndarray, values: np.ndarray, seconds: int) -> np.ndarray:
    out = np.zeros(seconds)
    index = np.clip(times.astype(int), 0, seconds - 1)
    counts = np.bincount(index, minlength=seconds)
    sums = np.bincount(index, weights=values, minlength=seconds)
    filled = counts > 0
    out[filled] = sums[filled] / counts[filled]
    if not filled.all() and filled.any():  # seconds without a decoded frame take their neighbours' value
        out[~filled] = np.interp(np.flatnonzero(~filled), np.flatnonzero(filled), out[filled])
    return out


def energy_curve(seconds: int, motion: np.ndarray, transitions: list[TransitionModel], *,
                 loudness_db: np.ndarray | None, arousal: float) -> list[float]:  # fmt: skip
    """Energy per second: motion, cutting and sound level around each moment, around the overall arousal."""
    moving = np.clip(motion / MOTION_FULL, 0, 1)
    cutting = np.zeros(seconds)
    for t in transitions:
        lo, hi = max(0, int(t.time_s - 2)), min(seconds, int(t.time_s + 2) + 1)
        cutting[lo:hi] += 0.5
    cutting = np.clip(cutting, 0, 1)
    loud = np.clip((loudness_db + 50) / 35, 0, 1) if loudness_db is not None else np.zeros(seconds)
    local = 0.5 * moving + 0.25 * cutting + 0.25 * loud
    if seconds >= 3:
        local = np.convolve(np.pad(local, 1, mode="edge"), np.ones(3) / 3, mode="valid")
    level = (arousal + 1) / 2
    energy = np.clip(0.2 + 0.6 * level + 0.6 * (local - local.mean()), 0.05, 1.0)
    return [round(float(e), 3) for e in energy]


def _build(frames: FrameFeatures, transitions: list[TransitionModel], duration: float,
           sound: SoundFeatures | None, kind: str) -> Analysis:  # fmt: skip
    seconds = max(1, math.ceil(duration))
    brightness = float(np.mean(frames.luma))
    saturation = float(np.mean(frames.chroma))
    warmth = float(np.mean(frames.warmth))
    contrast = float(np.mean(frames.contrast))
    motion = float(np.mean(frames.motion[1:])) if len(frames.motion) > 1 else 0.0
    cuts_per_minute = len(transitions) / max(duration, 1.0) * 60
    has_sound = sound is not None and sound.has_sound
    loudness = sound.loudness_db[:seconds] if sound is not None else None
    active = loudness[loudness > -60] if loudness is not None else np.zeros(0)
    level = float(np.mean(active)) if has_sound and len(active) else None
    valence, arousal, reasons = mood_from_features(brightness=brightness, saturation=saturation, warmth=warmth,
                                                   contrast=contrast, motion=motion, cuts_per_minute=cuts_per_minute,
                                                   loudness_db=level)  # fmt: skip
    per_second_motion = _per_second(frames.times, frames.motion, seconds) if kind == "video" else np.zeros(seconds)
    loud = None
    if loudness is not None and has_sound:
        loud = np.full(seconds, -100.0)
        loud[: len(loudness)] = loudness
    return Analysis(
        duration_s=round(duration, 3),
        kind=kind,
        transitions=transitions,
        valence=valence,
        arousal=arousal,
        reasons=[
            ReasonModel(
                feature=r.feature, value=round(r.value, 4), valence=round(r.valence, 3), arousal=round(r.arousal, 3)
            )
            for r in reasons
        ],
        energy=energy_curve(seconds, per_second_motion, transitions, loudness_db=loud, arousal=arousal),
        speech_s=list(sound.speech_s) if sound is not None else [],
        loudness_db=[round(float(v), 1) for v in (loud if loud is not None else np.full(seconds, -100.0))],
        brightness=round(brightness, 4),
        saturation=round(saturation, 4),
        warmth=round(warmth, 4),
        motion=round(motion, 5),
        has_sound=has_sound,
    )


def join_analyses(parts: list[Analysis]) -> Analysis:
    """Inputs played one after another: features weighted by duration, a transition between each."""
    weights = np.array([p.duration_s for p in parts])
    total = float(weights.sum())

    def mean(values: list[float]) -> float:
        return float(np.dot(values, weights) / total)

    transitions: list[TransitionModel] = []
    speech: list[tuple[float, float]] = []
    energy: list[float] = []
    loudness: list[float] = []
    offset = 0.0
    for k, part in enumerate(parts):
        if k > 0:
            transitions.append(TransitionModel(time_s=round(offset, 3), kind="next"))
        transitions += [TransitionModel(time_s=round(t.time_s + offset, 3), kind=t.kind) for t in part.transitions]
        speech += [(round(s + offset, 2), round(e + offset, 2)) for s, e in part.speech_s]
        whole = math.ceil(offset + part.duration_s) - len(energy)
        energy += (part.energy + part.energy[-1:] * whole)[: max(0, whole)]
        loudness += (part.loudness_db + [-100.0] * whole)[: max(0, whole)]
        offset += part.duration_s
    brightness, saturation = mean([p.brightness for p in parts]), mean([p.saturation for p in parts])
    warmth, motion = mean([p.warmth for p in parts]), mean([p.motion for p in parts])
    contrast = mean([next((r.value for r in p.reasons if r.feature == "contrast"), 0.45) for p in parts])
    sounding = [v for v in loudness if v > -60]
    valence, arousal, reasons = mood_from_features(
        brightness=brightness,
        saturation=saturation,
        warmth=warmth,
        contrast=contrast,
        motion=motion,
        cuts_per_minute=len(transitions) / max(total, 1.0) * 60,
        loudness_db=float(np.mean(sounding)) if sounding else None,
    )
    return Analysis(
        duration_s=round(total, 3), kind="sequence", transitions=transitions, valence=valence, arousal=arousal,
        reasons=[ReasonModel(feature=r.feature, value=round(r.value, 4), valence=round(r.valence, 3),
                             arousal=round(r.arousal, 3)) for r in reasons],
        energy=energy, speech_s=speech, loudness_db=loudness, brightness=round(brightness, 4),
        saturation=round(saturation, 4), warmth=round(warmth, 4), motion=round(motion, 5),
        has_sound=any(p.has_sound for p in parts),
    )  # fmt: skip
