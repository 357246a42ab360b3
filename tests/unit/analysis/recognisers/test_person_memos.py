"""The person recogniser keeps nothing of a text once it has read it: the worker reads one
testimony after another, and the names of the last ones must not wait in its memory."""

from __future__ import annotations

from collections.abc import Iterator

from testimony.analysis.recognisers import person, person_cues, person_mentions, person_names

NAME = "Зарбдуллаев"
TEXT = f"Участковый {NAME} забрал паспорт, брат Nurbek (Нурик) всё видел. Потом {NAME}у я отдал деньги."
WORDS = ("зарбдуллаев", "нурик", "nurbek")


def _module_memo_keys() -> Iterator[tuple[str, str]]:
    """Every string key of every dictionary the recogniser's modules hold at module level."""
    for module in (person, person_cues, person_mentions, person_names):
        for name, value in vars(module).items():
            if isinstance(value, dict):
                for key in value:
                    if isinstance(key, str):
                        yield f"{module.__name__}.{name}", key


def test_the_words_of_a_text_are_forgotten_when_find_returns():
    found = [TEXT[s.start : s.end] for s in person.find(TEXT, language="ru")]

    assert {NAME, "Nurbek"} <= set(found)  # read, looked up, memoised on the way
    kept = [(where, key) for where, key in _module_memo_keys() if any(w in key.lower() for w in WORDS)]
    assert kept == []
    assert person._tokenise.cache_info().currsize == 0


def test_every_memo_of_a_texts_words_is_one_forget_text_empties():
    """A memo of words added to the recogniser but left out of ``_TEXT_MEMOS`` would be neither
    emptied after each text nor frozen."""
    memos = {name for name, value in vars(person).items() if isinstance(value, person._TextMemo)}
    listed = {name for name, value in vars(person).items() if any(value is m for _f, m in person._TEXT_MEMOS)}
    assert len(memos) == len(person._TEXT_MEMOS) == 8
    assert memos == listed
