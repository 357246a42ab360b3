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


def reply_open(message) -> dict:
    """A submitter's reply as the worker sealed it, in the shape of a report's account:
    ``{"redacted_text", "redactions", "places"}``, each redaction with its ``placeholder`` and the
    ``original`` words it hides (offsets into ``redacted_text``). ``redacted_text`` is "" for a
    reply the worker could not open.

    A reply sealed as bare text, by a worker from before replies kept their redactions, opens with
    none: its placeholders are shown as plain text and cannot be edited until ``manage.py
    redact_replies`` has the worker redact it again. (Such a text that happens to be JSON of this
    shape reads as one; it is the submitter's own redacted words either way.)
    """
    raw = unseal(bytes(message.body_sealed), context=f"message.body:{message.pk}").decode("utf-8")
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if isinstance(data, dict) and isinstance(data.get("redacted_text"), str):
        text = data["redacted_text"]
        return {
            "redacted_text": text,
            "redactions": _spans(data.get("redactions"), text, ("label", "placeholder"), ("original",)),
            "places": _spans(data.get("places"), text, ("text", "name")),
        }
    return {"redacted_text": raw, "redactions": [], "places": []}


def _spans(items, text: str, strings: tuple[str, ...], optional: tuple[str, ...] = ()) -> list[dict]:
    """The well-formed entries only: what the worker writes always is; bare text that merely looks
    like it (see ``reply_open``) must not break the page or the edits."""
    if not isinstance(items, list):
        return []
    return [
        item
        for item in items
        if isinstance(item, dict)
        and type(item.get("start")) is int
        and type(item.get("end")) is int
        and 0 <= item["start"] < item["end"] <= len(text)
        and all(isinstance(item.get(key), str) for key in strings)
        and all(isinstance(item[key], str) for key in optional if key in item)
    ]


def reply_sealed_as_text(message) -> bool:
    """Was the reply sealed as bare text, by a worker from before replies kept their redactions?

    Such a reply has no redactions a reviewer could have corrected: ``redact_replies`` can have
    the worker redact it again without losing anyone's work.
    """
    raw = unseal(bytes(message.body_sealed), context=f"message.body:{message.pk}").decode("utf-8")
    try:
        data = json.loads(raw)
    except ValueError:
        return True
    return not (isinstance(data, dict) and isinstance(data.get("redacted_text"), str))


def reply_seal(message, account: dict | None) -> bytes:
    """The reply's body for ``Message.body_sealed``; ``None`` (could not be opened) seals "" ."""
    raw = json.dumps(account, ensure_ascii=False) if account is not None else ""
    return seal(raw.encode("utf-8"), context=f"message.body:{message.pk}")
