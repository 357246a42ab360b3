"""A redacted text as HTML (the account on the report page, each reply in the thread):
placeholders and places marked, every piece of text escaped.

The text is the submitter's, so it is hostile until proven otherwise. Markup is built here, and
only here, with ``format_html`` (which escapes each argument) around pieces cut from the text by
the offsets in the sealed payload; nothing from the text is ever marked safe. A string in the
text that merely looks like a placeholder ("[PERSON 1]" typed by the submitter) is not in the
payload's offsets, so it stays plain text.

The marks contain exactly the characters of their span and nothing is added between pieces, so
the element's text content is the redacted text itself: ``report.js`` turns a selection into
offsets by counting characters, and those offsets are the ones the services expect.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    kind: str  # "redaction" or "place"
    index: int  # position in the payload's list of that kind
    label: str  # PERSON, ADDRESS... for a redaction; the gazetteer name for a place


def _marks(text: str, redactions: list[dict], places: list[dict]) -> list[Mark]:
    """Valid, non-overlapping marks in text order. Redactions win over a place they overlap."""
    candidates = []
    for kind, items in (("redaction", redactions), ("place", places)):
        for index, item in enumerate(items):
            try:
                start, end = int(item["start"]), int(item["end"])
            except (KeyError, TypeError, ValueError):
                continue
            if 0 <= start < end <= len(text):
                label = str(item.get("label" if kind == "redaction" else "name", ""))
                candidates.append(Mark(start, end, kind, index, label))
    chosen: list[Mark] = []
    for mark in sorted(candidates, key=lambda m: (m.kind != "redaction", m.start)):
        if all(mark.end <= other.start or mark.start >= other.end for other in chosen):
            chosen.append(mark)
    return sorted(chosen, key=lambda m: m.start)


def highlight(text: str, redactions: list[dict], places: list[dict]) -> SafeString:
    """HTML for ``text`` with ``<mark>`` around each redaction and place; all text escaped."""
    pieces: list[str] = []
    cursor = 0
    for mark in _marks(text, redactions, places):
        pieces.append(conditional_escape(text[cursor : mark.start]))
        if mark.kind == "redaction":
            pieces.append(
                format_html(
                    '<mark class="redaction" data-redaction="{}" data-label="{}">{}</mark>',
                    mark.index,
                    mark.label,
                    text[mark.start : mark.end],
                )
            )
        else:
            pieces.append(
                format_html(
                    '<mark class="place" data-place="{}" title="{}">{}</mark>',
                    mark.index,
                    mark.label,
                    text[mark.start : mark.end],
                )
            )
        cursor = mark.end
    pieces.append(conditional_escape(text[cursor:]))
    # Each piece is already escaped (conditional_escape or format_html), so joining them through
    # format_html_join escapes nothing twice and marks nothing safe that was not.
    return format_html_join("", "{}", ((piece,) for piece in pieces))
