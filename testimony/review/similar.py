"""Duplicate and related-report suggestions, and the fingerprints they are found by.

Exact: the same normalised redacted text, or an attachment with the same cleaned bytes; both are
keyed hashes (HMAC with a key derived from the pepper) computed by the worker, so a database thief
cannot confirm that a text or photo they hold is in the database. Near: reports in the same city
or region within a month either way, compared by their redacted text (character shingles,
placeholders removed) and by a perceptual hash of their images. Only the bounded candidate set
chosen in SQL is decrypted, in memory, for the request making the suggestion.

Every suggestion comes from ``reports_in_scope(user)``: a report the user may not see is never
suggested, nor counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from testimony.crypto.keys import derived_key
from testimony.processing.dhash import difference_hash
from testimony.review.sealed import report_text_open
from testimony.review.selectors import reports_in_scope

# How many near candidates may be decrypted for one suggestion request (the SQL pre-filter on
# country and dates fetches at most PREFILTER light rows, the place check narrows them).
MAX_CANDIDATES = 50
PREFILTER = 400
NEAR_TEXT = 0.25  # Jaccard of 5-character shingles: unrelated accounts of a raid score ~0.05-0.15
IMAGE_DISTANCE = 10  # Hamming distance between 64-bit difference hashes: "the same picture"
SHINGLE = 5

_PLACEHOLDER = re.compile(r"\[[A-Z_]+ \d+\]")
_NON_WORD = re.compile(r"[\W_]+")
_SPACE = re.compile(r"\s+")


# --- Fingerprints (computed by the worker; see processing.services._store_report) --------------


def normalise_text(text: str) -> str:
    """Case, Unicode form and whitespace folded: retyping or re-pasting the same text matches."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def text_fingerprint(redacted_text: str) -> str:
    """Keyed hash of the normalised redacted text; "" for an empty text (nothing to match on)."""
    normalised = normalise_text(redacted_text)
    if not normalised:
        return ""
    return hmac.new(derived_key("text-fingerprint"), normalised.encode("utf-8"), hashlib.sha256).hexdigest()


def content_fingerprint(content: bytes) -> str:
    """Keyed hash of an attachment's cleaned bytes (of the sealed original for documents)."""
    return hmac.new(derived_key("content-fingerprint"), content, hashlib.sha256).hexdigest()


def _image_mask() -> tuple[int, list[int]]:
    """A keyed XOR mask and bit permutation: both keep Hamming distances between hashes."""
    stream = hmac.new(derived_key("image-hash"), b"mask and permutation", hashlib.sha512).digest()
    mask = int.from_bytes(stream[:8], "big")
    order = list(range(64))
    # Fisher-Yates driven by the keyed stream (one byte per swap, bias irrelevant here).
    for i in range(63, 0, -1):
        j = stream[8 + (63 - i) % 56] % (i + 1)
        order[i], order[j] = order[j], order[i]
    return mask, order


def image_hash(content: bytes) -> str:
    """A 64-bit difference hash of an image, keyed (bits permuted and masked), as 16 hex digits.

    Keying keeps a thief from computing the stored value of a photo they hold; distances between
    two stored hashes are unchanged, so similar pictures stay near. It is not a strong secret: one
    known photo with its stored hash reveals much of the mask. "" when the bytes are no image.
    """
    bits = difference_hash(content)
    return "" if bits is None else keyed_image_hash(bits)


def keyed_image_hash(bits: int) -> str:
    """:func:`image_hash` of an image whose difference hash is ``bits`` (the worker gets them from
    the attachment sandbox, which decoded the image)."""
    mask, order = _image_mask()
    permuted = 0
    for target, source in enumerate(order):
        if bits >> (63 - source) & 1:
            permuted |= 1 << (63 - target)
    return f"{permuted ^ mask:016x}"


def hamming(a: str, b: str) -> int:
    return bin(int(a, 16) ^ int(b, 16)).count("1")


# --- Text similarity ------------------------------------------------------------------------


def comparable_text(redacted_text: str) -> str:
    """Placeholders and punctuation out: "[PERSON 1]" in both texts says nothing about likeness."""
    text = _PLACEHOLDER.sub(" ", redacted_text)
    return _SPACE.sub(" ", _NON_WORD.sub(" ", normalise_text(text))).strip()


def shingles(text: str, size: int = SHINGLE) -> frozenset[str]:
    if len(text) <= size:
        return frozenset([text]) if text else frozenset()
    return frozenset(text[i : i + size] for i in range(len(text) - size + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


# --- Suggestions ----------------------------------------------------------------------------


@dataclass
class Suggestion:
    report_id: object  # the report's pk (a UUID)
    kind: str  # "exact" or "near"
    reasons: list[str] = field(default_factory=list)
    score: float = 0.0


def _month_index(month: str) -> int | None:
    try:
        year, number = month.split("-")[:2]
        return int(year) * 12 + int(number) - 1
    except (ValueError, AttributeError):
        return None


def _places_of(report) -> tuple[dict[tuple[str, str], str], dict[tuple[str, str], str]]:
    """(country, city) → city name, and (country, region) → region name, from the coarse places."""
    cities, regions = {}, {}
    for place in report.places or []:
        country = place.get("country", "")
        if place.get("precision") in ("city", "site") and place.get("name"):
            cities[(country, place["name"])] = place["name"]
        if place.get("admin1"):
            regions[(country, place["admin1"])] = place["admin1"]
        elif place.get("precision") == "admin1" and place.get("name"):
            regions[(country, place["name"])] = place["name"]
    return cities, regions


def _near_in_time(report, other) -> bool:
    if report.received_on and other.received_on and abs((report.received_on - other.received_on).days) <= 31:
        return True
    mine, theirs = _month_index(report.event_month), _month_index(other.event_month)
    return mine is not None and theirs is not None and abs(mine - theirs) <= 1


def _date_window(report) -> Q:
    """SQL pre-filter: received within a month either way, or an event month one apart."""
    q = Q(pk__in=[])
    if report.received_on:
        q |= Q(
            received_on__gte=report.received_on - dt.timedelta(days=31),
            received_on__lte=report.received_on + dt.timedelta(days=31),
        )
    index = _month_index(report.event_month)
    if index is not None:
        months = [f"{(i) // 12:04d}-{(i) % 12 + 1:02d}" for i in (index - 1, index, index + 1)]
        q |= Q(event_month__in=months)
    return q


def _redacted_text(report) -> str:
    try:
        return report_text_open(report)["account"]["redacted_text"]
    except Exception:  # a row whose text cannot be opened (rotated away key) is simply not compared
        return ""


def _image_hashes(report_ids) -> dict:
    from testimony.review.models import Attachment

    hashes: dict = {}
    for report_id, value in (
        Attachment.objects.filter(report_id__in=report_ids)
        .exclude(image_hash="")
        .values_list("report_id", "image_hash")
    ):
        hashes.setdefault(report_id, []).append(value)
    return hashes


def suggest_similar(*, user, report, limit: int = 10) -> list[Suggestion]:
    """Reports in the user's scope that may be duplicates of ``report`` (exact) or about the same
    event (near), best first. Precondition: the caller has passed ``access_report`` for ``report``."""
    from testimony.review.models import Attachment

    scope = reports_in_scope(user).exclude(pk=report.pk)
    found: dict = {}

    def add(report_id, kind: str, reason: str, score: float) -> None:
        suggestion = found.setdefault(report_id, Suggestion(report_id=report_id, kind=kind))
        if kind == "exact":
            suggestion.kind = "exact"
        if reason not in suggestion.reasons:
            suggestion.reasons.append(reason)
        suggestion.score = max(suggestion.score, score)

    # Exact: indexed equality on the keyed fingerprints, over the whole scope.
    if report.text_fingerprint:
        for other_id in scope.filter(text_fingerprint=report.text_fingerprint).values_list("pk", flat=True)[
            :limit
        ]:
            add(other_id, "exact", _("Same text"), 1.0)
    own = list(
        Attachment.objects.filter(report=report)
        .exclude(content_fingerprint="")
        .values_list("content_fingerprint", flat=True)
    )
    if own:
        shared = (
            Attachment.objects.filter(content_fingerprint__in=own, report__in=scope)
            .values_list("report_id", flat=True)
            .distinct()[:limit]
        )
        for other_id in shared:
            add(other_id, "exact", _("Same attachment"), 1.0)

    # Near: same country and dates in SQL, then the same city or region, then content.
    cities, regions = _places_of(report)
    if cities or regions or report.place:
        light = (
            scope.filter(_date_window(report), country=report.country)
            .only("pk", "places", "place", "event_month", "received_on", "country")
            .order_by("-received_on")[:PREFILTER]
        )
        candidates = []
        for other in light:
            if not _near_in_time(report, other):
                continue
            other_cities, other_regions = _places_of(other)
            same_city = sorted(name for key, name in other_cities.items() if key in cities)
            same_region = sorted(name for key, name in other_regions.items() if key in regions)
            same_pick = bool(report.place) and other.place == report.place
            if same_city or same_region or same_pick:
                candidates.append((other, same_city, same_region))
            if len(candidates) >= MAX_CANDIDATES:
                break
        if candidates:
            near = _compare(report, candidates)
            for other_id, reasons, score in near:
                for reason in reasons:
                    add(other_id, "near", reason, score)

    ordered = sorted(found.values(), key=lambda s: (s.kind != "exact", -s.score, str(s.report_id)))
    return ordered[:limit]


def _compare(report, candidates) -> list[tuple[object, list[str], float]]:
    """Decrypt the bounded candidate set and keep those whose text or images are alike."""
    from testimony.review.models import Report

    mine = shingles(comparable_text(_redacted_text(report)))
    ids = [other.pk for other, _c, _r in candidates]
    hashes = _image_hashes([report.pk, *ids])
    own_hashes = hashes.get(report.pk, [])
    texts = {row.pk: row for row in Report.objects.filter(pk__in=ids).only("pk", "text_sealed")}
    results = []
    for other, same_city, same_region in candidates:
        row = texts.get(other.pk)
        similarity = jaccard(mine, shingles(comparable_text(_redacted_text(row)))) if row else 0.0
        distance = min((hamming(a, b) for a in own_hashes for b in hashes.get(other.pk, [])), default=None)
        reasons = []
        if similarity >= NEAR_TEXT:
            reasons.append(_("Similar text (%(percent)d%% shared)") % {"percent": round(similarity * 100)})
        if distance is not None and distance <= IMAGE_DISTANCE:
            reasons.append(_("Similar photo"))
        if not reasons:
            continue
        if same_city:
            reasons.append(_("Same city: %(name)s") % {"name": ", ".join(same_city)})
        elif same_region:
            reasons.append(_("Same region: %(name)s") % {"name": ", ".join(same_region)})
        else:
            reasons.append(_("Same place chosen by the submitter"))
        reasons.append(_("Within a month"))
        image_score = 0.0 if distance is None or distance > IMAGE_DISTANCE else 1 - distance / 64
        results.append((other.pk, reasons, round(max(similarity, image_score) * 0.9, 3)))
    return results
