"""Loading and creating the platform's keys (see DESIGN.md, "Keys")."""

from __future__ import annotations

import base64
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DATA_KEY_BYTES = 32


class IdentityUnavailable(ImproperlyConfigured):
    """This process was not given the intake identity (the web process never is)."""


def intake_recipient() -> str:
    recipient = settings.AGE_RECIPIENT
    if not recipient:
        raise ImproperlyConfigured("AGE_RECIPIENT is not set; run `manage.py init_keys` or set it.")
    return recipient


@cache
def load_intake_identity() -> pyrage.x25519.Identity:
    path = settings.AGE_IDENTITY_FILE
    if not path:
        raise IdentityUnavailable("This process holds no intake identity (AGE_IDENTITY_FILE is not set).")
    raw = Path(path).read_bytes()
    if raw.startswith(b"age-encryption.org/v1\n"):
        passphrase = settings.AGE_IDENTITY_PASSPHRASE
        if not passphrase:
            raise IdentityUnavailable(
                "The intake identity is passphrase-protected; set AGE_IDENTITY_PASSPHRASE."
            )
        raw = pyrage.passphrase.decrypt(raw, passphrase)
    for line in raw.decode("ascii").splitlines():
        if line.startswith("AGE-SECRET-KEY-"):
            return pyrage.x25519.Identity.from_str(line.strip())
    raise ImproperlyConfigured(f"No AGE-SECRET-KEY line in {path}.")


def data_keys() -> list[bytes]:
    keys = []
    for encoded in settings.DATA_KEYS:
        key = base64.b64decode(encoded)
        if len(key) != DATA_KEY_BYTES:
            raise ImproperlyConfigured("Each data key must be 32 bytes, base64-encoded.")
        keys.append(key)
    if not keys:
        raise ImproperlyConfigured("DATA_KEYS is empty; run `manage.py init_keys` or set it.")
    return keys


def receipt_pepper() -> bytes:
    if not settings.RECEIPT_PEPPER:
        raise ImproperlyConfigured("RECEIPT_PEPPER is not set; run `manage.py init_keys` or set it.")
    return base64.b64decode(settings.RECEIPT_PEPPER)


def derived_key(purpose: str) -> bytes:
    """A 32-byte key for one purpose (``"audit-chain"``, ``"search-index"``), derived from the pepper.

    These keys, like the pepper, cannot be rotated without recomputing what they protect (the
    audit chain, the blind search index, the duplicate fingerprints of ``review.similar``), so they
    share its lifetime; HKDF keeps them independent.
    """
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=f"testimony/{purpose}".encode()).derive(
        receipt_pepper()
    )


def new_data_key() -> str:
    return base64.b64encode(secrets.token_bytes(DATA_KEY_BYTES)).decode("ascii")


@dataclass(frozen=True)
class KeyFiles:
    directory: Path

    @property
    def identity(self) -> Path:
        return self.directory / "intake_identity.age"

    @property
    def recipient(self) -> Path:
        return self.directory / "intake_recipient.txt"

    @property
    def data_keys(self) -> Path:
        return self.directory / "data_keys"

    @property
    def signing_key(self) -> Path:
        return self.directory / "signing_ed25519.pem"

    @property
    def signing_public_key(self) -> Path:
        return self.directory / "signing_ed25519.pub.pem"

    @property
    def receipt_pepper(self) -> Path:
        return self.directory / "receipt_pepper"

    @property
    def django_secret_key(self) -> Path:
        return self.directory / "django_secret_key"

    def all(self) -> list[Path]:
        return [
            self.identity,
            self.recipient,
            self.data_keys,
            self.signing_key,
            self.signing_public_key,
            self.receipt_pepper,
            self.django_secret_key,
        ]


def write_private(path: Path, content: bytes) -> None:
    """Create ``path`` with mode 0600; never overwrite (O_EXCL), so a key cannot be clobbered."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def create_all(directory: Path, *, passphrase: str | None) -> KeyFiles:
    files = KeyFiles(directory)
    existing = [path for path in files.all() if path.exists()]
    if existing:
        names = ", ".join(path.name for path in existing)
        raise FileExistsError(f"Refusing to overwrite existing key files: {names}")
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)

    identity = pyrage.x25519.Identity.generate()
    identity_text = f"# intake identity\n{identity}\n".encode("ascii")
    if passphrase:
        identity_text = pyrage.passphrase.encrypt(identity_text, passphrase)
    signing = Ed25519PrivateKey.generate()

    write_private(files.identity, identity_text)
    write_private(files.recipient, f"{identity.to_public()}\n".encode("ascii"))
    write_private(files.data_keys, f"{new_data_key()}\n".encode("ascii"))
    write_private(
        files.signing_key,
        signing.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
    )
    write_private(
        files.signing_public_key,
        signing.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )
    write_private(files.receipt_pepper, base64.b64encode(secrets.token_bytes(32)) + b"\n")
    write_private(files.django_secret_key, secrets.token_urlsafe(50).encode("ascii") + b"\n")
    return files
