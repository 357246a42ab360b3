"""``manage.py load_demo``: the intake demo as before, plus made-up reviewed reports for the evidence side."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from testimony.crypto import age, padding
from testimony.crypto.atrest import unseal
from testimony.crypto.keys import load_intake_identity
from testimony.intake.management.commands import load_demo
from testimony.intake.models import Message, Submission
from testimony.intake.report import validate_report
from testimony.processing.reports import GAZETTEER_CITIES_PATH, report_region
from testimony.review.models import Report, ReportTag
from testimony.review.search import indexed_text, search_filter
from testimony.review.similar import text_fingerprint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _taxonomy(seeded_taxonomy):
    """The demo tags its reports with the migration's taxonomy."""


def _load(count: int) -> str:
    out = io.StringIO()
    call_command("load_demo", evidence_reports=count, stdout=out)
    return out.getvalue()


def test_the_intake_demo_still_comes_with_receipts_and_a_message():
    output = _load(0)
    assert output.count("receipt") == 3
    assert Submission.objects.count() == 3
    assert Message.objects.count() == 1
    assert not Report.objects.filter(submission__receipt_lookup__startswith="demo-").exists()


def test_the_evidence_demo_spreads_over_the_dimensions_the_dashboard_counts():
    output = _load(80)
    assert "80 made-up reviewed reports" in output
    demo = Report.objects.filter(submission__receipt_lookup__startswith="demo-")
    assert demo.count() == 80
    assert demo.filter(state="verified").count() >= 60
    assert len(set(demo.values_list("region", flat=True)) - {""}) >= 6
    assert len(set(demo.values_list("nationality", flat=True)) - {""}) >= 4
    assert set(demo.values_list("kind", flat=True)) == {"raid", "detention", "recruitment", "other"}
    assert len(set(demo.values_list("event_month", flat=True))) >= 10
    assert len({code for codes in demo.values_list("perpetrators", flat=True) for code in codes}) >= 6
    assert ReportTag.objects.filter(report__in=demo, status="accepted").count() >= 60
    # As the worker would have stored them: the region follows the rule, the text opens.
    for report in demo:
        assert report.region == report_region(
            country=report.country, place_id=report.place, places=report.places
        )
        payload = json.loads(unseal(bytes(report.text_sealed), context=f"report.text:{report.pk}"))
        text = payload["account"]["redacted_text"]
        for place in payload["account"]["places"]:
            assert text[place["start"] : place["end"]] == place["text"]
        for item in payload["account"]["redactions"]:
            assert text[item["start"] : item["end"]] == item["placeholder"]
        # indexed and fingerprinted as the worker does (review.search.report_text_index)
        assert report.text_fingerprint == text_fingerprint(indexed_text(payload))
        longest = max((word for word in text.split() if word.isalpha()), key=len)
        assert search_filter(demo, longest).filter(pk=report.pk).exists()


def test_the_evidence_demo_originals_are_real_ciphertexts_of_valid_made_up_reports():
    _load(20)
    identity = load_intake_identity()
    for submission in Submission.objects.filter(receipt_lookup__startswith="demo-"):
        original = padding.unpad_report(age.decrypt(bytes(submission.report_ciphertext), identity))
        assert validate_report(original, today=submission.received_on) == []
        assert original["citizenship"] == submission.report.nationality
        assert "[PERSON" not in original["account"]
        assert "[PHONE" not in original["account"]


def test_a_reviewer_can_open_a_demo_report(personas, console_client):
    _load(5)
    report = Report.objects.filter(submission__receipt_lookup__startswith="demo-").first()
    response = console_client(personas["reviewer"]).get(reverse("console:report", args=[report.pk]))
    assert response.status_code == 200


def test_nothing_is_loaded_twice():
    _load(5)
    assert "nothing loaded" in _load(5)
    assert Submission.objects.count() == 8


def test_the_demo_places_are_what_the_gazetteer_says():
    rows = {row[0]: row for row in json.loads(GAZETTEER_CITIES_PATH.read_text(encoding="utf-8"))["cities"]}
    for gid, _phrase, name, country, admin1, lat, lon, _weight in load_demo._PLACES:
        row = rows[gid]
        assert row[2] == country
        assert abs(row[4] - lat) < 0.01, name
        assert abs(row[5] - lon) < 0.01, name
        coarse = {
            "name": name,
            "country": country,
            "admin1": admin1,
            "lat": lat,
            "lon": lon,
            "precision": "city",
        }
        region = report_region(country=country, place_id=gid, places=[])
        assert region, name
        assert report_region(country=country, place_id="", places=[coarse]) == region, name
