"""Kazakh in its Latin alphabet: ı for і (with y for ы), ñ, ğ, ş, ū and the dotted capital İ. A
name so spelt is found even where the whole text was taken for English, whose words never hold
these letters."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_names


def _found(text: str, language: str | None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("latin", "russian"),
    [
        ("serık", "серик"),  # Серік
        ("berık", "берик"),  # Берік
        ("temırlan", "темирлан"),  # Темірлан
    ],
)
def test_dotless_i_reads_as_kazakh_i(latin, russian):
    assert russian in person_names.latin_russian_spellings(latin)


def test_dotted_capital_i_lowers_to_a_plain_i():
    # "İ".lower() is "i" plus a combining dot, which no alphabet table holds
    assert person_names.latin_russian_spellings("İlyas".lower()) == person_names.latin_russian_spellings(
        "ilyas"
    )


@pytest.mark.parametrize("language", ["kk", "en", None])
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Keşe kešqūrym Serık pen onyñ ağasy bızge keldı.", "Serık"),
        ("Zauytta meniñ dosym Temırlan jūmys ıstedı.", "Temırlan"),
        ("Bızdıñ brigadada İlyas degen jıgıt boldy.", "İlyas"),
    ],
)
def test_kazakh_latin_name_found_whatever_the_text_was_taken_for(text, name, language):
    assert name in _found(text, language)


@pytest.mark.parametrize("language", ["kk", "en"])
def test_kazakh_latin_common_words_stay(language):
    text = "Qaidağy jeñıs, bızge tek adal jūmys kerek. Bırge ıstedık, şekarada tūrdyq."
    assert _found(text, language) == []


def test_english_capitalised_word_without_those_letters_is_unchanged():
    text = "Our Manager was angry and the Warehouse was closed on Monday."
    assert _found(text, "en") == []
