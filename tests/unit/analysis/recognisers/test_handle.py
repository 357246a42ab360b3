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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Telefon +7 (987) 296-31-08, Instagram bekzod.taxi.kzn.", "bekzod.taxi.kzn"),
        ("mendi instagramdan tapsanyzdar bolot nazgul.karasuu, nomerim bar", "nazgul.karasuu"),
        ("телеграмда мени издегиле aibek_kg деп", "aibek_kg"),
        ("Ба саҳифаи ok.ru/profile/584120773316 навиштам", "ok.ru/profile/584120773316"),
        ("ник в телеграме farhod_90", "farhod_90"),
    ],
)
def test_finds_a_username_a_few_words_after_the_network_or_in_a_profile_link(text, expected):
    assert found(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Instagram sahifasida rasm bor, photo.jpg yubordim",  # a file
        "telegramda yozdim, sayt migrant.ru da bor",  # a domain
        "telegram versiyasi v2.0 ishlamaydi",
        "Saytda yozilgan: bekzod.taxi.kzn",  # no network named nearby
    ],
)
def test_dotted_words_that_are_not_usernames(text):
    assert found(text) == []


def test_a_letter_that_grows_when_lower_cased_does_not_hide_a_named_handle():
    # "İ".lower() is two characters; the handle after the network's name must still be found.
    text = "İİİİ telegram farhod_90"
    assert [text[span.start : span.end] for span in find(text)] == ["farhod_90"]
