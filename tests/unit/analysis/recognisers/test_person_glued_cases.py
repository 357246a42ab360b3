"""Russian surnames under a glued Turkic or spoken Tajik case ending, surnames that are also
towns' names, -уллин and hyphenated -заде surnames, and Western given names."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        # Kyrgyz dative typed in Latin letters, spoken Tajik "-ба" (to)
        ("Politseiskiy Zaharovgo 15 myn rubl berdik.", "ky", "Zaharovgo"),
        ("Пул ба Гончаренкоба барои корт додем.", "tg", "Гончаренкоба"),
        ("лейтенант Жуков маро бурд. Баъд Жуковба 12 ҳазор додем.", "tg", "Жуковба"),
    ],
)
def test_surname_under_a_glued_ending(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        # Семёнов, Ефремов, Панфилов are towns too: a person's case on them is the man's
        ("Коңшусу айтат, полиция Семёновдун машинасы ошол жерде эле.", "ky", "Семёновдун"),
        ("Сол жерде Ефремовтың кісісі келді.", "kk", "Ефремовтың"),
        ("Ёлкинро ҳеҷ кас ҷазо намедиҳад, Панфиловро ҳам.", "tg", "Панфиловро"),
    ],
)
def test_person_case_on_a_town_named_like_a_surname(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language", "town"),
    [
        ("Биз Семёновдо иштедик.", "ky", "Семёновдо"),  # in the town
        ("Мы жили в Семёнове два года.", "ru", "Семёнове"),
        ("Keyin Gusevdan chiqib ketdik.", "uz", "Gusevdan"),  # from the town
    ],
)
def test_the_town_itself_stays(text, language, town):
    assert town not in found(text, language)


def test_dative_further_mention_of_a_surname_that_is_a_town():
    text = "politsiyachi Gusev degan kapitan meni oldi. Gusevga 15 ming berishimiz kerak dedi."
    assert found(text, "uz") == ["Gusev", "Gusevga"]


def test_dative_stays_a_town_where_the_report_speaks_of_the_town():
    text = "politsiyachi Gusev degan kapitan meni oldi. Gusevga bordik, Gusevda yashadik."
    assert found(text, "uz") == ["Gusev"]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Нефтекамск маңында полиция Зиннатуллин бізді ұстап алды.", "kk", "Зиннатуллин"),
        ("The policeman was Fatkhullin, and another one.", "en", "Fatkhullin"),
        ("там же майор Кривошеев-заде сказал подписать", "ru", "Кривошеев-заде"),
    ],
)
def test_ullin_and_hyphenated_zade_surnames(text, language, name):
    assert name in found(text, language)


def test_plain_in_words_stay_common():
    # Kazakh "-ин"/"-ын" words are not -уллин surnames
    assert found("Мен кейін үйге келдім, болатын іс.", "kk") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Statement taken by volunteer Hannah Weiss. Speaker: Baktygul, 41.", "Hannah Weiss"),
        ("Case summary by volunteer Ingrid Haug. He was born in 1979.", "Ingrid Haug"),
        ("Interview summary, volunteer Rob. Interviewee: a woman, 26.", "Rob"),
    ],
)
def test_western_given_names(text, name):
    assert name in found(text, "en")


@pytest.mark.parametrize(
    "text",
    [
        "We came in July and worked for free until August.",  # Julie and Freya are left out
        "Мен Хабаровскіде жүрген кезде жұмыс істедім.",  # Jürgen folds like Kazakh "жүрген"
        "They will rob us again, said the boss.",  # "rob" needs a capital
    ],
)
def test_words_that_fold_like_western_names_stay(text):
    assert not any(w in span for span in found(text) for w in ("July", "free", "жүрген", "rob"))
