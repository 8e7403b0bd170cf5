"""The sound half of the filtergraph: original sound and audio layers mixed to 48 kHz stereo, exactly T long."""

from __future__ import annotations

from dataclasses import dataclass

from free_music_ai.engine.render.models import AudioLayer

SAMPLE_RATE = 48_000
# The mix never clips: a limiter at -1 dBFS catches the peaks when original sound and music add up.
LIMIT = 0.891
_FORMAT = f"aresample={SAMPLE_RATE},aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts=stereo"


@dataclass(frozen=True)
class OriginalPiece:
    """The sound under one visual segment: an input's audio stream, or silence when it has none."""

    input_index: int | None
    duration_s: float
    lead_s: float = 0.0  # when the sound begins after the segment's first picture (negative: before it)


@dataclass(frozen=True)
class PlacedLayer:
    layer: AudioLayer
    input_index: int
    source_duration_s: float


def _samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def _fades(layer: AudioLayer, length_s: float) -> str:
    parts = []
    if layer.fade_in_s > 0:
        parts.append(f",afade=t=in:st=0:d={min(layer.fade_in_s, length_s):.3f}")
    if layer.fade_out_s > 0:
        fade = min(layer.fade_out_s, length_s)
        parts.append(f",afade=t=out:st={length_s - fade:.3f}:d={fade:.3f}")
    return "".join(parts)


def original_sound_chain(pieces: list[OriginalPiece], layer: AudioLayer, label: str) -> list[str]:
    """The videos' own sound, segment after segment, each padded or cut to its segment's exact length."""
    lines: list[str] = []
    names: list[str] = []
    for k, piece in enumerate(pieces):
        name = f"{label}_p{k}"
        n = _samples(piece.duration_s)
        if piece.input_index is None:
            lines.append(f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=end_sample={n}[{name}]")
        else:
            lead = _lead(piece.lead_s, piece.duration_s)
            lines.append(
                f"[{piece.input_index}:a]{_FORMAT},asetpts=PTS-STARTPTS{lead},apad,atrim=end_sample={n}[{name}]"
            )
        names.append(name)
    total = sum(p.duration_s for p in pieces)
    joined = "".join(f"[{n}]" for n in names)
    concat = f"concat=n={len(names)}:v=0:a=1," if len(names) > 1 else "anull,"
    lines.append(f"{joined}{concat}volume={layer.volume:.4f}{_fades(layer, total)}[{label}]")
    return lines


def _lead(lead_s: float, duration_s: float) -> str:
    """Silence before a sound that starts late (never longer than the piece), or a cut where it starts early
    (stream_timing.py)."""
    lead = round(min(lead_s, duration_s) * SAMPLE_RATE)
    if lead > 0:
        return f",adelay=delays={lead}S:all=1"
    return f",atrim=start_sample={-lead},asetpts=PTS-STARTPTS" if lead < 0 else ""


def layer_chain(placed: PlacedLayer, total_s: float, label: str) -> list[str]:
    """A sound file placed at its start time, cut at the end of the video, with its volume and fades."""
    layer = placed.layer
    length = max(0.0, min(placed.source_duration_s, total_s - layer.start_s))
    delay = f",adelay={round(layer.start_s * 1000)}:all=1" if layer.start_s > 0 else ""
    return [
        f"[{placed.input_index}:a]{_FORMAT},atrim=end_sample={_samples(length)},asetpts=PTS-STARTPTS,"
        f"volume={layer.volume:.4f}{_fades(layer, length)}{delay}[{label}]"
    ]


def mix_chain(labels: list[str], total_s: float, out_label: str) -> list[str]:
    n = _samples(total_s)
    if not labels:
        return [f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=end_sample={n}[{out_label}]"]
    inputs = "".join(f"[{label}]" for label in labels)
    mix = f"amix=inputs={len(labels)}:normalize=0:duration=longest," if len(labels) > 1 else ""
    return [
        f"{inputs}{mix}alimiter=limit={LIMIT}:attack=3:release=60:level=disabled,"
        f"apad,atrim=end_sample={n},asetpts=PTS-STARTPTS[{out_label}]"
    ]
