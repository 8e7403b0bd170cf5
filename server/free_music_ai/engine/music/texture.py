"""How full the arrangement is, against the genre's own ("more minimal", "bigger"): layers taken away one step
at a time, or a sustained string layer added under every bar with some energy.

Taken away in the order a producer strips a track back: the answering counter-line and the decorative layers
first (arpeggios, strummed guitar, brass and choir), then the pad, then the risers and hits. The melody, the
harmony's main instrument, the bass and the drums stay: the piece is still itself, with air around it.
"""

from __future__ import annotations

from dataclasses import dataclass

from free_music_ai.engine.music.form import Form
from free_music_ai.engine.music.notes import Note
from free_music_ai.engine.music.parts_harmony import pad_bar

STRIPPED = (("counter", "arp", "guitar", "brass", "choir"), ("pad",), ("hits", "riser"))
LAYER_PART, LAYER_PROGRAM = "strings", 48  # General MIDI's string ensemble, under a "bigger" piece
LAYER_REGISTER = (55, 79)
LAYER_FROM_ENERGY = (0.5, 0.2)  # bars this full get the string layer at +1, at +2


@dataclass(frozen=True)
class Textured:
    notes: list[Note]
    removed: tuple[str, ...]  # the parts taken away that the piece had
    added: tuple[str, ...]


def textured(notes: list[Note], form: Form, texture: int, *, velocity: int) -> Textured:
    if texture < 0:
        gone = {part for step in STRIPPED[:-texture] for part in step}
        present = {n.part for n in notes}
        kept = [n for n in notes if n.part not in gone]
        return Textured(kept, tuple(p for step in STRIPPED[:-texture] for p in step if p in present), ())
    if texture > 0:
        threshold = LAYER_FROM_ENERGY[min(texture, len(LAYER_FROM_ENERGY)) - 1]
        layer: list[Note] = []
        previous: list[int] | None = None
        for bar in form.bars:
            if bar.energy < threshold:
                continue
            part, previous = pad_bar(
                bar, LAYER_PROGRAM, velocity, previous=previous, always=True, register=LAYER_REGISTER
            )
            layer += [Note(n.beat, n.length, n.key, n.velocity, LAYER_PART, LAYER_PROGRAM, pan=n.pan) for n in part]
        return Textured(notes + layer, (), (LAYER_PART,) if layer else ())
    return Textured(notes, (), ())
