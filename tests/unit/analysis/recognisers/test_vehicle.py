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
        ("белая Газель А 123 ВС", "А 123 ВС"),
        ("ехали на Лада Гранта Е777КХ199", "Е777КХ199"),
        ("Nexia 01 A 123 BC", "01 A 123 BC"),
        ("Damas 01 123 ABC", "01 123 ABC"),
        ("көлік 123 ABC 02", "123 ABC 02"),
        ("01 KG 123 ABC", "01 KG 123 ABC"),
        ("мошин 1234 AB 01", "1234 AB 01"),
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
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_key_maps_cyrillic_to_latin():
    keys = {find(t)[0].key for t in ("А123ВС77", "a123bc77", "а 123 вс 77", "A123BC 77 RUS")}
    assert keys == {"A123BC77"}
