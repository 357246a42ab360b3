"""PAYMENT: cards (Luhn), Russian accounts and IBANs; documents and wrong checksums are not."""

import pytest

from testimony.analysis.recognisers.payment import find
from testimony.analysis.spans import PAYMENT


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("карта 4111 1111 1111 1111", "4111 1111 1111 1111"),
        ("4111-1111-1111-1111", "4111-1111-1111-1111"),
        ("скинул на Мир 2200 1234 5678 9019", "2200 1234 5678 9019"),
        ("сбер 4276380012345679 Фарход К.", "4276380012345679"),
        ("uzcard 8600 1234 5678 9012", "8600 1234 5678 9012"),
        ("Humo 9860123456789015", "9860123456789015"),
        ("amex 3782 822463 10005", "3782 822463 10005"),
        ("19 цифр 6276380012345678903", "6276380012345678903"),
        ("счёт 40817810099991234567", "40817810099991234567"),
        ("р/с 40817 810 0 9999 1234567", "40817 810 0 9999 1234567"),
        ("42301810500001234567", "42301810500001234567"),
        ("IBAN KZ86125KZT5004100100", "KZ86125KZT5004100100"),
        ("KZ86 125K ZT50 0410 0100", "KZ86 125K ZT50 0410 0100"),
        ("GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
        ("карта 5469 3800 1234 5673 и 12.03.2024", "5469 3800 1234 5673"),
    ],
)
def test_finds_payment(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == PAYMENT


@pytest.mark.parametrize(
    "text",
    [
        "4111 1111 1111 1112",
        "1234567890123456789012",
        "0000 0000 0000 0000",
        "ИНН 500100732259",
        "ИНН 7707083893",
        "уголовное дело № 12401450001000123",
        "KZ86125KZT5004100101",
        "+7 916 123 45 67",
        "12.03.2024 заплатили 150 000 рублей",
        "12345678901234567890",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_key_is_digits_only():
    assert {find(t)[0].key for t in ("4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111")} == {
        "4111111111111111"
    }
    assert find("KZ86 125K ZT50 0410 0100")[0].key == find("KZ86125KZT5004100100")[0].key
