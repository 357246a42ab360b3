"""The gazetteer index and the name normalisation under it."""

from __future__ import annotations

import json

import pytest

from testimony.analysis import gazetteer as gz
from testimony.analysis.geocoder import find_places
from testimony.analysis.place_names import fold, is_latin_key, ru_stem, ru_to_latin, skeleton, turkic_stems


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Oʻzbekiston", "o'zbekiston"),
        ("O‘zbekiston", "o'zbekiston"),
        ("Орёл", "орел"),
        ("Ростов-на-Дону", "ростов на дону"),
        ("Türkmenistan", "turkmenistan"),
        ("Хуҷанд", "хуҷанд"),
        ("Йошкар-Ола", "йошкар ола"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Москве", "Москва"),
        ("Москвой", "Москва"),
        ("Нижнем Новгороде", "Нижний Новгород"),
        ("Набережных Челнах", "Набережные Челны"),
        ("Казани", "Казань"),
        ("Самарканда", "Самарканд"),
        ("Оше", "Ош"),
        ("Химках", "Химки"),
    ],
)
def test_russian_stems_meet(a: str, b: str) -> None:
    assert ru_stem(fold(a)) == ru_stem(fold(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kazani", "Kazan"),
        ("Samary", "Samara"),
        ("Tveryu", "Tver"),
        ("Nizhnem Novgorode", "Nizhniy Novgorod"),
        ("Krasnoyarske", "Krasnoyarsk"),
        ("Rossiey", "Rossiya"),
    ],
)
def test_russian_stems_meet_in_latin_letters(a: str, b: str) -> None:
    assert ru_stem(fold(a)) == ru_stem(fold(b))


def test_latin_stems_keep_two_letters() -> None:
    # v Ufe, iz Ufy meet Ufa; the geocoder takes so short a stem only after a preposition
    assert ru_stem("ufa") == ru_stem("ufe") == ru_stem("ufy") == "uf"
    assert ru_stem("osh") == "osh"
    assert ru_stem("ya") == "ya"


def test_russian_to_latin() -> None:
    assert ru_to_latin(fold("Ленинградская область")) == "leningradskaya oblast"
    assert ru_to_latin(fold("Нижний Новгород")) == "nizhniy novgorod"
    assert is_latin_key("nizhniy novgorod")
    assert not is_latin_key("нижний")


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("andijondanman", "andijon"),
        ("xivadamiz", "xiva"),
        ("бишкектенмин", "бишкек"),
        ("таластанбыз", "талас"),
        ("павлодарданмын", "павлодар"),
        ("өскеменненбіз", "өскемен"),
        ("toshkentlikman", "toshkent"),
        ("томскіде", "томск"),
        ("bishkektegi", "bishkek"),
        ("taraztan", "taraz"),
    ],
)
def test_turkic_suffix_chains(word: str, base: str) -> None:
    assert base in turkic_stems(word)


@pytest.mark.parametrize("word", ["ishladim", "bardym", "kitobman", "жұмыспын", "менмин"])
def test_person_ending_needs_a_case_suffix(word: str) -> None:
    """A person ending alone is not cut: Kitobman is not "Kitob" + "man" as a place."""
    assert not any(len(b) >= 2 and b == word[:-3] for b in turkic_stems(word))


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("moskvada", "moskva"),
        ("samarqanddan", "samarqand"),
        ("toshkentga", "toshkent"),
        ("москвадан", "москва"),
        ("ошто", "ош"),
        ("бишкекте", "бишкек"),
        ("бишкектен", "бишкек"),
        ("алматыда", "алматы"),
        ("алматыға", "алматы"),
        ("душанберо", "душанбе"),
    ],
)
def test_turkic_suffixes(word: str, base: str) -> None:
    assert base in turkic_stems(word)


@pytest.mark.parametrize(
    ("a", "b"),
    [("Toshkent", "Ташкент"), ("Tashkent", "Ташкент"), ("Samarqand", "Самарканд"), ("Xujand", "Худжанд")],
)
def test_skeletons_meet_across_scripts(a: str, b: str) -> None:
    assert skeleton(fold(a)) == skeleton(fold(b))


def test_loads_once() -> None:
    g = gz.Gazetteer()
    assert gz.get_gazetteer() is gz.get_gazetteer()
    stats = g.stats()
    assert stats["city"] > 4000
    assert stats["country"] == len(gz.COUNTRIES)
    assert stats["admin1"] >= 120
    assert stats["site"] >= 10


def test_forget_words_empties_every_word_run_memo() -> None:
    # pipeline.forget_words relies on this: a memo of the gazetteer left out would keep the words
    # of every testimony read (the pipeline's own memo test looks only at the general one)
    g = gz.get_gazetteer()
    words = ("кривоколенная", "улица")
    g.match(words)
    g.match_station(words)
    gz._may_start(g, words[0])
    memos = [name for name, value in vars(g).items() if name.endswith("_cache")]
    assert {"_match_cache", "_station_cache"} <= set(memos)
    assert all(getattr(g, name) for name in ("_match_cache", "_station_cache"))
    gz.forget_words()
    assert [name for name in memos if getattr(g, name)] == []
    assert gz._may_start_cached.cache_info().currsize == 0


def test_frozen_start_answers_are_those_worked_out_afresh_and_reading_writes_none(monkeypatch) -> None:
    # pipeline.warm_up freezes may_start's answers for the shipped common vocabulary
    g = gz.get_gazetteer()
    monkeypatch.setattr(g, "frozen_starts", {})
    common = ["в", "Москве", "когда", "toshkentdan", "паспорт", "самарқандда", "the", "ёлка"]
    gz.freeze_common_words(common)
    assert skeleton.cache_info().currsize == 0  # the look-ups' memos emptied again
    assert set(g.frozen_starts) == {fold(w) for w in common}  # folded as the geocoder's words are
    assert g.frozen_starts["москве"] is True
    assert g.frozen_starts["когда"] is False
    assert {k: gz._may_start_uncached(g, k) for k in g.frozen_starts} == g.frozen_starts
    assert gz._may_start(g, "москве") is True
    before = dict(g.frozen_starts)
    find_places("Когда я жил в Кривоколенном переулке, в Москве, Toshkentdan keldim.")
    assert g.frozen_starts == before


def test_prebuilt_index_is_current() -> None:
    data = json.loads(gz.CITIES_PATH.read_text(encoding="utf-8"))
    from testimony.analysis.place_names import NORMALISATION_VERSION

    assert data["version"] == NORMALISATION_VERSION
    assert set(data["countries"]) == set(gz.COUNTRIES)


@pytest.mark.parametrize(
    ("name", "entry_id"),
    [
        ("Москва", "524901"),
        ("Moskva", "524901"),
        ("Маскав", "524901"),
        ("Питер", "498817"),
        ("Ленинград", "498817"),
        ("Екб", "1486209"),
        ("Тошкент", "1512569"),
        ("Россия", "RU"),
        ("Ресей", "RU"),
        ("Орусия", "RU"),
        ("Русия", "RU"),
        ("Өзбекстан", "UZ"),
        ("Ўзбекистон", "UZ"),
        ("Tojikiston", "TJ"),
        ("Kirgiziya", "KG"),
        ("Qozogʻiston", "KZ"),
        ("Подмосковье", "RU.47"),
        ("Московская область", "RU.47"),
        ("Andijon viloyati", "UZ.01"),
        ("Садовод", "site:sadovod"),
        ("Фуд Сити", "site:food-city"),
    ],
)
def test_lookup(name: str, entry_id: str) -> None:
    assert entry_id in [e.id for e in gz.get_gazetteer().lookup(name)]


def test_every_site_is_documented_and_located() -> None:
    data = json.loads(gz.SITES_PATH.read_text(encoding="utf-8"))
    assert "geonames" in data["sources"]
    assert "sites" in data["sources"]
    g = gz.get_gazetteer()
    for s in data["sites"]:
        assert s["source"]
        assert s["precision"] == "site"
        assert s["names"]
        city = g.get(s["city_geonameid"])
        assert city is not None, s["id"]
        assert city.country == s["country"], s["id"]
        assert abs(city.lat - s["lat"]) < 0.6, s["id"]
        assert abs(city.lon - s["lon"]) < 1.5, s["id"]
        assert s["admin1_id"] in g.admin1_names


def test_regions_have_english_names_and_points() -> None:
    g = gz.get_gazetteer()
    for rid, name in g.admin1_names.items():
        e = g.get(rid)
        assert name
        assert e is not None
        assert e.kind == "admin1"
        assert -90 <= e.lat <= 90
        assert -180 <= e.lon <= 180


def test_blocked_names_are_not_indexed() -> None:
    g = gz.get_gazetteer()
    assert g.lookup("May") == []
    assert g.lookup("Bank") == []


def test_common_words_are_flagged() -> None:
    g = gz.get_gazetteer()
    for key in ("шахты", "мирный", "орел", "луга", "osh"):
        assert key in g.common, key
