"""Report.region and Report.nationality: the rule, what the worker stores, and the backfill."""

import importlib

import pytest

from testimony.crypto import age, padding
from testimony.intake.models import Submission
from testimony.intake.places import form_places
from testimony.intake.services import submission_create_encrypted
from testimony.processing import failures, tasks
from testimony.processing.reports import report_region
from testimony.review.models import Report
from tests.conftest import valid_report

backfill = importlib.import_module("testimony.review.migrations.0006_report_region_backfill")


def _text_place(name, country, admin1, precision="city"):
    return {
        "name": name,
        "country": country,
        "admin1": admin1,
        "lat": 0.0,
        "lon": 0.0,
        "precision": precision,
    }


MOSCOW = _text_place("Moscow", "RU", "Moscow (federal city)")
BALASHIKHA = _text_place("Balashikha", "RU", "Moscow Oblast")
OSH = _text_place("Osh", "KG", "Osh Region")


# --- the rule -------------------------------------------------------------------------------------


def test_a_region_picked_on_the_form_is_the_region():
    assert report_region(country="RU", place_id="RU.47", places=[MOSCOW]) == "RU.47"


@pytest.mark.parametrize(
    ("country", "city", "region"),
    [
        ("RU", "524901", "RU.48"),
        ("RU", "498817", "RU.66"),
        ("UZ", "1512569", "UZ.13"),
        ("TJ", "1514879", "TJ.03"),
        ("KZ", "1518980", "KZ.1537272"),
    ],
)
def test_a_city_picked_on_the_form_gives_its_region(country, city, region):
    assert report_region(country=country, place_id=city, places=[]) == region


def test_without_a_form_place_the_first_text_place_in_the_country_gives_the_region():
    assert report_region(country="RU", place_id="", places=[BALASHIKHA, MOSCOW]) == "RU.47"


def test_text_places_in_another_country_are_skipped():
    # "I am from Osh; they took us in Balashikha": the events are in Russia, as the form says.
    assert report_region(country="RU", place_id="", places=[OSH, BALASHIKHA]) == "RU.47"
    assert report_region(country="RU", place_id="", places=[OSH]) == ""


def test_a_country_level_place_names_no_region_but_a_site_or_region_does():
    russia = _text_place("Russia", "RU", "", precision="country")
    assert report_region(country="RU", place_id="", places=[russia]) == ""
    site = _text_place("Sakharovo", "RU", "Moscow (federal city)", precision="site")
    assert report_region(country="RU", place_id="", places=[russia, site]) == "RU.48"
    region = _text_place("Moscow Oblast", "RU", "Moscow Oblast", precision="admin1")
    assert report_region(country="RU", place_id="", places=[region]) == "RU.47"


def test_nothing_known_is_the_empty_region():
    assert report_region(country="RU", place_id="", places=[]) == ""
    assert report_region(country="other", place_id="", places=[MOSCOW]) == ""
    assert report_region(country="RU", place_id="", places=[_text_place("X", "RU", "Atlantis")]) == ""


def test_a_form_place_outside_the_country_falls_back_to_the_text():
    # Validation refuses this at intake; stored rows are read as they are.
    assert report_region(country="UZ", place_id="524901", places=[]) == ""
    assert report_region(country="RU", place_id="UZ.13", places=[MOSCOW]) == "RU.48"


def test_every_place_on_the_form_has_a_region_in_its_country():
    form = form_places()
    for country, items in form.items():
        for item in items:
            region = report_region(country=country, place_id=item["id"], places=[])
            assert region.startswith(country + "."), (country, item["id"])


# --- the worker -----------------------------------------------------------------------------------


def _processed(report: dict) -> Submission:
    ciphertext = age.encrypt_to_intake(padding.pad_report(report))
    submission = submission_create_encrypted(report_ciphertext=ciphertext, upload_claims=[]).submission
    tasks.process_submission(submission_id=str(submission.id))
    submission.refresh_from_db()
    return submission


@pytest.mark.django_db
def test_the_worker_stores_the_form_region_and_the_citizenship():
    report = valid_report(citizenship="TJ")
    report["where"] = {"country": "RU", "place": "RU.47", "details": ""}
    submission = _processed(report)
    row = Report.objects.get(submission=submission)
    assert (row.region, row.nationality) == ("RU.47", "TJ")


@pytest.mark.django_db
def test_the_worker_takes_the_region_from_the_text_and_leaves_nationality_empty_when_not_given():
    report = valid_report(account="Нас задержали в Балашихе у общежития, я родом из Оша.")
    report["where"] = {"country": "RU", "place": "", "details": ""}
    report.pop("citizenship", None)  # a report sent before the question existed
    row = Report.objects.get(submission=_processed(report))
    assert (row.region, row.nationality) == ("RU.47", "")


@pytest.mark.django_db
def test_the_worker_stores_no_region_when_nothing_names_one():
    report = valid_report(account="Проверяли документы у всех, кто выходил.", citizenship="")
    report["where"] = {"country": "RU", "place": "", "details": ""}
    row = Report.objects.get(submission=_processed(report))
    assert (row.region, row.nationality) == ("", "")


@pytest.mark.django_db
def test_an_unknown_citizenship_in_a_browser_encrypted_report_fails_it():
    submission = _processed(valid_report(citizenship="Uzbek"))
    assert submission.status == Submission.Status.FAILED
    assert submission.failure_reason == failures.INVALID_REPORT
    assert not Report.objects.filter(submission=submission).exists()


# --- the backfill (migration review/0006) ---------------------------------------------------------


def test_the_backfill_rule_agrees_with_the_workers_for_every_form_place_and_region_name():
    tables = backfill.region_tables()
    form = form_places()
    checked = 0
    for country, items in form.items():
        for item in items:
            for other in (country, "RU", "other"):
                assert backfill.region_of(
                    tables, country=other, place_id=item["id"], places=[]
                ) == report_region(country=other, place_id=item["id"], places=[])
            if item["kind"] == "region":
                place = _text_place("x", country, item["names"]["en"])
                frozen = backfill.region_of(tables, country=country, place_id="", places=[place])
                assert frozen == report_region(country=country, place_id="", places=[place]) == item["id"]
            checked += 1
    assert checked > 300
    for places in ([OSH, BALASHIKHA], [MOSCOW], [], [_text_place("Russia", "RU", "", "country")]):
        assert backfill.region_of(tables, country="RU", place_id="", places=places) == report_region(
            country="RU", place_id="", places=places
        )


@pytest.mark.django_db
def test_the_backfill_fills_regions_of_existing_reports_and_keeps_set_ones(report_factory, monkeypatch):
    from django.apps import apps

    monkeypatch.setattr(backfill, "BATCH", 2)  # several keyset pages
    from_text = report_factory(text="Нас задержали в Москве.")  # the fixture's admin1 is "Moscow"
    Report.objects.filter(pk=from_text.pk).update(places=[BALASHIKHA], region="", nationality="")
    from_form = report_factory(text="Без места.")
    Report.objects.filter(pk=from_form.pk).update(place="524901", places=[], region="")
    unknown = report_factory(text="Без места.")
    Report.objects.filter(pk=unknown.pk).update(places=[OSH], region="")
    kept = report_factory(text="Без места.")
    Report.objects.filter(pk=kept.pk).update(place="524901", region="RU.66")
    extra = [report_factory(text="Без места.") for _ in range(3)]
    Report.objects.filter(pk__in=[r.pk for r in extra]).update(place="RU.47", region="")

    backfill.fill_regions(apps, None)

    regions = dict(Report.objects.values_list("pk", "region"))
    assert regions[from_text.pk] == "RU.47"
    assert regions[from_form.pk] == "RU.48"
    assert regions[unknown.pk] == ""
    assert regions[kept.pk] == "RU.66"
    assert all(regions[r.pk] == "RU.47" for r in extra)
    assert Report.objects.get(pk=from_text.pk).nationality == ""


@pytest.mark.django_db
def test_the_backfill_reads_no_data_when_nothing_needs_filling(report_factory, monkeypatch):
    from django.apps import apps

    report = report_factory(text="Без места.")
    Report.objects.filter(pk=report.pk).update(region="RU.48")

    def refuse():
        raise AssertionError("the data files were read")

    monkeypatch.setattr(backfill, "region_tables", refuse)
    backfill.fill_regions(apps, None)
    assert Report.objects.get(pk=report.pk).region == "RU.48"
