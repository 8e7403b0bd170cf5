"""The batch's folders as the user meets them: one folder reached through a link is one folder (no second copy),
a damaged ledger is set aside with a sentence and nothing made twice, and a folder that cannot be written is
refused before any clip is rendered."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tests.batch.test_batch import batch, clips


def test_an_output_folder_through_a_link_is_the_same_folder(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 1)
    real = tmp_path / "out"
    code, first, _ = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(real), "--workers", "1")
    assert code == 0 and len(first["outputs"]) == 1
    made = sorted(p.name for p in real.iterdir())
    link = tmp_path / "link-to-out"
    link.symlink_to(real, target_is_directory=True)
    (tmp_path / "in-link").symlink_to(inputs, target_is_directory=True)
    code, again, _ = batch(tmp_path, str(tmp_path / "in-link"), "-p", "calm piano", "-o", str(link))
    assert code == 0 and again["outputs"] == [] and len(again["skipped"]) == 1
    assert sorted(p.name for p in real.iterdir()) == made  # no clip0-music-1.mp4

    # a damaged ledger: set aside, said, and the clip is still known by its marker
    ledger = tmp_path / "data" / "batches.sqlite3"
    ledger.write_bytes(b"this is not a database" * 100)
    code, third, said = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(real))
    assert code == 0 and third["outputs"] == [] and len(third["skipped"]) == 1, said
    assert "ledger was damaged" in said and "damaged-" in said
    assert [p.name for p in ledger.parent.glob("batches.sqlite3.damaged-*")] != []
    assert sorted(p.name for p in real.iterdir()) == made


def test_a_folder_that_cannot_be_written_is_refused_before_rendering(tmp_path: Path) -> None:
    """/sys takes no new files, even from root (a chmod does not stop root, as CI runs)."""
    inputs = clips(tmp_path / "in", 2)
    code, _, said = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", "/sys")
    assert code != 0 and "Cannot write in the folder /sys" in said and "Choose another -o" in said
    ledger = tmp_path / "data" / "batches.sqlite3"
    rows = sqlite3.connect(ledger).execute("SELECT count(*) FROM batch_jobs").fetchone()[0] if ledger.exists() else 0
    assert rows == 0  # not one clip was started
