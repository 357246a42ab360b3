"""Yunona market, Saint Petersburg (sites.json): a site only beside a market word (бозори Юнона,
на рынке Юнона), since Juno is a given name too."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places


@pytest.mark.parametrize(
    "text",
    [
        "Бародарон, дируз дар бозори Юнона рейд шуд.",
        "Вчера на рынке Юнона была облава.",
        "Yunona bozorida reyd.",
    ],
)
def test_market_beside_its_cue(text):
    assert [p.geonameid for p in find_places(text)] == ["site:yunona-market"]


def test_the_name_alone_is_no_market():
    assert find_places("Юнона позвонила мне вчера.") == []
