"""VEHICLE: Kazakh plates whose letters spell a currency, older Kazakh and Kyrgyz plates; look-alikes stay."""

import pytest

from testimony.analysis.recognisers.vehicle import find


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("His car is Kazakh plate 508 KZT 04. Arman", "508 KZT 04"),
        ("машина Audi, номер A 123 BCD, старая", "A 123 BCD"),
        ("Vadimning mashinasi B 1234 AB, oq", "B 1234 AB"),
    ],
)
def test_finds(text, expected):
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
def test_look_alikes_stay(text):
    assert found(text) == []
