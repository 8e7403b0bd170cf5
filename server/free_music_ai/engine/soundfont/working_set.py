"""How many bytes of waveforms a piece's mix reads at once: what the waveform cache must hold so that the mix never
renders again a waveform it let go a moment before.

A piece whose waveforms do not all fit in the cache has the rest rendered by the mix as it reaches them, the
least recently used let go. When the voices sounding in a block need more than the cache holds (a climax of held
strings), each block lets go of what the next one needs, and the mix renders the same waveforms again and again: a
minute of cinematic on MuseScore_General rendered some 28 times. Three minutes of it (626 MB of waveforms, more than
the cache may grow to for a piece) took 13.4-13.8 s of CPU; with room for what its mix reads at once (439 MB), 6.5 s,
for 190 MB more at its peak (2 cores, fresh process).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import Any

MIX_BLOCK_S = 5.0  # the mix's block (music/stream.py): a waveform read anywhere in a block is held for all of it

Span = tuple[int, int, tuple[Hashable, ...]]  # a voice's first and last sample, and the waveforms it reads


def concurrent_bytes(spans: Iterable[Span], sizes: Mapping[Any, int], *, rate: int, stretches: int) -> int:
    """The most bytes of the waveforms (``sizes``) read at once in the mix: per block, those of the voices sounding
    in it; the piece cut into ``stretches`` equal stretches mixed side by side, a block of each at a time."""
    block = max(1, round(MIX_BLOCK_S * rate))
    blocks: dict[int, set[Hashable]] = {}
    end = 0
    for first, last, keys in spans:
        end = max(end, last)
        for index in range(first // block, max(first, last - 1) // block + 1):
            blocks.setdefault(index, set()).update(keys)
    per_stretch = -(-(end // block + 1) // max(1, stretches))
    most = 0
    for step in range(per_stretch):
        read: set[Hashable] = set()
        for stretch in range(max(1, stretches)):
            read |= blocks.get(stretch * per_stretch + step, set())
        most = max(most, sum(sizes.get(key, 0) for key in read))
    return most
