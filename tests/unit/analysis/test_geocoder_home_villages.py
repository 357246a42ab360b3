"""Villages and small towns GeoNames' lists lack (place_aliases.json "extra_towns"): Kyrgyz
villages migrants name as home, in Kyrgyz cases and Latin (Шопоковдон, Сары-Таштан, Tamchydan),
the warehouse village near Moscow (Колединодогу), and Likino for Likino-Dulyovo. A surname that
is a town's name stays the man's where the text names him (Дуйшонкул Шопоковдун)."""

from __future__ import annotations

import pytest

from testimony.analysis.geocoder import find_places
from testimony.analysis.pipeline import analyse


@pytest.mark.parametrize(
    ("text", "span", "name", "country"),
    [
        ("Мен Айзада Акматова, 07.05.1996, Шопоковдон. Балдарыбыз бар.", "Шопоковдон", "Shopokov", "KG"),
        ("Жигиттер иштейт, баары Сары-Таштан чыккан.", "Сары-Таштан", "Sary-Tash", "KG"),
        ("Күз келди, Арстанбапта жаңгак терүү мезгили.", "Арстанбапта", "Arstanbap", "KG"),
        ("Keche Tamchydan Tolmachevogo uchup keldim.", "Tamchydan", "Tamchy", "KG"),
        ("My son, born 21/08/2000, from Ananyevo, went to Russia.", "Ananyevo", "Ananyevo", "KG"),
        ("Колединодогу складта 5 айдан бери иштейм.", "Колединодогу", "Koledino", "RU"),
        ("Два года работал в Ликино на заводе.", "Ликино", "Likino-Dulevo", "RU"),
    ],
)
def test_village_found(text, span, name, country):
    assert [(p.name, p.country) for p in find_places(text) if p.text == span] == [(name, country)]


def test_village_not_redacted_and_hero_surname_stays_a_person():
    text = "Шопоков шаары Дуйшонкул Шопоковдун атынан аталган."
    result = analyse(text)
    redacted = {text[r["start"] : r["end"]] for r in result["redactions"]}
    assert "Дуйшонкул Шопоковдун" in redacted
    assert [p["text"] for p in result["places"]] == ["Шопоков"]
    text = "Мен Айзада, 07.05.1996, Шопоковдон. Балдарыбыз бар."
    result = analyse(text)
    assert all(text[r["start"] : r["end"]] != "Шопоковдон" for r in result["redactions"])
