"""The analysis keeps nothing of a testimony once it has read it: the worker reads one after
another, and the names, numbers and streets of the last ones must not wait in its memory."""

from __future__ import annotations

import functools
import importlib
import pkgutil

import testimony.analysis
from testimony.analysis import gazetteer
from testimony.analysis.pipeline import analyse, find_redactions

TEXT = (
    "Меня зовут Зарбдуллаев Нуриддин, в Подольске на рынке Садовод забрали паспорт. "
    "Звоните +7 916 555-01-23, живу ул. Кривоколенная д. 7. Men Samarqanddan keldim."
)
# lru_caches that load shipped data once, whatever the text (exempt by name, not by size: a small
# cache can still hold whole texts, as the tokeniser's does).
DATA_LOADERS = {
    "testimony.analysis.gazetteer._person_words",
    "testimony.analysis.geocoder._given_names",
    "testimony.analysis.recognisers.person._holiday_skeletons",
}
MARKERS = ("зарбдуллаев", "нуриддин", "кривоколенн", "5550123", "555-01-23")


def _analysis_modules():
    package = testimony.analysis
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield importlib.import_module(info.name)


def _word_memo_in_use(where: str, value) -> bool:
    """An lru_cache holding entries, other than the data loaders', which hold no words."""
    if not isinstance(value, functools._lru_cache_wrapper) or where in DATA_LOADERS:
        return False
    return bool(value.cache_info().currsize)


def _held_strings():
    """Every string key of a module-level dict, and every argument an lru_cache holds."""
    for module in _analysis_modules():
        for name, value in vars(module).items():
            if isinstance(value, dict):
                yield from ((f"{module.__name__}.{name}", k) for k in value if isinstance(k, str))
            if _word_memo_in_use(f"{module.__name__}.{name}", value):
                # lru_cache keeps its keys out of reach; its size is what can be checked.
                yield f"{module.__name__}.{name} (size {value.cache_info().currsize})", ""
    if gazetteer._GAZ is not None:
        yield from (("gazetteer match cache", " ".join(k)) for k in gazetteer._GAZ._match_cache)


def test_nothing_of_a_text_is_kept_after_analyse():
    analyse("Прогрев: в Москве забрали паспорт.")  # models and data load once, whatever the text
    result = analyse(TEXT)
    assert "[PERSON 1]" in result["redacted_text"]  # the text was read (and memoised on the way)
    held = list(_held_strings())
    assert [(w, k) for w, k in held if any(m in k.lower() for m in MARKERS)] == []
    # The word memos are empty again (their size is all that lru_cache shows).
    assert [where for where, key in held if not key] == []


def test_nothing_of_a_text_is_kept_after_find_redactions():
    # Called on its own by the reply redaction (processing.messages), after ``analyse``.
    analyse("Прогрев: в Москве забрали паспорт.")
    spans = find_redactions(TEXT)
    assert {"PERSON", "PHONE"} <= {span.label for span in spans}  # the text was read
    held = list(_held_strings())
    assert [(w, k) for w, k in held if any(m in k.lower() for m in MARKERS)] == []
    assert [where for where, key in held if not key] == []


def test_the_data_loaders_exempted_exist():
    # A loader renamed or removed leaves a stale name here: the list must name what exists.
    found = {
        f"{module.__name__}.{name}"
        for module in _analysis_modules()
        for name, value in vars(module).items()
        if isinstance(value, functools._lru_cache_wrapper)
    }
    assert DATA_LOADERS - found == set()
