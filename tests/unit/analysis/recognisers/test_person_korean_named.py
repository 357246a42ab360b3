"""A Korean surname of the Koryo-saram (``data/names_surnames.txt``) is weak alone, but a naming
word after it ("деген", "degan", "дегенді") says it names someone, even when the same letters
are a common word of the text's language."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def _found(text: str, language: str) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Складда биз менен Огай деген бир кары киши иштечү.", "ky", "Огай"),
        ("Bizning qurilishda Tsoy degan koreys usta bor edi.", "uz", "Tsoy"),
        ("Кеше базарда Шин деген кісі бізге жұмыс берді.", "kk", "Шин"),
    ],
)
def test_korean_surname_before_a_naming_word_is_a_name(text, language, name):
    assert name in _found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Сен ким деген адамсың?", "ky"),  # "who", lower-case inside a question
        ("Бул ким деген адам экен?", "ky"),  # lower-case
        ("Анда Ли деген жок.", "ky"),  # too short to say
    ],
)
def test_look_alikes_stay(text, language):
    assert _found(text, language) == []
