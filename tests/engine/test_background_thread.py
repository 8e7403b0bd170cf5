"""Work nothing waits for until the end (the new music written to its file) yields the cores to the export."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from free_music_ai.config import load_settings
from free_music_ai.service.media_cache import MediaCache
from free_music_ai.service.store import SessionStore

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a thread has its own priority on Linux")


def _nice_of(thread: int) -> int:
    """The thread's nice value, as the kernel reports it (/proc: field 19 of its stat)."""
    stat = Path(f"/proc/self/task/{thread}/stat").read_text()
    return int(stat.rsplit(")", 1)[1].split()[16])


def test_new_music_is_written_by_a_thread_that_yields_to_the_export(tmp_path: Path) -> None:
    settings = load_settings({"data_dir": tmp_path / "data", "cache_dir": tmp_path / "cache"})
    store = SessionStore(tmp_path / "sessions.sqlite3")
    media = MediaCache(settings, store)
    path = tmp_path / "music.npy"
    try:
        media.keep_music(path, np.ones((48_000, 2), dtype=np.float32))
        deadline = time.monotonic() + 30
        while not path.exists() and time.monotonic() < deadline:  # written: its thread has started, and set itself
            time.sleep(0.01)
        savers = [t.native_id for t in threading.enumerate() if t.name.startswith("music-save")]
        nice = [_nice_of(thread) for thread in savers if thread is not None]
    finally:
        media.close()  # waits for the music's file
        store.close()
    assert nice and all(n > _nice_of(threading.get_native_id()) for n in nice)  # below the export's thread
    assert np.array_equal(np.load(path), np.ones((48_000, 2), dtype=np.float32))  # written all the same
