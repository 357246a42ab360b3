"""Surnames after words for a police officer, a judge or a foreman ("полиция Семёнов", "Sudia
Pronin", "brigadir is Kuzin"), and the look-alikes after the same words that are not people; a
lower-case full name in chat whose given name no list holds ("элмирбек туратбеков"); a compound
given name's short form further on ("Улукбекти ... Улук")."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Bız sotqa bardyq. Sudia Pronin şeşım şyğardy.", "kk", "Pronin"),
        ("Коңшусу айтат, полиция Семёнов аны кармаган.", "ky", "Семёнов"),
        ("polisiia Gorbunov bızdı ūstady.", "kk", "Gorbunov"),
        ("politseiskiy Kuzin skazal chto patent fake", "ru", "Kuzin"),
        ("i work in Severodvinsk painting ships, brigadir is Kuzin, he take all passports", "en", "Kuzin"),
        ("the judge was Lebedeva and she did not listen", "en", "Lebedeva"),
    ],
)
def test_surname_after_a_role_word(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Коңшусу айтат, полиция Москвы аны кармаган.", "ky"),
        ("полиция Зеленограда его забрала.", "ru"),
        ("Sudia skazal chto net.", "ru"),
        ("Sudia Rossii skazal chto net.", "ru"),
        ("the judge is Russian and he said nothing", "en"),
        ("полиция Кузьминки келди.", "ky"),
        ("the police of Moscow is bad", "en"),
        ("полиция Таганрогдон келди.", "ky"),
        # a large city's genitive has a surname's shape (-ова) and no surname reading
        ("Нас задержала полиция Ростова, потом отвезли.", "ru"),
        ("судья Саратова отказал в жалобе.", "ru"),
        ("Коңшусу айтат, полиция Кирова аны кармаган.", "ky"),
    ],
)
def test_what_a_role_word_belongs_to_is_no_one(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("3) элмирбек туратбеков — Каменск-Шахтинский, военкомат.", "ky", "элмирбек туратбеков"),
        ("бизге кечээ жолборсбек сатыбалдиев келди", "ky", "жолборсбек сатыбалдиев"),
        ("ukam sherzodjon rahimov ushlandi", "uz", "sherzodjon rahimov"),
    ],
)
def test_lower_case_compound_given_name_and_surname(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("3) элмирбек — военкомат.", "ky"),  # the given name alone, unknown, lower-case
        ("жибек жолу менен келдик.", "ky"),
        ("кечээ бешбармак жасадык, баары тойду.", "ky"),
    ],
)
def test_lower_case_name_element_alone_is_no_name(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Мени жана Улукбекти базардан алып чыгышты. Улук кол койуп салды окшойт.", "ky", "Улук"),
        ("Ukam Sherzodjon ushlandi. Sherzod hozir Rostovda.", "uz", "Sherzod"),
    ],
)
def test_short_form_of_a_compound_given_name(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language", "word"),
    [
        ("Жолдошбекти кармашты. Жолдош келди.", "ky", "Жолдош"),  # comrade: a kinship word
        ("Мени жана Улукбекти алып чыгышты. Сен улук болчусуң.", "ky", "улук"),  # lower-case: a word
    ],
)
def test_short_form_that_is_a_word_stays(text, language, word):
    assert word not in found(text, language)
