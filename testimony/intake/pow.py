"""Hashcash-style proof of work that makes each submission cost the sender about a second.

A challenge is ``<payload>.<mac>``: the payload (base64url JSON) holds a random id, the
difficulty and an expiry; the MAC (keyed by SECRET_KEY) proves the server issued it. A solution
is a decimal ``nonce`` such that SHA-256(``challenge:nonce``) starts with ``difficulty`` zero
bits. A challenge is spent once (cache ``add`` is atomic in Redis and in the database cache).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

from testimony.intake.errors import PowInvalid, PowReused

_SALT = "testimony.intake.pow"
_MAX_NONCE_CHARS = 20


@dataclass(frozen=True)
class Challenge:
    token: str
    difficulty: int


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(payload: str) -> str:
    return _b64(salted_hmac(_SALT, payload, algorithm="sha256").digest())


def issue(*, now: float | None = None) -> Challenge:
    now = time.time() if now is None else now
    difficulty = settings.POW_DIFFICULTY
    payload = _b64(
        json.dumps(
            {"i": secrets.token_hex(16), "d": difficulty, "e": int(now) + settings.POW_TTL_SECONDS},
            separators=(",", ":"),
        ).encode()
    )
    return Challenge(token=f"{payload}.{_mac(payload)}", difficulty=difficulty)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solve(token: str, difficulty: int) -> str:
    """Find a nonce; used by tests and by partner clients written in Python."""
    counter = 0
    while True:
        nonce = str(counter)
        if leading_zero_bits(hashlib.sha256(f"{token}:{nonce}".encode()).digest()) >= difficulty:
            return nonce
        counter += 1


def verify_and_spend(token: object, nonce: object, *, now: float | None = None) -> None:
    """Raise PowInvalid or PowReused unless this is a fresh, solved challenge; then spend it."""
    now = time.time() if now is None else now
    if not isinstance(token, str) or not isinstance(nonce, str):
        raise PowInvalid()
    if not nonce.isascii() or not nonce.isdigit() or len(nonce) > _MAX_NONCE_CHARS:
        raise PowInvalid()
    payload, _sep, mac = token.partition(".")
    if not mac or not constant_time_compare(mac, _mac(payload)):
        raise PowInvalid()
    try:
        claims = json.loads(_unb64(payload))
        challenge_id, difficulty, expires = str(claims["i"]), int(claims["d"]), int(claims["e"])
    except (ValueError, KeyError, TypeError):
        raise PowInvalid() from None
    if expires < now or difficulty < settings.POW_DIFFICULTY:
        raise PowInvalid()
    if leading_zero_bits(hashlib.sha256(f"{token}:{nonce}".encode()).digest()) < difficulty:
        raise PowInvalid()
    if not cache.add(f"pow:{challenge_id}", 1, timeout=max(1, expires - int(now))):
        raise PowReused()
