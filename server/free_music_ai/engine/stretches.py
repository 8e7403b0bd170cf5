"""Where to cut a long job into stretches that several cores work on at once, each with as much to do.

A stretch may need to hear some of what comes before it (an encoder's or an effect's lead-in) and run on
past its end (an overlap its neighbour needs): the first stretch has no lead-in and the last no tail, so
equal lengths would leave some cores waiting for the others. These starts give every worker the same work.
"""

from __future__ import annotations


def balanced_starts(total: float, count: int, *, lead: float = 0.0, tail: float = 0.0) -> list[float]:
    """Starts of ``count`` stretches of ``total`` (any unit) so that each one's lead-in, own part and tail add
    up to the same amount of work; the first start is 0."""
    share = (total + (count - 1) * (lead + tail)) / count
    return [0.0] + [share - tail + k * (share - lead - tail) for k in range(count - 1)]
