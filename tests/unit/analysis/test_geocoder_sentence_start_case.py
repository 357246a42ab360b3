"""A town named like a Russian common word (Клин "wedge", Асбест, Мерке, Октябрьский) opening a
sentence in a Kyrgyz or Kazakh locative or ablative is the town (Клинде заводдо иштечү); not in a
dative, which a surname takes too, not a Latin word (Uzbek "qarshida" is "opposite"), and not a
Russian noun that names no town (Складта, Базарда)."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        ("СНИЛС 465-697-778 69. Клинде заводдо иштечү.", "Клинде", "Klin"),
        ("Ал жакта иш жок. Асбестте де солай.", "Асбестте", "Asbest"),
        ("5. Меркеден Москвага тикелей автобус жок.", "Меркеден", "Merke"),
        ("Бекназар жонундо. Октябрьскийде кармалган.", "Октябрьскийде", "Oktyabrsky"),
    ],
)
def test_common_word_town_opens_a_sentence_in_a_place_case(text, span, name):
    assert [(p.text, p.name) for p in find_places(text) if p.text == span] == [(span, name)]


@pytest.mark.parametrize(
    "text",
    [
        "Эртең кетебиз. Клинге барабыз.",  # a dative: Клин's or a man's
        "Uyga bordim. Qarshida turibdi.",  # Uzbek "opposite"
        "Складта иштейм. Заводдо да.",
        "Базарда иштедим. Рынокто.",
    ],
)
def test_look_alikes_stay_words(text):
    assert find_places(text) == []
