"""The analyses an engine has under way: an upload's watch and a request that needs the same video meet here, and
the second waits for the first's result instead of decoding the file again. Owned by the engine's media cache
and handed to ``analyze``; two engines never wait on each other's."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future

from free_music_ai.engine.analysis.cache import AnalysisCache
from free_music_ai.engine.analysis.model import Analysis
from free_music_ai.engine.analysis.stop import AnalysisStopped


class AnalysesUnderWay:
    """One analysis at a time per content key; whoever comes second takes the first one's result."""

    def __init__(self) -> None:
        self._running: dict[str, Future[Analysis]] = {}
        self._lock = threading.Lock()

    def once(self, key: str, cache: AnalysisCache, work: Callable[[], Analysis]) -> Analysis:
        """The analysis ``key`` names: one that finished (in ``cache``), the one under way, or ``work()`` run
        here and put in the cache."""
        while True:
            with self._lock:
                running = self._running.get(key)
                mine = running is None
                if running is None:
                    finished = cache.get(key)  # one that finished since the caller looked
                    if finished is not None:
                        return finished
                    running = self._running[key] = Future()
            if mine:
                break
            try:
                return running.result()
            except AnalysisStopped:
                continue  # the one it waited for was stopped (its engine closed): run it here
        try:
            result = work()
            cache.put(key, result)
            running.set_result(result)
            return result
        except BaseException as exc:
            running.set_exception(exc)
            raise
        finally:
            with self._lock:
                self._running.pop(key, None)
