"""Loader and self-check for the redaction / geocoding evaluation set.

Pure Python (no Django). ``load(lang=None)`` returns the testimonies with the
markup stripped and the gold annotations as offsets into the clean text.
Run ``python tests/analysis_eval/load.py`` to validate the whole set and print
the counts per language and label. See README.md for the format.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("ru", "uz", "tg", "ky", "kk", "en")
LABELS = frozenset(
    {
        "PERSON",
        "PHONE",
        "EMAIL",
        "ID_NUMBER",
        "ADDRESS",
        "PAYMENT",
        "HANDLE",
        "VEHICLE",
        "DATE_OF_BIRTH",
    }
)
KINDS = frozenset({"testimony", "hard_negative"})
MIN_CHARS, MAX_CHARS = 300, 1200

HEADER = re.compile(
    r"^# id: (?P<id>[a-z]{2}-\d{3}); country: (?P<country>[A-Z]{2}|-)"
    r"(?:; kind: (?P<kind>[a-z_]+))?\s*$"
)
# [[LABEL|surface]] or [[LABEL|surface|entity]]
REDACTION = re.compile(r"\[\[([A-Z_]+)\|([^|\[\]{}]+?)(?:\|([A-Za-z0-9_-]+))?\]\]")
# {{surface|lat,lon}}
PLACE = re.compile(r"\{\{([^|\[\]{}]+?)\|(-?\d{1,3}\.\d+),\s*(-?\d{1,3}\.\d+)\}\}")
MARKUP = re.compile(f"{REDACTION.pattern}|{PLACE.pattern}")


@dataclass
class Testimony:
    id: str
    language: str
    country: str | None
    text: str
    redactions: list[tuple[int, int, str, str | None]] = field(default_factory=list)
    places: list[tuple[int, int, str, float, float]] = field(default_factory=list)
    kind: str = "testimony"
    source_line: int = 0

    @property
    def hard_negative(self) -> bool:
        return self.kind == "hard_negative"


class FormatError(ValueError):
    pass


def parse_block(block: str, lang: str, line: int) -> Testimony:
    lines = block.strip("\n").split("\n")
    head = HEADER.match(lines[0])
    if not head:
        raise FormatError(f"{lang}.txt:{line}: bad header {lines[0]!r}")
    body = "\n".join(lines[1:]).strip()
    out: list[str] = []
    redactions: list[tuple[int, int, str, str | None]] = []
    places: list[tuple[int, int, str, float, float]] = []
    pos = 0
    length = 0
    for m in MARKUP.finditer(body):
        chunk = body[pos : m.start()]
        out.append(chunk)
        length += len(chunk)
        if m.group(1) is not None:  # redaction
            label, surface, entity = m.group(1), m.group(2), m.group(3)
            redactions.append((length, length + len(surface), label, entity))
        else:
            surface, lat, lon = m.group(4), float(m.group(5)), float(m.group(6))
            places.append((length, length + len(surface), surface, lat, lon))
        out.append(surface)
        length += len(surface)
        pos = m.end()
    out.append(body[pos:])
    text = "".join(out)
    country = head.group("country")
    return Testimony(
        id=head.group("id"),
        language=lang,
        country=None if country == "-" else country,
        text=text,
        redactions=redactions,
        places=places,
        kind=head.group("kind") or "testimony",
        source_line=line,
    )


def _blocks(raw: str):
    """Yield (first line number, block text) for blocks separated by '---'."""
    start, buf = 1, []
    for i, ln in enumerate(raw.split("\n"), 1):
        if ln.strip() == "---":
            if "".join(buf).strip():
                yield start, "\n".join(buf)
            start, buf = i + 1, []
        else:
            if not buf and not ln.strip():
                start = i + 1
                continue
            buf.append(ln)
    if "".join(buf).strip():
        yield start, "\n".join(buf)


def load(lang: str | None = None, directory: Path = HERE) -> list[Testimony]:
    """The testimonies of one language or of all; ``directory`` holds a held-out set instead."""
    langs = LANGUAGES if lang is None else (lang,)
    result: list[Testimony] = []
    for code in langs:
        raw = (directory / f"{code}.txt").read_text(encoding="utf-8")
        for line, block in _blocks(raw):
            result.append(parse_block(block, code, line))
    return result


# ---------------------------------------------------------------- check digits


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def inn_ok(digits: str) -> bool:
    d = [int(c) for c in digits]

    def check(weights: list[int], n: int) -> int:
        return sum(w * x for w, x in zip(weights, d[:n], strict=False)) % 11 % 10

    if len(d) == 10:
        return check([2, 4, 10, 3, 5, 9, 4, 6, 8], 9) == d[9]
    if len(d) == 12:
        return (
            check([7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 10) == d[10]
            and check([3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8], 11) == d[11]
        )
    return False


def snils_ok(digits: str) -> bool:
    if len(digits) != 11:
        return False
    body, control = digits[:9], int(digits[9:])
    s = sum(int(c) * (9 - i) for i, c in enumerate(body))
    if s < 100:
        expect = s
    elif s in (100, 101):
        expect = 0
    else:
        expect = s % 101
        if expect == 100:
            expect = 0
    return expect == control


def iin_ok(digits: str) -> bool:
    """Kazakhstan IIN/BIN control digit."""
    if len(digits) != 12:
        return False
    d = [int(c) for c in digits]
    c = sum((i + 1) * x for i, x in enumerate(d[:11])) % 11
    if c == 10:
        w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
        c = sum(a * b for a, b in zip(w, d[:11], strict=False)) % 11
        if c == 10:
            return False
    return c == d[11]


def iban_ok(iban: str) -> bool:
    s = re.sub(r"\s", "", iban).upper()
    s = s[4:] + s[:4]
    return int("".join(str(int(ch, 36)) for ch in s)) % 97 == 1


PHONE_LENGTHS = (("+998", 12), ("+992", 12), ("+996", 12), ("+7", 11), ("8", 11), ("0", 10))


def phone_length(surface: str) -> int | None:
    """Expected digit count for the phone formats used in the set."""
    s = surface.replace(" ", "")
    for prefix, n in PHONE_LENGTHS:
        if s.startswith(prefix):
            return n
    return None


SNILS_RE = re.compile(r"^\d{3}-\d{3}-\d{3}[ -]\d{2}$")
IBAN_RE = re.compile(r"^[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){3,8}$")
INN_CONTEXT = re.compile(r"(?i)(инн|inn|stir|стир)\D{0,12}$")
IIN_CONTEXT = re.compile(r"(?i)(иин|iin|жсн|jsn)\D{0,12}$")


def check_numbers(t: Testimony) -> tuple[list[str], Counter]:
    """Validate every number whose format carries a check digit."""
    errors: list[str] = []
    checked: Counter = Counter()
    for start, end, label, _ in t.redactions:
        surface = t.text[start:end]
        digits = re.sub(r"\D", "", surface)
        before = t.text[max(0, start - 25) : start]
        if label == "PHONE":
            checked["phone"] += 1
            expected = phone_length(surface)
            if expected and len(digits) != expected:
                errors.append(f"{t.id}: phone {surface} has {len(digits)} digits, expected {expected}")
        elif label == "PAYMENT":
            if IBAN_RE.match(surface):
                checked["iban"] += 1
                if not iban_ok(surface):
                    errors.append(f"{t.id}: IBAN {surface} fails mod-97")
            elif re.fullmatch(r"[\d \-]+", surface) and 13 <= len(digits) <= 19:
                checked["card"] += 1
                if not luhn_ok(digits):
                    errors.append(f"{t.id}: card {surface} fails Luhn")
        elif label == "ID_NUMBER":
            if SNILS_RE.match(surface):
                checked["snils"] += 1
                if not snils_ok(digits):
                    errors.append(f"{t.id}: SNILS {surface} has wrong check digits")
            elif IIN_CONTEXT.search(before) and digits == surface:
                checked["iin"] += 1
                if not iin_ok(digits):
                    errors.append(f"{t.id}: IIN {surface} has wrong check digit")
            elif INN_CONTEXT.search(before) and digits == surface and len(digits) in (10, 12):
                checked["inn"] += 1
                if not inn_ok(digits):
                    errors.append(f"{t.id}: INN {surface} has wrong check digits")
    return errors, checked


# ---------------------------------------------------------------- self-check

MINIMUMS = {
    "PERSON": 150,
    "PHONE": 60,
    "EMAIL": 20,
    "HANDLE": 20,
    "PAYMENT": 20,
    "ID_NUMBER": 20,
    "ADDRESS": 20,
    "VEHICLE": 20,
    "DATE_OF_BIRTH": 20,
}


def _is_cyrillic_uz(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyr = sum("\u0400" <= c <= "\u04ff" for c in letters)
    return cyr > len(letters) / 2


def _is_latin_ru(text: str) -> bool:
    return not re.search("[\u0400-\u04ff]", text)


def check_item(t: Testimony, code: str, line: int) -> list[str]:
    """Problems with one parsed testimony: ids, markup, lengths, labels, offsets, check digits."""
    errors = []
    where = f"{code}.txt:{line} {t.id}"
    if not t.id.startswith(code + "-"):
        errors.append(f"{where}: id prefix does not match file")
    if t.kind not in KINDS:
        errors.append(f"{where}: unknown kind {t.kind}")
    # leftover markup means something was unbalanced or malformed
    for token in ("[[", "]]", "{{", "}}", "|"):
        if token in t.text:
            errors.append(f"{where}: stray {token!r} (unbalanced or malformed markup)")
    if not MIN_CHARS <= len(t.text) <= MAX_CHARS:
        errors.append(f"{where}: length {len(t.text)} outside {MIN_CHARS}-{MAX_CHARS}")
    for s, e, label, _ in t.redactions:
        if label not in LABELS:
            errors.append(f"{where}: unknown label {label}")
        surf = t.text[s:e]
        if surf != surf.strip() or not surf:
            errors.append(f"{where}: span {surf!r} has outer whitespace")
    for s, e, surf, lat, lon in t.places:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            errors.append(f"{where}: bad coordinates for {surf}")
        if t.text[s:e] != surf:
            errors.append(f"{where}: place offsets wrong for {surf}")
    if t.hard_negative and t.redactions:
        errors.append(f"{where}: hard negative has redactions")
    if not t.hard_negative and not t.redactions:
        errors.append(f"{where}: testimony without redactions (mark kind: hard_negative?)")
    errs, _ = check_numbers(t)
    errors.extend(f"{code}.txt:{line} {e}" for e in errs)
    return errors


def read_set(
    directory: Path, extra_checks: Callable[[Testimony], list[str]] | None = None
) -> tuple[list[Testimony], list[str]]:
    """Parse every language file of the set in ``directory`` and check each testimony.

    Returns the testimonies and the problems found: unparsable blocks, ``check_item``'s findings
    and then ``extra_checks``' for each testimony, and ids used twice.
    """
    errors: list[str] = []
    items: list[Testimony] = []
    for code in LANGUAGES:
        path = directory / f"{code}.txt"
        if not path.exists():
            errors.append(f"missing {path.name}")
            continue
        for line, block in _blocks(path.read_text(encoding="utf-8")):
            try:
                t = parse_block(block, code, line)
            except FormatError as exc:
                errors.append(str(exc))
                continue
            items.append(t)
            errors.extend(check_item(t, code, line))
            if extra_checks is not None:
                errors.extend(extra_checks(t))

    ids = Counter(t.id for t in items)
    errors.extend(f"duplicate id {i}" for i, n in ids.items() if n > 1)
    return items, errors


@dataclass
class LanguageCounts:
    testimonies: int
    hard_negatives: int
    labels: Counter
    cyrillic_uz: int = 0  # Uzbek testimonies written in Cyrillic (uz only)
    latin_ru: int = 0  # Russian testimonies typed in Latin letters (ru only)


@dataclass
class SetCounts:
    languages: dict[str, LanguageCounts]
    labels: Counter
    testimonies: int
    places: int


def print_counts(items: list[Testimony]) -> SetCounts:
    """Print the counts per language and label (and the check digits verified); return them."""
    languages: dict[str, LanguageCounts] = {}
    label_total: Counter = Counter()
    checked_total: Counter = Counter()
    print(f"{'lang':<5}{'texts':>6}{'neg':>5}{'places':>8}  labels")
    for code in LANGUAGES:
        mine = [t for t in items if t.language == code]
        pos = [t for t in mine if not t.hard_negative]
        counts = LanguageCounts(
            testimonies=len(pos),
            hard_negatives=len(mine) - len(pos),
            labels=Counter(r[2] for t in mine for r in t.redactions),
        )
        label_total.update(counts.labels)
        for t in mine:
            checked_total.update(check_numbers(t)[1])
        places = sum(len(t.places) for t in mine)
        extra = ""
        if code == "uz":
            counts.cyrillic_uz = sum(_is_cyrillic_uz(t.text) for t in pos)
            extra = f"  (cyrillic: {counts.cyrillic_uz})"
        if code == "ru":
            counts.latin_ru = sum(_is_latin_ru(t.text) for t in pos)
            extra = f"  (russian in latin: {counts.latin_ru})"
        print(
            f"{code:<5}{counts.testimonies:>6}{counts.hard_negatives:>5}{places:>8}  "
            + ", ".join(f"{k}={v}" for k, v in sorted(counts.labels.items()))
            + extra
        )
        languages[code] = counts

    total_places = sum(len(t.places) for t in items)
    n_pos = sum(not t.hard_negative for t in items)
    n_neg = sum(t.hard_negative for t in items)
    print(f"total: {n_pos} testimonies + {n_neg} hard negatives, {total_places} places")
    print("labels: " + ", ".join(f"{k}={label_total[k]}" for k in sorted(LABELS)))
    print("check digits verified: " + ", ".join(f"{k}={v}" for k, v in sorted(checked_total.items())))
    return SetCounts(languages, label_total, n_pos, total_places)


def finish(errors: list[str]) -> int:
    """Print the problems (if any); the exit status."""
    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


def self_check() -> int:
    items, errors = read_set(HERE)
    counts = print_counts(items)
    for code, c in counts.languages.items():
        if c.testimonies < 25:
            errors.append(f"{code}: only {c.testimonies} testimonies (< 25)")
        if c.hard_negatives < 10:
            errors.append(f"{code}: only {c.hard_negatives} hard negatives (< 10)")
        if c.labels["PERSON"] < 30:
            errors.append(f"{code}: only {c.labels['PERSON']} PERSON mentions (< 30)")
        if code == "ru":
            if c.testimonies < 35:
                errors.append(f"ru: only {c.testimonies} testimonies (< 35)")
            if c.latin_ru < 8:
                errors.append("ru: fewer than 8 Russian-in-Latin testimonies")
        if code == "uz":
            if c.testimonies < 30:
                errors.append(f"uz: only {c.testimonies} testimonies (< 30)")
            if c.cyrillic_uz < 8:
                errors.append("uz: fewer than 8 Cyrillic Uzbek testimonies")

    if counts.testimonies < 160:
        errors.append(f"only {counts.testimonies} testimonies in total (< 160)")
    if counts.places < 200:
        errors.append(f"only {counts.places} place marks (< 200)")
    for label, minimum in MINIMUMS.items():
        if counts.labels[label] < minimum:
            errors.append(f"only {counts.labels[label]} {label} (< {minimum})")
    return finish(errors)


if __name__ == "__main__":
    sys.exit(self_check())
