"""The whole analysis on text made of the pieces every recogniser looks for, in any order.

A raise in any recogniser fails the report in the worker (it ends ``failed`` for a person to look
at), so no input may make one raise: a bracketed date in words once did (``KeyError``). The
pieces are chosen to reach the recognisers' less common branches: dates in every order and
language, brackets and commas around names, introductions, numbers of every shape, addresses,
handles, kinship words, places with suffixes.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testimony.analysis.pipeline import analyse

PIECES = [
    " ",
    " ",
    " ",
    ",",
    ".",
    "(",
    ")",
    "-",
    ":",
    "/",
    "«",
    "»",
    '"',
    "'",
    "\n",
    "Азиз",
    "Турсунов",
    "Холикова",
    "Xoliqov",
    "Rustam-aka",
    "Дилноза-опа",
    "ака",
    "Бахти",
    "uulu",
    "кызы",
    "Ибрагимович",
    "Ф.",
    "К.",
    "Я",
    "I am",
    "Меня зовут",
    "mening ismim",
    "менің атым",
    "брат",
    "akam",
    "апам",
    "майор",
    "капитан",
    "Петров",
    "по кличке",
    "12",
    "03",
    "1990",
    "90",
    "2001-11-09",
    "12.03.1990",
    "марта",
    "March",
    "mart",
    "наурыз",
    "yil",
    "жылы",
    "года рождения",
    "г.р.",
    "born",
    "туғилган",
    "tugʻilgan",
    "т.",
    "ж.т.",
    "+7",
    "8",
    "916",
    "123-45-67",
    "(495)",
    "+998 90 123 45 67",
    "4276 3801 2345 6789",
    "KZ86125KZT5004100100",
    "@aziz_t",
    "t.me/",
    "vk.com/id",
    "aziz@mail.ru",
    "паспорт",
    "серия",
    "4509",
    "№",
    "123456",
    "патент",
    "ИНН",
    "СНИЛС",
    "А123ВС77",
    "ул.",
    "Ленина",
    "д.",
    "кв.",
    "дом",
    "Москве",
    "Москвада",
    "Самарқанддан",
    "в Подольске",
    "Ош",
    "Питер",
    "рынок",
    "Садовод",
    "ЦВСИГ",
    "ОМОН",
    "военкомат",
    "МВД",
    "Путин",
]


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_analysis_of_recogniser_shaped_text_never_raises(text):
    result = analyse(text)
    for redaction in result["redactions"]:
        assert 0 <= redaction["start"] < redaction["end"] <= len(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_analysis_of_any_text_never_raises(text):
    analyse(text)


DATES = [
    "12 марта 1990",
    "March 12, 1990",
    "12 March 1990",
    "1990 yil 12 mart",
    "1990 жылғы 12 наурыз",
    "12-го марта",
    "4th of May 1999",
    "2001-11-09",
    "09.11.01",
    "12.03.1990",
    "1990",
    "mart 12, 1990",
]
_WORDS = st.lists(st.sampled_from(PIECES), max_size=6).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(
        _WORDS,
        st.sampled_from(
            ["Азиз Турсунов", "I am Aziz Karimov", "Я, Иванов Иван", "Nilufar is 16 years old", ""]
        ),
        st.sampled_from([" (", ", ", "(", " ", ": "]),
        st.sampled_from(DATES),
        st.sampled_from([")", "", ",", " г.р.", " born)"]),
        _WORDS,
        st.sampled_from(["", " 12.03.1990", " (1999)"]),
    ).map("".join)
)
def test_analysis_of_dates_around_names_never_raises(text):
    analyse(text)
