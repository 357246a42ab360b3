"""Search over the redacted text although it is sealed: a keyed blind index of normalised words.

The database never holds a searchable word. Each report's redacted text is normalised (NFKC,
casefold, ё→е, apostrophes inside words dropped, other punctuation a word break, placeholders
such as "[PERSON 1]" removed) and every distinct word becomes a token
``HMAC-SHA256(search key, "w\\0" + word)[:16]``. Words of six letters or more also give a stem
token over their first five letters (``"s\\0" + word[:5]``), so Russian and Turkic case forms of
one word meet: "Москве", "Москва", "Москвой" → "москв"; "задержали", "задержан" → "задер".
Five letters is a crude stem, chosen because it needs no per-language morphology, works the same
for all six submitter languages, and keeps false matches rare for words that long.

A query is the AND of its words. A query word of six letters or more matches by its stem; a
word of five matches the whole word or a stem; shorter words match only the whole word.

What this leaks (accepted, documented for the threat model): the same word gives the same token
in every report, so someone holding the database sees which reports share words, how many
distinct words a report has, and how common each token is; with a guess of the corpus, frequency
analysis can tell the commonest tokens apart ("и", "в", "полиция"). Without the key, which is
derived from the receipt pepper and never stored in the database, they cannot test a guessed
word against the index. Tokens are de-duplicated per report, so nothing of word order or
repetition inside a report is kept.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from functools import cache

from django.db import transaction
from django.db.models import QuerySet

from testimony.crypto.keys import derived_key

TOKEN_BYTES = 16
STEM_LETTERS = 5
STEM_MIN_LETTERS = 6
MAX_QUERY_WORDS = 8

_PLACEHOLDER = re.compile(r"\[[A-Z_]+(?:\s+\d+)?\]")
_APOSTROPHES = re.compile(r"(?<=\w)['ʻʼ’‘`´ʹ′](?=\w)")
_WORD = re.compile(r"[^\W_]+")


@cache
def _key() -> bytes:
    return derived_key("search-index")


def _token(kind: bytes, word: str) -> bytes:
    return hmac.new(_key(), kind + b"\0" + word.encode("utf-8"), hashlib.sha256).digest()[:TOKEN_BYTES]


def normalise(text: str) -> list[str]:
    """The words of ``text`` as the index sees them, in order (placeholders dropped)."""
    text = _PLACEHOLDER.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    text = _APOSTROPHES.sub("", text)
    return _WORD.findall(text)


def word_tokens(word: str) -> tuple[bytes, ...]:
    """The tokens one (already normalised) word of a text gives: itself, and its stem if long."""
    if len(word) >= STEM_MIN_LETTERS:
        return (_token(b"w", word), _token(b"s", word[:STEM_LETTERS]))
    return (_token(b"w", word),)


def tokens_for_text(text: str) -> set[bytes]:
    return {token for word in set(normalise(text)) for token in word_tokens(word)}


def tokens_for_query_word(word: str) -> list[bytes]:
    """The tokens any of which matches one (already normalised) query word."""
    if len(word) >= STEM_MIN_LETTERS:
        return [_token(b"s", word[:STEM_LETTERS])]
    if len(word) == STEM_LETTERS:
        return [_token(b"w", word), _token(b"s", word)]
    return [_token(b"w", word)]


def query_words(query: str) -> list[str]:
    words = list(dict.fromkeys(normalise(query)))  # unique, in order
    return words[:MAX_QUERY_WORDS]


def search_filter(queryset: QuerySet, query: str) -> QuerySet:
    """Reports of ``queryset`` whose text holds every word of ``query`` (or its stem)."""
    from testimony.review.models import SearchToken

    for word in query_words(query):
        matching = SearchToken.objects.filter(token__in=tokens_for_query_word(word)).values("report_id")
        queryset = queryset.filter(pk__in=matching)
    return queryset


def indexed_text(payload: dict) -> str:
    """The text search and the exact-duplicate fingerprint are computed from, for a report's sealed
    payload (``review.sealed.report_text_open``): the account as it now reads, then the redacted
    place description. One definition, so that the worker and the console cannot drift apart."""
    return "\n".join([payload["account"]["redacted_text"], payload.get("place_details") or ""])


def report_text_index(*, report, payload: dict) -> None:
    """Refresh everything derived from the redacted text: the blind search tokens and the keyed
    exact-duplicate fingerprint (``review.similar.text_fingerprint``).

    Call it wherever the redacted text is written (the worker storing a report, every console
    correction), in the same transaction as the write: a committed text never has the index of
    an earlier one, and a rolled-back one leaves none. Sets ``report.text_fingerprint`` and saves
    that field alone, so the caller's own ``save(update_fields=...)`` needs not name it. Not
    audited: derived data; the change that caused it is audited by its own service.
    """
    from testimony.review.models import Report
    from testimony.review.similar import text_fingerprint

    text = indexed_text(payload)
    with transaction.atomic():
        report.text_fingerprint = text_fingerprint(text)
        Report.objects.filter(pk=report.pk).update(text_fingerprint=report.text_fingerprint)
        report_index_text(report=report, text=text)


def report_index_text(*, report, text: str) -> int:
    """Replace the report's search tokens with those of ``text`` (its redacted text). Returns the count.

    The building block of ``report_text_index``, which callers that change a report's text use
    (it also refreshes the fingerprint). Runs in the caller's transaction if there is one.
    """
    from testimony.review.models import SearchToken

    tokens = tokens_for_text(text)
    with transaction.atomic():
        SearchToken.objects.filter(report_id=report.pk).delete()
        SearchToken.objects.bulk_create(
            [SearchToken(report_id=report.pk, token=token) for token in sorted(tokens)], batch_size=1000
        )
    return len(tokens)
