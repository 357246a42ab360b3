"""The one entry point of text analysis: language, redaction, places, tag suggestions.

``analyse`` is a pure function of its arguments (models load once per process on first use);
the Celery task and ``manage.py analyse`` both call it, so what is measured is what runs.
Output follows the contract in DESIGN.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import fields, replace

from testimony.analysis import gazetteer, geocoder, language, place_names, tags
from testimony.analysis.recognisers import (
    address,
    date_of_birth,
    email,
    handle,
    id_number,
    payment,
    person,
    phone,
    vehicle,
)
from testimony.analysis.spans import LABELS, Place, Span

# When two recognisers claim overlapping text, the more specific wins over the more general.
_PRIORITY = {
    label: rank
    for rank, label in enumerate(
        ("EMAIL", "HANDLE", "PAYMENT", "ID_NUMBER", "PHONE", "VEHICLE", "DATE_OF_BIRTH", "ADDRESS", "PERSON")
    )
}
_PATTERN_RECOGNISERS: tuple[Callable[[str], list[Span]], ...] = (
    email.find,
    handle.find,
    payment.find,
    id_number.find,
    phone.find,
    vehicle.find,
    date_of_birth.find,
    address.find,
)


def find_redactions(text: str, *, language: str | None = None) -> list[Span]:
    """The redactions alone, forgetting the words read as ``analyse`` does (see ``forget_words``)."""
    try:
        return _find_redactions(text, language=language)
    finally:
        forget_words()


def _find_redactions(text: str, *, language: str | None = None) -> list[Span]:
    candidates = [span for find in _PATTERN_RECOGNISERS for span in find(text)]
    # A name guessed across a username or e-mail ("Instagram bekzod" of "Instagram bekzod.taxi.kzn")
    # is part of that handle, which hides it whole.
    online = [s for s in candidates if s.label in ("HANDLE", "EMAIL")]
    candidates += [
        span
        for span in person.find(text, language=language)
        if not any(span.start < o.end and o.start < span.end for o in online)
    ]
    return resolve_overlaps(candidates)


def resolve_overlaps(spans: Iterable[Span]) -> list[Span]:
    """Keep a non-overlapping set: longer spans first, then the more specific label."""
    chosen: list[Span] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), _PRIORITY.get(s.label, 99), s.start)):
        if all(span.end <= other.start or span.start >= other.end for other in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def _without_places(text: str, spans: list[Span], places: list[Place]) -> list[Span]:
    """Cities, regions and countries are the evidence: a PERSON guess on a place name yields to it,
    unless the place is a small town that the text does not treat as a place ("капитан Фролов" is
    a man, not Frolovo; "из Фролово" is the town): see ``geocoder.place_reading_wins``. A place
    that yields is then dropped with the other places inside redactions.

    A name the text gives to a person where no place competes ("капитан Сафонов") is that person
    in its other mentions too ("Сафоновга"), unless a word around one says "town"."""

    def on_place(span: Span, named_elsewhere: bool = False) -> bool:
        if span.label != "PERSON":
            return False
        if span.score < 1.0:  # a guess from the word's shape alone: any place is the better reading,
            # and a place's name runs on into the word beside it ("Naberejniye Chelni")
            return any(_touching(text, span, place) for place in places)
        return any(
            span.start >= place.start
            and span.end <= place.end
            and geocoder.place_reading_wins(
                text,
                place,
                places,
                # a town of two words or hyphenated ("Чолпон-Ата") is no surname, whatever the key
                named_as_person_elsewhere=named_elsewhere and not re.search(r"[\s-]", place.text),
            )
            for place in places
        )

    people = {
        span.key
        for span in spans
        if span.label == "PERSON" and span.key and span.score >= 1.0 and not on_place(span)
    }
    out = []
    for span in spans:
        if on_place(span, named_elsewhere=span.key in people):
            continue
        kept = _trimmed_off_places(text, span, places) if span.label == "PERSON" else span
        if kept is not None:
            out.append(kept)
    return out


def _touching(text: str, span: Span, place: Place) -> bool:
    """Whether ``span`` and ``place`` overlap or only spaces stand between them."""
    if span.end <= place.start:
        return not text[span.end : place.start].strip()
    if place.end <= span.start:
        return not text[place.end : span.start].strip()
    return True


def _trimmed_off_places(text: str, span: Span, places: list[Place]) -> Span | None:
    """A name run on into a large city ("Арман Хабаровскіде", "Baxtiyor Chelnida") ends before it;
    one that starts inside a place and runs past it ("Тагил ронанда" over "Нижний Тагил") starts
    after it. None when nothing of the name is left outside the place."""
    for place in places:
        if place.end <= span.start or place.start >= span.end:
            continue  # apart: neither case below applies, and spares the costlier question
        if not geocoder.place_reading_wins(text, place, places):
            continue
        if span.start < place.start < span.end <= place.end and text[span.start : place.start].strip():
            end = span.start + len(text[span.start : place.start].rstrip(" \t,"))
            return replace(span, end=end)
        if place.start <= span.start < place.end < span.end:
            rest = text[place.end : span.end]
            if not rest.strip(" \t,-"):
                return None
            return replace(span, start=place.end + len(rest) - len(rest.lstrip(" \t,-")))
    return span


def _places_outside(places: list[Place], spans: list[Span]) -> list[Place]:
    """A place inside a redacted address stays redacted (it is part of where someone lives)."""
    return [p for p in places if all(p.end <= s.start or p.start >= s.end for s in spans)]


def placeholders(spans: list[Span]) -> list[str]:
    """``[PERSON 1]``, ``[PHONE 2]``…: numbered per label in order of first mention, the same for one key."""
    numbers: dict[tuple[str, str], int] = {}
    counts = dict.fromkeys(LABELS, 0)
    result = []
    for index, span in enumerate(spans):
        identity = (span.label, span.key if span.key is not None else f"#{index}")
        if identity not in numbers:
            counts[span.label] = counts.get(span.label, 0) + 1
            numbers[identity] = counts[span.label]
        result.append(f"[{span.label} {numbers[identity]}]")
    return result


def redact(text: str, spans: list[Span]) -> str:
    pieces, cursor = [], 0
    for span, placeholder in zip(spans, placeholders(spans), strict=True):
        pieces += [text[cursor : span.start], placeholder]
        cursor = span.end
    pieces.append(text[cursor:])
    return "".join(pieces)


def analyse(
    text: str,
    *,
    language_hint: str | None = None,
    country_hint: str | None = None,
    place_hint: str | None = None,
    precision: str = "city",
) -> dict:
    """Analyse one testimony. Offsets in the result index the original ``text``."""
    if not gazetteer.get_gazetteer().frozen_starts:
        _freeze_common_words()  # once per process (a worker does it when it starts: warm_up)
    try:
        detected = language_hint or language.detect_language(text)
        places = geocoder.find_places(text, country_hint=country_hint, place_hint=place_hint)
        spans = _without_places(text, _find_redactions(text, language=detected), places)
        places = _places_outside(places, spans)
        return {
            "language": detected,
            "redacted_text": redact(text, spans),
            "redactions": [{"start": s.start, "end": s.end, "label": s.label} for s in spans],
            "places": [_place_json(geocoder.coarsen(place, precision)) for place in places],
            "suggested_tags": tags.suggest_tags(text, detected),
        }
    finally:
        forget_words()


def _freeze_common_words() -> None:
    """The person recogniser's readings of the shipped common vocabulary, and the gazetteer's
    answers on the same words, worked out once and kept (``gazetteer.freeze_common_words``)."""
    gazetteer.freeze_common_words(person.common_words())


def forget_words() -> None:
    """Empty every memo keyed by the words of the text just read.

    Within one text they make a word met again cheap. Kept after it, they would hold the names,
    numbers and streets of every testimony the worker has read, in its memory for as long as it
    runs. (The person recogniser empties its own after each text.)
    """
    place_names.forget_words()
    gazetteer.forget_words()
    phone.forget_words()


# Place's fields but the internal id, in their declared order. (``asdict`` would give the same
# dict, at several times the cost: it copies each value deeply, and every field is a str or number.)
_PLACE_JSON_FIELDS = tuple(f.name for f in fields(Place) if f.name != "geonameid")


def _place_json(place: Place) -> dict:
    return {name: getattr(place, name) for name in _PLACE_JSON_FIELDS}


_WARM_UP_TEXT = (
    "Меня зовут Фаррух Холиков, в Москве на рынке забрали паспорт, звоните +7 916 123-45-67. "
    "Men Toshkentdan keldim, akam Bahrom Samarqandda. "
    # phonenumbers reads each country's metadata on its first number: one of each, so it is loaded
    "Тел. +998 90 123 45 67, +992 918 12 34 56, +996 555 12 34 56, +7 701 123 45 67, +993 65 12 34 56."
)


def warm_up() -> None:
    """Load every model now, so that the first real report is not slowed by it."""
    person.load_models()  # the NER model loads only when a sentence needs it; load it regardless
    _freeze_common_words()
    analyse(_WARM_UP_TEXT)
