"""Metro stations of the bulk list, stacked and Tajik case endings, plain letters under Russian
endings, towns named like a short common word, cue words before a site, and the look-alikes that
must stay words or persons."""

from __future__ import annotations

import math

import pytest

from testimony.analysis.gazetteer import get_gazetteer
from testimony.analysis.geocoder import find_places, place_reading_wins
from testimony.analysis.place_names import ru_latin_spellings, turkic_stems

MOSCOW = (55.75, 37.62)
PETERSBURG = (59.94, 30.31)
SAMARA = (53.20, 50.15)


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def found(text: str, span: str):
    places = [p for p in find_places(text) if p.text == span]
    assert places, f"{span!r} not found in {text!r}: {find_places(text)}"
    return places[0]


@pytest.mark.parametrize(
    ("text", "span", "city"),
    [
        ("Меня задержали у метро Беляево вчера.", "Беляево", MOSCOW),
        ("Нас проверяли на станции Звёздная, потом отпустили.", "Звёздная", PETERSBURG),
        ("Zaderzhali u metro Kuzminki utrom.", "Kuzminki", MOSCOW),
        ("He was stopped near Yasenevo metro on Monday.", "Yasenevo", MOSCOW),
        ("Мы снимали комнату в Ясенево.", "Ясенево", MOSCOW),  # a name no word shares: no station word needed
        ("Бизни Ладожская метросида ушлашди.", "Ладожская", PETERSBURG),
        ("They checked papers at Tyoply Stan station.", "Tyoply Stan", MOSCOW),
        # also a town's former name (Teply Stan, now Sechenovo): the station beside "metro"
        ("Detained at Teply Stan metro yesterday.", "Teply Stan", MOSCOW),
        ("Работал рядом с метро Щёлковская.", "Щёлковская", MOSCOW),
        ("Меня задержали на станции Бескудниково.", "Бескудниково", MOSCOW),  # a Central Diameters stop
        ("Bizni Shchyolkovskaya bus station oldida ushlashdi.", "Shchyolkovskaya", MOSCOW),
    ],
)
def test_metro_station_is_a_site_in_its_city(text, span, city) -> None:
    place = found(text, span)
    assert place.precision == "site"
    assert km((place.lat, place.lon), city) < 30


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("В Самаре, у метро Спортивная, нас остановили.", SAMARA),
        ("В Питере у метро Спортивная нас остановили.", PETERSBURG),
    ],
)
def test_a_station_name_of_two_cities_goes_by_the_other_places(text, city) -> None:
    place = found(text, "Спортивная")
    assert km((place.lat, place.lon), city) < 30


@pytest.mark.parametrize(
    "text",
    [
        "Спортивная форма лежит в сумке.",  # an adjective opening a sentence
        "Я живу на Ладожской улице.",  # a street
        "Купили билеты, Динамо выиграло вчера.",  # a club, no station word
        "Мы пошли в Университет за справкой.",
        "Он работает на Ленинский проспект, дом 5.",  # a street named like a station
        "Ей понравилась Удельная жизнь.",
        "Вчера Марк сказал, что всё будет хорошо.",  # a given name that is also a stop
    ],
)
def test_station_look_alikes_stay_words(text) -> None:
    assert not [p for p in find_places(text) if p.precision == "site"], find_places(text)


def test_a_town_named_like_a_station_stays_the_town() -> None:
    # "Сокол" needs a station word to be the station; GeoNames' Sokol is left to win
    assert found("Он уехал в Сокол к брату.", "Сокол").precision == "city"
    assert found("Встретимся у метро Сокол.", "Сокол").precision == "site"


def test_station_names_get_passport_and_loose_latin_spellings() -> None:
    assert {"shchyolkovskaya", "shchelkovskaya", "schelkovskaia"} <= set(ru_latin_spellings("Щёлковская"))
    assert {"tyoplyy stan", "teply stan"} <= set(ru_latin_spellings("Тёплый Стан"))
    gaz = get_gazetteer()
    assert len(gaz.metro_entries) > 300  # the whole networks, not a few stations
    assert gaz.station_word_needed < gaz.metro_entries


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        ("Акам ҳозир Омскдадир.", "Омскдадир", "Omsk"),  # Uzbek locative + copula
        ("Ukam hozir Novosibirskdadir.", "Novosibirskdadir", "Novosibirsk"),
        ("Онҳо Истаравшанба рафтанд.", "Истаравшанба", "Istaravshan"),  # Tajik "ба" run on
        ("Он родом из Хисора.", "Хисора", "Hisor"),  # Tajik letter written plain, Russian ending
        ("Ona zhila v Staroi Russe dva goda.", "Staroi Russe", "Staraya Russa"),  # -ой typed oi
        ("Шахтыда иштедим.", "Шахтыда", "Shakhty"),  # a Russian plural name with a Kyrgyz case
        ("Әлметтен келдім.", "Әлметтен", "Al’met’yevsk"),  # the colloquial short name
        ("Onam Popda yashaydi.", "Popda", "Pop"),
        ("My mother lives in Pop with my son.", "Pop", "Pop"),
        ("Pop tumanida tug'ilganman.", "Pop", "Pop"),
    ],
)
def test_place_forms(text, span, name) -> None:
    assert found(text, span).name == name


@pytest.mark.parametrize(
    "text",
    [
        "Бу гап тўғридир.",
        "Судьба такая, работа тяжёлая.",
        "Шахты закрыли в прошлом году.",  # the mines, opening a sentence
        "I like Pop music and Pop art.",
        "Поп пришёл в церковь.",
    ],
)
def test_form_look_alikes_stay_words(text) -> None:
    assert find_places(text) == [], find_places(text)


def test_copula_and_tajik_ba_are_cut_as_endings() -> None:
    assert "омск" in turkic_stems("омскдадир")
    assert "душанбе" in turkic_stems("душанбеба")


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Мы строили отель на Роза Хутор.", "Роза Хутор"),
        ("Работали в Красной Поляне на стройке, под Сочи.", "Красной Поляне"),
    ],
)
def test_sochi_mountain_resorts(text, span) -> None:
    place = found(text, span)
    assert km((place.lat, place.lon), (43.68, 40.26)) < 25


def test_a_market_named_after_its_cue_word() -> None:
    place = found("Ман дар бозори Корвон кор мекардам.", "бозори Корвон")
    assert place.precision == "site"
    assert place.country == "TJ"
    assert find_places("Корвон омад.") == []  # a man's name, or a word, without "бозор"


def test_a_town_after_the_word_city_beats_a_surname() -> None:
    text = "Шаҳри Турсунзода калон аст."
    assert place_reading_wins(text, found(text, "Турсунзода"))
    other = "Муаллим Турсунзода гуфт, ки кор нест."
    places = [p for p in find_places(other) if p.text == "Турсунзода"]
    assert not places or not place_reading_wins(other, places[0])


def test_a_latin_given_name_in_a_case_is_no_station() -> None:
    assert find_places("Ya pozvonila Marine vchera.") == []  # Marina's dative, not Mar'ino


@pytest.mark.parametrize(
    ("text", "span", "wins"),
    [
        ("Нас задержали у метро Марьино.", "Марьино", True),
        ("Мы жили в Марьино два года.", "Марьино", True),
        ("Встретились у Ясенево и разошлись.", "Ясенево", False),  # no station word, no place preposition
    ],
)
def test_a_station_beats_a_person_guess_only_where_called_a_place(text, span, wins) -> None:
    assert place_reading_wins(text, found(text, span)) is wins


@pytest.mark.parametrize("name", ["Гражданского", "Спортивной", "Динамо", "Teply Stan", "Марьино"])
def test_station_names_stay_out_of_the_general_index(name) -> None:
    # a station is added to a match only once accepted as one: elsewhere the words read as before
    gaz = get_gazetteer()
    hit = gaz.match(tuple(name.lower().split()))
    assert not hit or not gaz.metro_entries.intersection(hit[0])
    assert gaz.match_station(tuple(name.lower().replace("ё", "е").split())) is not None


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Живу в г. Видное.", "Видное"),  # also an adjective ("prominent"): needs what says "town"
        ("г. Видное, ул. Школьная, д. 58", "Видное"),
        ("Нас отвезли в пос. Мирный.", "Мирный"),
    ],
)
def test_an_abbreviated_designator_is_no_sentence_end(text, town):
    assert [p.text for p in find_places(text)] == [town]


@pytest.mark.parametrize(
    "text",
    [
        "Это было видное место. Видное решение.",
        "Я приехал в 2019 г. Мирный город был рядом",  # "г." after a year is "год"
    ],
)
def test_a_common_word_opening_a_sentence_stays_a_word(text):
    assert find_places(text) == []
