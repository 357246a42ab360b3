"""Forms of given names the lexicon holds only in their plain form: compounds with an affectionate
or honorific ending, spellings of the same name in other alphabets."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_names


@pytest.mark.parametrize(
    ("form", "name"),
    [
        ("Bekhzodjon", "Bekhzod"),  # "dj" would fold into "j" and hide the name
        ("Farrukhjon", "Farrukh"),
        ("Дилшодбек", "Дилшод"),
    ],
)
def test_compound_given_names_take_the_names_key(form, name):
    lex = person._load_lexicon()
    assert person._given_lookup(form.lower(), lex) == person._given_lookup(name.lower(), lex) is not None


def test_compound_ending_alone_is_no_name():
    lex = person._load_lexicon()
    assert person._given_lookup("djon", lex) is None
    assert person._given_lookup("зубджон", lex) is None  # no given name "зуб"


@pytest.mark.parametrize(
    ("a", "b"),
    [("Татьяна", "Tatiana"), ("Tatyana", "Tatiana"), ("Ильяс", "Ilias"), ("Любовь", "Liubov")],
)
def test_consonant_y_vowel_spellings_meet(a, b):
    assert person._skeleton(a) == person._skeleton(b)


def lexicon():
    lex = person._load_lexicon()
    return lex.given, lex.ambiguous


@pytest.mark.parametrize(
    ("word", "sure"),
    [
        ("Давлатмурод", False),  # Давлат is also "the state": uncertain, but a name
        ("Абдурашид", True),  # a first element and a listed name
        ("Шерзодбек", True),
        ("Гулмурод", True),
    ],
)
def test_compound_names_split_into_name_parts(word, sure):
    given, ambiguous = lexicon()
    got = person_names.compound(person._skeleton(word), given, ambiguous)
    assert got == (person._skeleton(word), sure)


@pytest.mark.parametrize("word", ["азаматтары", "Тошкент", "Москва", "паспорт", "документов"])
def test_common_words_are_no_compound_names(word):
    given, ambiguous = lexicon()
    assert person_names.compound(person._skeleton(word), given, ambiguous) is None


def test_compound_name_found_with_a_turkic_ending():
    text = "Полиция Давлатмуроднинг паспортини олди, кейин Абдурашидни уришди."
    assert [text[s.start : s.end] for s in person.find(text, language="uz")] == [
        "Давлатмуроднинг",
        "Абдурашидни",
    ]


@pytest.mark.parametrize(
    ("word", "key_of"),
    [
        ("сашка", "саша"),  # a Russian short form plus a diminutive ending: the short form's key
        ("юрик", "юра"),
        ("жамшик", None),  # a clipped Central Asian name (Жамшид): its own key
        ("рустамчик", None),
    ],
)
def test_diminutives_of_listed_names(word, key_of):
    lex = person._load_lexicon()
    got = person_names.diminutive(word, person._skeleton, lex.given, lex.given_sorted)
    assert got == person._skeleton(key_of or word)


@pytest.mark.parametrize("word", ["столик", "паспортик", "кирпич", "ручка", "bolalik", "kichik"])
def test_common_words_are_no_diminutives(word):
    lex = person._load_lexicon()
    assert person_names.diminutive(word, person._skeleton, lex.given, lex.given_sorted) is None


@pytest.mark.parametrize("word", ["мальчик", "девочка", "dokumentik"])
def test_common_russian_words_shaped_like_diminutives_are_no_names(word):
    # "мальч-ик" looks like a clipped Малика: the dictionary says it is a boy
    info = person._info(word)
    assert info.given is None


def test_has_prefix_needs_a_longer_key():
    keys = ("nurbik", "nursultan", "rustam")
    assert person_names.has_prefix(keys, "nur", longer_by=2)
    assert not person_names.has_prefix(keys, "rustam", longer_by=2)
    assert not person_names.has_prefix(keys, "zzz")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a first name natasha lists, capitalised mid-sentence, also under a Turkic ending
        ("Кечээ биз менен Жылдызбек келди.", "ky", ["Жылдызбек"]),
        ("Полиция кечээ Эрмекти кармады.", "ky", ["Эрмекти"]),
    ],
)
def test_first_names_from_natashas_dictionary(text, language, expected):
    assert [text[s.start : s.end] for s in person.find(text, language=language)] == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Москвадагы мечиттердин жанында Курман айт күнү полиция келди.", "ky"),  # a holiday
        ("Yozib olinmoqda… 5 soniya", "uz"),  # a second, not Саня
    ],
)
def test_holidays_and_common_words_stay(text, language):
    assert person.find(text, language=language) == []


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # Korean surnames (data/names_surnames.txt): beside a name or after a cue word
        ("Теплицанын ээси Пак Игорь Сергеевич акча бербеди.", "ky", ["Пак Игорь Сергеевич"]),
        ("Хозяин Цой нам не платил.", "ru", ["Цой"]),
        ("Issiqxona egasi Kim Oleg Vladimirovich pul bermadi.", "uz", ["Kim Oleg Vladimirovich"]),
    ],
)
def test_listed_surnames_beside_a_name_or_after_a_cue(text, language, expected):
    assert [text[s.start : s.end] for s in person.find(text, language=language)] == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Ким келди? Биз билбейбиз.", "ky"),  # "who came?"
        ("Пак стоял у берега.", "ru"),  # pack ice, alone
    ],
)
def test_listed_surnames_alone_stay(text, language):
    assert person.find(text, language=language) == []


def test_a_faint_lower_case_word_does_not_join_a_capitalised_name():
    # "ээси" (its owner) folds like Иса with a Russian ending: no part of "Пак Игорь"
    text = "Теплицанын ээси Ким Олег Владимирович бизге акы төлөгөн жок."
    assert [text[s.start : s.end] for s in person.find(text, language="ky")] == ["Ким Олег Владимирович"]


@pytest.mark.parametrize(
    ("word", "form"),
    [("shuhrat", "шухрат"), ("jamshed", "джамшед"), ("jonibek", "джонибек"), ("aigerim", "аигерим")],
)
def test_latin_words_read_in_russian_spelling_for_natashas_names(word, form):
    assert person._latin_first_name_form(word) == form


@pytest.mark.parametrize("word", ["moscow", "police", "kotelniki", "give", "migrant"])
def test_latin_common_words_and_places_are_no_first_names(word):
    assert person._latin_first_name_form(word) is None


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a capitalised mid-sentence Latin word natasha lists, in Uzbek or Kazakh text (not English)
        ("Kecha ertalab Nodirbek menga qo'ng'iroq qildi.", "uz", ["Nodirbek"]),
        ("Keşe keške Yerkebulan maǵan habarlasty.", "kk", ["Yerkebulan"]),
        ("Mashinasi oq Priora, raqami bor.", "uz", []),  # a car model
        ("Ал ак Гранта менен келди, кийин Ланд Крузер алды.", "ky", []),
    ],
)
def test_latin_first_names_and_car_models(text, language, expected):
    assert [text[s.start : s.end] for s in person.find(text, language=language)] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # opening a sentence, a listed first name needs support: the same name elsewhere...
        ("Кубат кечээ келди. Полиция Кубатты кармады.", ["Кубат", "Кубатты"]),
        # ... or a surname beside it
        ("Кубат Токтосунов кечээ келди.", ["Кубат Токтосунов"]),
        # alone it is not enough, and common words opening a sentence stay
        ("Кубат кечээ келди.", []),
        ("Анан биз кеттик. Эртең кайра келебиз.", []),
    ],
)
def test_first_names_opening_a_turkic_sentence_need_support(text, expected):
    assert [text[s.start : s.end] for s in person.find(text, language="ky")] == expected


def test_russian_spelling_of_our_letters():
    assert person_names.russian_spelling("нұрлыбек") == "нурлыбек"
    assert person_names.russian_spelling("ҷамшед") == "джамшед"
    assert person_names.russian_spelling("иван") == "иван"


def test_latin_russian_spellings():
    assert person_names.latin_russian_spellings("jamshed") == ("джамшед", "жамшед")
    assert person_names.latin_russian_spellings("o'tkir") == ("уткир",)
    assert person_names.latin_russian_spellings("shrek!") == ()  # not a word of our alphabets


def test_sample_words_are_common_words_without_names(tmp_path):
    (tmp_path / "lang_xx.txt").write_text(
        "# a comment\n#words: and the\nYesterday Rustam went to Moscow. Police came.\n", encoding="utf-8"
    )
    words = person_names.sample_words(tmp_path)
    assert {"and", "the", "yesterday", "went", "to", "police", "came"} <= words
    assert "rustam" not in words  # capitalised inside a sentence: maybe a name
    assert "moscow" not in words
