"""Context that makes a word a name: honorifics, kinship and role words in their Turkic possessive
forms, naming verbs after the name, nicknames, surnames that are towns after a role word."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_cues


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Tatar and Bashkir honorifics, hyphenated, belong to the name
        ("hozyain obshchagi Rafis-abi obeshal sdelat", "ru", ["Rafis-abi"]),
        ("Хозяйка Гүзәл-апай сказала, что поможет.", "ru", ["Гүзәл-апай"]),
    ],
)
def test_hyphenated_honorifics_make_and_join_a_name(text, language, expected):
    assert found(text, language) == expected


def test_spaced_tatar_honorific_stays_outside_the_name():
    # written apart, "абый" is a word of its own (gold spans leave it out)
    assert found("Кожоюн Рамиль абый акча бербеди.", "ky") == ["Рамиль"]


def kin(word: str) -> bool:
    return person._kin(word)  # person_cues.KinWords, as the recogniser builds and memoises it


@pytest.mark.parametrize(
    "word",
    ["иним", "анасы", "прорабыбыз", "ҷӯраам", "сардори", "akasi", "brigadirimiz", "bratishka", "sestra"],
)
def test_kinship_and_role_words_with_endings_or_in_latin(word):
    assert kin(word)


@pytest.mark.parametrize("word", ["ага", "бала", "картасына", "мектепке", "dokumentov", "stone"])
def test_other_words_are_no_kinship_words(word):
    assert not kin(word)


@pytest.mark.parametrize(
    ("following", "named"),
    [
        (["degan", "ayolning"], True),
        (["деген", "киши"], True),
        (["деп", "атайды"], True),
        (["меноманд"], True),
        (["degan", "firma"], False),  # a firm's name, not a person's
        (["деп", "айрып", "салды"], False),  # a quotation closed by "деп"
        (["келди"], False),
        ([], False),
    ],
)
def test_naming_phrases_after_a_word(following, named):
    assert person_cues.named_before(following) is named


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # naming verbs and participles after the name
        ("Pulni Oyjamol degan ayolning kartasiga o'tkazdik.", "uz", ["Oyjamol"]),
        ("Ауылда мені Тосик деп атайды, осы атпен табасыздар.", "kk", ["Тосик"]),
        ("Маро Зардод меноманд, аз Исфара.", "tg", ["Зардод"]),
        # nicknames, common words and quoted
        ("Там его ударил охранник по кличке Лысый, врача не дают.", "ru", ["Лысый"]),
        ('There a guard called "Tank" beat him.', "en", ["Tank"]),
        # a town's name as a surname after a role or "фамилия"; the town after "в" stays
        ("Сотрудник по фамилии Пушкин забрал паспорт.", "ru", ["Пушкин"]),
        ("Майор Киров сказал, что я живу в Кирове.", "ru", ["Киров"]),
        ("Police officer Chekhov took my passport.", "en", ["Chekhov"]),
        # kinship words with Turkic endings; a name in -ман after one is no predicate "I am"
        ("Менин иним Кутман сүрөткө тартып жаткан.", "ky", ["Кутман"]),
        ("Мен анасы Гүлзада, телефоным бар.", "kk", ["Гүлзада"]),
        # Russian kinship typed in Latin letters, a possessive between it and the name
        ("Bratishka moi Zafik rabotal na taksi.", "ru", ["Zafik"]),
        # English text: a Latin word after "mr" is no Russian word typed in Latin
        ("owner mr Pak not pay 3 month.", "en", ["Pak"]),
    ],
)
def test_context_makes_a_name(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ('Pulni "Migrant Servis" degan firma oldi.', "uz"),
        ('Ол "Жалған" деп айтты.', "kk"),
        ("Оилаҳо мегӯянд, ки ҷасади баъзеҳо нест.", "tg"),  # "families say"
        ("Биз ага картасына акча салдык.", "ky"),  # "ага" is "to him" too
        ("Ya rabotal, grazhdanin Kazahstana, iz Shymkenta.", "ru"),  # a country in a Latin case
    ],
)
def test_context_leaves_things_and_places(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a capitalised word before a patronymic is the given name, also opening a sentence
        ("Ерсайын Бекжанұлы жүрек ауруымен ауырады.", "kk", ["Ерсайын Бекжанұлы"]),
        ("Зуфар Ибрагимович не пришёл.", "ru", ["Зуфар Ибрагимович"]),
        # spoken patronymics, alone and after a name
        ("Прораб Виктор Палыч паспортторду алды. Палыч ар дайым кыйкырат.", "ky", ["Виктор Палыч", "Палыч"]),
        ("Prorab Sergey Palych pul bermadi.", "uz", ["Sergey Palych"]),
        # a naming word a few words before a colon
        ("Участковыйдын фамилиясы бирдей: Королёв. Ал келди.", "ky", ["Королёв"]),
    ],
)
def test_patronymics_and_naming_colons(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Бүгін Ахметұлы келді.", "kk"),  # "today" opens the sentence, the patronymic is alone
        ("Капитан Ибрагимович пришёл.", "ru"),  # a rank, not a given name
        ("Кирпич упал. Москвич приехал.", "ru"),  # -ич nouns are no spoken patronymics
    ],
)
def test_words_before_patronymics_and_ich_nouns_stay(text, language):
    got = found(text, language)
    assert all(word not in " ".join(got) for word in ("Бүгін", "Капитан", "Кирпич", "Москвич"))


def test_language_sample_words_make_a_name_uncertain():
    # "give" folds like Гиви, "edik" (Uzbek "we were") like Эдик: common words of the samples
    assert found("they refused to give the birth certificate", "en") == []
    assert found("40 kishi edik hammamiz", "uz") == []
    assert "give" in person._sample_words()


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Нас избил охранник, которого все называют Борода.", "ru", ["Борода"]),
        ("Менеджер по имени Алина взяла у нас паспорта.", "ru", ["Алина"]),  # named, no eponym
        ("Старший смены Кравчук смотрел и молчал.", "ru", ["Кравчук"]),  # Ukrainian -чук
        ("Inspector Polishchuk took our passports.", "en", ["Polishchuk"]),
    ],
)
def test_calling_verbs_and_ukrainian_surnames(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Постоянно кричали и называли обидными словами.", "ru"),  # called us names: no name
        ("Мой внук услышал звук.", "ru"),
    ],
)
def test_calling_verbs_before_common_words_and_uk_nouns(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # lower-case names after a kinship or role word or "I am", when something says they are
        ("Досым нұрлыбек мені жатақханадан қуды.", "kk", ["нұрлыбек"]),  # natasha, Kazakh letters
        ("Здравствуйте. Я мавлюда, приехала к нему в декабре.", "ru", ["мавлюда"]),  # pymorphy's name
        ("passport AB 9021467. i am malika, i live in margilan", "en", ["malika"]),
        ("Отделде күзетші рыжов түнде келді.", "kk", ["рыжов"]),  # a guard, in Kazakh
    ],
)
def test_lower_case_names_after_cues(text, language, expected):
    assert found(text, language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I am tired. I am Uzbek.", "en"),
        ("Капитан один раз ударил.", "ru"),
        ("Брат сказал, что сестра работает.", "ru"),
    ],
)
def test_lower_case_words_after_cues_that_are_no_names(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # naming words typed in Latin letters, and lower-case Latin names after them
        ("privet. menya zovut zafar, ya iz Nukusa.", "ru", ["zafar"]),
        ("Men Mo'ynoqdanman, ismim qudratbek, 1998-yilda tug'ilganman.", "uz", ["qudratbek"]),
        # lower-case surnames after a role: pymorphy's surname typed in Latin, Ukrainian -chuk
        ("Voenkom kurochkin kelbesen dedi.", "ky", ["kurochkin"]),
        ("tam kapitan shevchuk bil dubinkoi po nogam", "ru", ["shevchuk"]),
        # a common word of the samples joins no name part, lower-case or not
        ("the police stopped me twice. Sergeant lukin said next time", "en", ["lukin"]),
        # a kinship word after a naming word is no name ("the name of my father: Safarov")
        ("Dar MVD nomi padaramro safarov n. navishtaand.", "tg", ["safarov"]),
    ],
)
def test_latin_naming_words_and_lower_case_surnames(text, language, expected):
    assert found(text, language) == expected


def test_english_naming_words_still_want_a_capital():
    assert found("A man called all of us to the office.", "en") == []
