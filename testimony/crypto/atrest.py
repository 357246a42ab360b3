"""Symmetric encryption at rest with a rotatable list of data keys.

Format: version byte, 8-byte key id, 12-byte nonce, AES-256-GCM ciphertext. The associated data
names where the value lives (for example ``"message.body:<id>"``), so a sealed value copied into
another row or column does not open.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from testimony.crypto.keys import data_keys

_VERSION = b"\x01"
_KEY_ID_BYTES = 8
_NONCE_BYTES = 12
_PREFIX = len(_VERSION) + _KEY_ID_BYTES + _NONCE_BYTES


class SealError(ValueError):
    """A sealed value that no configured key opens, or that was altered."""


def key_id(key: bytes) -> bytes:
    return hashlib.sha256(b"testimony data key id\x00" + key).digest()[:_KEY_ID_BYTES]


def seal(plaintext: bytes, *, context: str, keys: list[bytes] | None = None) -> bytes:
    key = (keys or data_keys())[0]
    nonce = os.urandom(_NONCE_BYTES)
    return _VERSION + key_id(key) + nonce + AESGCM(key).encrypt(nonce, plaintext, context.encode())


def unseal(sealed: bytes, *, context: str, keys: list[bytes] | None = None) -> bytes:
    if len(sealed) < _PREFIX or sealed[:1] != _VERSION:
        raise SealError("not a sealed value")
    wanted = sealed[1 : 1 + _KEY_ID_BYTES]
    nonce = sealed[1 + _KEY_ID_BYTES : _PREFIX]
    for key in keys or data_keys():
        if key_id(key) == wanted:
            try:
                return AESGCM(key).decrypt(nonce, sealed[_PREFIX:], context.encode())
            except InvalidTag:
                raise SealError("sealed value was altered or moved") from None
    raise SealError("no configured data key opens this value")


def sealed_with_current_key(sealed: bytes, *, keys: list[bytes] | None = None) -> bool:
    return sealed[1 : 1 + _KEY_ID_BYTES] == key_id((keys or data_keys())[0])


def seal_text(text: str, *, context: str) -> str:
    """``seal`` for a JSON column: a person's words, sealed and base64-encoded."""
    return base64.b64encode(seal(text.encode("utf-8"), context=context)).decode("ascii")


def unseal_text(value: str, *, context: str) -> str:
    """Open what ``seal_text`` made; ``SealError`` if it is not such a value or no key opens it."""
    try:
        sealed = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SealError("not a sealed value") from None
    return unseal(sealed, context=context).decode("utf-8")
