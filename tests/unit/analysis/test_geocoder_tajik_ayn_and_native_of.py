"""The Tajik hard sign (ayn) that Russian spellings drop (Қалъаи Хумб, Калаи-Хумб), and "native
of" (уроженец) before a town that a person recogniser also reads as a name."""

from __future__ import annotations

from testimony.analysis.geocoder import find_places
from testimony.analysis.pipeline import analyse


def test_tajik_ayn_dropped():
    places = find_places("Ман аз Қалъаи Хумб ҳастам.")
    assert [(p.text, p.name) for p in places] == [("Қалъаи Хумб", "Qalaikhumb")]


def test_native_of_keeps_the_town():
    text = "Гражданин Таджикистана, паспорт 401375926, уроженец Қалъаи Хумб. Задержан 17.02.2025."
    result = analyse(text)
    assert all("Хумб" not in text[r["start"] : r["end"]] for r in result["redactions"])
    assert "Қалъаи Хумб" in [p["text"] for p in result["places"]]


def test_a_hard_sign_in_a_russian_word_makes_no_place():
    assert find_places("Встретились у подъезда, объект закрыт.") == []
