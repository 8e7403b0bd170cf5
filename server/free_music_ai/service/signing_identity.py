"""Who signs the Content Credentials: the user's own key and certificate, or a local chain made once.

The local chain is a certificate authority of this installation and a signing certificate it issued, with the
extended key usage C2PA asks of a signer. Readers find the manifest valid and its signer untrusted, as they do
for every self-issued certificate: it says "this installation made this file", not who the person is. The
authority's key signs the one certificate and is then thrown away, so nothing else can be issued under it.
"""

from __future__ import annotations

import datetime
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from free_music_ai.config import Settings
from free_music_ai.errors import ConfigError

LOCAL_SIGNER_FILE = "content-credentials-signer.pem"
LOCAL_VALIDITY_DAYS = 3650
DOCUMENT_SIGNING = "1.3.6.1.5.5.7.3.36"  # id-kp-documentSigning, one of the usages C2PA accepts for a signer


@dataclass(frozen=True)
class SigningIdentity:
    """A private key and its certificate chain, both PEM, and the C2PA name of the algorithm they sign with."""

    key_pem: bytes
    chain_pem: bytes
    algorithm: str  # es256, es384, es512, ps256 or ed25519
    local: bool  # made by this installation (readers call it untrusted)

    def c2pa_signer(self) -> Any:
        """A c2pa-python ``Signer`` of this key and chain (the caller closes it); C2PA loads only when asked."""
        import c2pa

        return c2pa.Signer.from_info(c2pa.C2paSignerInfo(self.algorithm, self.chain_pem, self.key_pem, None))


def signing_identity(settings: Settings) -> SigningIdentity:
    """The user's key and certificate when set, else this installation's own chain (made on first use)."""
    if (settings.sign_key is None) != (settings.sign_cert is None):
        raise ConfigError("Give both a signing key and its certificate (--sign-key and --sign-cert, or FMAI_SIGN_KEY "
                          "and FMAI_SIGN_CERT), or neither to sign with this computer's own.")  # fmt: skip
    if settings.sign_key is not None and settings.sign_cert is not None:
        return _users(settings.sign_key, settings.sign_cert)
    return _local(settings.credentials_dir)


def _users(key_path: Path, cert_path: Path) -> SigningIdentity:
    from cryptography.hazmat.primitives.serialization import load_pem_private_key
    from cryptography.x509 import load_pem_x509_certificates

    try:
        key_pem, chain_pem = key_path.read_bytes(), cert_path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"The signing key or certificate cannot be read ({exc.strerror}: {exc.filename}). "
                          "Check the paths given to --sign-key and --sign-cert.") from None  # fmt: skip
    try:
        key = load_pem_private_key(key_pem, password=None)
        certificates = load_pem_x509_certificates(chain_pem)
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"The signing key or certificate is not usable PEM ({exc}). Give an unencrypted "
                          "private key and its certificate chain, signing certificate first.") from None  # fmt: skip
    if certificates[0].public_key() != key.public_key():
        raise ConfigError(f"The first certificate in {cert_path.name} is not the one of the key {key_path.name}. "
                          "Put the signing certificate first in the chain.")  # fmt: skip
    return SigningIdentity(key_pem, chain_pem, _algorithm(key), local=False)


def _algorithm(key: object) -> str:
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        by_curve = {"secp256r1": "es256", "secp384r1": "es384", "secp521r1": "es512"}
        if key.curve.name in by_curve:
            return by_curve[key.curve.name]
    if isinstance(key, rsa.RSAPrivateKey):
        return "ps256"
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "ed25519"
    raise ConfigError("C2PA signs with an EC key on P-256, P-384 or P-521, an RSA key or an Ed25519 key; this "
                      "key is none of them. Give one of those.")  # fmt: skip


def _local(folder: Path) -> SigningIdentity:
    """Read this installation's signer, making it first when there is none. Two processes that start at once
    both make one, and the first to give it its name wins: each file is always one whole key and its chain."""
    path = folder / LOCAL_SIGNER_FILE
    if not path.is_file():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temp = folder / f".{LOCAL_SIGNER_FILE}.{secrets.token_hex(4)}"
            temp.write_bytes(b"")
            temp.chmod(0o600)  # the private key is for this user only
            temp.write_bytes(_new_local_signer())
            try:
                os.link(temp, path)
            except FileExistsError:
                pass  # another process made it first: its chain is the one
            except OSError:  # no hard links here (FAT, some network drives): a rename, if still nobody's
                if not path.exists():
                    temp.replace(path)
            finally:
                temp.unlink(missing_ok=True)
        except OSError as exc:
            raise ConfigError(f"The local signing certificate cannot be written in {folder} ({exc.strerror}). "
                              "Set FMAI_CREDENTIALS_DIR to a writable folder, or turn Content Credentials off "
                              "(--no-credentials).") from None  # fmt: skip
    text = path.read_bytes()
    marker = b"-----BEGIN CERTIFICATE-----"
    cut = text.index(marker)
    return SigningIdentity(text[:cut], text[cut:], "es256", local=True)


def _new_local_signer() -> bytes:
    """An ES256 key, a certificate authority that issues it one signing certificate, and the PEM of both:
    the key, then the chain (signing certificate, then the authority)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC)
    host = f"free-music-ai on this computer ({secrets.token_hex(3)})"
    authority_key = ec.generate_private_key(ec.SECP256R1())
    authority = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, host),
                           x509.NameAttribute(NameOID.COMMON_NAME, "free-music-ai local authority")])  # fmt: skip
    signer_key = ec.generate_private_key(ec.SECP256R1())
    signer = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, host),
                        x509.NameAttribute(NameOID.COMMON_NAME, "free-music-ai local signer")])  # fmt: skip

    def usage(sign_certificates: bool) -> x509.KeyUsage:
        return x509.KeyUsage(digital_signature=not sign_certificates, content_commitment=False,
                             key_encipherment=False, data_encipherment=False, key_agreement=False,
                             key_cert_sign=sign_certificates, crl_sign=sign_certificates, encipher_only=False,
                             decipher_only=False)  # fmt: skip

    def builder(subject: x509.Name, key: ec.EllipticCurvePrivateKey) -> x509.CertificateBuilder:
        identifier = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        return (x509.CertificateBuilder().subject_name(subject).issuer_name(authority).public_key(key.public_key())
                .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
                .not_valid_after(now + datetime.timedelta(days=LOCAL_VALIDITY_DAYS))
                .add_extension(identifier, critical=False))  # fmt: skip

    authority_cert = (builder(authority, authority_key)
                      .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                      .add_extension(usage(True), critical=True)
                      .sign(authority_key, hashes.SHA256()))  # fmt: skip
    issuer_id = x509.AuthorityKeyIdentifier.from_issuer_public_key(authority_key.public_key())
    signer_cert = (builder(signer, signer_key)
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
                   .add_extension(usage(False), critical=True)
                   .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                                         x509.ObjectIdentifier(DOCUMENT_SIGNING)]), critical=False)
                   .add_extension(issuer_id, critical=False)
                   .sign(authority_key, hashes.SHA256()))  # fmt: skip
    key_pem = signer_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())  # fmt: skip
    pem = serialization.Encoding.PEM
    return key_pem + signer_cert.public_bytes(pem) + authority_cert.public_bytes(pem)
