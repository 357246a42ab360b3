"""PHONE: formats migrants actually type, and the numbers that only look like phones."""

import itertools

import pytest

from testimony.analysis.recognisers.phone import find
from testimony.analysis.spans import PHONE


def found(text: str) -> list[str]:
    return [text[s.start : s.end] for s in find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Мой номер +7 (916) 123-45-67, звоните", "+7 (916) 123-45-67"),
        ("жена 8 916 123 45 67", "8 916 123 45 67"),
        ("89161234567", "89161234567"),
        ("akam +998 90 123 45 67 raqami", "+998 90 123 45 67"),
        ("бародарам +992 93 555 12 34", "+992 93 555 12 34"),
        ("+996 555 123 456 деп чалыңыз", "+996 555 123 456"),
        ("Алматы +7 701 123 4567", "+7 701 123 4567"),
        ("998901234567", "998901234567"),
        ("номер 916.123.45.67", "916.123.45.67"),
        ("тел.89161234567", "89161234567"),
        ("тел: 90 123 45 67", "90 123 45 67"),
        ("8 (701) 123-45-67", "8 (701) 123-45-67"),
        ("+7(916)1234567", "+7(916)1234567"),
        ("WhatsApp +79161234567", "+79161234567"),
        ("горячая линия 8-800-555-35-35", "8-800-555-35-35"),
        ("номер телефона 65 12 34 56", "65 12 34 56"),
        ("+993 65 123456", "+993 65 123456"),
        ("(916) 123-45-67", "(916) 123-45-67"),
        # Kyrgyz numbers written with the trunk 0
        ("менин кыргыз номерим 0700 482 915", "0700 482 915"),
        ("эжемдин номери 0772-15-40-83", "0772-15-40-83"),
    ],
)
def test_finds_phone(text, expected):
    assert found(text) == [expected]
    assert all(s.label == PHONE for s in find(text))


@pytest.mark.parametrize(
    "text",
    [
        "в 2023 году",
        "12.03.2024",
        "задержали 12.03.2024 в 14:30",
        "платили 15 000 рублей",
        "1 500 000 сум",
        "долг 150 000 000 сум",
        "в 12:30",
        "нас было 300 человек",
        "паспорт 4512 345678",
        "паспорт 400123456",
        "ИНН 7707083893",
        "ИНН 500100732259",
        "ст. 18.8 КоАП",
        "патент 77 № 1234567890",
        "паспорт 0700482915",
        "карыз 0700 482 915 сом",
        "серия 77 номер 2400123456",
        "СНИЛС 112-233-445 95",
        "уголовное дело № 12401450001000123",
        "12345678",
        "+7 123",
    ],
)
def test_ignores_look_alikes(text):
    assert found(text) == []


def test_two_numbers_after_a_date_in_one_run():
    text = "родился 12.03.1990 тел 8 916 123 45 67"
    assert found(text) == ["8 916 123 45 67"]


def test_key_is_e164_digits_for_every_spelling():
    keys = {
        s.key
        for t in ("+7 (916) 123-45-67", "8 916 123 45 67", "79161234567", "916.123.45.67")
        for s in find(t)
    }
    assert keys == {"79161234567"}
    assert find("+998 90 123 45 67")[0].key == find("998901234567")[0].key == "998901234567"


def test_spans_sorted_and_disjoint():
    text = "79161234567 и 89161234568, ещё +998 90 123 45 67"
    spans = find(text)
    assert [text[s.start : s.end] for s in spans] == ["79161234567", "89161234568", "+998 90 123 45 67"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    "text",
    [
        # a Tajik passport or Kazakh ID number is a valid mobile number: after a document word in
        # the writer's language it is not a phone
        "шиносномаамро (931 204 558) гирифтанд",
        "Жеке куәлігім 701 234 567 еді",
        "guvohnomam 901 234 567",
    ],
)
def test_document_numbers_in_every_language_are_not_phones(text):
    assert found(text) == []


def test_a_number_in_brackets_leaves_its_brackets():
    text = "менин номерим (0555 482 915) эле"
    assert found(text) == ["0555 482 915"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("звоните: восемь девятьсот двадцать шесть 441-03-92", "79264410392"),
        ("тел восемь девятьсот шестнадцать сто двадцать три сорок пять шестьдесят семь", "79161234567"),
        ("call my cousin nine one seven, five five five, two three four five", "79175552345"),
        ("her number zero five five five, one two three, four five six", "996555123456"),
        ("Менің нөмірім: плюс жеті жеті нөл бір, бес бес бес, екі үш төрт бес", "77015552345"),
        (
            "raqamim to'qqiz yuz to'qson sakkiz, to'qson bir, ikki yuz o'n besh, qirq yetti, o'n ikki",
            "998912154712",
        ),
        ("рақамим тўққиз юз тўқсон саккиз, тўқсон бир, икки юз ўн беш, қирқ етти, ўн икки", "998912154712"),
        ("рақами ман: нӯҳсаду навад ду, ҳафтоду ҳафт, сесаду бисту панҷ, чилу шаш, даҳ", "992773254610"),
    ],
)
def test_numbers_dictated_in_words(text, key):
    assert [s.key for s in find(text)] == [key]


def test_a_plus_said_in_words_is_part_of_the_number():
    text = "номер плюс семь девятьсот три пять пять пять ноль три один два"
    assert [text[s.start : s.end] for s in find(text)] == [text[text.index("плюс") :]]


@pytest.mark.parametrize(
    "text",
    [
        "мне было двадцать пять лет, пять человек, два года, триста тысяч рублей",
        "он родился в девяносто восьмом, он сорок лет работал, он один",
        "two three people, five six days, nine hundred rubles, one two",
        "Бир эки үч, жети сегиз тогуз үй, 2019-жылы келди",
        "статья восемнадцать десять, часть один, пункт два, 2024 год, 15 человек",
        "ikki yuz ming so'm, besh kun, o'n ikki kishi",
        "ду сол пеш, се нафар, панҷ рӯз, бисту панҷ сомонӣ",
        "икки юз минг сўм, беш кун, ўн икки киши",
    ],
)
def test_counts_and_amounts_in_words_are_not_phones(text):
    assert find(text) == []


# PHONE: Tajik teens ("дувоздаҳ" 12) in a number dictated in words and digits.


def test_tajik_teens_in_a_dictated_number():
    text = "телефон: нӯҳ сӣ се, 418 дувоздаҳ 06 Мо аз Қубодиён"
    assert found(text) == ["нӯҳ сӣ се, 418 дувоздаҳ 06"]


def test_teens_in_counts_stay():
    assert found("дувоздаҳ сол кор кардам, 418 нафар, понздаҳ рӯз") == []
