"""Loader and self-check for the SECOND held-out redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md) and as the first
held-out set. Parsing is delegated to the first held-out set's
``load_heldout(lang, directory=...)`` (which uses the main loader's
``_blocks``/``parse_block``), and the checks are the same as in
``tests/analysis_eval/heldout/check.py`` with this set's id ranges:
testimonies 601–699, hard negatives 961–969.

    from tests.analysis_eval.heldout2.check import load_heldout2
    items = load_heldout2()        # all languages
    items = load_heldout2("ky")    # one language

or, equivalently:

    from tests.analysis_eval.heldout.check import load_heldout
    items = load_heldout("ky", directory="tests/analysis_eval/heldout2")

Run ``python tests/analysis_eval/heldout2/check.py`` to validate.
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

from tests.analysis_eval.heldout.check import (  # noqa: E402
    MAX_CHARS,
    MIN_CHARS,
    MIN_HARD_NEGATIVES,
    MIN_PLACES,
    MIN_TESTIMONIES,
    MINIMUMS,
    load_heldout,
)
from tests.analysis_eval.load import (  # noqa: E402
    KINDS,
    LABELS,
    LANGUAGES,
    FormatError,
    Testimony,
    _blocks,
    _is_cyrillic_uz,
    _is_latin_ru,
    check_numbers,
    parse_block,
)

TESTIMONY_IDS = range(601, 700)
HARD_NEGATIVE_IDS = range(961, 970)


def load_heldout2(lang: str | None = None) -> list[Testimony]:
    """Parse this set exactly as ``load()`` parses the main set."""
    return load_heldout(lang, directory=HERE)


def self_check(directory: Path | str = HERE) -> int:
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
            where = f"{code}.txt:{line} {t.id}"
            num = int(t.id.split("-")[1])
            if not t.id.startswith(code + "-"):
                errors.append(f"{where}: id prefix does not match file")
            if t.kind not in KINDS:
                errors.append(f"{where}: unknown kind {t.kind}")
            if t.hard_negative and num not in HARD_NEGATIVE_IDS:
                errors.append(f"{where}: hard negative id outside 961-969")
            if not t.hard_negative and num not in TESTIMONY_IDS:
                errors.append(f"{where}: testimony id outside 601-699")
            for token in ("[[", "]]", "{{", "}}", "|"):
                if token in t.text:
                    errors.append(f"{where}: stray {token!r} (unbalanced or malformed markup)")
            if not MIN_CHARS <= len(t.text) <= MAX_CHARS:
                errors.append(f"{where}: length {len(t.text)} outside {MIN_CHARS}-{MAX_CHARS}")
            for s, e, label, _ in t.redactions:
                if label not in LABELS:
                    errors.append(f"{where}: unknown label {label}")
                surf = t.text[s:e]
                if not surf or surf != surf.strip():
                    errors.append(f"{where}: span {surf!r} has outer whitespace")
            spans = sorted([(s, e) for s, e, *_ in t.redactions] + [(s, e) for s, e, *_ in t.places])
            for (_s1, e1), (s2, _e2) in itertools.pairwise(spans):
                if s2 < e1:
                    errors.append(f"{where}: overlapping spans at {s2}")
            for s, e, surf, lat, lon in t.places:
                # the whole set is about Russia and Central Asia
                if not (35 <= lat <= 72 and 19 <= lon <= 180):
                    errors.append(f"{where}: implausible coordinates for {surf}: {lat},{lon}")
                if t.text[s:e] != surf:
                    errors.append(f"{where}: place offsets wrong for {surf}")
            if t.hard_negative and t.redactions:
                errors.append(f"{where}: hard negative has redactions")
            if not t.hard_negative and not t.redactions:
                errors.append(f"{where}: testimony without redactions")
            errs, _ = check_numbers(t)
            errors.extend(f"{code}.txt:{line} {e}" for e in errs)
            # every PAYMENT that is all digits must be a Luhn-valid card
            for s, e, label, _ in t.redactions:
                if label == "PAYMENT":
                    digits = re.sub(r"\D", "", t.text[s:e])
                    if re.fullmatch(r"[\d \-]+", t.text[s:e]) and not 13 <= len(digits) <= 19:
                        errors.append(f"{where}: card-like payment {t.text[s:e]!r} has {len(digits)} digits")

    ids = Counter(t.id for t in items)
    errors.extend(f"duplicate id {i}" for i, n in ids.items() if n > 1)

    # the loader used by callers must see exactly what was checked here
    if not errors:
        loaded = load_heldout(directory=directory)
        if [(t.id, t.text, t.redactions, t.places) for t in loaded] != [
            (t.id, t.text, t.redactions, t.places) for t in items
        ]:
            errors.append("load_heldout(directory=...) disagrees with the checked parse")

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
