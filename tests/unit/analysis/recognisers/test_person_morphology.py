"""Names recognised by their shape beside other words: a given name before a Russian patronymic,
Kazakh and Kyrgyz respectful short forms, a possessive that voices a name's last consonant."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_names


def found(text: str, language: str | None = None) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, language=language)]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        # a word that is also a common noun or a village, before a patronymic, is the given name
        ("Нас встретила Надежда Петровна из отдела кадров.", "ru", "Надежда Петровна"),
        ("Хозяин, Доржи Батуевич, дал нам комнату.", "ru", "Доржи Батуевич"),
        ("Patent oformila Lyubov Sergeevna v MMC.", "ru", "Lyubov Sergeevna"),
        ("Я отдал деньги Любови Андреевне лично.", "ru", "Любови Андреевне"),
        ("Ya skazal Tatyane Nikolaevne pro dolg.", "ru", "Tatyane Nikolaevne"),
        # a patronymic of a name in -й: Никола-евна, Серге-евич
        ("Ему помог Олег Сергеевич, юрист.", "ru", "Олег Сергеевич"),
    ],
)
def test_given_name_before_a_russian_patronymic(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "Завтра Андреевич придёт с документами.",  # "tomorrow", opening the sentence
        "Сегодня Петровна не работает.",
    ],
)
def test_a_common_word_opening_a_sentence_stays_before_a_patronymic(text):
    assert all(not name.startswith(("Завтра", "Сегодня")) for name in found(text, "ru"))


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("Бәке кеше келді, бізге ақша берді.", "kk", "Бәке"),
        ("Сонда Жәке бізді күтіп тұрды.", "kk", "Жәке"),
        ("Ол күні Ерекең хабарласты.", "kk", "Ерекең"),
        ("Biz Serekeni kütip jürmiz.", "kk", "Serekeni"),
        ("Мен Талгаке айттым.", "ky", "Талгаке"),
    ],
)
def test_respectful_short_forms(text, language, name):
    assert name in found(text, language)


@pytest.mark.parametrize(
    "text",
    [
        "Жеке куәлігім жоқ.",  # personal (ID card)
        "Мереке күні жұмыс жоқ.",  # holiday
        "Әке келді.",  # father
        "Менің жеке ісім бар.",
    ],
)
def test_words_in_ke_are_no_short_forms(text):
    assert found(text, "kk") == []


def test_respectful_needs_a_listed_name_to_begin_like_it():
    sk = person._skeleton
    given = tuple(sorted(sk(w) for w in ("нурлан", "нурсултан")))
    assert person_names.respectful("нұреке", sk, given) is not None
    assert person_names.respectful("зыреке", sk, given) is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Апам кечээ келди. Нурбегим мага жазды.", "Нурбегим"),
        ("Кечээ Жаныбеги келди.", "Жаныбеги"),
    ],
)
def test_a_possessive_voices_a_names_last_consonant(text, name):
    assert name in found(text, "ky")


def test_a_voiced_possessive_of_a_name_that_is_a_word_needs_more():
    # Тилек is a name and "wish": "Тилегим орундалды" (my wish came true) opens a sentence
    assert found("Жүрөгүм ооруйт. Тилегим орундалды.", "ky") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ya otdal dengi Vane v ruki", "Vane"),  # Ваня, dative, typed in Latin
        ("potom pozvonili Tane iz doma", "Tane"),
        ("ya ne videl Kosti dva dnya", "Kosti"),
    ],
)
def test_names_in_ya_with_russian_case_endings_in_latin(text, name):
    assert name in found(text, "ru")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("the lane was closed and the mine too", "en"),
        ("Mine is a small flat. Dine with us.", "en"),
    ],
)
def test_english_words_ending_like_them_stay(text, language):
    assert found(text, language) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Третий свидетель — Ж.К., он просил не писать его имя.", "Ж.К."),
        ("Екіншісі — А.Н.Б., ол Алматыдан.", "А.Н.Б."),
    ],
)
def test_initials_alone_are_a_person(text, name):
    assert name in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Т.е. мы не знали, т.к. никто не сказал.",
        "The U.S. and U.K. embassies said nothing.",
        "В 2019 г. мы уехали, в т.ч. дети.",
    ],
)
def test_abbreviations_with_dots_are_no_initials(text):
    assert found(text) == []


def test_lower_case_names_joined_by_and():
    assert found("my sons bahodir and jamshid go to school", "en") == ["bahodir", "jamshid"]
    # a common word after "and" stays a word
    assert found("my friend rustam and family came", "en") == ["rustam"]
