"""Receipts: what a submitter keeps to follow up a report.

A receipt is 20 decimal digits (66.4 bits), shown in groups of four; digits read the same in
every script the submitters use. The server stores only a keyed hash: Argon2id (memory-hard)
over the receipt, then HMAC with a server-side pepper. The same Argon2id output also roots the
key that wraps the submission's reply identity, so only the receipt holder can read replies.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from testimony.crypto.keys import receipt_pepper

RECEIPT_DIGITS = 20
_ARGON_SALT = b"testimony receipt v1"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class ReceiptKeys:
    lookup: str
    wrap_root: bytes


def new_receipt() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def format_receipt(digits: str) -> str:
    return " ".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def normalise_receipt(text: str) -> str | None:
    """Digits of ``text`` in any script (Arabic-Indic, full-width...), or None if not a receipt."""
    digits = []
    for char in text or "":
        if char.isspace() or char in "-–—.":
            continue
        value = unicodedata.digit(char, None)
        if value is None:
            return None
        digits.append(str(value))
    result = "".join(digits)
    return result if len(result) == RECEIPT_DIGITS else None


def derive(digits: str) -> ReceiptKeys:
    # argon2-cffi, not cryptography's Argon2id: with more than one lane the latter (on OpenSSL 4)
    # deadlocks when two threads derive at once, which a threaded web server does all the time.
    stretched = hash_secret_raw(
        digits.encode("ascii"),
        _ARGON_SALT,
        time_cost=settings.RECEIPT_KDF_ITERATIONS,
        memory_cost=settings.RECEIPT_KDF_MEMORY_KIB,
        parallelism=settings.RECEIPT_KDF_LANES,
        hash_len=64,
        type=Type.ID,
    )
    lookup = hmac.new(receipt_pepper(), stretched[:32], hashlib.sha256).hexdigest()
    return ReceiptKeys(lookup=lookup, wrap_root=stretched[32:])


def _wrap_key(keys: ReceiptKeys, salt: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"reply identity wrap").derive(
        keys.wrap_root
    )


def wrap_secret(keys: ReceiptKeys, secret: bytes) -> tuple[bytes, bytes]:
    """Return (salt, wrapped) for ``secret`` under a key only this receipt derives."""
    salt = os.urandom(16)
    nonce = os.urandom(_NONCE_BYTES)
    return salt, nonce + AESGCM(_wrap_key(keys, salt)).encrypt(nonce, secret, b"reply identity")


def unwrap_secret(keys: ReceiptKeys, salt: bytes, wrapped: bytes) -> bytes | None:
    nonce, body = wrapped[:_NONCE_BYTES], wrapped[_NONCE_BYTES:]
    try:
        return AESGCM(_wrap_key(keys, salt)).decrypt(nonce, body, b"reply identity")
    except InvalidTag:
        return None
