"""Reviewers' redaction edits on a redacted text: pure functions over a list of pieces.

A redacted text (a report's account, a submitter's reply: ``{"redacted_text", "redactions",
"places"}``, offsets into the redacted text) is edited as a list of pieces: plain text, and hidden
spans each with a label, an identity and, for texts written since the worker keeps it, the
``original`` words. An edit changes the pieces; ``compose`` writes them back whole, placeholders
given by a numbering the caller chooses (the account renumbers, a reply keeps the report's), so
that one identity always shows one placeholder.

Shared by the account's services (``services.reports``) and the replies'
(``services.reply_redactions``); no database here: the callers lock, seal, audit. Each correction
reaches them as an ``Edit`` (``removal``, ``relabelling``, ``addition``): what it does to the
pieces and what the audit row says of it, the same for both texts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from testimony.analysis.spans import LABELS

WORDS_MAX_CHARS = 200
PLACEHOLDER = re.compile(r"\[(" + "|".join(LABELS) + r") (\d+)\]")


class CorrectionError(ValidationError):
    """The change cannot be made as asked; the message says why, for the reviewer."""


@dataclass
class Plain:
    text: str
    places: list[dict] = field(default_factory=list)  # offsets relative to this piece


@dataclass
class Hidden:
    label: str
    identity: str  # mentions of one thing share it, and so one placeholder
    original: str | None  # the hidden words; None in payloads from before the worker kept them
    shown: str = ""  # the placeholder in the text as it stands ("" for a new redaction)


Piece = Plain | Hidden
# The placeholder of each hidden piece, in text order, for the pieces as edited.
Numbering = Callable[[list[Hidden]], list[str]]


def pieces_of(account: dict) -> list[Piece]:
    text = account["redacted_text"]
    redactions = sorted(account.get("redactions", []), key=lambda r: r["start"])
    pieces: list[Piece] = []
    cursor = 0
    for item in redactions:
        if item["start"] < cursor:  # overlapping: keep the first (never written so)
            continue
        pieces.append(Plain(text[cursor : item["start"]]))
        shown = text[item["start"] : item["end"]]
        pieces.append(Hidden(item["label"], "was:" + shown, item.get("original"), shown))
        cursor = item["end"]
    pieces.append(Plain(text[cursor:]))
    # Each place goes to the plain piece that holds it; one inside a placeholder is dropped.
    offset = 0
    plain_at = []
    for piece in pieces:
        if isinstance(piece, Plain):
            plain_at.append((offset, offset + len(piece.text), piece))
            offset += len(piece.text)
        else:
            offset += len(piece.shown)
    for place in account.get("places", []):
        for begin, end, piece in plain_at:
            if begin <= place["start"] and place["end"] <= end:
                piece.places.append(place | {"start": place["start"] - begin, "end": place["end"] - begin})
                break
    return pieces


def renumbered(hidden: list[Hidden]) -> list[str]:
    """Per label, in order of first mention, one number per identity: the account's numbering."""
    numbers: dict[tuple[str, str], int] = {}
    counts: dict[str, int] = {}
    out = []
    for piece in hidden:
        key = (piece.label, piece.identity)
        if key not in numbers:
            counts[piece.label] = counts.get(piece.label, 0) + 1
            numbers[key] = counts[piece.label]
        out.append(f"[{piece.label} {numbers[key]}]")
    return out


def kept(*, highest: dict[str, int], known: dict[tuple[str, str], str]) -> Numbering:
    """A numbering that leaves every placeholder standing as it is, for a text whose placeholders
    must keep meaning what they mean elsewhere (a reply's follow the report's).

    A hidden piece whose label is unchanged keeps the placeholder it shows. A new or relabelled one
    takes the placeholder already shown for its identity, else the one ``known`` gives its label and
    words (``fold``ed), else the next number after ``highest`` for its label (numbers in use
    anywhere the placeholders must agree; updated here as numbers are given).
    """

    def number(hidden: list[Hidden]) -> list[str]:
        chosen: dict[tuple[str, str], str] = {}
        for piece in hidden:
            if piece.shown and _label_of(piece.shown) == piece.label:
                chosen.setdefault((piece.label, piece.identity), piece.shown)
        out = []
        for piece in hidden:
            if piece.shown and _label_of(piece.shown) == piece.label:
                out.append(piece.shown)
                continue
            key = (piece.label, piece.identity)
            if key not in chosen:
                by_words = known.get((piece.label, fold(piece.original))) if piece.original else None
                if by_words is None:
                    highest[piece.label] = highest.get(piece.label, 0) + 1
                    by_words = f"[{piece.label} {highest[piece.label]}]"
                chosen[key] = by_words
            out.append(chosen[key])
        return out

    return number


def _label_of(placeholder: str) -> str | None:
    match = PLACEHOLDER.fullmatch(placeholder)
    return match.group(1) if match else None


def fold(words: str) -> str:
    return " ".join(words.casefold().split())


def compose(pieces: list[Piece], numbering: Numbering = renumbered) -> dict:
    """The pieces written back as ``{"redacted_text", "redactions", "places"}``."""
    pieces = _merged(pieces)
    placeholders = iter(numbering([p for p in pieces if isinstance(p, Hidden)]))
    text_parts: list[str] = []
    redactions, places = [], []
    offset = 0
    for piece in pieces:
        if isinstance(piece, Plain):
            for place in piece.places:
                places.append(place | {"start": place["start"] + offset, "end": place["end"] + offset})
            text_parts.append(piece.text)
            offset += len(piece.text)
            continue
        placeholder = next(placeholders)
        entry = {"start": offset, "end": offset + len(placeholder), "label": piece.label}
        entry["placeholder"] = placeholder
        if piece.original is not None:
            entry["original"] = piece.original
        redactions.append(entry)
        text_parts.append(placeholder)
        offset += len(placeholder)
    return {"redacted_text": "".join(text_parts), "redactions": redactions, "places": places}


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Adjacent plain pieces joined (after a redaction is removed), places moved along."""
    out: list[Piece] = []
    for piece in pieces:
        if isinstance(piece, Plain) and out and isinstance(out[-1], Plain):
            last = out[-1]
            shift = len(last.text)
            moved = [p | {"start": p["start"] + shift, "end": p["end"] + shift} for p in piece.places]
            out[-1] = Plain(last.text + piece.text, last.places + moved)
        else:
            out.append(piece)
    return out


# --- the edits: each changes ``pieces`` in place and returns what the audit row says of it -------


@dataclass(frozen=True)
class Edit:
    """One correction as a service applies it: ``kind`` ("remove", "relabel", "add") names it in
    the audit action; ``apply(pieces, text)`` makes it (``text``: the redacted text the pieces were
    made from) and returns the rest of the audit details. Details hold labels, offsets and counts,
    never the words."""

    kind: str
    apply: Callable[[list[Piece], str], dict]
    where: dict = field(default_factory=dict)  # the offsets of a selection, if one was made

    @property
    def details(self) -> dict:
        """What the audit row says before the edit is made."""
        return {"action": self.kind, **self.where}


def removal(*, placeholder: str) -> Edit:
    return Edit("remove", lambda pieces, text: remove(pieces, placeholder=placeholder))


def relabelling(*, placeholder: str, label: str) -> Edit:
    return Edit("relabel", lambda pieces, text: relabel(pieces, placeholder=placeholder, label=label))


def addition(
    *, label: str, start: int | None = None, end: int | None = None, words: str = "", everywhere: bool = True
) -> Edit:
    def apply(pieces: list[Piece], text: str) -> dict:
        return add(pieces, text=text, label=label, start=start, end=end, words=words, everywhere=everywhere)

    selected = start is not None and end is not None
    return Edit("add", apply, {"start": start, "end": end} if selected else {})


def _hidden_behind(pieces: list[Piece], placeholder: str) -> list[Hidden]:
    hidden = [p for p in pieces if isinstance(p, Hidden) and p.identity == "was:" + placeholder]
    if not hidden:
        raise CorrectionError(_("This redaction is no longer in the text. Reload the report."))
    return hidden


def remove(pieces: list[Piece], *, placeholder: str) -> dict:
    """Restore the original words of every mention hidden behind ``placeholder``.

    Every mention, not one: leaving "[PERSON 1]" in one sentence beside the name in the next
    hides nothing. Texts from before the worker kept the original words cannot be un-redacted.
    """
    hidden = _hidden_behind(pieces, placeholder)
    if any(p.original is None for p in hidden):
        raise CorrectionError(
            _("This report was analysed before original words were kept: it cannot be un-redacted.")
        )
    for index, piece in enumerate(pieces):
        if isinstance(piece, Hidden) and piece.identity == hidden[0].identity:
            pieces[index] = Plain(piece.original or "")
    return {"label": hidden[0].label, "count": len(hidden)}


def relabel(pieces: list[Piece], *, placeholder: str, label: str) -> dict:
    """Give every mention behind ``placeholder`` another label (PERSON → ADDRESS)."""
    if label not in LABELS:
        raise CorrectionError(_("Choose one of the labels."))
    hidden = _hidden_behind(pieces, placeholder)
    previous = hidden[0].label
    for piece in hidden:
        piece.label = label
    return {"from": previous, "label": label, "count": len(hidden)}


def add(
    pieces: list[Piece],
    *,
    text: str,
    label: str,
    start: int | None = None,
    end: int | None = None,
    words: str = "",
    everywhere: bool = True,
) -> dict:
    """Hide words of the visible text (``text``, the redacted text the pieces were made from).

    Either a span (``start``/``end``: offsets into the redacted text as shown, from a selection)
    or the exact ``words``. With ``everywhere`` (always, for words), every other whole-word
    occurrence in the visible text is hidden too. Words already hidden elsewhere with the same
    label and the same original words get the same identity, and so the same placeholder.
    """
    if label not in LABELS:
        raise CorrectionError(_("Choose one of the labels."))
    selected: tuple[int, int, int] | None = None  # piece index, start, end within the piece
    if start is not None and end is not None:
        s, e = start, end
        if not (0 <= s < e <= len(text)):
            raise CorrectionError(_("The selection is not in the text."))
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        target = text[s:e]
        offset = 0
        for index, piece in enumerate(pieces):
            length = len(piece.text) if isinstance(piece, Plain) else len(piece.shown)
            if isinstance(piece, Plain) and offset <= s and e <= offset + length:
                selected = (index, s - offset, e - offset)
                break
            offset += length
        if selected is None:
            raise CorrectionError(_("The selection overlaps a redaction; select plain text only."))
    else:
        target = words.strip()
    if not target:
        raise CorrectionError(_("Select or type the words to redact."))
    if len(target) > WORDS_MAX_CHARS:
        raise CorrectionError(_("Redact at most %(n)d characters at a time.") % {"n": WORDS_MAX_CHARS})

    identity = next(
        (
            p.identity
            for p in pieces
            if isinstance(p, Hidden)
            and p.label == label
            and p.original is not None
            and p.original.casefold() == target.casefold()
        ),
        f"new:{target.casefold()}",
    )
    hidden = Hidden(label, identity, target)
    pattern = _word_pattern(target)
    count = 0
    rebuilt: list[Piece] = []
    for index, piece in enumerate(pieces):
        if not isinstance(piece, Plain):
            rebuilt.append(piece)
            continue
        spans = []
        if selected is not None and selected[0] == index:
            spans.append((selected[1], selected[2]))
        if everywhere or selected is None:
            spans += [m.span() for m in pattern.finditer(piece.text)]
        spans = _disjoint(spans)
        count += len(spans)
        rebuilt.extend(_split(piece, spans, hidden) if spans else [piece])
    if not count:
        raise CorrectionError(_("These words are not in the visible text."))
    pieces[:] = rebuilt
    return {"label": label, "count": count, "everywhere": bool(everywhere or selected is None)}


def _word_pattern(words: str) -> re.Pattern:
    # Whole words only where the words begin or end with a letter or digit, so that redacting
    # "Али" does not cut "Алишер" in two.
    before = r"(?<!\w)" if re.match(r"\w", words[0]) else ""
    after = r"(?!\w)" if re.match(r"\w", words[-1]) else ""
    return re.compile(before + re.escape(words) + after)


def _split(piece: Plain, spans: list[tuple[int, int]], hidden: Hidden) -> list[Piece]:
    """``piece`` cut at ``spans`` (sorted, disjoint), each span replaced by a copy of ``hidden``.
    A place that overlaps a new redaction goes with it: a place inside a redaction stays hidden."""
    out: list[Piece] = []
    cursor = 0
    for start, end in [*spans, (len(piece.text), len(piece.text))]:
        places = [
            p | {"start": p["start"] - cursor, "end": p["end"] - cursor}
            for p in piece.places
            if p["start"] >= cursor and p["end"] <= start
        ]
        out.append(Plain(piece.text[cursor:start], places))
        if start < end:
            out.append(Hidden(hidden.label, hidden.identity, piece.text[start:end]))
        cursor = end
    return out


def _disjoint(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    chosen: list[tuple[int, int]] = []
    for span in sorted(set(spans)):
        if not chosen or span[0] >= chosen[-1][1]:
            chosen.append(span)
    return chosen
