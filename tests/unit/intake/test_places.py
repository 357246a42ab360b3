"""The form's places list (testimony/intake/data/form_places.json) and its reader.

These need no Django settings: testimony.intake.places only reads the JSON file.
"""

import json
import re
from pathlib import Path

from testimony.intake.places import (
    countries_with_places,
    is_known_place,
    place_choices,
)

DATA = Path(__file__).resolve().parents[3] / "testimony" / "intake" / "data" / "form_places.json"
COUNTRIES = ["RU", "UZ", "TJ", "KG", "KZ"]


def _countries() -> dict[str, list[dict]]:
    return json.loads(DATA.read_text(encoding="utf-8"))["countries"]


def test_countries_in_order():
    assert countries_with_places() == COUNTRIES


def test_source_names_geonames_licence():
    source = json.loads(DATA.read_text(encoding="utf-8"))["source"]
    assert "GeoNames" in source
    assert "CC BY 4.0" in source


def test_moscow_is_known_in_russia():
    assert is_known_place("RU", "524901")
    assert ("524901", "Москва") in place_choices("RU", "ru")
    assert ("524901", "Moskva") in place_choices("RU", "uz")


def test_tashkent_names():
    assert ("1512569", "Ташкент") in place_choices("UZ", "ru")
    assert ("1512569", "Toshkent") in place_choices("UZ", "uz")
    assert ("1512569", "Tashkent") in place_choices("UZ", "en")


def test_place_of_one_country_is_unknown_in_another():
    assert not is_known_place("UZ", "524901")
    assert not is_known_place("RU", "1512569")
    assert not is_known_place("RU", "no-such-place")
    assert not is_known_place("XX", "524901")


def test_every_entry_has_russian_english_and_uzbek_names():
    for country, entries in _countries().items():
        for entry in entries:
            for language in ("ru", "en", "uz"):
                assert entry["names"].get(language, "").strip(), (country, entry)
            assert set(entry["names"]) <= {"ru", "en", "uz", "kk", "ky", "tg"}


def test_russian_names_are_cyrillic():
    for entries in _countries().values():
        for entry in entries:
            assert not re.search("[A-Za-z]", entry["names"]["ru"]), entry


def test_ids_unique_within_a_country():
    for country in COUNTRIES:
        ids = [place_id for place_id, _ in place_choices(country, "ru")]
        assert ids
        assert len(ids) == len(set(ids)), country


def test_ids_and_kinds():
    for country, entries in _countries().items():
        for entry in entries:
            if entry["kind"] == "region":
                assert entry["id"].startswith(f"{country}."), entry
            else:
                assert entry["kind"] == "city", entry
                assert entry["id"].isdigit(), entry


def test_regions_come_before_cities():
    for country, entries in _countries().items():
        kinds = [entry["kind"] for entry in entries]
        regions = kinds.count("region")
        assert regions > 0, country
        assert kinds == ["region"] * regions + ["city"] * (len(kinds) - regions)


def test_russian_choices_begin_with_regions():
    choices = place_choices("RU", "ru")
    assert choices[0] == ("RU.48", "г. Москва")
    assert all(place_id.startswith("RU.") for place_id, _ in choices[:83])
    assert not choices[83][0].startswith("RU.")


def test_region_counts():
    regions = {
        country: sum(entry["kind"] == "region" for entry in entries)
        for country, entries in _countries().items()
    }
    assert regions == {"RU": 83, "UZ": 14, "TJ": 5, "KG": 9, "KZ": 20}


def test_main_regions_present():
    expected = {
        "RU": {"RU.48", "RU.66", "RU.47", "RU.42"},
        "UZ": {"UZ.13", "UZ.09", "UZ.10"},
        "TJ": {"TJ.04", "TJ.RR", "TJ.01"},
        "KG": {"KG.01", "KG.GO"},
        "KZ": {"KZ.02", "KZ.05", "KZ.1537272"},
    }
    for country, ids in expected.items():
        for place_id in ids:
            assert is_known_place(country, place_id), place_id


def test_cities_sorted_by_size_largest_first():
    # The capitals are the largest cities of their countries.
    for country, capital in [
        ("RU", "524901"),
        ("UZ", "1512569"),
        ("TJ", "1221874"),
        ("KG", "1528675"),
    ]:
        cities = [e["id"] for e in _countries()[country] if e["kind"] == "city"]
        assert cities[0] == capital, country


def test_city_districts_are_not_cities():
    # Mar'ino (Moscow) and Yunusobod (Tashkent) are districts in GeoNames' list.
    assert not is_known_place("RU", "529237")
    assert not is_known_place("UZ", "1512296")


def test_language_fallbacks():
    # Tajik names where given, else Russian for Cyrillic readers, English otherwise.
    assert ("TJ.04", "шаҳри Душанбе") in place_choices("TJ", "tg")
    assert ("524901", "Москва") in place_choices("RU", "ky")
    assert ("524901", "Moscow") in place_choices("RU", "fr")
