"""Opening and sealing the console's free text. Plaintext exists only in the request handling it.

Contexts name the row, so a sealed value copied onto another row does not open there.
"""

from __future__ import annotations

import json

from testimony.crypto.atrest import seal, unseal


def report_text_open(report) -> dict:
    """The sealed analysis of a report: ``{"account": {"redacted_text", "redactions", "places"},
    "place_details", "when", "analysis_version"}``; offsets are into ``redacted_text``."""
    raw = unseal(bytes(report.text_sealed), context=f"report.text:{report.pk}")
    return json.loads(raw.decode("utf-8"))


def report_text_seal(report, payload: dict) -> bytes:
    return seal(json.dumps(payload, ensure_ascii=False).encode("utf-8"), context=f"report.text:{report.pk}")


def note_seal(*, context: str, text: str) -> bytes:
    return seal(text.encode("utf-8"), context=context)


def note_open(*, context: str, sealed) -> str:
    return unseal(bytes(sealed), context=context).decode("utf-8")
