"""Loader and self-check for the HELD-OUT redaction / geocoding set.

Same format as ``tests/analysis_eval/*.txt`` (see ../README.md); this module
reuses the main loader (``load``, ``read_set``, ``print_counts``), adds the
checks only the held-out sets make (id ranges, overlaps, plausible coordinates)
and has its own minimum counts.

    from tests.analysis_eval.heldout.check import load_heldout
    items = load_heldout()        # all languages
    items = load_heldout("uz")    # one language

or, equivalently, with the main loader:

    from tests.analysis_eval.load import load
    items = load("uz", directory=Path("tests/analysis_eval/heldout"))

Run ``python tests/analysis_eval/heldout/check.py`` to validate.
"""

from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.analysis_eval.load import Testimony, finish, load, print_counts, read_set  # noqa: E402

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
    return load(lang, Path(directory))


def self_check(
    directory: Path | str = HERE,
    *,
    testimony_ids: range = range(501, 600),
    hard_negative_ids: range = range(951, 960),
) -> int:
    """Validate a held-out set; each set has its own id ranges so sets never share an id."""

    def held_out_checks(t: Testimony) -> list[str]:
        errors = []
        where = f"{t.language}.txt:{t.source_line} {t.id}"
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
        return errors

    items, errors = read_set(Path(directory), held_out_checks)
    counts = print_counts(items)
    for code, c in counts.languages.items():
        if code == "uz" and c.cyrillic_uz < 4:
            errors.append("uz: fewer than 4 Cyrillic Uzbek testimonies")
        if code == "ru" and c.latin_ru < 4:
            errors.append("ru: fewer than 4 Russian-in-Latin testimonies")
        if c.testimonies < MIN_TESTIMONIES[code]:
            errors.append(f"{code}: only {c.testimonies} testimonies (< {MIN_TESTIMONIES[code]})")
        if c.hard_negatives < MIN_HARD_NEGATIVES:
            errors.append(f"{code}: only {c.hard_negatives} hard negatives (< {MIN_HARD_NEGATIVES})")

    if counts.places < MIN_PLACES:
        errors.append(f"only {counts.places} place marks (< {MIN_PLACES})")
    for label, minimum in MINIMUMS.items():
        if counts.labels[label] < minimum:
            errors.append(f"only {counts.labels[label]} {label} (< {minimum})")
    return finish(errors)


if __name__ == "__main__":
    sys.exit(self_check(sys.argv[1] if len(sys.argv) > 1 else HERE))
