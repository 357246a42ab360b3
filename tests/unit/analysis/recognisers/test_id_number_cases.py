"""ID_NUMBER: protocol numbers with a letter series after the Latin "protokol", and a numbered
decision of the police about one person; public acts stay."""

import pytest

from testimony.analysis.recognisers.id_number import find


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("napisali protokol po st. 18.8, nomer protokola MS-0417734. Nurlan", "MS-0417734"),
        ("protokol nomer 7712345 berdi", "7712345"),
        ("протокол № АБ-0734152 составили", "АБ-0734152"),
        ("Хушбахтро бо қарори МВД № 3316/24 бе суд берун карданд", "3316/24"),
    ],
)
def test_finds(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "постановление Правительства № 186 от 2014 года",
        "приказ МВД № 851 от 2020",
        "решение МВД № 851 о порядке",
        "protokol po st. 18.8 KoAP",
    ],
)
def test_public_acts_and_articles_stay(text):
    assert found(text) == []
