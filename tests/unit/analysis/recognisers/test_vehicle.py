"""VEHICLE: Russian and Central Asian plates; units, money and words are not plates."""

import pytest

from testimony.analysis.recognisers.vehicle import find
from testimony.analysis.spans import VEHICLE


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("машина А123ВС77", "А123ВС77"),
        ("номер машины а 123 вс 777", "а 123 вс 777"),
        ("plate A123BC77", "A123BC77"),
        ("a123bc 77 RUS", "a123bc 77 RUS"),
        # upper-case letters that spell a unit ("КМ") with a lower-case "rus" after the region
        ("Газель Т 518 КМ 750 rus", "Т 518 КМ 750 rus"),
        ("белая Газель А 123 ВС", "А 123 ВС"),
        ("ехали на Лада Гранта Е777КХ199", "Е777КХ199"),
        ("Nexia 01 A 123 BC", "01 A 123 BC"),
        ("Damas 01 123 ABC", "01 123 ABC"),
        ("көлік 123 ABC 02", "123 ABC 02"),
        ("01 KG 123 ABC", "01 KG 123 ABC"),
        ("мошин 1234 AB 01", "1234 AB 01"),
        # police cars: one letter, four digits, region
        ("машина ДПС К 2158 50 стояла", "К 2158 50"),
        ("патрульная У0932 77", "У0932 77"),
        # plates spelt in English by sound: С → S, Р → R, У → U, Н → N, В → V
        ("their car was K 408 SR 799", "K 408 SR 799"),
        ("a van, plate N 217 UV 150.", "N 217 UV 150"),
    ],
)
def test_finds_plate(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == VEHICLE


@pytest.mark.parametrize(
    "text",
    [
        "в 100 км от Москвы",
        "в 100 км 50 минут",
        "у 123 ст",
        "Ташкент",
        "500 USD 20 марта",
        "АВ 1234567",
        "с 200 по 300",
        "кв 123",
        "а 123 вс",
        "В 2019 16 человек уехали",
        "С 1000 50 рублей сверху",
        "к 2158 50",
        "в 0417 40",
        "S 519 RU",
        "USD 500 RU 2024",
        "V 300 NV",
        "room S 101 UN 12B",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_sound_spelling_shares_the_key_of_the_plate():
    assert find("S 519 RU 750")[0].key == find("С519РУ750")[0].key == "C519PY750"


def test_key_maps_cyrillic_to_latin():
    keys = {find(t)[0].key for t in ("А123ВС77", "a123bc77", "а 123 вс 77", "A123BC 77 RUS")}
    assert keys == {"A123BC77"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the Russian series beyond private cars: buses and taxis, trailers, transit, military,
        # police in Latin letters
        ("маршрутка ТН 305 178 стояла у рынка", "ТН 305 178"),
        ("the shuttle bus KA 962 16 waited", "KA 962 16"),
        ("фура с прицепом ОМ 7731 23", "ОМ 7731 23"),
        ("на транзитных номерах ХС 208 М 54", "ХС 208 М 54"),
        ("военный КамАЗ 5190 ТЕ 45", "5190 ТЕ 45"),
        ("politsiya mashinasi M 0581 102 keldi", "M 0581 102"),
    ],
)
def test_finds_other_russian_series(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "ОМ 7731234 — номер военного билета",  # two letters and seven digits: an ID
        "ТН 305 00",  # no region 00
        "КА 962 16 рублей",  # money
        "В 2021 ТЕ 45 человек",  # a year first
        "ст. 18.8 КоАП, 2024 год",
        "Kecha AM 10 30 da keldim",
    ],
)
def test_other_series_look_alikes_stay(text):
    assert found(text) == []


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        # Central Asian plates typed with Cyrillic look-alike letters, after a word for the car
        ("Көлігінің нөмірі 318 МКА 05 болатын", "318 МКА 05", "318MKA05"),
        ("Машинасы 02 KG 771 АСЕ эле", "02 KG 771 АСЕ", "02KG771ACE"),
        ("Нексия 30 Х 504 ТА, оқ ранг", "30 Х 504 ТА", "30X504TA"),
    ],
)
def test_central_asian_plates_in_cyrillic_letters(text, expected, key):
    assert [(text[s.start : s.end], s.key) for s in find(text)] == [(expected, key)]


@pytest.mark.parametrize(
    "text",
    [
        "Нас было 500 ТОО 12 раз",  # no word for a car
        "номер 123 ВС 02 сом",  # money
        "в машине 318 МКА 05 минут",
    ],
)
def test_cyrillic_central_asian_look_alikes(text):
    assert found(text) == []


@pytest.mark.parametrize(
    "text", ["A 1500 20 rubles each", "EK 417 31 kishi", "ОМ 500 20 нафар", "ТК 150 50 ming so'm"]
)
def test_counts_in_every_language_are_not_plates(text):
    assert found(text) == []


# VEHICLE: Kazakh plates whose letters spell a currency, older Kazakh and Kyrgyz plates; look-alikes stay.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("His car is Kazakh plate 508 KZT 04. Arman", "508 KZT 04"),
        ("машина Audi, номер A 123 BCD, старая", "A 123 BCD"),
        ("Vadimning mashinasi B 1234 AB, oq", "B 1234 AB"),
    ],
)
def test_kazakh_currency_letters_and_older_central_asian_plates(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "заплатил 500 USD 20 марта",
        "paid 500 KZT 20 times",
        "рейс SU 1234 AB задержан",
        "A 123 BCD",  # no word for a car before it
    ],
)
def test_currency_and_flight_look_alikes_stay(text):
    assert found(text) == []
