"""The parts whose sounds no General MIDI font has, and how their events are told apart (sound_design.py plays
them). Kept apart from the synthesis so the composer can name them without importing numpy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from free_music_ai.engine.soundfont.events import NoteEvent

BASS_808_PART, RISER_PART = "808", "riser"
BASS_808_PROGRAM, RISER_PROGRAM = 38, 119  # General MIDI Synth Bass 1 and Reverse Cymbal, for the MIDI file
# written part -> (the part its events play in, their General MIDI program)
DESIGNED_PARTS: dict[str, tuple[str, int]] = {BASS_808_PART: ("bass", BASS_808_PROGRAM),
                                              RISER_PART: (RISER_PART, RISER_PROGRAM)}  # fmt: skip
SILENT_EXPRESSION = 0.0  # the synthesizer's own voice for a designed note: planned, routed, heard not at all
# a tune on General MIDI's saw lead is played as a supersaw (supersaw.py): a font's saw is one thin mono saw
SUPERSAW_PART, SUPERSAW_PROGRAM = "supersaw", 81
SUPERSAW_PARTS = frozenset({"lead", "keys"})


def _on_the_saw(part: str, program: int) -> bool:
    return part in SUPERSAW_PARTS and program == SUPERSAW_PROGRAM


def plays_designed(part: str, program: int) -> bool:
    """Whether a written note of ``part`` on ``program`` sounds from sound_design.py, its synthesizer voice silent."""
    return part in DESIGNED_PARTS or _on_the_saw(part, program)


def designed_kind(event: NoteEvent) -> str | None:
    """Which designed sound an event stands for, or None for a note the synthesizer plays."""
    if event.expression != SILENT_EXPRESSION:
        return None
    if _on_the_saw(event.part, event.program):
        return SUPERSAW_PART
    for kind, (part, program) in DESIGNED_PARTS.items():
        if event.part == part and event.program == program:
            return kind
    return None
