"""Content Credentials on the WAVs we write: signed with this computer's own chain (made once) or the user's key,
found by an independent reader, checked by ``verify`` (which replays the music), and absent when turned off; on an
MP4, signed where it lies (its bytes kept, the manifest box after them)."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile
from typer.testing import CliRunner

import free_music_ai
from credential_checks import assert_generated_music, read_credentials
from free_music_ai.cli import app
from free_music_ai.config import load_settings
from free_music_ai.engine.audio_file import write_audio
from free_music_ai.engine.ffmpeg_binary import ffmpeg_exe
from free_music_ai.errors import ConfigError, RenderError
from free_music_ai.service.credentials import MusicRecord, array_blocks, manifest, pcm_sha256, seal_for, sign_in_place
from free_music_ai.service.signing_identity import LOCAL_SIGNER_FILE, SigningIdentity
from media_checks import facts, is_faststart, top_level_boxes


def _tone(seconds: float = 1.0) -> np.ndarray:
    t = np.arange(int(48_000 * seconds)) / 48_000
    return np.stack([0.3 * np.sin(2 * np.pi * 440 * t), 0.3 * np.sin(2 * np.pi * 660 * t)], axis=1).astype(np.float32)


RECORD = MusicRecord(spec={"duration_s": 1.0, "seed": 3}, soundfont={"name": "x.sf3", "bundled": True})


def test_a_wav_is_signed_with_a_local_chain_made_once(tmp_path: Path) -> None:
    settings = load_settings({"credentials_dir": tmp_path / "config"})
    audio = _tone()
    first = write_audio(
        audio, tmp_path / "a.wav", 48_000, seal=seal_for(settings, RECORD, lambda: pcm_sha256(array_blocks(audio)))
    )
    signer = tmp_path / "config" / LOCAL_SIGNER_FILE
    made = signer.read_bytes()
    assert b"PRIVATE KEY" in made and made.count(b"BEGIN CERTIFICATE") == 2  # the signer, then its authority
    music = assert_generated_music(first)
    assert music["pcm_sha256"] == pcm_sha256(array_blocks(audio)) and music["seed"] == 3
    assert json.loads(music["spec"]) == RECORD.spec
    found = read_credentials(first)
    assert found["signer"]["common_name"] == "free-music-ai local signer"
    second = write_audio(
        audio, tmp_path / "a.wav", 48_000, seal=seal_for(settings, RECORD, lambda: pcm_sha256(array_blocks(audio)))
    )
    assert second.name == "a-1.wav" and signer.read_bytes() == made  # the same chain signs every file
    assert np.array_equal(soundfile.read(str(first), dtype="int32")[0], soundfile.read(str(second), dtype="int32")[0])
    assert not list(tmp_path.glob(".*"))  # no partial or signing file left behind


def test_the_pcm_hash_is_of_the_samples_not_their_container() -> None:
    audio = _tone(0.5)
    assert pcm_sha256(array_blocks(audio, 1000)) == pcm_sha256([audio])  # however it is cut into blocks
    assert pcm_sha256([audio.astype(np.float64)]) == pcm_sha256([audio])  # whatever float type holds it
    changed = audio.copy()
    changed[100, 0] += 1e-4
    assert pcm_sha256([changed]) != pcm_sha256([audio])


def _users_chain(folder: Path, name: str) -> tuple[Path, Path]:
    """A key and a certificate chain as a studio's own authority would issue them."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    ca_key, key = ec.generate_private_key(ec.SECP384R1()), ec.generate_private_key(ec.SECP384R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} CA")])
    ca_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key())
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - datetime.timedelta(days=1))
          .not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA384()))  # fmt: skip
    leaf = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(2)
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, False, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(ca_id, critical=False)
            .sign(ca_key, hashes.SHA384()))  # fmt: skip
    key_path, cert_path = folder / "studio.key", folder / "studio.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    cert_path.write_bytes(leaf.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A key and a certificate that signs itself: what C2PA refuses to sign with."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Just me")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(3).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))  # fmt: skip
    key_path, cert_path = folder / "me.key", folder / "me.pem"
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))  # fmt: skip
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def test_the_users_key_signs_when_given(tmp_path: Path) -> None:
    key, cert = _users_chain(tmp_path, "Studio North")
    settings = load_settings({"sign_key": key, "sign_cert": cert, "credentials_dir": tmp_path / "config"})
    audio = _tone()
    out = write_audio(
        audio, tmp_path / "b.wav", 48_000, seal=seal_for(settings, RECORD, lambda: pcm_sha256(array_blocks(audio)))
    )
    assert_generated_music(out)
    assert read_credentials(out)["signer"]["common_name"] == "Studio North"
    assert not (tmp_path / "config").exists()  # no local chain made when the user's signs


def test_a_signing_key_that_cannot_be_used_is_said_before_anything_is_written(tmp_path: Path) -> None:
    key, cert = _users_chain(tmp_path, "Studio North")
    (tmp_path / "other").mkdir()
    other_key, _ = _users_chain(tmp_path / "other", "Other")
    with pytest.raises(ConfigError, match="Give both a signing key and its certificate"):
        seal_for(load_settings({"sign_key": key}), RECORD, None)
    with pytest.raises(ConfigError, match="is not the one of the key"):
        seal_for(load_settings({"sign_key": other_key, "sign_cert": cert}), RECORD, None)
    lone = _self_signed(tmp_path)
    with pytest.raises(ConfigError, match="cannot sign Content Credentials"):
        seal_for(load_settings({"sign_key": lone[0], "sign_cert": lone[1]}), RECORD, None)
    with pytest.raises(ConfigError, match="not usable PEM"):
        seal_for(load_settings({"sign_key": cert, "sign_cert": cert}), RECORD, None)


def test_no_credentials_writes_none(tmp_path: Path) -> None:
    settings = load_settings({"content_credentials": False, "credentials_dir": tmp_path / "config"})
    assert seal_for(settings, RECORD, None) is None
    result = CliRunner().invoke(
        app, ["compose", "-d", "3", "-o", str(tmp_path / "c.wav"), "--no-credentials", "--json"]
    )
    assert result.exit_code == 0, result.stderr
    assert not read_credentials(tmp_path / "c.wav")["found"]
    refused = CliRunner().invoke(app, ["verify", str(tmp_path / "c.wav")])
    assert refused.exit_code == 2 and "carries no Content Credentials" in refused.stderr


def _flip_a_sample(path: Path) -> None:
    """Change one sample in the middle of the WAV's data, leaving its Content Credentials as they were."""
    with soundfile.SoundFile(str(path)) as file:
        frames = file.frames
    data = bytearray(path.read_bytes())
    start = data.index(b"data") + 8  # the samples, 24-bit stereo, after the data chunk's header
    at = start + (frames // 2) * 6
    data[at + 2] ^= 0x10
    path.write_bytes(bytes(data))


@pytest.mark.slow  # ffmpeg re-encodes a file
def test_verify_passes_on_a_composed_wav_and_its_stems_and_fails_once_the_audio_changed(tmp_path: Path) -> None:
    stems = tmp_path / "stems"
    stems.mkdir()
    out = tmp_path / "song.wav"
    made = CliRunner().invoke(app, ["compose", "-d", "4", "--mood", "calm", "--seed", "9", "-o", str(out),
                                    "--stems", str(stems), "--json"])  # fmt: skip
    assert made.exit_code == 0, made.stderr
    assert assert_generated_music(out)["seed"] == 9
    for wav in [out, *sorted(stems.glob("*.wav"))]:
        checked = CliRunner().invoke(app, ["verify", str(wav), "--json"])
        assert checked.exit_code == 0, checked.stdout + checked.stderr
        verdict = json.loads(checked.stdout)
        assert verdict["valid"] and verdict["replayed"] and not verdict["trusted"] and verdict["seed"] == 9
    changed = tmp_path / "changed.wav"
    changed.write_bytes(out.read_bytes())
    _flip_a_sample(changed)
    failed = CliRunner().invoke(app, ["verify", str(changed)])
    assert failed.exit_code == 1 and "was changed after it was signed" in failed.stderr, failed.stderr
    quieter = tmp_path / "quieter.wav"
    subprocess.run([ffmpeg_exe(None), "-v", "error", "-i", str(out), "-af", "volume=0.9", "-c:a", "pcm_s24le",
                    str(quieter)], check=True)  # fmt: skip
    dropped = CliRunner().invoke(app, ["verify", str(quieter)])
    assert dropped.exit_code == 2 and "carries no Content Credentials" in dropped.stderr


@pytest.mark.slow  # plays the music twice
def test_verify_fails_when_the_music_is_not_what_its_spec_plays(tmp_path: Path) -> None:
    """Validly signed, yet the recorded hash or the file's samples are not the replay's: verify says so."""
    from free_music_ai.engine.music.produce import produce
    from free_music_ai.engine.music.spec import Genre, MusicSpec
    from free_music_ai.service.licence import font_record

    settings = load_settings({"credentials_dir": tmp_path / "config"})
    spec = MusicSpec(duration_s=3.0, valence=0.3, arousal=0.0, genre=Genre.LOFI, seed=2)
    record = MusicRecord(spec=spec.model_dump(mode="json"), soundfont=font_record(None, Genre.LOFI.value),
                         target_lufs=settings.target_lufs)  # fmt: skip
    music = produce(spec, target_lufs=settings.target_lufs)
    other = _tone(3.0)
    wrong_hash = write_audio(other, tmp_path / "hash.wav", 48_000,
                             seal=seal_for(settings, record, lambda: pcm_sha256([other])))  # fmt: skip
    checked = CliRunner().invoke(app, ["verify", str(wrong_hash)])
    assert checked.exit_code == 1 and "is not what its spec and seed play" in checked.stderr, checked.stderr
    wrong_audio = write_audio(other, tmp_path / "audio.wav", 48_000,
                              seal=seal_for(settings, record, lambda: pcm_sha256([music.audio])))  # fmt: skip
    checked = CliRunner().invoke(app, ["verify", str(wrong_audio)])
    assert checked.exit_code == 1 and "is not the music its Content Credentials describe" in checked.stderr
    right = write_audio(music.audio, tmp_path / "right.wav", 48_000,
                        seal=seal_for(settings, record, lambda: pcm_sha256([music.audio])))  # fmt: skip
    assert CliRunner().invoke(app, ["verify", str(right)]).exit_code == 0


def _export_like(path: Path) -> Path:
    """An MP4 as an export is written: H.264 and AAC, its index (moov) first and its media (mdat) last."""
    subprocess.run([ffmpeg_exe(None), "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30:d=2",
                    "-f", "lavfi", "-i", "sine=frequency=330:d=2:sample_rate=48000", "-c:v", "libx264",
                    "-preset", "ultrafast", "-c:a", "aac", "-movflags", "+faststart", str(path)],
                   check=True)  # fmt: skip
    return path


@pytest.mark.slow  # ffmpeg encodes a file
def test_an_mp4_is_signed_where_it_lies_and_a_refused_signature_leaves_it_as_it_was(tmp_path: Path) -> None:
    settings = load_settings({"credentials_dir": tmp_path / "config"})
    made = _export_like(tmp_path / ".export.mp4")
    original = made.read_bytes()
    seal = seal_for(settings, RECORD, lambda: "ab" * 32)
    assert seal is not None
    seal(made)
    signed = made.read_bytes()
    # every byte as ffmpeg wrote it, then one C2PA box: no offset in the index moved, nothing was copied
    assert signed[: len(original)] == original and len(signed) > len(original)
    added = signed[len(original) :]
    assert int.from_bytes(added[:4], "big") == len(added) and added[4:8] == b"uuid"
    assert added[8:24] == bytes.fromhex("d8fec3d61b0e483c92975828877ec481")  # the C2PA manifest store's uuid
    assert top_level_boxes(made) == [*top_level_boxes(_export_like(tmp_path / "again.mp4")), "uuid"]
    assert is_faststart(made) and facts(made).frames == 60 and facts(made).audio_codec == "aac"  # it still plays
    music = assert_generated_music(made)
    assert music["pcm_sha256"] == "ab" * 32
    tampered = tmp_path / "tampered.mp4"
    changed = bytearray(signed)
    changed[len(original) - 100] ^= 0xFF  # a byte of the media, near the end of the mdat
    tampered.write_bytes(bytes(changed))
    assert "assertion.bmffHash.mismatch" in read_credentials(tampered)["failures"]

    key, cert = _self_signed(tmp_path)  # C2PA refuses it when it signs, after the placeholder was written
    refused = _export_like(tmp_path / ".refused.mp4")
    before = refused.read_bytes()
    identity = SigningIdentity(key.read_bytes(), cert.read_bytes(), "es256", local=False)
    with pytest.raises(RenderError, match=r"could not be signed into \.refused\.mp4"):
        sign_in_place(refused, manifest(RECORD, None, refused.name), identity)
    assert refused.read_bytes() == before  # its placeholder taken away again
    assert sorted(p.name for p in tmp_path.iterdir()) == [".export.mp4", ".refused.mp4", "again.mp4", "config",
                                                          "me.key", "me.pem", "tampered.mp4"]  # fmt: skip


FULL_DISK = """
import resource, signal, sys
from pathlib import Path
from free_music_ai.config import load_settings
from free_music_ai.errors import MusicAIError
from free_music_ai.service.credentials import MusicRecord, seal_for
seal = seal_for(load_settings({"credentials_dir": Path(sys.argv[2])}), MusicRecord(spec={"seed": 1}), lambda: "ab" * 32)
target = Path(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (target.stat().st_size + 100, resource.RLIM_INFINITY))
try:
    seal(target)
except MusicAIError as exc:
    print(type(exc).__name__, exc)
"""


@pytest.mark.slow  # ffmpeg encodes a file
def test_an_mp4_that_cannot_grow_is_said_in_words_and_left_as_it_was(tmp_path: Path) -> None:
    made = _export_like(tmp_path / ".full.mp4")
    before = made.read_bytes()
    source = str(Path(free_music_ai.__file__).parents[1])  # this checkout's code, whatever is installed
    done = subprocess.run([sys.executable, "-c", FULL_DISK, str(made), str(tmp_path / "config")], capture_output=True,
                          text=True, timeout=120, env={**os.environ, "PYTHONPATH": source})  # fmt: skip
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert done.stdout.startswith("InputError The disk is full") and "Free some space" in done.stdout, done.stdout
    assert made.read_bytes() == before  # no placeholder left at its end
