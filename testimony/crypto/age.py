"""age encryption to the organisation's intake recipient, and checks on age files we receive.

The web process holds only the recipient. Decryption needs the identity, which only the worker
loads (see keys.load_intake_identity).
"""

from __future__ import annotations

import base64
import binascii
import re

import pyrage

from testimony.crypto import padding

AGE_MAGIC = b"age-encryption.org/v1\n"
_ARGUMENT = re.compile(rb"^[\x21-\x7e]+$")
_BODY_LINE = re.compile(rb"^[A-Za-z0-9+/]{0,64}$")
_MAX_HEADER_LINE = 1024
_MAC_LINE = re.compile(rb"--- ([A-Za-z0-9+/]{43})\n")
_NONCE_BYTES = 16
_CHUNK_BYTES = 64 * 1024
_TAG_BYTES = 16
_MAX_STANZAS = 8


class MalformedCiphertext(ValueError):
    """Bytes that are not an age file to an X25519 recipient, or are truncated."""


def encrypt(plaintext: bytes, recipient: str) -> bytes:
    try:
        parsed = pyrage.x25519.Recipient.from_str(recipient)
    except pyrage.RecipientError as exc:
        raise ValueError("not an age X25519 recipient") from exc
    return pyrage.encrypt(plaintext, [parsed])


def encrypt_to_intake(plaintext: bytes) -> bytes:
    from testimony.crypto.keys import intake_recipient

    return encrypt(plaintext, intake_recipient())


def decrypt(ciphertext: bytes, identity: pyrage.x25519.Identity) -> bytes:
    return pyrage.decrypt(ciphertext, [identity])


def plaintext_length(payload_length: int) -> int | None:
    """The plaintext length for an age payload of this length, or None if no plaintext fits."""
    if payload_length < _NONCE_BYTES + _TAG_BYTES:
        return None
    body = payload_length - _NONCE_BYTES
    full, rest = divmod(body, _CHUNK_BYTES + _TAG_BYTES)
    if rest == 0 and full > 0:
        # A final chunk is never empty unless it is the only one.
        return full * _CHUNK_BYTES
    if rest < _TAG_BYTES or (rest == _TAG_BYTES and full > 0):
        return None
    return full * _CHUNK_BYTES + rest - _TAG_BYTES


def _line(data: bytes, offset: int) -> tuple[bytes, int]:
    end = data.find(b"\n", offset, offset + _MAX_HEADER_LINE)
    if end < 0:
        raise MalformedCiphertext("header is malformed or truncated")
    return data[offset:end], end + 1


def _skip_stanza(data: bytes, offset: int) -> tuple[int, bytes]:
    """Skip one ``-> type args`` stanza and its base64 body (64-column lines, the last shorter)."""
    line, offset = _line(data, offset)
    arguments = line[3:].split(b" ")
    if not arguments or not all(_ARGUMENT.match(argument) for argument in arguments):
        raise MalformedCiphertext("bad stanza")
    while True:
        body, offset = _line(data, offset)
        if not _BODY_LINE.match(body):
            raise MalformedCiphertext("bad stanza body")
        try:
            base64.b64decode(body + b"=" * (-len(body) % 4), validate=True)
        except binascii.Error:
            raise MalformedCiphertext("bad stanza body") from None
        if len(body) < 64:
            return offset, arguments[0]


def check_envelope(ciphertext: bytes, *, minimum_plaintext: int, maximum_bytes: int) -> int:
    """Check, without the key, that ``ciphertext`` is a whole, padded age file; return its plaintext size.

    Truncation is caught because a padded plaintext always has a bucket size: a payload cut
    short lands on a length that no bucket produces.
    """
    if len(ciphertext) > maximum_bytes:
        raise MalformedCiphertext("too large")
    if not ciphertext.startswith(AGE_MAGIC):
        raise MalformedCiphertext("not an age file")
    offset = len(AGE_MAGIC)
    x25519 = stanzas = 0
    while ciphertext.startswith(b"-> ", offset):
        offset, kind = _skip_stanza(ciphertext, offset)
        stanzas += 1
        if kind == b"scrypt":
            raise MalformedCiphertext("passphrase-encrypted files are not accepted")
        x25519 += kind == b"X25519"
    if x25519 == 0 or stanzas > _MAX_STANZAS:
        raise MalformedCiphertext("expected X25519 recipient stanzas")
    mac = _MAC_LINE.match(ciphertext, offset)
    if not mac:
        raise MalformedCiphertext("header is malformed or truncated")
    size = plaintext_length(len(ciphertext) - mac.end())
    if size is None or not padding.is_bucket_size(size, minimum_plaintext):
        raise MalformedCiphertext("payload is truncated or not padded")
    return size
