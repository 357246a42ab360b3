"""From a decrypted report to what the console stores: redacted, geocoded, tagged, sealed.

Plaintext exists only inside these calls, in the worker's memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from testimony.analysis.spans import LABELS

ANALYSIS_VERSION = "1"
# A place's fields that may stay in clear (``Report.places``, a case's place).
COARSE_PLACE_KEYS = ("name", "country", "admin1", "lat", "lon", "precision")
_COUNTRY_HINTS = {"RU", "UZ", "TJ", "KG", "KZ"}


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


def coarse_fields(place: dict) -> dict:
    """What may stay in clear (``Report.places``): no offsets and no surface form from the text.

    The console keeps ``Report.places`` in step with this when a reviewer edits the text.
    """
    return {key: place[key] for key in COARSE_PLACE_KEYS}
