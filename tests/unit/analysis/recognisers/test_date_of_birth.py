"""DATE_OF_BIRTH: birth dates in six languages; dates of events are evidence and stay."""

import pytest

from testimony.analysis.recognisers.date_of_birth import find
from testimony.analysis.spans import DATE_OF_BIRTH


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.key) for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected", "key"),
    [
        ("родился 12.03.1990", "12.03.1990", "1990-03-12"),
        ("Каримов Ф., 1990 г.р.", "1990", "1990"),
        ("д.р. 12.03.90", "12.03.90", "1990-03-12"),
        ("дата рождения: 12 марта 1990", "12 марта 1990", "1990-03-12"),
        ("tugʻilgan sana 12.03.1990", "12.03.1990", "1990-03-12"),
        ("1990 yilda tugʻilgan", "1990", "1990"),
        ("1990 yilda tug'ilgan", "1990", "1990"),
        ("tug'ilgan: 1990 yil 12 mart", "1990 yil 12 mart", "1990-03-12"),
        ("born 12 March 1990", "12 March 1990", "1990-03-12"),
        ("born on March 12, 1990", "March 12, 1990", "1990-03-12"),
        ("12.03.1990 года рождения", "12.03.1990", "1990-03-12"),
        ("туғилган сана 12.03.1990", "12.03.1990", "1990-03-12"),
        ("1990 жылы туған", "1990", "1990"),
        ("туған күні: 1990 жылғы 12 наурыз", "1990 жылғы 12 наурыз", "1990-03-12"),
        ("1990-жылы туулган", "1990", "1990"),
        ("санаи таваллуд 12.03.1990", "12.03.1990", "1990-03-12"),
        ("родилась в Ташкенте 5 мая 1985 года", "5 мая 1985", "1985-05-05"),
        ("DOB: 1990-03-12", "1990-03-12", "1990-03-12"),
        ("(12.03.1990 г.р.)", "12.03.1990", "1990-03-12"),
        ("у меня день рождения 12 марта", "12 марта", "--03-12"),
    ],
)
def test_finds_birth_date(text, expected, key):
    assert found(text) == [(expected, key)]
    assert find(text)[0].label == DATE_OF_BIRTH


@pytest.mark.parametrize(
    "text",
    [
        "12.03.2024 меня задержали",
        "в 1990 году",
        "родился сын, 12.03.2024 мы переехали",
        "приехал 12.03.2024",
        "Дата рождения не помню. Приехал 12.03.2024",
        "родился 31.02.1990",
        "родился 12 мартышек",
        "patent 12.03.2024 da berildi",
        "суд назначен на 12 марта 2024",
    ],
)
def test_ignores_event_dates(text):
    assert found(text) == []


def test_same_date_two_spellings_same_key():
    assert find("родился 12.03.1990")[0].key == find("born 12 March 1990")[0].key == "1990-03-12"
