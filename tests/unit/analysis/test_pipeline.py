"""The analysis entry point: contract shape, consistent placeholders, places kept, coarse pins."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from testimony.analysis import geocoder, pipeline
from testimony.analysis.spans import Span

ROOT = Path(__file__).resolve().parents[3]
TEXT = (
    "Меня зовут Фаррух Холиков. 12 марта полиция задержала меня на рынке в Москве. "
    "Холикова потом отпустили, звоните +7 916 123-45-67 или пишите farrukh.h@mail.ru."
)


def test_result_follows_the_contract():
    result = pipeline.analyse(TEXT)
    assert set(result) == {"language", "redacted_text", "redactions", "places", "suggested_tags"}
    assert result["language"] == "ru"
    assert result["redactions"]  # so that the loops below check something
    assert result["places"]
    for item in result["redactions"]:
        assert set(item) == {"start", "end", "label"}
        assert 0 <= item["start"] < item["end"] <= len(TEXT)
    for place in result["places"]:
        assert set(place) == {"start", "end", "text", "name", "country", "admin1", "lat", "lon", "precision"}
        assert TEXT[place["start"] : place["end"]] == place["text"]


def test_the_same_person_gets_the_same_placeholder_and_nothing_personal_survives():
    redacted = pipeline.analyse(TEXT)["redacted_text"]
    assert "Холиков" not in redacted
    assert "Фаррух" not in redacted
    assert "916" not in redacted
    assert "mail.ru" not in redacted
    assert redacted.count("[PERSON 1]") == 2
    assert "[PHONE 1]" in redacted
    assert "[EMAIL 1]" in redacted


def test_cities_stay_and_are_placed_at_city_precision():
    result = pipeline.analyse(TEXT)
    assert "в Москве" in result["redacted_text"]
    moscow = next(place for place in result["places"] if place["name"] == "Moscow")
    assert moscow["precision"] in {"city", "site"}
    assert round(moscow["lat"], 2) == moscow["lat"]


def test_suggested_tags_come_from_the_taxonomy():
    tags = pipeline.analyse("Нас били в отделе и забрали паспорт, требовали деньги.")["suggested_tags"]
    assert {"violence", "document_confiscation", "extortion"} <= set(tags)


def test_overlaps_keep_the_longer_then_the_more_specific_span():
    spans = [Span(0, 10, "PERSON"), Span(2, 5, "PHONE"), Span(10, 20, "PHONE"), Span(10, 20, "PERSON")]
    assert pipeline.resolve_overlaps(spans) == [Span(0, 10, "PERSON"), Span(10, 20, "PHONE")]


def test_placeholders_number_each_label_by_first_mention():
    spans = [
        Span(0, 1, "PERSON", "a"),
        Span(2, 3, "PHONE", "1"),
        Span(4, 5, "PERSON", "b"),
        Span(6, 7, "PERSON", "a"),
    ]
    assert pipeline.placeholders(spans) == ["[PERSON 1]", "[PHONE 1]", "[PERSON 2]", "[PERSON 1]"]


def test_empty_text():
    assert pipeline.analyse("")["redacted_text"] == ""


@pytest.mark.parametrize("stdin", [True, False])
def test_manage_py_analyse_needs_no_database(tmp_path, stdin):
    lines = [{"id": "a", "text": TEXT}, {"id": "b", "text": "Men Toshkentdan keldim.", "language": "uz"}]
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n")
    target = tmp_path / "out.jsonl"
    env = {"DJANGO_SETTINGS_MODULE": "config.settings", "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}
    command = [
        sys.executable,
        "manage.py",
        "analyse",
        "-" if stdin else str(source),
        "-" if stdin else str(target),
    ]
    completed = subprocess.run(
        command,
        cwd=ROOT,
        input=source.read_text() if stdin else None,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=True,
    )
    output = completed.stdout if stdin else target.read_text()
    results = [json.loads(line) for line in output.splitlines()]
    assert [r["id"] for r in results] == ["a", "b"]
    assert results[1]["language"] == "uz"
    assert "Холиков" not in results[0]["redacted_text"]


def test_manage_py_analyse_refuses_a_bad_line(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text('{"text": "no id"}\n')
    completed = subprocess.run(
        [sys.executable, "manage.py", "analyse", str(source), "-"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    assert completed.returncode != 0
    assert "line 1" in completed.stderr


def _redacted_and_places(text: str) -> tuple[str, list[str]]:
    result = pipeline.analyse(text)
    return result["redacted_text"], [p["text"] for p in result["places"]]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("В отделе капитан Фролов сказал, что депортируют всех.", "Фролов"),  # Frolovo
        ("Дар шӯъба капитан Фролов гуфт, ки ҳама имзо кунанд.", "Фролов"),
        ("Бир офицер Смирнов акча сурады.", "Смирнов"),  # Smirnovo
        ("tam sidel kapitan Zhukov i skazal chto vyshlyut.", "Zhukov"),  # Zhukov, Kaluga Oblast
        ("Nobody paid us. Artyom blocked us on Telegram.", "Artyom"),  # Artyom, Primorsky Krai
        ("Следователь Королёв забрал паспорт.", "Королёв"),  # Korolyov, Moscow Oblast
    ],
)
def test_a_surname_that_is_also_a_small_town_is_a_person(text, name):
    redacted, places = _redacted_and_places(text)
    assert name not in redacted
    assert name not in places


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Меня задержали во Фролове, потом увезли.", "Фролове"),
        ("Мы приехали из Королёва на автобусе.", "Королёва"),
        ("Брат живёт в Королёве, работает на складе.", "Королёве"),
        ("Капитан приехал из Фролово утром.", "Фролово"),
        ("Kopchulugu Toktogul jana Kara-Kuldan, biz 14 kishi elek.", "Toktogul"),
        ("Аялым Асел жана кызым Ошто калышкан.", "Ошто"),  # Osh, in the locative
        ("Работали мы долго, Киров нам не понравился.", "Киров"),
        ("Приехал друг Киров из Москвы.", "Киров"),  # a city of 500 000 or more stays a city
    ],
)
def test_a_town_in_a_place_like_context_stays_a_place(text, town):
    redacted, places = _redacted_and_places(text)
    assert town in redacted
    assert town in places


def test_a_name_guessed_across_a_username_yields_to_the_handle():
    text = "Telefon +7 (987) 296-31-08, Instagram bekzod.taxi.kzn."
    result = pipeline.analyse(text)
    assert result["redacted_text"] == "Telefon [PHONE 1], Instagram [HANDLE 1]."


@pytest.mark.parametrize(
    ("text", "name", "city"),
    [
        ("Ұлым Арман Хабаровскіде жүрген.", "Арман", "Хабаровскіде"),
        ("Akam Baxtiyor Chelnida qurilishda ishlaydi.", "Baxtiyor", "Chelnida"),
    ],
)
def test_a_name_run_on_into_a_large_city_stops_before_it(text, name, city):
    result = pipeline.analyse(text)
    assert name not in result["redacted_text"]
    assert city in result["redacted_text"]
    assert any(p["text"] == city for p in result["places"])


def test_a_surname_after_a_given_name_is_still_redacted_whole():
    # given: a surname that is no city at all
    result = pipeline.analyse("Ұлым Арман Сейтқалиев жұмыста.")
    # then
    assert "Арман" not in result["redacted_text"]
    assert "Сейтқалиев" not in result["redacted_text"]


@pytest.mark.parametrize(
    ("text", "language", "name"),
    [
        ("u yerda serjant Valiullin meni haydadi", "uz", "Valiullin"),
        ("Voenkom Kurochkin dedi", "ky", "Kurochkin"),
        ("Дар он ҷо посбон Жуковский ӯро ҳар шаб мезад", "tg", "Жуковский"),
        ("Полициячи Дмитров бизни урди", "uz", "Дмитров"),
    ],
)
def test_a_role_word_makes_a_town_shaped_surname_a_person(text, language, name):
    assert name not in pipeline.analyse(text, language_hint=language)["redacted_text"]


@pytest.mark.parametrize(
    ("text", "town"),
    [
        ("Я живу в Кирове, майор сказал", "Кирове"),
        ("Мы из Дмитрова, работали в Москве", "Дмитрова"),
        ("Men Jukovskiyda ishladim", "Jukovskiyda"),
    ],
)
def test_the_same_towns_stay_places_elsewhere(text, town):
    assert town in pipeline.analyse(text)["redacted_text"]


def _place(text: str, surface: str) -> geocoder.Place:
    start = text.index(surface)
    return geocoder.Place(start, start + len(surface), surface, surface, "RU", "", 57.9, 59.9, "city")


@pytest.mark.parametrize(
    ("text", "town", "guess", "kept"),
    [
        # a guess that starts inside the town and runs past it keeps only what follows the town
        ("Ман дар Нижний Тагил Ронанда кор мекардам", "Нижний Тагил", "Тагил Ронанда", "Ронанда"),
        ("Ман дар Нижний Тагил, Ронанда кор мекардам", "Нижний Тагил", "Тагил, Ронанда", "Ронанда"),
        # one that ends inside it keeps only what comes before
        ("Арман Хабаровскіде жұмыс істеді", "Хабаровскіде", "Арман Хабаровскіде", "Арман"),
    ],
)
def test_a_name_overlapping_a_town_keeps_only_its_part_outside(monkeypatch, text, town, guess, kept):
    monkeypatch.setattr(geocoder, "place_reading_wins", lambda *args: True)
    start = text.index(guess)
    span = Span(start, start + len(guess), "PERSON")

    [out] = pipeline._without_places(text, [span], [_place(text, town)])

    assert text[out.start : out.end] == kept


def test_a_name_wholly_on_a_town_and_its_punctuation_is_dropped(monkeypatch):
    monkeypatch.setattr(geocoder, "place_reading_wins", lambda *args: True)
    text = "Из Нижний Тагил, потом домой"
    start = text.index("Тагил")
    span = Span(start, start + len("Тагил,"), "PERSON")

    assert pipeline._without_places(text, [span], [_place(text, "Нижний Тагил")]) == []


@pytest.mark.parametrize(
    ("text", "score", "dropped"),
    [
        # a guess from the word's shape alone yields to a town beside it: the name runs on into it
        ("Akam Naberejniye Chelni zavodida.", 0.6, True),
        ("Akam Naberejniye, Chelni zavodida.", 0.6, False),  # not across punctuation
        ("Akam Naberejniye Chelni zavodida.", 1.0, False),  # a firm name yields only to a town it is on
    ],
)
def test_a_shape_guess_yields_to_a_town_it_touches(text, score, dropped):
    start = text.index("Naberejniye")
    span = Span(start, start + len("Naberejniye"), "PERSON", score=score)

    out = pipeline._without_places(text, [span], [_place(text, "Chelni")])

    assert out == ([] if dropped else [span])


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # named by a cue where no town competes, then in a case a town takes too
        ("Ершов деген капитан келди. Ершовқа ақша бердік.", "Ершовқа"),
        ("Капитан Сафонов кетти. Биз Сафоновго акча бердик.", "Сафоновго"),
    ],
)
def test_a_person_named_elsewhere_stays_a_person_in_a_case_a_town_takes(text, name):
    result = pipeline.analyse(text)
    assert name not in result["redacted_text"]
    assert result["places"] == []


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # a word that says "town" still makes it one
        ("Капитан Сафонов бизди кармады. Анан биз Сафоново шаарына бардык.", "Safonovo"),
        # a hyphenated town is no surname, whatever key a guess gave it
        ("Мен Чолпон-Атаданмын. Чолпон эжем менен сүйлөштүм. Чолпон-Атага бардык.", "Cholpon-Ata"),
    ],
)
def test_a_town_said_to_be_one_stays_a_place_beside_a_namesake(text, town):
    result = pipeline.analyse(text)
    assert town in [place["name"] for place in result["places"]]
