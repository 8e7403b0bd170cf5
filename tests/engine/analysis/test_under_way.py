"""The analyses an engine has under way (engine/analysis/under_way.py): a second caller for the same video waits
for the first one's result instead of decoding it again; another engine's analyses are not waited on; a stopped
one is run again by whoever waited for it."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from free_music_ai.engine.analysis.cache import AnalysisCache
from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.analysis.stop import AnalysisStopped
from free_music_ai.engine.analysis.under_way import AnalysesUnderWay

WAIT_S = 30


def analysis(duration_s: float) -> Analysis:
    return Analysis(duration_s=duration_s, kind="video", transitions=[], valence=0.0, arousal=0.0, reasons=[],
                    energy=[0.5], speech_s=[], loudness_db=[-20.0], brightness=0.5, saturation=0.5, warmth=0.5,
                    motion=0.01, has_sound=True)  # fmt: skip


class Watched(dict[str, "Future[Analysis]"]):
    """The analyses under way, telling when a caller found one running (and so waits for it)."""

    def __init__(self) -> None:
        super().__init__()
        self.met = threading.Event()

    def get(self, key: str, default: Future[Analysis] | None = None) -> Future[Analysis] | None:
        found = super().get(key, default)
        if found is not None:
            self.met.set()
        return found


def test_a_second_caller_takes_the_first_ones_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    under_way, cache, watched = AnalysesUnderWay(), AnalysisCache(tmp_path), Watched()
    monkeypatch.setattr(under_way, "_running", watched)
    ran: list[str] = []
    started = threading.Event()

    def first() -> Analysis:
        ran.append("first")
        started.set()
        assert watched.met.wait(WAIT_S), "the second caller never came"
        return analysis(6.0)

    def second() -> Analysis:
        ran.append("second")
        return analysis(9.0)

    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(under_way.once, "clip", cache, first)
        assert started.wait(WAIT_S)
        two = pool.submit(under_way.once, "clip", cache, second)
        assert one.result(WAIT_S) is two.result(WAIT_S)
    assert ran == ["first"] and cache.get("clip") == analysis(6.0)  # and kept for the next request


def test_two_engines_do_not_wait_on_each_other(tmp_path: Path) -> None:
    mine, theirs, cache = AnalysesUnderWay(), AnalysesUnderWay(), AnalysisCache(None)
    release = threading.Event()

    def slow() -> Analysis:
        assert release.wait(WAIT_S)
        return analysis(6.0)

    with ThreadPoolExecutor(1) as pool:
        blocked = pool.submit(mine.once, "clip", cache, slow)
        own = theirs.once("clip", cache, lambda: analysis(9.0))  # runs at once, beside the other engine's
        assert own.duration_s == 9.0 and not blocked.done()
        release.set()
        assert blocked.result(WAIT_S).duration_s == 6.0


def test_a_stopped_analysis_is_run_by_the_one_who_waited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    under_way, cache, watched = AnalysesUnderWay(), AnalysisCache(None), Watched()
    monkeypatch.setattr(under_way, "_running", watched)

    started = threading.Event()

    def stopped() -> Analysis:
        started.set()
        assert watched.met.wait(WAIT_S)
        raise AnalysisStopped("the engine closed")

    with ThreadPoolExecutor(2) as pool:
        closing = pool.submit(under_way.once, "clip", cache, stopped)
        assert started.wait(WAIT_S)
        waiting = pool.submit(under_way.once, "clip", cache, lambda: analysis(6.0))
        with pytest.raises(AnalysisStopped):
            closing.result(WAIT_S)
        assert waiting.result(WAIT_S).duration_s == 6.0
