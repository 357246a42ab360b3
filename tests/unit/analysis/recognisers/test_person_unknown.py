"""The Turkic fallback: a capitalised word inside a sentence that no list knows is a name, unless
its shape or neighbours say it is a title, a brand, a quoted name, a place or a nation."""

from __future__ import annotations

import pytest

from testimony.analysis.pipeline import analyse
from testimony.analysis.recognisers import person, person_unknown


def _found(text: str, language: str) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


# Names in no lexicon and with no cue word: Russian nouns that are surnames, Georgian, Chinese,
# Hungarian, and a Kyrgyz case ending on one.
@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Бригадир бизге Мельник келди деди.", "ky", "Мельник"),
        ("Пулро ба Соловей додем, ӯ гурехт.", "tg", "Соловей"),
        ("Kecha Gogiya bizni omborga olib ketdi.", "uz", "Gogiya"),
        ("Бізді Сабо деген біреу жұмысқа алды.", "kk", "Сабо"),
        ("Менин досум Вандын телефонун алышты.", "ky", "Вандын"),
        ("Бригадир Сабо качып кетти.", "ky", "Сабо"),  # a role before it, not a title's first word
    ],
)
def test_unknown_capitalised_word_is_a_name(text, language, name):
    assert name in _found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Kecha Gogiya bizni omborga olib ketdi.", "ru"),  # Russian has its NER model instead
        ("Yesterday Gogiya took us to the warehouse.", "en"),
    ],
)
def test_only_in_the_turkic_languages(text, language):
    assert _found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # the words of official titles, before their noun or (Tajik) as it
        ("O'zbekiston Tashqi ishlar vazirligi javob bermadi.", "uz"),
        ("Кыргызстандын Тышкы иштер министрлиги кат жазды.", "ky"),
        ("Қарордод бо Вазорати мудофиа аст.", "tg"),
        ("Бу Жиноят кодексининг моддаси.", "uz"),
        # brands beside a card
        ("Pulni Humo kartamdan o'tkazdim.", "uz"),
        ("Пул ба корти Милли 9762 6812 4669 9272 гузарондем.", "tg"),
        ("Акчаны 4461 0033 0766 6190 (Элкарт) салдым.", "ky"),
        # quoted firms and groups, chat time stamps, lists
        ('Patentni "Migrant Servis" degan firma orqali oldik.', "uz"),
        ("Телеграмда «Кыргыздар Питерде» тобу бар.", "ky"),
        ("[10:44] Оперативник маган кыйкырды.", "ky"),
        ("Себеби: Базар жабылды.", "ky"),
        # places: a place case, "native of", a place word or preposition before, a two-word place
        ("Keche Tamchydan uchup keldim.", "ky"),
        ("Бизди Сабуроводон алып кетишти.", "ky"),
        ("Склад Коледино жакта экен.", "ky"),  # a Russian town's ending
        ("Ал Германиялык журналист экен.", "ky"),
        ("Аз ноҳияи Айнӣ ва водии Зарафшон омадем.", "tg"),
        ("Ман дар Старый Оскол кор мекардам.", "tg"),
        ("Akam (Naberejniye Chelni) zavodida.", "uz"),
        # nations take the plural; abbreviations and short words are not names
        ("Бизди Кыргыздар деп чакырышты.", "ky"),
        ("Алар КоАПтын беренесин айтышты.", "ky"),
        ("Биз Ош шаарынан келдик.", "ky"),
    ],
)
def test_look_alikes_stay(text, language):
    assert _found(text, language) == []


def test_capitalised_unknown_skips_sentence_starts_and_taken_words():
    text = "Мельник келди. Анан Сабо келди."
    tokens = [(0, 7, "Мельник"), (8, 13, "келди"), (15, 19, "Анан"), (20, 24, "Сабо"), (25, 30, "келди")]
    never = lambda w: False  # noqa: E731
    found = person_unknown.capitalised_unknown(text, tokens, [], never, never, never)
    assert found == [(20, 24, "Сабо")]
    assert person_unknown.capitalised_unknown(text, tokens, [(20, 24)], never, never, never) == []
    assert person_unknown.capitalised_unknown(text, tokens, [], lambda w: w == "Сабо", never, never) == []


def test_a_guess_yields_to_a_place_however_small():
    # Tarusa is a small town the gazetteer knows and the person lexicon does not
    text = "Бизди Таруса жакта кармашты, бригадир Сабо качып кетти."
    assert _found(text, "ky") == ["Таруса", "Сабо"]
    result = analyse(text, language_hint="ky")
    assert [text[r["start"] : r["end"]] for r in result["redactions"]] == ["Сабо"]
    assert [text[p["start"] : p["end"]] for p in result["places"]] == ["Таруса"]


def test_a_guess_has_a_lower_score_than_the_rules():
    spans = person.find("Бригадир бизге Мельник келди деди. Кечээ Бакыт Асанов келди.", language="ky")
    scores = {s.key: s.score for s in spans}
    assert sorted(scores.values()) == [person_unknown.SCORE, 1.0]


def test_further_mentions_of_a_guess_stay_guesses():
    # the sentence-initial mention is no guess of its own, only a further mention of one
    text = "Бизди Таруса жакта кармашты. Таруса кичине шаар."
    assert [(text[s.start : s.end], s.score) for s in person.find(text, language="ky")] == [
        ("Таруса", person_unknown.SCORE),
        ("Таруса", person_unknown.SCORE),
    ]
    result = analyse(text, language_hint="ky")
    assert result["redactions"] == []
    assert [text[p["start"] : p["end"]] for p in result["places"]] == ["Таруса", "Таруса"]


def test_further_mentions_of_a_name_found_by_the_rules_keep_its_score():
    spans = person.find("Кечээ Бакыт Асанов келди. Асановду кармашты.", language="ky")
    assert [s.score for s in spans] == [1.0, 1.0]
