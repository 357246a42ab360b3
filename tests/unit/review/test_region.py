"""Report.region follows a reviewer's corrections of the places, as the worker derived it."""

from __future__ import annotations

import pytest

from testimony.review.models import Report
from testimony.review.services.reports import report_place_choose, report_redaction_add, text_version

pytestmark = pytest.mark.django_db

TEXT = "Нас задержали в Кировске у общежития."
KIROVSK_MURMANSK = "548391"
KIROVSK_LENINGRAD = "548392"
KHRESTIVKA_UA = "705797"  # another reading of the same word, outside Russia


@pytest.fixture
def report(report_factory):
    start = TEXT.index("Кировске")
    place = {
        "start": start, "end": start + len("Кировске"), "text": "Кировске", "name": "Kirovsk",
        "country": "RU", "admin1": "Murmansk Oblast", "lat": 67.61, "lon": 33.67, "precision": "city",
    }  # fmt: skip
    row = report_factory(text=TEXT, redactions=[], places=[place])
    Report.objects.filter(pk=row.pk).update(region="RU.49")
    row.refresh_from_db()
    return row


def _choose(report, personas, entry_id):
    report_place_choose(
        actor=personas["reviewer"], report=report, index=0, entry_id=entry_id, version=text_version(report)
    )
    report.refresh_from_db()
    return report


def test_choosing_a_reading_in_another_region_moves_the_report_there(report, personas):
    assert _choose(report, personas, KIROVSK_LENINGRAD).region == "RU.42"
    assert report.places[0]["admin1"] == "Leningrad Oblast"
    assert _choose(report, personas, KIROVSK_MURMANSK).region == "RU.49"


def test_choosing_a_reading_outside_the_reports_country_leaves_no_region(report, personas):
    assert _choose(report, personas, KHRESTIVKA_UA).region == ""


def test_a_region_picked_on_the_form_stays_whatever_the_text_says(report, personas):
    Report.objects.filter(pk=report.pk).update(place="RU.48", region="RU.48")
    report.refresh_from_db()
    assert _choose(report, personas, KIROVSK_LENINGRAD).region == "RU.48"


def test_redacting_the_only_place_clears_the_region(report, personas):
    report_redaction_add(
        actor=personas["reviewer"], report=report, label="ADDRESS", words="в Кировске",
        version=text_version(report),
    )  # fmt: skip
    report.refresh_from_db()
    assert report.places == []
    assert report.region == ""
