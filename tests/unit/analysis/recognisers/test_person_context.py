"""Words beside a name-like word that say whether it is a person: holidays, officials named with an
ending, English function words before a lower-case word, rank abbreviations and office roles
before a name, an honorific after a name opening a sentence, "X деген эмне?" (what is X?)."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_cues


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Дар Иди Қурбон мо ба хона рафтем.", "tg"),
        ("Navruz muborak bo'lsin, do'stlar!", "uz"),
        ("Рамазон ойида ишламаймиз.", "uz"),
        ("Tickets sell out ahead of Navruz every year.", "en"),
        ("Пеш аз Наврӯз нархҳо баланд мешаванд.", "tg"),
    ],
)
def test_holidays_named_like_men_are_no_names(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Акам Рамазон ишдан қайтди.", "uz", "Рамазон"),
        ("Бародарам Наврӯз ба Маскав рафт.", "tg", "Наврӯз"),
    ],
)
def test_the_same_names_are_men_elsewhere(text, language, name):
    assert name in found(text, language)


def test_an_official_with_a_case_ending_beside_his_given_name_stays():
    # the poet Toktogul Satylganov, his surname in the Kyrgyz genitive
    assert found("Biz Toktogul Satylganovdun yrlaryn okuibuz.", "ky") == []
    assert found("Досум Токтогул Асанов келди.", "ky") == ["Токтогул Асанов"]


@pytest.mark.parametrize(
    "text",
    [
        "They told us to line up by the wall.",
        "The police took nine of us to the station.",
        "After a wave of raids we hid.",
    ],
)
def test_english_words_after_function_words_are_no_names(text):
    assert found(text, "en") == []


def test_english_lower_case_name_after_a_noun_stays_a_name():
    assert "dilnoza" in found("hello my name dilnoza, i work in moscow", "en")


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("The officer, Sgt Morozov, took my phone.", "en", "Morozov"),
        ("A Lt Col Sergeyev signed the order.", "en", "Sergeyev"),
        ("Бухгалтерша Зарема Ахмедовна не платила.", "ru", "Зарема Ахмедовна"),
    ],
)
def test_ranks_and_office_roles_stay_outside_the_name(text, language, name):
    assert found(text, language) == [name]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Karim aka bizga yordam berdi.", "uz", "Karim aka"),
        ("Ишқилиб. Эркин ака келди.", "uz", "Эркин ака"),
    ],
)
def test_an_honorific_after_a_name_opening_a_sentence(text, language, name):
    assert name in found(text, language)


def test_a_greeting_before_an_honorific_is_no_name():
    assert found("Salom aka, qalaysiz?", "uz") == []


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Эркиндик деген эмне? Бакыт деген эмне?", "ky"),
        ("Adolat degan nima o'zi?", "uz"),
    ],
)
def test_a_word_defined_is_no_person_named(text, language):
    assert found(text, language) == []


def test_what_words_are_data():
    assert not person_cues.named_before(["деген", "эмне"])
    assert person_cues.named_before(["деген", "киши"])


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Қыркүйекте келдік. Желтоқсанда кеттік.", "kk"),
        ("Оны ешкім көрмеді.", "kk"),
        ("Акчамды ала албайм.", "ky"),
        ("Батирде төрт киши жашайбыз. Батирдин ээси жакшы.", "ky"),
    ],
)
def test_months_pronouns_and_common_words_are_no_names(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Машинага салышты. Ичинде Руслан Ахметович деген киши бар.", "ky", ["Руслан Ахметович"]),
        ("Ол кетті. Сосын Жұмабаевқа ақша бердік.", "kk", ["Жұмабаевқа"]),
        ("Біз барамыз. Мамырда Асхатқа хат жаздық.", "kk", ["Асхатқа"]),
    ],
)
def test_a_weak_word_opening_a_turkic_sentence_is_no_part_of_the_name(text, language, expected):
    assert found(text, language) == expected


def test_a_surname_opening_a_sentence_stays_in_the_name():
    assert found("Кечээ келди. Асанов Бакыт бизге жардам берди.", "ky") == ["Асанов Бакыт"]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Он кыз иштедик. Ээси Гүлнара бизге акча бербеди.", "ky", "Гүлнара"),
        ("Дүкеннің иесі Сәуле бізді қуып жіберді.", "kk", "Сәуле"),
    ],
)
def test_the_owner_word_stays_outside_the_name(text, language, name):
    assert found(text, language) == [name]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ular Alisher Navoiy g'azallarini o'qishdi.", "uz"),
        ("Кеңсе Абай даңғылында орналасқан.", "kk"),
        ("Биз Манас көчөсүндө жашайбыз.", "ky"),
    ],
)
def test_an_officials_given_name_before_his_surname_and_eponym_streets(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Биз Саматка акча бердик.", "ky", "Саматка"),  # т is voiceless: a dative
        ("Biz Smirnovka xat yozdik.", "uz", "Smirnovka"),
    ],
)
def test_a_k_dative_after_a_voiceless_consonant_is_a_case(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Мошинро ба штрафстоянка бурданд.", "tg"),  # "-янка" is no surname in -ян with a dative
        ("Ман дар парковка истодам, вале стоянка пулакӣ буд.", "tg"),
    ],
)
def test_no_k_dative_after_a_voiced_consonant(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Сардори онҳо Королёв буд.", "tg", "Королёв"),  # a town's name after "their chief"
        ("Прораб наш Чехов денег не платил.", "ru", "Чехов"),
        ("Начальник их Озёрский всё знал.", "ru", "Озёрский"),
    ],
)
def test_a_role_word_and_a_possessive_before_a_name(text, language, name):
    assert name in found(text, language)


def test_a_possessive_without_a_role_word_before_it_is_no_cue():
    assert found("Дом наш Королёв не видел, мы жили в Мытищах.", "ru") == []


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Анан Айгүлгө 'эртең кел' деди.", "ky", "Айгүлгө"),  # a flower's name too
        ("Тергеуші Нұрсұлтанға «қол қой» деді.", "kk", "Нұрсұлтанға"),  # the capital's old name too
        ("U Bahorga 'ket' dedi.", "uz", "Bahorga"),  # spring, too
    ],
)
def test_a_name_in_the_dative_before_quoted_words_said_to_it(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Биз Бишкекке 'барабыз' деп чечтик.", "ky"),  # a town, not a listed name
        ("Мен Москвага «келем» деп жаздым.", "ky"),
        ("Бахорга 'кетамиз' деб ўйладик.", "uz"),  # no verb of saying after the quotation
    ],
)
def test_towns_and_words_in_the_dative_before_a_quotation_stay(text, language):
    assert found(text, language) == []
