"""Context that makes a word a name: honorifics, kinship and role words in their Turkic possessive
forms, naming verbs after the name, nicknames, surnames that are towns after a role word."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Tatar and Bashkir honorifics, hyphenated, belong to the name
        ("hozyain obshchagi Rafis-abi obeshal sdelat", "ru", ["Rafis-abi"]),
        ("Хозяйка Гүзәл-апай сказала, что поможет.", "ru", ["Гүзәл-апай"]),
    ],
)
def test_hyphenated_honorifics_make_and_join_a_name(text, language, expected):
    assert found(text, language) == expected


def test_spaced_tatar_honorific_stays_outside_the_name():
    # written apart, "абый" is a word of its own (gold spans leave it out)
    assert found("Кожоюн Рамиль абый акча бербеди.", "ky") == ["Рамиль"]
