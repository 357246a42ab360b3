"""A town in a surname-like case (Кирову, Королёву) after a lower-case "г."/"пос.": the word for
"town" says it is one; a capital initial ("Г. Кирову") or no such word leaves it a person."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        ("Его держат в ИВС УМВД по г. Королёву, адрес не дают", "Королёву", "Korolev"),
        ("Заявление ушло в ОМВД по г. Чехову.", "Чехову", "Chekhov"),
    ],
)
def test_dative_town_after_the_word_town(text: str, span: str, name: str) -> None:
    assert [p.name for p in find_places(text) if p.text == span] == [name]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Письмо передали Г. Королёву лично.", "Королёву"),  # an initial
        ("Письмо передали Королёву лично.", "Королёву"),
        ("Я поговорил с Королёвым вчера.", "Королёвым"),
    ],
)
def test_surname_case_without_the_word_town_stays_a_person(text: str, span: str) -> None:
    assert not [p for p in find_places(text) if p.text == span]
