"""Further mentions of a person already named: the matching (person_mentions) and what the person
recogniser keeps of it (not the town of the same name, not a lower-case common word)."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_mentions


def tokens(text: str) -> list[tuple[int, int, str]]:
    return person._tokenise(text)


def mentions(text: str, names: list[str], keep=lambda *a: True) -> list[str]:
    found = person_mentions.further_mentions(tokens(text), [(n, n.lower()) for n in names], [], keep)
    return [text[s:e] for s, e, _key in found]


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("Дмитров", "Дмитровнинг"),  # Uzbek genitive
        ("Эламан", "Эламанды"),  # Kyrgyz accusative
        ("Королёв", "Королёвго"),  # Kyrgyz dative
        ("Vadim", "Vadimnıñ"),  # Kazakh genitive in the Latin alphabet
        ("Vadim", "Vadimnyń"),
        ("Холиков", "Холиковым"),  # Russian instrumental
        ("Лазизни", "Лазизнинг"),  # both inflected: the stem is cut from the name
        ("Давлатмуроди", "Давлатмурод"),  # the Tajik izofa taken off
        ("Bekhzod", "Bekhzods"),  # English possessive without the apostrophe
        ("Aybek", "aybeks"),
    ],
)
def test_inflections_match(name, token):
    assert person_mentions.inflection_of(token.lower(), name.lower(), exact_stem=True) or any(
        person_mentions.inflection_of(token.lower(), stem, exact_stem=stem == name.lower())
        for stem in person_mentions.stems(name)
    )


@pytest.mark.parametrize(
    ("name", "token"),
    [
        ("Ислом", "Ислам"),  # no stem shorter than four letters is cut
        ("Руслан", "Русланов"),  # "-ов" is no ending of a name, it makes another surname
        ("Анвар", "Анварбек"),
        ("Pak", "paks"),  # a possessive only on stems of four letters or more
        ("Дмитров", "Дмитриев"),
    ],
)
def test_other_words_do_not_match(name, token):
    assert not any(
        person_mentions.inflection_of(token.lower(), stem, exact_stem=stem == name.lower())
        for stem in person_mentions.stems(name)
    )


def test_latin_spellings_of_endings_are_generated():
    assert {"nıñ", "nyń", "nyng", "niń"} <= person_mentions.latin_variants("ның")
    assert "ǵa" in person_mentions.latin_variants("ға")
    assert person_mentions.latin_variants("ш") == set()  # no ending has it: no guess


def test_further_mentions_skip_covered_and_ask_keep():
    text = "Дмитров сказал. Дмитровнинг шериги и Дмитрова."
    assert mentions(text, ["Дмитров"]) == ["Дмитров", "Дмитровнинг", "Дмитрова"]
    covered = person_mentions.further_mentions(tokens(text), [("Дмитров", "k")], [(0, 7)], lambda *a: True)
    assert [text[s:e] for s, e, _k in covered] == ["Дмитровнинг", "Дмитрова"]
    refused = person_mentions.further_mentions(
        tokens(text), [("Дмитров", "k")], [], lambda s, e, t, n: t != n
    )
    assert [text[s:e] for s, e, _k in refused] == ["Дмитровнинг", "Дмитрова"]


def test_short_and_empty_names_give_nothing():
    assert mentions("Ли и Ли пришли", ["Ли"]) == []
    assert person_mentions.further_mentions(tokens("текст"), [], [], lambda *a: True) == []


def found(text: str, **kwargs) -> list[str]:
    return [text[s.start : s.end] for s in person.find(text, **kwargs)]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Полициячи Дмитров бизни урди. Кейин Дмитровнинг шериги пул олди.",
            "uz",
            ["Дмитров", "Дмитровнинг"],
        ),
        (
            "My friend Aybek was beaten. aybeks passport police take.",
            "en",
            ["Aybek", "aybeks"],
        ),
        ("My brother Bekhzod works there. Bekhzods phone was taken.", "en", ["Bekhzod", "Bekhzods"]),
        ("His employer, Konstantin Lyakhov, refused. Lyakhov also demanded money.", "en", None),
    ],
)
def test_person_finds_later_mentions(text, language, expected):
    got = found(text, language=language)
    if expected is None:  # every mention of the surname
        assert got.count("Lyakhov") == 1
        assert "Konstantin Lyakhov" in got
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("text", "language", "absent"),
    [
        # the town of the same name in a locative case or after "в"
        ("Участковый Королёв кармады. Мен Королёвдо иштейм.", "ky", "Королёвдо"),
        ("Майор Королёв меня ударил. Я живу в Королёве.", "ru", "Королёве"),
        # a lower-case twin is a common word outside English text
        ("Мошин Рустам омад, мошин ба штрафстоянка рафт.", "tg", "мошин"),
        ("Opam Qaldirg'och keldi. Bahorda qaldirg'och uchadi.", "uz", "qaldirg'och"),
    ],
)
def test_later_mentions_leave_towns_and_common_words(text, language, absent):
    assert absent not in found(text, language=language)


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # another name in a parenthesis after the name, or before one that holds the name
        ("Прорабыбыз Жорик (Георгий) бизди полицияга тапшырды.", "ky", ["Жорик", "Георгий"]),
        ("Bratishka moi tolyan (Anatoliy) rabotal na taksi.", "ru", ["tolyan", "Anatoliy"]),
        ("My brother Farrukh (Farrukhjon at home) works in Omsk.", "en", ["Farrukh", "Farrukhjon"]),
        ("Umid (surname Rakhimov) from Termez came to us.", "en", ["Umid", "Rakhimov"]),
    ],
)
def test_names_given_beside_a_name_in_parentheses(text, language, expected):
    assert found(text, language=language) == expected


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Akam Baxtiyor Chelnida (Naberejniye Chelni) qurilishda.", "uz"),  # a town's names
        ("Рустам Каримов (Ташкент) звонил.", "ru"),
        ("Рустам Каримов (МВД) звонил.", "ru"),
    ],
)
def test_parentheses_beside_a_name_keep_places_and_institutions(text, language):
    got = found(text, language=language)
    assert all(word not in got for word in ("Naberejniye", "Chelni", "Ташкент", "МВД"))
    assert got  # the name itself is still found


def test_parenthesised_neighbours_geometry():
    text = "Жека (Евгений) и (фамилия Петров) Олег"
    toks = tokens(text)
    spans = [(0, 4, "k1"), (26, 32, "k2")]
    pairs = person_mentions.parenthesised_neighbours(text, toks, spans, {"фамилия"})
    assert [(toks[t][2], k) for t, k in pairs] == [("Евгений", 0), ("и", 1)]


def test_later_mentions_and_aliases_share_the_persons_key():
    text = "Полициячи Дмитров бизни урди. Кейин Дмитровнинг шериги Жорик (Георгий) пул олди."
    spans = {text[s.start : s.end]: s.key for s in person.find(text, language="uz")}
    assert spans["Дмитровнинг"] == spans["Дмитров"]
    assert spans["Георгий"] == spans["Жорик"]
    assert spans["Жорик"] != spans["Дмитров"]
