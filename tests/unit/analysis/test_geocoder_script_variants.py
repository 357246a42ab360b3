"""Towns written in the other script than GeoNames gives them: home-country towns known only by
Latin names, written and declined in Russian Cyrillic (из Денау, в Гиждуване, Ноокаттан); Russian
towns typed in Latin letters with a case ending (v Egorevske) or an adjective spelt otherwise
(Stariy Oskol). With the look-alikes: a derived spelling never takes a name from the town that
owns it (Нарын, Айни), nor swallows a Kyrgyz vowel before a case ending (Ulyanovskide)."""

from __future__ import annotations

import pytest

from testimony.analysis.gazetteer import latin_adjective_variants, script_variants
from testimony.analysis.geocoder import find_places
from testimony.analysis.place_names import ru_cyrillic_of_latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Gizhduvan", "гиждуван"),
        ("Denau", "денау"),
        ("Nookat", "ноокат"),
        ("Tamchy", "тамчы"),
        ("Kyzyl-Kiya", "кызыл кия"),
        ("Yegor’yevsk", "егорьевск"),
        ("Aykol", "айкол"),
    ],
)
def test_russian_romanisation_read_back(latin, cyrillic):
    assert ru_cyrillic_of_latin(latin) == cyrillic


@pytest.mark.parametrize("latin", ["Qo'qon", "Farg‘ona", "Victoria", "Xonqa", "Jizzax", "Osh", "Нарын"])
def test_other_spellings_not_read_back(latin):
    # Uzbek Latin (q, x, o‘, g‘), English c, names too short to tell, and Cyrillic are left alone
    assert ru_cyrillic_of_latin(latin) == ""


def test_script_variants_only_for_the_core_countries():
    denov = {"name": "Denov", "countrycode": "UZ", "alternatenames": ["Denau"]}
    assert "денау" in script_variants(denov, ["Denov", "Denau"])
    ghazni = {"name": "Ghazni", "countrycode": "AF", "alternatenames": []}
    assert script_variants(ghazni, ["Ghazni"]) == []
    yegoryevsk = {"name": "Yegor’yevsk", "countrycode": "RU", "alternatenames": ["Егорьевск"]}
    assert "egorevsk" in script_variants(yegoryevsk, ["Yegor’yevsk", "Егорьевск"])
    # not the short adjective, which would meet "Ulyanovsk" + Kyrgyz "-ide" cut at the wrong place
    botakara = {"name": "Botaqara", "countrycode": "RU", "alternatenames": ["Ульяновский"]}
    assert "ulyanovski" not in script_variants(botakara, ["Botaqara", "Ульяновский"])


def test_adjective_spelt_otherwise_in_any_word():
    assert "stariy oskol" in latin_adjective_variants("staryy oskol")
    assert "nizhny novgorod" in latin_adjective_variants("nizhniy novgorod")
    assert latin_adjective_variants("oskol") == []


def _named(text: str, span: str) -> tuple[str, str] | None:
    for p in find_places(text):
        if p.text == span:
            return p.name, p.country
    return None


@pytest.mark.parametrize(
    ("text", "span", "name", "country"),
    [
        ("Мама в Гиждуване плачет каждый день.", "Гиждуване", "G’ijduvon Shahri", "UZ"),
        ("Я мать, Мамлакат, из Денау. Телефон есть.", "Денау", "Denov", "UZ"),
        ("Агамдын жубайы Сезим Ноокаттан, тел бар.", "Ноокаттан", "Nookat", "KG"),
        ("Protokol besedy s zaderzhannym v Egorevske. Rahimov", "Egorevske", "Yegor’yevsk", "RU"),
        ("Pesh az in dar Stariy Oskol budem, boshliq Grisha.", "Stariy Oskol", "Staryy Oskol", "RU"),
    ],
)
def test_town_in_the_other_script(text, span, name, country):
    assert _named(text, span) == (name, country)


@pytest.mark.parametrize(
    ("text", "span", "name", "country"),
    [
        # derived Latin "Naryn" of Tash-Kumyr and Haqqulobod must not compete with Naryn's own name
        ("Тамакка бешбармак болот, Нарындан келген ашпозчулар даярдайт.", "Нарындан", "Naryn", "KG"),
        # Zafarobod was once Ayni: Айнӣ's own name (written plain) stays its alone
        ("Я родился 3 февраля 1990 в Айни. В армии не служил.", "Айни", "Ayní", "TJ"),
        ("Ata-enem Talastan, men Ulan, Ulyanovskide zavoddo ishteim.", "Ulyanovskide", "Ulyanovsk", "RU"),
    ],
)
def test_derived_spelling_takes_no_town_from_its_owner(text, span, name, country):
    assert _named(text, span) == (name, country)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Октябрда Москвага кеттим.", "Октябрда"),  # "in October", not Oktyabr' (its own Октябрь)
        ("Abai Qunanbaiuly olen zhazdy.", "Abai"),  # the poet; the town keeps its own Abay
        ("Амир Темур хайкали олдида учрашдик.", "Амир Темур"),  # the statue of the man
    ],
)
def test_no_spelling_derived_from_a_word_or_a_person(text, span):
    assert [p.text for p in find_places(text) if p.text == span] == []


def test_village_named_like_the_country_keeps_no_derived_spelling():
    places = find_places("ya grazhdanin Kazahstana, iz Shymkenta.")
    assert [p.precision for p in places if p.text == "Kazahstana"] in ([], ["country"])


@pytest.mark.parametrize(
    ("text", "span", "name"),
    [
        # an adjective's case: в Дзержинском is Dzerzhinsky (Дзержинский), не Dzerzhinsk (в Дзержинске)
        ("Работали на складе в Дзержинском, смена по 12 часов.", "Дзержинском", "Dzerzhinsky"),
        ("Живу под Дзержинском уже год.", "Дзержинском", "Dzerzhinsk"),  # the noun's instrumental
        # a case form that is a small village's name (Кирове, Ukraine): the declined city is larger
        ("Мы жили в Кирове два года.", "Кирове", "Kirov"),
        ("Мы в Пушкино живём.", "Пушкино", "Pushkino"),
    ],
)
def test_declined_reading(text, span, name):
    assert [p.name for p in find_places(text) if p.text == span] == [name]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("shoxrux shaxrixonlik, 2002 g.r., toliq ismi bor", "shaxrixonlik"),  # Shahrixon with x for h
        ("akam Shaxrixonda yashaydi", "Shaxrixonda"),
    ],
)
def test_uzbek_x_and_h_written_for_each_other(text, span):
    assert [p.name for p in find_places(text) if p.text == span] == ["Shahrixon"]


def test_x_h_swap_leaves_digraphs_alone():
    shahrixon = {"name": "Shahrixon", "countrycode": "UZ", "alternatenames": []}
    variants = script_variants(shahrixon, ["Shahrixon", "Farghona"])
    assert "shaxrixon" in variants
    assert "fargxona" not in variants
