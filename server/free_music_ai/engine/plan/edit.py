"""An edit of the music ("make it calmer", "darker"): what it names moves, audibly, and everything else stays.

The music being edited is composed again to read what a listener hears of it (its key, mode and tempo); the
edit then moves its mode one step along a ladder from dark to bright, or its tempo by a share, within the genre's
range, and keeps the genre, key, seed (its themes) and tune's instrument. Repeated, an edit moves further, until
the genre's limit, and the reply says so. Before, "darker" left upbeat pop at 122 bpm in D major (only an
internal number moved) and "make it calmer" twice went 68.7 -> 67.0 -> 67.1 bpm.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from free_music_ai.engine.music.added_instruments import addable
from free_music_ai.engine.music.compose import Composition, compose
from free_music_ai.engine.music.families import Family, plays_in, said
from free_music_ai.engine.music.genres import STYLES
from free_music_ai.engine.music.spec import Genre, MusicSpec
from free_music_ai.engine.music.texture import textured
from free_music_ai.engine.plan.wishes import Wishes

MODE_LADDER = ("phrygian", "minor", "dorian", "mixolydian", "major", "lydian")  # from dark to bright
VALENCE_STEP = 0.35  # one "darker" or "brighter" (words/mood.py) is one step of the ladder
TEXTURE_RANGE = (-3, 2)
DRUMS_RANGE_DB = (-16.0, 6.0)
PART_WORDS = {"counter": "counter-melody", "arp": "arpeggio", "guitar": "strummed guitar", "pad": "pad",
              "hits": "hits", "riser": "risers", "brass": "brass", "choir": "choir"}  # fmt: skip
TEMPO_PER_AROUSAL = 0.3  # "calmer" (-0.35 of arousal) slows the tempo by 10 %, "more energy" speeds it up


@dataclass(frozen=True)
class MusicEdit:
    """What the edited music keeps and what moves; ``changes`` in musical words, for the reply."""

    genre: Genre
    key: str
    mode: str | None  # None: the mood decides again (the words named a new mood)
    bpm: float | None  # None: the mood decides again
    changes: tuple[str, ...]
    heard_bpm: float  # the tempo of the music being edited, as it plays (fitted to the cuts)
    tempo_asked: int = 0  # -1 slower, 1 faster, 0 not asked
    texture: int = 0
    drums_db: float = 0.0
    instruments_out: list[Family] = field(default_factory=list)
    instruments_db: dict[Family, float] = field(default_factory=dict)
    instruments_added: list[Family] = field(default_factory=list)
    absent: frozenset[Family] = frozenset()  # named to be out of a stretch, but the piece does not play them

    def described(self, new_bpm: float) -> list[str]:
        """The changes in musical words, the tempo as the edited music plays it."""
        said = list(self.changes)
        if self.tempo_asked:
            pace = "slow" if self.tempo_asked < 0 else "fast"
            if (new_bpm - self.heard_bpm) * self.tempo_asked < 1:
                said.insert(0, f"the tempo is already as {pace} as {self.genre.value} goes ({round(new_bpm)} bpm)")
            else:
                said.insert(0, f"tempo {round(self.heard_bpm)} -> {round(new_bpm)} bpm")
        return said


def music_edit(base: MusicSpec, wishes: Wishes, recut: bool = False) -> MusicEdit:
    """``recut``: the video under the music changed (its length or its cuts): the tempo is held where the piece
    played it, so the grid fitted to the new cuts moves it by 3 % at most."""
    heard = compose(base)
    genre = wishes.genre or heard.genre
    tonic = heard.key.split()[0]
    changes: list[str] = []
    mode: str | None = heard.character.mode if wishes.mood is None else None
    darker_by, calmer_by = wishes.change
    if darker_by and mode is not None:
        mode = _stepped_mode(mode, darker_by, tonic, changes)
    # the tempo as it was asked for (None: from the mood, which only an arousal change moves), kept unless the
    # edit moves it
    bpm: float | None = base.bpm if wishes.mood is None else None
    if recut and bpm is None and wishes.mood is None:
        bpm = round(heard.form.tempo.bpm, 2)
    asked = 0
    if calmer_by and wishes.bpm is None:
        low, high = STYLES[genre].tempo
        # from the tempo a listener hears, a step a listener hears, inside the genre's range
        bpm = float(round(min(high, max(low, heard.bpm * (1 + TEMPO_PER_AROUSAL * calmer_by)))))
        asked = -1 if calmer_by < 0 else 1
        changes.append("softer and sparser" if calmer_by < 0 else "fuller and louder")
    texture = _texture(base.texture, wishes.texture, heard, changes)
    drums_db = _drums(base.drums_db, wishes.drums_db, changes)
    if wishes.drums is not None:  # "remove the drums", "bring the drums back": said, even when nothing moves
        changes.append(_drums_said(wishes.drums, any(n.drum for n in heard.notes), genre))
    out = _families_out(base, wishes, heard, changes)
    added = _families_added(base, wishes, heard, changes)
    levels = _family_levels(base, wishes, heard, changes)
    absent = _absent_for_a_stretch(wishes, heard, changes)
    return MusicEdit(genre=genre, key=tonic, mode=mode, bpm=bpm, changes=tuple(changes), heard_bpm=heard.bpm,
                     tempo_asked=asked, texture=texture, drums_db=drums_db, instruments_out=out,
                     instruments_db=levels, instruments_added=added, absent=absent)  # fmt: skip


def _families_added(base: MusicSpec, wishes: Wishes, heard: Composition, changes: list[str]) -> list[Family]:
    """The instrument families added to the piece ("add some strings"): those added before, less those taken out,
    and those the words add that it does not play already."""
    added = [f for f in base.instruments_added if f not in wishes.instruments_out]
    for family in wishes.instruments_added:
        if family in added or any(plays_in(n, frozenset({family})) for n in heard.notes):
            changes.append(f"the {family.value} {'are' if family.value.endswith('s') else 'is'} in it already")
        elif addable(family):
            added.append(family)
            changes.append(f"{family.value} added")
    return added


def _absent_for_a_stretch(wishes: Wishes, heard: Composition, changes: list[str]) -> frozenset[Family]:
    """The instrument families the words take out of a stretch ("no piano in the intro") that the piece does not
    play: said to be absent, and nothing asked of them."""
    named = [f for f, _, _ in wishes.moments.families_out_s] + [p.family for p in wishes.placed if p.family
                                                                and p.kind != "only"]  # fmt: skip
    # one asked for a stretch only is added there when it can be ("add strings in the second half")
    named += [f for f, _, _ in wishes.moments.families_in_s if not addable(f)]
    named += [p.family for p in wishes.placed if p.family and p.kind == "only" and not addable(p.family)]
    absent = frozenset(f for f in named if not any(plays_in(n, frozenset({f})) for n in heard.notes))
    changes += [f"{said(family)} in it" for family in sorted(absent)]
    return absent


def _family_levels(base: MusicSpec, wishes: Wishes, heard: Composition, changes: list[str]) -> dict[Family, float]:
    """The instruments' levels after the steps the words ask ("make the piano louder"), within the drums' range;
    an instrument the piece does not play is said to be absent."""
    levels = dict(base.instruments_db)
    for family, step in wishes.instruments_db.items():
        if not any(plays_in(n, frozenset({family})) for n in heard.notes):
            changes.append(f"{said(family)} in it")
            continue
        levels[family] = _stepped(levels.get(family, 0.0), step, changes, moved=f"the {family.value} {{db}} dB {{how}}",
                                  already=f"the {family.value} is already as {{way}} as it goes")  # fmt: skip
    return levels


def _families_out(base: MusicSpec, wishes: Wishes, heard: Composition, changes: list[str]) -> list[Family]:
    """The instrument families the piece goes without: those it went without, those the words take out (when the
    piece plays them, and not only them: it is never made silent), less those put back."""
    out = [f for f in base.instruments_out if f not in wishes.instruments_back]
    for family in wishes.instruments_back:
        changes.append(f"the {family.value} back in" if family in base.instruments_out
                       else f"the {family.value} is in it already")  # fmt: skip
    pitched = [n for n in heard.notes if not n.drum]
    for family in wishes.instruments_out:
        playing = [n for n in pitched if plays_in(n, frozenset({family}))]
        if family in out:
            changes.append(f"it is without the {family.value} already")
        elif not playing:
            changes.append(f"{said(family)} in it")
        elif all(plays_in(n, frozenset({*out, family})) for n in pitched):
            changes.append(f"the {family.value} plays the whole piece, so it stays: name another genre or instrument")
        else:
            out.append(family)
            changes.append(f"without the {family.value}")
    return sorted(out)


def _texture(before: int, step: int, heard: Composition, changes: list[str]) -> int:
    if not step:
        return before
    after = max(TEXTURE_RANGE[0], min(TEXTURE_RANGE[1], before + step))
    if after == before:
        changes.append(f"already as {'sparse' if step < 0 else 'full'} as it goes")
        return before
    if step < 0:
        # what the music as it plays still has of what the new texture takes away
        dropped = textured(list(heard.notes), heard.form, after, velocity=heard.character.velocity).removed
        changes.append("sparser: without the " + ", ".join(PART_WORDS.get(p, p) for p in dropped) if dropped
                       else "sparser")  # fmt: skip
    else:
        changes.append("fuller: strings under it" if after > 0 else "fuller: its layers back")
    return after


def _drums(before: float, step: float, changes: list[str]) -> float:
    return _stepped(before, step, changes, already="the drums are already as {way} as they go",
                    moved="drums {db} dB {how}")  # fmt: skip


def _stepped(before: float, step: float, changes: list[str], *, already: str, moved: str) -> float:
    """A level in dB moved by ``step`` within the drums' range (the drums, an instrument), and the change said:
    ``moved`` or, at the range's end, ``already`` (with {way}: quiet/loud, {db}, {how}: quieter/louder)."""
    if not step:
        return before
    after = max(DRUMS_RANGE_DB[0], min(DRUMS_RANGE_DB[1], before + step))
    way, how = ("quiet", "quieter") if step < 0 else ("loud", "louder")
    said_as = already if after == before else moved
    changes.append(said_as.format(way=way, db=f"{abs(after - before):.0f}", how=how))
    return after


def _drums_said(drums: bool, had: bool, genre: Genre) -> str:
    """What "remove the drums" / "bring the drums back" did to a piece that ``had`` drums or not."""
    if not drums:
        return "without drums" if had else "it has no drums already"
    if had:
        return "it has its drums already"
    return "drums in: a soft kit" if STYLES[genre].drums.value == "none" else "drums back in"


def _stepped_mode(mode: str, darker_by: float, tonic: str, changes: list[str]) -> str:
    at = MODE_LADDER.index(mode) if mode in MODE_LADDER else MODE_LADDER.index("major")
    steps = max(1, round(abs(darker_by) / VALENCE_STEP))
    to = max(0, min(len(MODE_LADDER) - 1, at + (steps if darker_by > 0 else -steps)))
    if to == at:
        changes.append(f"already as {'dark' if darker_by < 0 else 'bright'} as it goes ({tonic} {mode})")
        return mode
    changes.append(f"{tonic} {mode} -> {tonic} {MODE_LADDER[to]}")
    return MODE_LADDER[to]
