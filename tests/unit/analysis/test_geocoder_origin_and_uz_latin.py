"""Towns named by their origin ending in lower-case chat ("akmal kattaqorgonlik", "men
gijduvondanman"), and Uzbek towns that GeoNames spells in the 1990s Latin (ŭ, gh) written in
today's alphabet; with the look-alikes that must stay words."""

from __future__ import annotations

import math

import pytest

from testimony.analysis.gazetteer import city_names, get_gazetteer
from testimony.analysis.geocoder import find_places, place_reading_wins


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def town(name: str, country: str) -> tuple[float, float]:
    entry = next(e for e in get_gazetteer().lookup(name) if e.country == country)
    return entry.lat, entry.lon


@pytest.mark.parametrize(
    ("text", "span", "name", "country"),
    [
        ("akasi jasur denovlik, telefoni o'chiq", "denovlik", "Denov", "UZ"),
        ("bu yigit urgutlik, ismi malik", "urgutlik", "Urgut", "UZ"),
        ("men gijduvondanman, hujjatim yo'q", "gijduvondanman", "G‘ijduvon", "UZ"),
        ("aidana kentaudanmyn dedi", "kentaudanmyn", "Kentau", "KZ"),
    ],
)
def test_lower_case_origin_ending_names_a_small_town(text: str, span: str, name: str, country: str) -> None:
    places = [p for p in find_places(text) if p.text == span]
    assert places, find_places(text)
    assert km((places[0].lat, places[0].lon), town(name, country)) < 25


@pytest.mark.parametrize(
    "text",
    [
        "bu yoshlik, bolalik va oylik haqida, haftalik yillik kunlik tinchlik birlik",
        "ozodlik mustaqillik yaxshilik yangilik issiqlik pullik uzumlik mahallalik",
        "men uydaman, ishdanman, qishloqdanman, shahardanman, zavoddanman, bozordanman",
        "мен үйдөнмүн, жумуштанмын, айылданмын, қаладанмын, ауылданмын",
    ],
)
def test_origin_and_ablative_endings_on_common_words_stay_words(text: str) -> None:
    assert find_places(text) == []


def test_a_small_town_without_an_origin_ending_stays_unread_in_lower_case() -> None:
    # the same town in lower case with a plain locative is no clearer than a common word
    assert not [p for p in find_places("biz denovda edik") if p.text == "denovda"]


def test_old_uzbek_latin_is_also_indexed_in_todays_alphabet() -> None:
    names = city_names({"name": "Qŭrghontepa", "alternatenames": [], "countrycode": "UZ", "population": 1})
    assert "Qo'rg'ontepa" in names
    assert "Qorgontepa" in names
    # a Russian soft sign is no Uzbek o‘ or g‘: "Il'ich" keeps its apostrophe
    assert not any(
        "Ilich" in n for n in city_names({"name": "Il'ich", "alternatenames": [], "countrycode": "UZ"})
    )
    # other countries' names are left as GeoNames spells them
    assert city_names({"name": "Ghazni", "alternatenames": [], "countrycode": "AF"}) == ["Ghazni"]


@pytest.mark.parametrize("spelling", ["Kattaqo'rg'ondan", "Kattaqorgonda", "kattaqorgonlik"])
def test_a_town_in_old_latin_is_found_in_todays_spellings(spelling: str) -> None:
    places = [p for p in find_places(f"akam {spelling} ishlaydi") if p.text == spelling]
    assert places
    assert km((places[0].lat, places[0].lon), town("Kattaqŭrghon", "UZ")) < 25


def test_an_origin_ending_makes_a_small_town_the_place_reading() -> None:
    text = "Бригадир Шухрат (Деновлик, бирга ишлаймиз) айтди"
    place = next(p for p in find_places(text) if p.text == "Деновлик")
    assert place_reading_wins(text, place)
    bare = "Бригадир Шухрат Денов айтди"
    assert all(not place_reading_wins(bare, p) for p in find_places(bare) if p.text == "Денов")


def test_an_origin_ending_wins_even_where_the_word_is_also_read_as_a_persons_name() -> None:
    text = "Акмал (Деновлик, бирга ишлаймиз) айтди"
    place = next(p for p in find_places(text) if p.text == "Деновлик")
    assert place_reading_wins(text, place, named_as_person_elsewhere=True)
    # a plain locative is a case a name read as a person's elsewhere does not outweigh
    text = "Акмал Деновда айтди"
    place = next(p for p in find_places(text) if p.text == "Деновда")
    assert not place_reading_wins(text, place, named_as_person_elsewhere=True)


def test_kazakh_latin_glide_is_indexed_but_a_final_short_i_is_not() -> None:
    assert "Baianaul" in city_names({"name": "Bayanaul", "alternatenames": [], "countrycode": "KZ"})
    # a final й stays as GeoNames has it: "Abai" is a man's name as often as a town
    assert city_names({"name": "Kordai", "alternatenames": [], "countrycode": "KZ"}) == ["Kordai"]
    assert city_names({"name": "Abay", "alternatenames": [], "countrycode": "KZ"}) == ["Abay"]
    # other countries keep GeoNames' spelling
    assert city_names({"name": "Bayanaul", "alternatenames": [], "countrycode": "RU"}) == ["Bayanaul"]


def test_a_kazakh_latin_town_with_its_ablative_and_person_ending() -> None:
    places = [
        p for p in find_places("Men Aiattanmyn, qazır Omborda jūmys ısteimın") if p.text == "Aiattanmyn"
    ]
    assert places
    assert km((places[0].lat, places[0].lon), town("Ayat", "KZ")) < 25
