"""A common word of the shipped vocabulary that only resembles a city by its skeleton is no
place (с семьей is no Semey, в масках no Moscow) once the vocabulary is frozen, as a worker's
warm-up does; the city's own forms still are. And a town's name of two words, neither a given
name, is kept from a person recogniser (Павловский Посад)."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places
from testimony.analysis.pipeline import analyse, warm_up


@pytest.fixture(scope="module", autouse=True)
def _frozen():
    warm_up()


@pytest.mark.parametrize("text", ["Встретились с семьёй вчера.", "Пришли люди в масках.", "Семьей приехали."])
def test_common_word_is_no_city(text):
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [("Я из Семея, живу с родными.", "Семея", "Semey"), ("Приехали в Семей.", "Семей", "Semey")],
)
def test_city_itself_stays(text, span, name):
    assert [(p.text, p.name) for p in find_places(text)] == [(span, name)]


def test_two_word_town_kept_from_person():
    text = "Заметки волонтёра, Павловский Посад, 3 октября."
    result = analyse(text)
    assert result["redactions"] == []
    assert [p["text"] for p in result["places"]] == ["Павловский Посад"]


def test_two_words_with_a_given_name_stay_a_person():
    text = "Мне позвонил Сергей Павловский вчера."
    assert [text[r["start"] : r["end"]] for r in analyse(text)["redactions"]] == ["Сергей Павловский"]
