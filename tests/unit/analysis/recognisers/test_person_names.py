"""Forms of given names the lexicon holds only in their plain form: compounds with an affectionate
or honorific ending, spellings of the same name in other alphabets."""

from __future__ import annotations

import pytest

from testimony.analysis.recognisers import person


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
