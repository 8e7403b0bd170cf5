"""How the music sounds, measured as a listener would check it, with libraries other than the engine's own.

Renders every genre (48 s by default) and a set of moods, then measures each piece with librosa (chroma,
key), pyloudnorm (loudness by stretch), ffmpeg's ebur128 (integrated loudness, loudness range, true peak),
mido (the MIDI: where the lead plays) and the stems. Prints one table with the thresholds in its header and
writes, per piece, a picture: spectrogram, chromagram and the bar-level self-similarity matrix.
A second table holds issue 27's measures of the band and the groove (music_measures_tables.py lists them), a
third (with --seeds) the measures over seeds and genres, and the last checks hits on cuts: generated cut lists
and the real clips' cuts (../shared/media).

Columns (threshold):
  rep%     non-adjacent 4-bar phrases whose chroma is more than 0.9 alike (<= 40: a piece, not a loop)
  LRA      EBU loudness range in LU (>= 4 on pieces of 40 s and more)
  arc dB   loudest 4-bar stretch (from any bar) above the opening 4 bars (>= 3)
  lead%    bars where the lead plays (<= 70: it leaves room);  in: the first bar it plays (>= 2)
  lead-acc lead stem minus the loudest accompaniment stem, dB RMS (<= 0)
  S/M dB   side over mid energy (>= -12 where more than one instrument plays)
  HF dB    6-12 kHz over 200-2000 Hz, per-Hz energy (>= -22; lo-fi >= -26, ambient >= -30; not solo piano)
  key      the key heard (Krumhansl-Schmuckler on librosa's chroma) is the reported key or its relative

Needs the report extra: pip install -e ".[report]".
Usage: python tools/music_report.py [--seconds 48] [--out music-report] [--genres lo-fi,jazz] [--no-cuts]
       python tools/music_report.py --seeds 1,2 --lengths 30,75 --no-moods   (every genre with each seed)
Without --seeds, genre k is played with seed --seed + k (the report hears several keys); with --seeds every genre
is played with each seed as given, so a seed's keys across genres are the engine's own choice.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.engine.music.midi_file import write_midi
from free_music_ai.engine.music.produce import Music, produce
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.soundfont import Instruments
from free_music_ai.words.mood import mood_from_words
from music_measures_audio import bass_glides, lead_against_band, sub_ring, sub_share
from music_measures_midi import (
    MidiPiece,
    beat_positions,
    fill_prints,
    groove_lines,
    half_bar_chords,
    harmony_shares,
    hat_rolls,
    read_midi,
    swing_ratio,
)
from music_measures_tables import Groove, form_of, groove_table, seed_tables

RATE = 48_000
MOODS = ("calm peaceful", "happy upbeat", "sad melancholic", "epic heroic trailer", "dark tense suspense")
_MAJOR = np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88])
_MINOR = np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17])
NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MAJOR_FAMILY = ("major", "lydian", "mixolydian")
# issue 27: lo-fi's top soft but present, ambient not a dark blanket. A solo piano has no rule: the bundled
# MuseScore grand's highs sit 50 dB down (FluidSynth plays the same notes the same: -61.7 dB), as a felt piano's do;
# lifting them 30 dB brings back the harpsichord the old font was heard as
HF_FLOOR_DB = {"lo-fi": -26.0, "ambient": -30.0}
NO_HF_RULE = ("solo piano",)


@dataclass
class Row:
    name: str
    genre: str
    key: str
    bpm: float
    repeat_pct: float
    lra: float
    arc_db: float
    lead_pct: float
    lead_in: int
    lead_minus_acc: float
    side_mid_db: float
    hf_db: float
    heard_key: str
    key_ok: bool
    lufs: float
    true_peak: float
    seconds: float  # the time measuring took
    duration: float  # the piece's length

    def failures(self) -> list[str]:
        bad = []
        if self.repeat_pct > 40:
            bad.append("rep")
        if self.duration >= 40 and self.lra < 4:
            bad.append("LRA")
        if self.arc_db < 3:
            bad.append("arc")
        if self.lead_pct > 70 or (self.lead_pct > 0 and self.lead_in < 2):
            bad.append("lead")
        if self.lead_minus_acc > 0.05:
            bad.append("lead-acc")
        if self.side_mid_db < -12:
            bad.append("S/M")
        if self.genre not in NO_HF_RULE and self.hf_db < HF_FLOOR_DB.get(self.genre, -22.0):
            bad.append("HF")
        if not self.key_ok:
            bad.append("key")
        if abs(self.lufs + 14) > 0.5 or self.true_peak > -1.0:
            bad.append("loudness")
        return bad


def ebur128(path: Path) -> tuple[float, float, float]:
    """Integrated loudness, loudness range and true peak as ffmpeg measures them."""
    done = subprocess.run([ffmpeg_exe(), "-hide_banner", "-nostats", "-i", str(path), "-af", "ebur128=peak=true",
                           "-f", "null", "-"], capture_output=True, text=True, check=True)  # fmt: skip
    summary = done.stderr[done.stderr.rfind("Summary:") :]

    def number(pattern: str) -> float:
        found = re.search(pattern, summary)
        return float(found.group(1)) if found else float("nan")

    return number(r"I:\s+(-?[\d.]+) LUFS"), number(r"LRA:\s+(-?[\d.]+) LU"), number(r"Peak:\s+(-?[\d.]+) dBFS")


def heard_key(chroma_mean: np.ndarray) -> tuple[int, str]:
    scores = [(float(np.corrcoef(chroma_mean, np.roll(profile, tonic))[0, 1]), tonic, mode)
              for tonic in range(12) for profile, mode in ((_MAJOR, "major"), (_MINOR, "minor"))]  # fmt: skip
    _, tonic, mode = max(scores)
    return tonic, mode


def key_matches(reported_tonic: int, reported_mode: str, tonic: int, mode: str) -> bool:
    """The heard key is the reported one or its relative (modes count as their parent major or minor)."""
    major_tonic = reported_tonic
    offsets = {"major": 0, "lydian": -5, "mixolydian": 5, "dorian": -2, "minor": 3, "phrygian": -4}
    major_tonic = (reported_tonic + offsets[reported_mode]) % 12  # the parent major of the mode
    heard_major = tonic if mode == "major" else (tonic + 3) % 12
    same_tonic = tonic == reported_tonic and (mode == "major") == (reported_mode in MAJOR_FAMILY)
    return heard_major == major_tonic or same_tonic


def bar_times(music: Music) -> list[float]:
    beats = music.composition.beats_s
    return [beats[i] for i in range(0, len(beats), 4)]


def measure(name: str, music: Music, work: Path, pictures: Path | None) -> tuple[Row, Groove]:
    import librosa
    import pyloudnorm
    import soundfile

    c = music.composition
    audio = music.audio
    path = work / f"{name}.wav"
    soundfile.write(str(path), audio, RATE, subtype="FLOAT")
    lufs, lra, peak = ebur128(path)
    mono = audio.mean(axis=1)
    y = librosa.resample(mono, orig_sr=RATE, target_sr=22050)
    chroma = librosa.feature.chroma_cqt(y=y, sr=22050, hop_length=512)
    frame_t = librosa.frames_to_time(np.arange(chroma.shape[1]), sr=22050, hop_length=512)
    bars = [*bar_times(music), c.final_chord_s]
    bar_chroma = []
    for start, end in itertools.pairwise(bars):
        chosen = (frame_t >= start) & (frame_t < end)
        bar_chroma.append(chroma[:, chosen].mean(axis=1) if chosen.any() else np.zeros(12))
    bc = np.array(bar_chroma)
    norm = bc / (np.linalg.norm(bc, axis=1, keepdims=True) + 1e-9)
    ssm = norm @ norm.T
    phrases = [norm[i : i + 4].reshape(-1) for i in range(0, len(norm) - 3, 4)]
    pairs = [(i, j) for i in range(len(phrases)) for j in range(i + 2, len(phrases))]
    alike = sum(1 for i, j in pairs
                if np.dot(phrases[i], phrases[j]) / (np.linalg.norm(phrases[i]) * np.linalg.norm(phrases[j]) + 1e-9)
                > 0.9)  # fmt: skip
    repeat_pct = 100.0 * alike / len(pairs) if pairs else 0.0

    meter = pyloudnorm.Meter(RATE)
    stretch = []  # every 4 bars from every bar: a section need not start on a multiple of 4 (a 2-bar intro)
    for k in range(0, max(1, len(bars) - 4)):
        a, b = round(bars[k] * RATE), round(bars[min(len(bars) - 1, k + 4)] * RATE)
        if b - a > RATE // 2:
            stretch.append(meter.integrated_loudness(audio[a:b].astype(np.float64)))
    finite = [s for s in stretch if np.isfinite(s)]
    opening = stretch[0] if stretch and np.isfinite(stretch[0]) else min(finite, default=-70.0)
    arc_db = (max(finite) - opening) if finite else 0.0

    midi_path = work / f"{name}.mid"
    write_midi(c, midi_path)
    piece = read_midi(midi_path)
    lead_bars = {int(np.searchsorted(bars, n.start + 0.05) - 1)  # humanized timing
                 for n in piece.part("lead") if n.start < c.final_chord_s - 0.05}  # fmt: skip
    count = max(1, len(bars) - 1)
    lead_pct = 100.0 * len(lead_bars) / count
    lead_in = min(lead_bars) if lead_bars else -1

    stems = music.stems

    def rms(x: np.ndarray) -> float:
        return float(10 * np.log10(np.mean(np.square(x, dtype=np.float64)) + 1e-20))

    lead_minus_acc = float("nan")
    if "lead" in stems:
        others = [rms(stem) for part, stem in stems.items() if part not in ("lead", "drums", "kick", "bass")]
        if others:
            lead_minus_acc = rms(stems["lead"]) - max(others)
    mid, side = (audio[:, 0] + audio[:, 1]) / 2, (audio[:, 0] - audio[:, 1]) / 2
    side_mid = rms(side) - rms(mid)
    spectrum = np.abs(np.fft.rfft(mono.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1 / RATE)
    high = spectrum[(freqs >= 6000) & (freqs < 12000)].mean()
    body = spectrum[(freqs >= 200) & (freqs < 2000)].mean()
    hf_db = float(10 * np.log10(high / body + 1e-20))
    tonic, mode = heard_key(chroma.mean(axis=1))
    key_ok = key_matches(c.character.tonic, c.character.mode, tonic, mode)
    if pictures is not None:
        draw(pictures / f"{name}.png", name, y, chroma, ssm)
    row = Row(name, c.genre.value, c.key, c.bpm, repeat_pct, lra, arc_db, lead_pct, lead_in, lead_minus_acc,
              side_mid, hf_db, f"{NAMES[tonic]} {mode}", key_ok, lufs, peak, 0.0, c.spec.duration_s)  # fmt: skip
    lead_spans = [(bars[i], bars[i + 1]) for i in sorted(lead_bars) if 0 <= i < len(bars) - 1]
    return row, groove_of(name, music, piece, lead_spans, stretch)


def groove_of(name: str, music: Music, piece: MidiPiece, lead_spans: list[tuple[float, float]],
              loudness: list[float]) -> Groove:  # fmt: skip
    """Issue 27's measures of one piece: the MIDI for harmony, swing, rolls and fills; the stems for the rest."""
    c = music.composition
    beats = c.beats_s
    grid = np.arange(len(beats), dtype=np.float64)

    def time_of(beat: float) -> float:
        return float(np.interp(beat, grid, beats))

    halves = [(time_of(b.start + k * b.beats / 2), time_of(b.start + (k + 1) * b.beats / 2))
              for b in c.form.bars for k in (0, 1)]  # fmt: skip
    primary, extended, counted = harmony_shares(half_bar_chords(piece, halves), c.character.tonic)
    swing, level, _ = swing_ratio(groove_lines(piece, beats))
    hats = piece.drums((42, 44, 46))
    rolls = hat_rolls(list(beat_positions([n.start for n in hats], beats))) if hats else 0
    lead_band = lead_against_band(music.stems, RATE, lead_spans)
    groove = Groove(name, c.genre.value, c.spec.seed, c.spec.duration_s, c.bpm, c.key, c.style.tempo,
                    c.character.mode in MAJOR_FAMILY, bool(piece.drums()), lead_band, primary, extended, counted,
                    swing, level, rolls * 60.0 / c.spec.duration_s)  # fmt: skip
    if "bass" in music.stems:
        bass = music.stems["bass"]
        groove.sub_pct = sub_share(bass, RATE)
        groove.ring_s = sub_ring(bass, RATE, [n.start for n in piece.part("bass")])
        groove.glides = bass_glides(bass, RATE)
    groove.bends = piece.bends.get("bass", 0)
    offbeat = swing / (1 + swing) if level == "8th" and swing > 1.1 else None  # a swung fill is the same fill
    groove.fills = fill_prints(piece, beats, [(b.start, b.beats, b.section) for b in c.form.bars], offbeat)
    groove.loudness = [float(v) for v in loudness]
    groove.form = form_of([b.section for b in c.form.bars])
    return groove


def draw(path: Path, title: str, y: np.ndarray, chroma: np.ndarray, ssm: np.ndarray) -> None:
    import librosa
    import librosa.display
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 3, figsize=(18, 4.6), gridspec_kw={"width_ratios": [2.2, 2.2, 1]})
    spec_db = librosa.amplitude_to_db(np.abs(librosa.stft(y, n_fft=2048, hop_length=512)), ref=np.max)
    librosa.display.specshow(spec_db, sr=22050, hop_length=512, x_axis="time", y_axis="log", ax=axes[0])
    axes[0].set_title(f"{title}: spectrogram")
    librosa.display.specshow(chroma, sr=22050, hop_length=512, x_axis="time", y_axis="chroma", ax=axes[1])
    axes[1].set_title("chromagram")
    axes[2].imshow(ssm, origin="lower", cmap="magma", vmin=0.5, vmax=1.0)
    axes[2].set_title("bar self-similarity")
    axes[2].set_xlabel("bar")
    figure.tight_layout()
    figure.savefig(path, dpi=70)
    plt.close(figure)


def cut_hits(seconds: float) -> list[str]:
    """Cuts hit on a beat or an eighth (within 20 ms) with an onset heard there, on generated and real cuts."""
    import librosa

    lists: dict[str, list[float]] = {}
    rng = np.random.default_rng(7)
    for k in range(4):
        times = np.cumsum(rng.uniform(1.2, 6.5, 40))
        lists[f"generated {k + 1}"] = [round(float(t), 3) for t in times if t < seconds - 3]
    lists["--cuts 2.1,5.5,9.25,11"] = [2.1, 5.5, 9.25, 11.0]
    media = Path(__file__).resolve().parents[2] / "shared" / "media"
    if media.is_dir():
        from free_music_ai.engine.analysis.analyze import analyze

        for clip in sorted(media.glob("*.mp4")) + sorted(media.glob("*.mkv")):
            try:
                found = analyze([clip], cache_dir=Path(tempfile.gettempdir()) / "fmai-report-cache")
            except Exception as exc:  # a clip the analysis refuses is reported, not fatal to the report
                print(f"  {clip.name}: not analysed ({exc})", file=sys.stderr)
                continue
            if found.cuts_s and found.duration_s >= 3:
                lists[clip.name] = [(t, found.duration_s) for t in found.cuts_s]  # type: ignore[misc]
    lines = [f"{'cut list':32} {'cuts':>5} {'hit%':>6} {'heard%':>7} {'max tempo step %':>17}"]
    for name, cuts in lists.items():
        duration = seconds
        if cuts and isinstance(cuts[0], tuple):
            duration = max(3.0, cuts[0][1])  # type: ignore[index]
            cuts = [t for t, _ in cuts]  # type: ignore[misc]
        spec = MusicSpec(duration_s=duration, genre=Genre.POP, cuts_s=cuts, seed=3)
        music = produce(spec, instruments=INSTRUMENTS)
        beats = np.array(music.composition.beats_s)
        grid = np.sort(np.concatenate([beats, (beats[:-1] + beats[1:]) / 2]))
        onset = librosa.onset.onset_strength(y=music.audio.mean(axis=1), sr=RATE, hop_length=480)
        typical = float(np.median(onset[onset > 0])) + 1e-9
        considered = hit = heard = 0
        anchor = 0.0
        for cut in cuts:
            if cut - anchor < 2.0 or cut > duration - 2.5:
                continue
            considered += 1
            anchor = cut
            if np.min(np.abs(grid - cut)) <= 0.02:
                hit += 1
                frame = round(cut * RATE / 480)
                if onset[max(0, frame - 2) : frame + 3].max() >= 2.0 * typical:
                    heard += 1
        periods = np.diff(beats[: int(np.searchsorted(beats, music.composition.final_chord_s - 4))])
        step = float(np.max(np.abs(np.diff(periods) / periods[:-1]))) * 100 if len(periods) > 2 else 0.0
        pct = 100.0 * hit / considered if considered else 100.0
        heard_pct = 100.0 * heard / considered if considered else 100.0
        lines.append(f"{name[:32]:32} {considered:5d} {pct:6.0f} {heard_pct:7.0f} {step:17.1f}")
    return lines


def plan(args: argparse.Namespace) -> list[tuple[str, MusicSpec]]:
    """The pieces to play: each genre once (seed --seed + k) or, with --seeds, each genre with each seed at each
    length; then the moods once, at the first length."""
    genres = [Genre(g) for g in args.genres.split(",") if g] or list(Genre)
    lengths = [float(x) for x in args.lengths.split(",") if x] or [args.seconds]
    pieces: list[tuple[str, MusicSpec]] = []
    if args.seeds:
        for length, seed, genre in itertools.product(lengths, [int(x) for x in args.seeds.split(",")], genres):
            name = f"{genre.value.replace(' ', '-')}-s{seed}-{length:g}s"
            pieces.append((name, MusicSpec(duration_s=length, genre=genre, seed=seed)))
    else:  # one seed per piece, so the report hears several keys and not one piece's luck
        pieces = [(g.value.replace(" ", "-"), MusicSpec(duration_s=lengths[0], genre=g, seed=args.seed + k))
                  for k, g in enumerate(genres)]  # fmt: skip
    if not args.no_moods:
        for words in MOODS:
            valence, arousal = mood_from_words(words) or (0.0, 0.0)
            spec = MusicSpec(duration_s=lengths[0], valence=valence, arousal=arousal, seed=args.seed + len(pieces))
            pieces.append((f"mood-{words.split()[0]}", spec))
    return pieces


INSTRUMENTS = Instruments()  # every piece of the report on the same synthesizers, as the service plays them


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=48.0)
    parser.add_argument("--out", type=Path, default=Path("music-report"))
    parser.add_argument("--genres", default="", help="Comma-separated genres (default: all).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seeds", default="", help="Comma-separated seeds: every genre with each (e.g. 1,2).")
    parser.add_argument("--lengths", default="", help="Comma-separated lengths in s (default: --seconds).")
    parser.add_argument("--no-moods", action="store_true")
    parser.add_argument("--no-cuts", action="store_true")
    parser.add_argument("--no-pictures", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    grooves: list[Groove] = []
    with tempfile.TemporaryDirectory() as folder:
        for name, spec in plan(args):
            start = time.perf_counter()
            music = produce(spec, keep_stems=True, instruments=INSTRUMENTS)
            row, groove = measure(name, music, Path(folder), None if args.no_pictures else args.out)
            row.seconds = time.perf_counter() - start
            rows.append(row)
            grooves.append(groove)
            print(f"  {name}: done in {row.seconds:.1f} s", file=sys.stderr)
    header = (
        f"{'piece':18} {'genre':12} {'key':13} {'bpm':>5} {'rep%':>5} {'LRA':>5} {'arc dB':>6} {'lead%':>5} "
        f"{'in':>3} {'lead-acc':>8} {'S/M dB':>6} {'HF dB':>6} {'heard':>9} {'LUFS':>6} {'dBTP':>5}  fails"
    )
    print(header)
    print("thresholds:        " + " " * 33 + "<=40  >=4    >=3   <=70  >=2    <=0     >=-12  >=-22")
    failing = 0
    for r in rows:
        fails = r.failures()
        failing += bool(fails)
        print(f"{r.name:18} {r.genre:12} {r.key:13} {r.bpm:5.0f} {r.repeat_pct:5.0f} {r.lra:5.1f} {r.arc_db:6.1f} "
              f"{r.lead_pct:5.0f} {r.lead_in:3d} {r.lead_minus_acc:8.1f} {r.side_mid_db:6.1f} {r.hf_db:6.1f} "
              f"{r.heard_key:>9} {r.lufs:6.1f} {r.true_peak:5.1f}  {','.join(fails) or 'ok'}")  # fmt: skip
    print(f"{len(rows) - failing} of {len(rows)} pieces meet every threshold; pictures in {args.out}/")
    print()
    print("\n".join(groove_table(grooves)))
    if args.seeds:
        print()
        print("\n".join(seed_tables([g for g, (name, _) in zip(grooves, plan(args), strict=True)
                                     if not name.startswith("mood-")])))  # fmt: skip
    report = [{**asdict(r), **asdict(g)} for r, g in zip(rows, grooves, strict=True)]
    (args.out / "report.json").write_text(json.dumps(report, indent=1))
    if not args.no_cuts:
        print()
        print("\n".join(cut_hits(args.seconds)))


if __name__ == "__main__":
    main()
