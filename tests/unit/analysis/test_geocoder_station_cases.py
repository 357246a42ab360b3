"""Metro stations of the bulk list in Latin letters with a Turkic locative or ablative, and in
lower case with the station word after them; with the look-alikes that must stay words."""

from __future__ import annotations

import pytest

from testimony.analysis.gazetteer import METRO_ID_PREFIX
from testimony.analysis.geocoder import find_places


def stations(text: str) -> list[str]:
    return [p.text for p in find_places(text) if p.geonameid.startswith(METRO_ID_PREFIX)]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Biz Medvedkovoda yashaymiz", "Medvedkovoda"),
        ("Akam Rumyantsevodan keldi", "Rumyantsevodan"),
        ("Biz Zhulebinodağy uyda edik", "Zhulebinodağy"),
    ],
)
def test_latin_station_with_a_turkic_locative_or_ablative(text: str, span: str) -> None:
    assert span in stations(text)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("they stopped him near medvedkovo metro yesterday", "medvedkovo"),
        ("we were at chkalovskaya station at night", "chkalovskaya"),
    ],
)
def test_lower_case_station_with_the_station_word_after_it(text: str, span: str) -> None:
    assert span in stations(text)


@pytest.mark.parametrize(
    "text",
    [
        "they stopped him near medvedkovo yesterday",  # lower case and no station word
        "we were at chkalovskaya, at night",
        "Akam Rumyantsevoga aytdi",  # a dative is a person's case too
        "Akam Zhulebinoga aytdi",
        "Men Medvedkovoni ko'rdim",
    ],
)
def test_no_station_without_its_cue_or_place_case(text: str) -> None:
    assert stations(text) == []
