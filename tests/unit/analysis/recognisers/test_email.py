"""EMAIL: plain and obfuscated addresses; handles and prose "at" are not e-mails."""

import pytest

from testimony.analysis.recognisers.email import find
from testimony.analysis.spans import EMAIL


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("пишите ivan.petrov@mail.ru", "ivan.petrov@mail.ru"),
        ("Почта: Farhod_90@Gmail.com.", "Farhod_90@Gmail.com"),
        ("pochta: aziz-2001@umail.uz, rahmat", "aziz-2001@umail.uz"),
        ("почта иван@почта.рф", "иван@почта.рф"),
        ("ivan [at] mail.ru", "ivan [at] mail.ru"),
        ("ivan собака mail ru", "ivan собака mail ru"),
        ("ivan собака mail.ru", "ivan собака mail.ru"),
        ("ivan(at)yandex(dot)ru", "ivan(at)yandex(dot)ru"),
        ("ivan at gmail dot com", "ivan at gmail dot com"),
        ("ivan @ mail.ru", "ivan @ mail.ru"),
    ],
)
def test_finds_email(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == EMAIL


@pytest.mark.parametrize(
    "text",
    [
        "в 5@",
        "@username",
        "mail.ru",
        "we met at yandex.ru office",
        "worked at mail ru group",
        "user at home",
        "ivan@mail",
        "a@b.c",
        "телеграм @farhod_90",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_key_is_lower_case_and_deobfuscated():
    keys = {find(t)[0].key for t in ("Ivan@Mail.RU", "ivan [at] mail.ru", "ivan собака mail ru")}
    assert keys == {"ivan@mail.ru"}


def test_two_addresses_in_a_row():
    assert found("x@mail.ru,y@bk.ru") == ["x@mail.ru", "y@bk.ru"]
