"""The General MIDI Level 1 program names (0-based), for telling people which instrument plays."""

from __future__ import annotations

PROGRAM_NAMES: tuple[str, ...] = (
    "acoustic grand piano", "bright acoustic piano", "electric grand piano", "honky-tonk piano", "electric piano",
    "electric piano 2", "harpsichord", "clavinet", "celesta", "glockenspiel", "music box", "vibraphone", "marimba",
    "xylophone", "tubular bells", "dulcimer", "drawbar organ", "percussive organ", "rock organ", "church organ",
    "reed organ", "accordion", "harmonica", "tango accordion", "nylon guitar", "steel guitar", "jazz guitar",
    "clean electric guitar", "muted electric guitar", "overdriven guitar", "distortion guitar", "guitar harmonics",
    "acoustic bass", "finger bass", "pick bass", "fretless bass", "slap bass", "slap bass 2", "synth bass",
    "synth bass 2", "violin", "viola", "cello", "contrabass", "tremolo strings", "pizzicato strings", "harp",
    "timpani", "strings", "slow strings", "synth strings", "synth strings 2", "choir", "voice", "synth voice",
    "orchestra hit", "trumpet", "trombone", "tuba", "muted trumpet", "french horn", "brass", "synth brass",
    "synth brass 2", "soprano sax", "alto sax", "tenor sax", "baritone sax", "oboe", "english horn", "bassoon",
    "clarinet", "piccolo", "flute", "recorder", "pan flute", "blown bottle", "shakuhachi", "whistle", "ocarina",
    "square lead", "saw lead", "calliope", "chiff lead", "charang", "voice lead", "fifths lead", "bass and lead",
    "new age pad", "warm pad", "polysynth pad", "choir pad", "bowed pad", "metallic pad", "halo pad", "sweep pad",
    "rain", "soundtrack", "crystal", "atmosphere", "brightness", "goblins", "echoes", "sci-fi", "sitar", "banjo",
    "shamisen", "koto", "kalimba", "bagpipe", "fiddle", "shanai", "tinkle bell", "agogo", "steel drums",
    "woodblock", "taiko drum", "melodic tom", "synth drum", "reverse cymbal", "guitar fret noise", "breath noise",
    "seashore", "bird tweet", "telephone ring", "helicopter", "applause", "gunshot",
)  # fmt: skip
assert len(PROGRAM_NAMES) == 128
