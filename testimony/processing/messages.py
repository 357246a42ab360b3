"""A submitter's reply, redacted as the account is before a reviewer reads it.

The reply goes through the same analysis as the account (``analysis.pipeline.analyse``). Its
placeholders follow the report's where they name the same thing: a name or number already hidden
in the account as "[PERSON 1]" is "[PERSON 1]" in the reply too, and anything new is numbered
after the report's highest placeholder of its label ("[PERSON 3]" when the report has two). "The
same thing" is decided as the pipeline decides it inside one text: by the recognisers' identity
key (a normalised surname, a phone number's digits), found by running the recognisers over the
account with the report's hidden words put back; failing that, the same words.

Consistent as of when the reply is processed: a reviewer who later renumbers the report's
redactions does not renumber its replies. Without a processed report (it failed), the reply is
numbered on its own from 1.

Plaintext exists only inside these calls, in the worker's memory.
"""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"\[([A-Z_]+) (\d+)\]")


def _fold(words: str) -> str:
    return " ".join(words.casefold().split())


def _report_identities(payload: dict, language: str | None) -> tuple[dict, dict, dict]:
    """From the report's sealed payload: placeholder by identity key, by (label, words), and the
    highest number used per label."""
    from testimony.analysis.pipeline import find_redactions

    account = payload.get("account") or {}
    shown = account.get("redacted_text", "")
    highest: dict[str, int] = {}
    for text in (shown, payload.get("place_details") or ""):
        for label, number in _PLACEHOLDER.findall(text):
            highest[label] = max(highest.get(label, 0), int(number))

    by_words: dict[tuple[str, str], str] = {}
    # The account with its hidden words back, and where each redaction sits in it.
    pieces, spans, cursor, offset = [], [], 0, 0
    for item in sorted(account.get("redactions", []), key=lambda r: r["start"]):
        original = item.get("original")
        if original is None or item["start"] < cursor:
            continue  # a payload from before originals were kept: nothing to match by key
        plain = shown[cursor : item["start"]]
        pieces += [plain, original]
        offset += len(plain)
        spans.append((offset, offset + len(original), item["label"], item["placeholder"]))
        offset += len(original)
        cursor = item["end"]
        by_words.setdefault((item["label"], _fold(original)), item["placeholder"])
    pieces.append(shown[cursor:])
    by_key: dict[tuple[str, str], str] = {}
    if spans:
        for found in find_redactions("".join(pieces), language=language):
            if found.key is None:
                continue
            for start, end, label, placeholder in spans:
                if label == found.label and found.start < end and start < found.end:
                    by_key.setdefault((label, found.key), placeholder)
                    break
    return by_key, by_words, highest


def redact_reply(
    text: str, *, report_payload: dict | None, report_language: str | None, country: str | None
) -> dict:
    """The reply with what identifies people hidden behind placeholders consistent with the report's,
    stored as a report's account is (``processing.reports.to_redacted_offsets``): the redacted
    text, each redaction with its placeholder and the words it hides (sealed with it, so that a
    reviewer can restore words hidden wrongly, as in the account), and the places found."""
    from testimony.analysis.pipeline import analyse, find_redactions
    from testimony.processing.reports import to_redacted_offsets

    analysis = analyse(text, country_hint=country)
    keys = {
        (span.start, span.label): span.key
        for span in find_redactions(text, language=analysis["language"])
        if span.key is not None
    }
    by_key, by_words, highest = (
        _report_identities(report_payload, report_language) if report_payload else ({}, {}, {})
    )
    chosen: dict[tuple[str, str], str] = {}  # this reply's identities, as the pipeline keys them
    pieces, cursor = [], 0
    for index, item in enumerate(analysis["redactions"]):
        label, words = item["label"], text[item["start"] : item["end"]]
        key = keys.get((item["start"], label))
        identity = (label, key if key is not None else f"#{index}")
        placeholder = chosen.get(identity)
        if placeholder is None:
            placeholder = by_key.get((label, key)) if key is not None else None
            placeholder = placeholder or by_words.get((label, _fold(words)))
            if placeholder is None:
                highest[label] = highest.get(label, 0) + 1
                placeholder = f"[{label} {highest[label]}]"
            chosen[identity] = placeholder
        pieces += [text[cursor : item["start"]], placeholder]
        cursor = item["end"]
    pieces.append(text[cursor:])
    return to_redacted_offsets(analysis | {"redacted_text": "".join(pieces)}, text)
