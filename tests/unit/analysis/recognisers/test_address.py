"""ADDRESS: street level with house and flat; cities, markets, detention centres are evidence."""

import pytest

from testimony.analysis.recognisers.address import find
from testimony.analysis.spans import ADDRESS


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ул. Ленина, д. 5, кв. 12", "ул. Ленина, д. 5, кв. 12"),
        ("живу улица Тверская 7.", "улица Тверская 7"),
        ("проспект Мира 101к2", "проспект Мира 101к2"),
        ("пер. Садовый 3", "пер. Садовый 3"),
        ("Amir Temur ko'chasi 15-uy", "Amir Temur ko'chasi 15-uy"),
        ("Я жил Mirzo Ulug'bek ko'chasi 5", "Mirzo Ulug'bek ko'chasi 5"),
        ("кӯчаи Рӯдакӣ 45", "кӯчаи Рӯдакӣ 45"),
        ("мкр. 5, дом 12", "мкр. 5, дом 12"),
        ("дом 14 кв 88", "дом 14 кв 88"),
        ("общежитие на ул. Строителей 3", "ул. Строителей 3"),
        ("жил на улице Маршала Жукова 12, кв. 5", "улице Маршала Жукова 12, кв. 5"),
        ("ул ленина 5", "ул ленина 5"),
        ("ул.Ленина 5", "ул.Ленина 5"),
        ("В Москве Тверская улица 7", "Тверская улица 7"),
        ("Абай көшесі 15", "Абай көшесі 15"),
        ("Токтогул көчөсү 12", "Токтогул көчөсү 12"),
        ("Chilonzor 9-kvartal, 12-uy, 45-xonadon", "Chilonzor 9-kvartal, 12-uy, 45-xonadon"),
        ("ул. 8 Марта, д. 3", "ул. 8 Марта, д. 3"),
        ("мкр Юнусабад-4, дом 3", "мкр Юнусабад-4, дом 3"),
        ("lived at 15 Lenin Street", "15 Lenin Street"),
    ],
)
def test_finds_address(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == ADDRESS


@pytest.mark.parametrize(
    "text",
    [
        "в Москве",
        "на рынке Садовод",
        "в СИЗО-1",
        "ЦВСИГ в Сахарово",
        "на улице холодно",
        "улица без названия",
        "Вчера улица была пустая",
        "улыбка 5",
        "работал в Ташкенте 5 лет",
        "в доме 5 человек",
        "на улице 5 часов стояли",
        "Samarqand viloyati, Urgut tumani",
        "задержали на площади Революции",
    ],
)
def test_ignores_places_that_are_evidence(text):
    assert found(text) == []


def test_key_collapses_case_and_spaces():
    assert find("ул.  Ленина,  д. 5")[0].key == find("Ул. ЛЕНИНА, д. 5")[0].key == "ул. ленина, д. 5"
