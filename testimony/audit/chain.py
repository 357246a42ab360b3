"""Computing and checking the audit chain. Pure functions over plain values.

A problem's text is in the active language: the console shows it (``manage.py verify_audit``
prints it in English).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

GENESIS = "0" * 64


def canonical(fields: dict) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def digest(key: bytes, previous: str, fields: dict) -> str:
    return hmac.new(key, previous.encode("ascii") + b"\n" + canonical(fields), hashlib.sha256).hexdigest()


def entry_fields(entry) -> dict:
    """The fields an entry's digest covers, from a model instance or anything with those attributes."""
    return {
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor_id": entry.actor_id,
        "actor": entry.actor,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "details": entry.details,
    }


@dataclass(frozen=True)
class Problem:
    seq: int
    what: str


def entry_intact(entry, key: bytes) -> bool:
    """Whether the entry's digest still covers its fields (the link to the one before is not checked)."""
    return hmac.compare_digest(entry.digest, digest(key, entry.previous, entry_fields(entry)))


def verify(
    entries: Iterable, key: bytes, *, first_seq: int = 1, previous: str = GENESIS
) -> tuple[list[Problem], int, str]:
    """Check entries in ``seq`` order; return the problems, the last seq and the head digest.

    Finds an edited entry (its digest no longer matches), a deleted one (a gap in ``seq``, or the
    next entry's ``previous`` not matching) and reordered ones (``previous`` links broken). A
    removed tail leaves a valid shorter chain: compare the head with one recorded elsewhere.
    ``first_seq`` and ``previous`` continue a check from an entry checked earlier (its seq + 1 and
    its digest); the entries before it are then taken on trust.
    """
    problems: list[Problem] = []
    expected_seq = first_seq
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(Problem(entry.seq, _("expected entry %(seq)d here") % {"seq": expected_seq}))
        if entry.previous != previous:
            problems.append(Problem(entry.seq, _("does not follow the entry before it")))
        if not entry_intact(entry, key):
            problems.append(Problem(entry.seq, _("content does not match its digest")))
        expected_seq, previous = entry.seq + 1, entry.digest
    return problems, expected_seq - 1, previous
