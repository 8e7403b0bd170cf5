"""Who signs the Content Credentials is part of a batch job's identity: clips made with --no-credentials are not
"already done" for a batch that signs (they carry no manifest), and a signed batch run again skips them; the
user's certificate is named by its fingerprint, and a worker that would sign as another refuses the job."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import ANY

import pytest

from credential_checks import assert_generated_music, read_credentials
from free_music_ai.batch.job import BatchJob, file_url, run_job, signing_fingerprint
from free_music_ai.config import load_settings
from free_music_ai.engine import sample_media
from tests.batch.test_batch import batch, clips
from tests.service.test_credentials import _users_chain


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


def test_the_key_names_the_users_certificate_by_its_fingerprint_and_a_worker_signing_otherwise_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Dask worker does not share the batch's environment: one that would sign with its own local certificate
    when the batch asked for the user's says so, and publishes nothing the job's key does not describe."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    key, chain = _users_chain(tmp_path, "Studio")
    users = load_settings({"sign_key": key, "sign_cert": chain})
    expected = x509.load_pem_x509_certificates(chain.read_bytes())[0].fingerprint(hashes.SHA256()).hex()
    assert signing_fingerprint(users) == f"cert-sha256:{expected}"  # public: no path, no key material
    assert signing_fingerprint(load_settings({"content_credentials": False})) == "off"
    assert signing_fingerprint(load_settings()) == "local"

    clip = sample_media.make_scenes(tmp_path / "walk.mp4", ["0x1d3557", "0xe63946"], scene_s=1.2)
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.delenv("FMAI_SIGN_KEY", raising=False)
    monkeypatch.delenv("FMAI_SIGN_CERT", raising=False)  # this "worker" signs with its own certificate
    result = run_job(BatchJob(file_url(clip), file_url(out), "calm", "auto", 7, signing=signing_fingerprint(users)))
    assert result.output is None and result.error is not None
    assert "this machine's own certificate" in result.error and "FMAI_SIGN_KEY" in result.error
    assert str(tmp_path) not in result.error
    assert [p.name for p in out.iterdir()] == []  # nothing published
