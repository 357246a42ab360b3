"""A capitalised word right after a rank, or named by "деген/degan" before one, is an officer's
surname, whatever else the word is (a noun, an adjective, a town); the service a rank belongs to
and places in a case of where or whence are not."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def texts(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # common nouns and adjectives as surnames after a rank
        ("Нас допрашивал майор Ворона, кричал на всех.", "ru", ["Ворона"]),
        ("Протокол составил сержант Весна.", "ru", ["Весна"]),
        ("Потом пришёл прапорщик Лужа и забрал телефоны.", "ru", ["Лужа"]),
        ("Leytenant Chernyh skazal nam zhdat.", "ru", ["Chernyh"]),
        # a town's name that is a surname too, after a rank
        ("Документы забрал капитан Тверской, не вернул.", "ru", ["Тверской"]),
        # ranks and police words of the other languages, Russian surnames with Turkic endings
        ("пограничник Родионов бизди токтотту.", "ky", ["Родионов"]),
        ("полициячи Мельниковга пул берди.", "uz", ["Мельниковга"]),
        ("bojxonachi Zinatullin pasportni oldi.", "uz", ["Zinatullin"]),
    ],
)
def test_a_word_after_a_rank_is_a_surname(text, language, expected):
    assert texts(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language", "name", "mention"),
    [
        # "X деген <rank>" names X, also when X is a village's name, and later mentions follow
        (
            "Бөлүмдөгү Калугин деген майор паспортту алды. Калугинге эч ким каршы чыкпайт.",
            "ky",
            "Калугин",
            "Калугинге",
        ),
        ("Сол жерде Мухин деген сержант ақша сұрады. Мухиннің адамы келді.", "kk", "Мухин", "Мухиннің"),
        ("Ал жактагы Ковбасюк деген прапорщик келчү.", "ky", "Ковбасюк", None),
        ("Ал жактагы Чайка деген сержант келчү.", "ky", "Чайка", None),
    ],
)
def test_named_before_a_rank(text, language, name, mention):
    found = texts(text, language)
    assert name in found
    if mention is not None:
        assert mention in found


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # what a rank belongs to, and titles side by side
        ("Капитан полиции сказал ждать. Майор юстиции подписал.", "ru"),
        ("Пришёл капитан ФСБ и ушёл.", "ru"),
        # a place in a case of where or whence after a police word
        ("полициячи Москвада иштейди.", "uz"),
        ("пограничник Бишкектен келди.", "ky"),
        # a place named before "деген" with no rank after it stays a place word
        ("Красное Село деген жерде иштедик.", "ky"),
    ],
)
def test_no_surname_after_a_rank(text, language):
    assert texts(text, language) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an organisation's name in quotes after a role word: an adjective and its noun
        ("Юристы «Правовой помощи» приняли нас во вторник.", []),
        ("Адвокат «Миграционной службы» ничего не сделал.", []),
        # ... a name in quotes after a role word is still a name
        ("Бригадир «Шрек» забрал паспорта.", ["Шрек"]),
    ],
)
def test_organisation_in_quotes_after_a_role(text, expected):
    assert texts(text, "ru") == expected
