"""PHONE: Tajik teens ("дувоздаҳ" 12) in a number dictated in words and digits."""

from testimony.analysis.recognisers.phone import find


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


def test_tajik_teens_in_a_dictated_number():
    text = "телефон: нӯҳ сӣ се, 418 дувоздаҳ 06 Мо аз Қубодиён"
    assert found(text) == ["нӯҳ сӣ се, 418 дувоздаҳ 06"]


def test_teens_in_counts_stay():
    assert found("дувоздаҳ сол кор кардам, 418 нафар, понздаҳ рӯз") == []
