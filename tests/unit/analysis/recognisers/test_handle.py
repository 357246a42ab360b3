"""HANDLE: usernames and profile links; e-mails and stray "@" are not handles."""

import pytest

from testimony.analysis.recognisers.handle import find
from testimony.analysis.spans import HANDLE


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("пишите @Farhod_90", "@Farhod_90"),
        ("https://t.me/farhod_90", "https://t.me/farhod_90"),
        ("kanal: t.me/Farhod_90.", "t.me/Farhod_90"),
        ("страница vk.com/id123456", "vk.com/id123456"),
        ("https://vk.com/farhod.karimov", "https://vk.com/farhod.karimov"),
        ("instagram.com/farhod.k", "instagram.com/farhod.k"),
        ("инстаграм: farhod_k", "farhod_k"),
        ("телеграм @farhod", "@farhod"),
        ("Telegram: @farhod", "@farhod"),
        ("в телеграме farhod", "farhod"),
        ("ник Farhod99", "Farhod99"),
        ("instagram: farhod", "farhod"),
        ("yozing wa.me/79161234567", "wa.me/79161234567"),
    ],
)
def test_finds_handle(text, expected):
    assert found(text) == [expected]
    assert find(text)[0].label == HANDLE


@pytest.mark.parametrize(
    "text",
    [
        "ivan@mail.ru",
        "ivan @mail.ru",
        "в 5@",
        "@ 12:00",
        "@123",
        "I use telegram channel",
        "insta farhod",
        "написал в телеграм группу",
        "whatsapp +79161234567",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_key_drops_at_and_url_prefix():
    keys = {
        find(t)[0].key
        for t in ("@Farhod_90", "https://t.me/farhod_90", "телеграм: farhod_90", "t.me/@FARHOD_90")
    }
    assert keys == {"farhod_90"}
