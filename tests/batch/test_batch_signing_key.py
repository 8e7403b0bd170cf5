"""Who signs the Content Credentials is part of a batch job's identity: clips made with --no-credentials are not
"already done" for a batch that signs (they carry no manifest), and a signed batch run again skips them."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import ANY

from credential_checks import assert_generated_music, read_credentials
from tests.batch.test_batch import batch, clips


def test_a_signed_batch_after_an_unsigned_one_makes_its_clips_again(tmp_path: Path) -> None:
    inputs = clips(tmp_path / "in", 1)
    out = tmp_path / "out"
    code, unsigned, said = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(out), "--no-credentials")
    assert code == 0 and len(unsigned["outputs"]) == 1, said
    code, signed, said = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(out))
    assert code == 0 and signed["skipped"] == [] and len(signed["outputs"]) == 1, said  # not the unsigned one
    assert Path(str(signed["outputs"][0])).name == "clip0-music-1.mp4"  # beside it, never over it
    assert_generated_music(Path(str(signed["outputs"][0])))  # an outside reader finds the manifest
    assert read_credentials(Path(str(unsigned["outputs"][0]))) == {"found": False, "error": ANY}
    code, again, said = batch(tmp_path, str(inputs), "-p", "calm piano", "-o", str(out))
    assert code == 0 and again["outputs"] == [] and again["skipped"] == signed["outputs"], said
