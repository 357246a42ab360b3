"""The frozen memos of the shipped common vocabulary: the same answers as working them out afresh,
built from shipped data only, and never written by reading a testimony."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person, person_vocabulary

FROZEN = (
    "_frozen_sk",
    "_frozen_info",
    "_frozen_morph",
    "_frozen_known",
    "_frozen_maybe",
    "_frozen_latin",
    "_frozen_naming",
    "_frozen_kin",
)
MADE_UP = ("Кувандыкбаев", "Зиёвуддинхон", "Qorabotirova")
TEXT = f"Участковый {MADE_UP[0]} забрал паспорт. Men {MADE_UP[2]}ni ko'rdim, akam {MADE_UP[1]} bilan."


@pytest.fixture(scope="module")
def frozen() -> dict[str, dict]:
    person.load_models()
    return {name: getattr(person, name) for name in FROZEN}


def _contents(memos: dict[str, dict]) -> dict[str, dict[str, str]]:
    # by repr: a word's _Info is a mutable object, and changed in place it would still equal itself
    return {name: {key: repr(value) for key, value in memo.items()} for name, memo in memos.items()}


def test_reading_a_text_writes_no_frozen_memo_and_leaves_none_of_its_words(frozen):
    before = _contents(frozen)
    found = [TEXT[s.start : s.end] for s in person.find(TEXT)]
    assert MADE_UP[0] in found  # the names were read (and memoised on the way)
    assert any(MADE_UP[1] in f for f in found)
    assert _contents({name: getattr(person, name) for name in FROZEN}) == before
    kept = [
        (name, key)
        for name in FROZEN
        for key in getattr(person, name)
        if any(word.lower()[:8] in key.lower() for word in MADE_UP)
    ]
    assert kept == []


def test_frozen_memos_hold_the_vocabulary_and_its_readings(frozen):
    assert len(frozen["_frozen_info"]) > 10_000
    assert "паспорт" in frozen["_frozen_info"]  # a common word of the samples and the news corpus
    assert frozen["_frozen_maybe"]["паспорт"] is False
    # the vocabulary the geocoder freezes its own answers on (gazetteer.freeze_common_words)
    assert "паспорт" in person.common_words()
    assert set(person.common_words()) <= set(frozen["_frozen_info"])


@pytest.mark.parametrize(
    "word", ["когда", "паспорт", "полиция", "брат", "сказал", "ishlayman", "bilan", "мекунам", "the"]
)
def test_frozen_answers_are_the_answers_worked_out_afresh(frozen, word, monkeypatch):
    assert word in frozen["_frozen_info"]
    got = (person._info(word), person._maybe_name(word), person._kin(word), person._naming_word(word))
    for name in FROZEN:
        monkeypatch.setattr(person, name, {})
    try:
        fresh = (person._info(word), person._maybe_name(word), person._kin(word), person._naming_word(word))
    finally:
        person._forget_text()
    assert got == fresh


def test_most_frequent_words_by_count():
    words = ["a", "b", "c", "d"]
    assert person_vocabulary.most_frequent(words, [5, 1, 9, 3], 2) == ["c", "a"]
    assert person_vocabulary.most_frequent(words, [1, 2], 2) == []  # counts that do not match


def test_common_words_are_lower_case_alphabetic_and_unique():
    got = person_vocabulary.common_words(["Когда", "когда", "o'g'il"], ["2024", "x", "ООО", "mdash", "a-b"])
    assert got == sorted({"когда", "o'g'il", "x", "ооо", "mdash"})


def test_russian_words_as_typed_in_latin_letters():
    got = person_vocabulary.latin_spellings(["человек", "меня", "тысяч", "всех", "hello", "бой1"])
    assert got == ["chelovek", "menya", "tysyach", "vseh"]


def test_vocabulary_words_without_counts():
    assert person_vocabulary.vocabulary_words(object()) == []


def test_news_embedding_words_are_frequent_russian_words():
    top = person_vocabulary.news_embedding_words(200)
    assert len(top) == 200
    assert {"в", "и", "что"} <= set(top)
