"""ADDRESS: highway kilometres and plots with a house on them, trailer camps, Kyrgyz and Kazakh floors
and offices, Russian streets named by their adjective alone; their look-alikes stay."""

import pytest

from testimony.analysis.recognisers.address import find


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Задержана на складе по Киевскому ш., 41-й км, стр. 3. Вместе", "Киевскому ш., 41-й км, стр. 3"),
        ("Адрес теплица: Дмитровское шоссе, 12 км, вл. 3.", "Дмитровское шоссе, 12 км, вл. 3"),
        ("Bizdin bolmo: ul. Gagarina 5-i uchastok, dom 17. Emil", "ul. Gagarina 5-i uchastok, dom 17"),
        (
            "Adresi: ul. Taezhnaia 14, vagon-gorodok, 3-vagon. Dosy",
            "ul. Taezhnaia 14, vagon-gorodok, 3-vagon",
        ),
        ("офис: Бишкек, Токтогул көчөсү 115, 3-кабат.", "Токтогул көчөсү 115, 3-кабат"),
        ("Кеңсе: Астана, Сарыарқа даңғылы 8, 14-кеңсе.", "Сарыарқа даңғылы 8, 14-кеңсе"),
        # a street named by its adjective alone: with a building after the house, or where someone lives
        ("v Kupchino na Bukharestskoi 72 korp 1, tam zhivut", "Bukharestskoi 72 korp 1"),
        ("We slept in a barrack at Sadovaya 5/2. In May", "Sadovaya 5/2"),
        ("We live at Sadovaya 5/2. In May", "Sadovaya 5/2"),
        ("живу на Садовой 12, рядом рынок", "Садовой 12"),
    ],
)
def test_finds(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        # a kilometre without a house on it is where something happened
        "авария на Киевском шоссе, 41 км, водитель не пострадал",
        "нас остановили на 41-м км трассы М-4",
        # an adjective and a number without a building or a word for living: not an address
        "On Sadovaya 32 police stopped me",
        "I live in Moscow. Tverskaya 7 is where they stopped me",
        "живу у Петровой 2 недели",
        "живу на Садовой 2019 года",
    ],
)
def test_look_alikes_stay(text):
    assert found(text) == []
