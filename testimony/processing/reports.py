"""From a decrypted report to what the console stores: redacted, geocoded, tagged, sealed.

Plaintext exists only inside these calls, in the worker's memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from testimony.analysis.spans import LABELS
from testimony.intake.places import form_places

ANALYSIS_VERSION = "1"
# A place's fields that may stay in clear (``Report.places``, a case's place).
COARSE_PLACE_KEYS = ("name", "country", "admin1", "lat", "lon", "precision")
_COUNTRY_HINTS = {"RU", "UZ", "TJ", "KG", "KZ"}

# Where regions come from (``report_region``): the form's places (``intake.places``: region ids
# and their English names, the names the geocoder writes as a place's ``admin1``) and GeoNames'
# cities with their admin-1 codes, as the analysis gazetteer stores them. The cities are read
# from the gazetteer's file directly, not through the gazetteer, so that the console (which
# re-derives the region after a reviewer's correction) does not build the gazetteer's name indexes.
GAZETTEER_CITIES_PATH = Path(__file__).resolve().parent.parent / "analysis" / "data" / "gazetteer_cities.json"
# A place found in the text counts for the region only if it is at least this precise: a
# country names no region.
REGION_PRECISIONS = frozenset({"site", "city", "admin1"})


def to_redacted_offsets(analysis: dict, original_text: str | None = None) -> dict:
    """Re-express redaction and place offsets as positions in ``analysis["redacted_text"]``.

    With ``original_text`` (the text that was analysed), each redaction also keeps the words it
    hides as ``original``: the payload is sealed, and a reviewer who finds a redaction wrong must
    be able to restore those words (``review.services.reports``).
    """
    redacted = analysis["redacted_text"]
    moved, delta, shifts = [], 0, []
    for item in analysis["redactions"]:
        start = item["start"] + delta
        end = redacted.index("]", start) + 1  # a placeholder is "[LABEL n]", with no "]" inside
        entry = {"start": start, "end": end, "label": item["label"], "placeholder": redacted[start:end]}
        if original_text is not None:
            entry["original"] = original_text[item["start"] : item["end"]]
        moved.append(entry)
        delta += (end - start) - (item["end"] - item["start"])
        shifts.append((item["end"], delta))

    def shift(offset: int) -> int:
        total = 0
        for original_end, running in shifts:
            if original_end > offset:
                break
            total = running
        return offset + total

    places = [
        place | {"start": shift(place["start"]), "end": shift(place["end"])} for place in analysis["places"]
    ]
    return {"redacted_text": redacted, "redactions": moved, "places": places}


@dataclass(frozen=True)
class AnalysedReport:
    language: str
    sealed_payload: bytes  # JSON, to be sealed by the caller with a context naming the row
    redacted_text: str = field(repr=False)  # the payload's account, for the keyed fingerprint and index
    places: list[dict]
    suggested_tags: list[str]
    redaction_counts: dict[str, int]


def analyse_report(report: dict) -> AnalysedReport:
    # Imported here: the console imports this module for the payload's shape (``coarse_fields``)
    # and must not load the analysis models with it.
    from testimony.analysis.pipeline import analyse

    where = report.get("where") or {}
    country = where.get("country")
    hints = {
        "language_hint": None,
        "country_hint": country if country in _COUNTRY_HINTS else None,
        "place_hint": where.get("place") or None,
    }
    account = analyse(report["account"], **hints)
    details = analyse(where.get("details", ""), **hints) if where.get("details") else None
    payload = {
        "account": to_redacted_offsets(account, report["account"]),
        "place_details": details["redacted_text"] if details else "",
        "when": report.get("when", ""),
        "analysis_version": ANALYSIS_VERSION,
    }
    places = [coarse_fields(place) for place in account["places"] + (details["places"] if details else [])]
    counts = {label: 0 for label in LABELS}
    for item in account["redactions"] + (details["redactions"] if details else []):
        counts[item["label"]] += 1
    return AnalysedReport(
        language=account["language"],
        sealed_payload=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        redacted_text=account["redacted_text"],
        places=places,
        suggested_tags=account["suggested_tags"],
        redaction_counts={label: n for label, n in counts.items() if n},
    )


@cache
def _region_tables() -> tuple[frozenset[str], dict[tuple[str, str], str], dict[str, str]]:
    """(region ids, (country, English region name) -> id, city geonameid -> region id)."""
    regions: set[str] = set()
    by_name: dict[tuple[str, str], str] = {}
    for country, items in form_places().items():
        for item in items:
            if item["kind"] == "region":
                regions.add(item["id"])
                by_name[(country, item["names"]["en"])] = item["id"]
    cities = json.loads(GAZETTEER_CITIES_PATH.read_text(encoding="utf-8"))["cities"]
    # Rows are [geonameid, name, country, admin1 code, lat, lon, population]; a city whose
    # admin-1 code is not one of the form's regions (GeoNames' "00", a former region) has none.
    city_region = {row[0]: f"{row[2]}.{row[3]}" for row in cities if f"{row[2]}.{row[3]}" in regions}
    return frozenset(regions), by_name, city_region


def report_region(*, country: str, place_id: str, places: list[dict]) -> str:
    """The GeoNames admin-1 id of the region a report is about (``"RU.48"``), or ``""``.

    From the place picked on the form (a region id, or a city's geonameid mapped to its
    region), else from the first place in the text (``Report.places``, coarse) that lies in
    the report's country at site, city or region precision. Places in another country are
    skipped: in "we were taken from Moscow, I am from Osh" the events are in Russia, and the
    submitter said so. Used by the worker, after a reviewer corrects a place, and (in a frozen
    copy) by the backfill migration ``review/0006``.
    """
    regions, by_name, city_region = _region_tables()
    if place_id:
        region = place_id if place_id in regions else city_region.get(place_id, "")
        if region.split(".", 1)[0] == country:
            return region
    for place in places or ():
        if place.get("precision") not in REGION_PRECISIONS or place.get("country") != country:
            continue
        region = by_name.get((country, place.get("admin1") or ""), "")
        if region:
            return region
    return ""


def coarse_fields(place: dict) -> dict:
    """What may stay in clear (``Report.places``): no offsets and no surface form from the text.

    The console keeps ``Report.places`` in step with this when a reviewer edits the text.
    """
    return {key: place[key] for key in COARSE_PLACE_KEYS}
