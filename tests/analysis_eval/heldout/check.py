"""Loader and self-check for the HELD-OUT redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md); this module
reuses the main loader's parser (``parse_block``/``_blocks``) and check-digit
validators, and only changes where the files are read from and the minimum
counts.

    from tests.analysis_eval.heldout.check import load_heldout
    items = load_heldout()        # all languages
    items = load_heldout("uz")    # one language

or, equivalently, with the main loader's functions:

    from tests.analysis_eval.load import _blocks, parse_block

Run ``python tests/analysis_eval/heldout/check.py`` to validate.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.analysis_eval.load import (  # noqa: E402
    LABELS,
    LANGUAGES,
    FormatError,
    Testimony,
    _blocks,
    _is_cyrillic_uz,
    _is_latin_ru,
    check_item,
    check_numbers,
    parse_block,
)

MIN_TESTIMONIES = {"ru": 14, "uz": 12, "tg": 10, "ky": 10, "kk": 10, "en": 10}
MIN_HARD_NEGATIVES = 3
MINIMUMS = {
    "PERSON": 120,
    "PHONE": 40,
    "EMAIL": 10,
    "HANDLE": 10,
    "PAYMENT": 10,
    "ID_NUMBER": 10,
    "ADDRESS": 10,
    "VEHICLE": 10,
    "DATE_OF_BIRTH": 10,
}
MIN_PLACES = 100


def load_heldout(lang: str | None = None, directory: Path | str = HERE) -> list[Testimony]:
    """Parse the held-out files exactly as ``load()`` parses the main set."""
    directory = Path(directory)
    langs = LANGUAGES if lang is None else (lang,)
    result: list[Testimony] = []
    for code in langs:
        raw = (directory / f"{code}.txt").read_text(encoding="utf-8")
        for line, block in _blocks(raw):
            result.append(parse_block(block, code, line))
    return result


def self_check(
    directory: Path | str = HERE,
    *,
    testimony_ids: range = range(501, 600),
    hard_negative_ids: range = range(951, 960),
) -> int:
    """Validate a held-out set; each set has its own id ranges so sets never share an id."""
    directory = Path(directory)
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
            where = f"{code}.txt:{line} {t.id}"
            num = int(t.id.split("-")[1])
            if t.hard_negative and num not in hard_negative_ids:
                errors.append(f"{where}: hard negative id outside {hard_negative_ids}")
            if not t.hard_negative and num not in testimony_ids:
                errors.append(f"{where}: testimony id outside {testimony_ids}")
            spans = sorted([(s, e) for s, e, *_ in t.redactions] + [(s, e) for s, e, *_ in t.places])
            for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
                if s2 < e1:
                    errors.append(f"{where}: overlapping spans at {s2}")
            for _s, _e, surf, lat, lon in t.places:
                # the whole set is about Russia and Central Asia
                if not (35 <= lat <= 72 and 19 <= lon <= 180):
                    errors.append(f"{where}: implausible coordinates for {surf}: {lat},{lon}")
            # every PAYMENT that is all digits must be a Luhn-valid card
            for s, e, label, _ in t.redactions:
                if label == "PAYMENT":
                    digits = re.sub(r"\D", "", t.text[s:e])
                    if re.fullmatch(r"[\d \-]+", t.text[s:e]) and not 13 <= len(digits) <= 19:
                        errors.append(f"{where}: card-like payment {t.text[s:e]!r} has {len(digits)} digits")

    ids = Counter(t.id for t in items)
    errors.extend(f"duplicate id {i}" for i, n in ids.items() if n > 1)

    label_total: Counter = Counter()
    checked_total: Counter = Counter()
    print(f"{'lang':<5}{'texts':>6}{'neg':>5}{'places':>8}  labels")
    for code in LANGUAGES:
        mine = [t for t in items if t.language == code]
        pos = [t for t in mine if not t.hard_negative]
        neg = [t for t in mine if t.hard_negative]
        labels = Counter(r[2] for t in mine for r in t.redactions)
        label_total.update(labels)
        for t in mine:
            checked_total.update(check_numbers(t)[1])
        places = sum(len(t.places) for t in mine)
        extra = ""
        if code == "uz":
            n = sum(_is_cyrillic_uz(t.text) for t in pos)
            extra = f"  (cyrillic: {n})"
            if n < 4:
                errors.append("uz: fewer than 4 Cyrillic Uzbek testimonies")
        if code == "ru":
            n = sum(_is_latin_ru(t.text) for t in pos)
            extra = f"  (russian in latin: {n})"
            if n < 4:
                errors.append("ru: fewer than 4 Russian-in-Latin testimonies")
        print(
            f"{code:<5}{len(pos):>6}{len(neg):>5}{places:>8}  "
            + ", ".join(f"{k}={v}" for k, v in sorted(labels.items()))
            + extra
        )
        if len(pos) < MIN_TESTIMONIES[code]:
            errors.append(f"{code}: only {len(pos)} testimonies (< {MIN_TESTIMONIES[code]})")
        if len(neg) < MIN_HARD_NEGATIVES:
            errors.append(f"{code}: only {len(neg)} hard negatives (< {MIN_HARD_NEGATIVES})")

    total_places = sum(len(t.places) for t in items)
    n_pos = sum(not t.hard_negative for t in items)
    n_neg = sum(t.hard_negative for t in items)
    print(f"total: {n_pos} testimonies + {n_neg} hard negatives, {total_places} places")
    print("labels: " + ", ".join(f"{k}={label_total[k]}" for k in sorted(LABELS)))
    print("check digits verified: " + ", ".join(f"{k}={v}" for k, v in sorted(checked_total.items())))
    if total_places < MIN_PLACES:
        errors.append(f"only {total_places} place marks (< {MIN_PLACES})")
    for label, minimum in MINIMUMS.items():
        if label_total[label] < minimum:
            errors.append(f"only {label_total[label]} {label} (< {minimum})")

    if errors:
        print(f"\n{len(errors)} problem(s):", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(self_check(sys.argv[1] if len(sys.argv) > 1 else HERE))
