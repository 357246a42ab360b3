"""The railway termini of Moscow and Saint Petersburg (sites.json), in Russian cases and typed in
Latin letters (u Kurskogo vokzala) or English (Kazansky station); the adjective alone stays the
town's or nothing (курский парень, Kursk)."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places


@pytest.mark.parametrize(
    ("text", "span", "site"),
    [
        ("3 dnya nazad u Kurskogo vokzala podoshli dva DPSnika.", "Kurskogo vokzala", "site:kursky-vokzal"),
        ("Нас задержали у Курского вокзала.", "Курского вокзала", "site:kursky-vokzal"),
        ("Приехал на Павелецкий вокзал ночью.", "Павелецкий вокзал", "site:paveletsky-vokzal"),
        ("I came by train to Kazansky station in Moscow.", "Kazansky station", "site:kazansky-vokzal"),
        ("Проверка была на Ладожском вокзале.", "Ладожском вокзале", "site:ladozhsky-vokzal"),
    ],
)
def test_terminus_found(text, span, site):
    assert [p.geonameid for p in find_places(text) if p.text == span] == [site]


def test_the_town_of_the_adjective_is_not_the_station():
    places = find_places("Мы поехали в Курск на заработки.")
    assert [(p.text, p.name) for p in places] == [("Курск", "Kursk")]
