"""Report.perpetrator_mask, which the aggregates count perpetrators by, always matches the list."""

from __future__ import annotations

import pytest

from testimony.intake.choices import PERPETRATOR_CODES
from testimony.review.models import Report
from testimony.review.models.reports import PERPETRATOR_BITS, perpetrator_mask

pytestmark = pytest.mark.django_db


def test_every_perpetrator_code_has_a_bit():
    # A code without a bit would silently drop out of every perpetrator count.
    assert set(PERPETRATOR_BITS) == set(PERPETRATOR_CODES)
    assert len(PERPETRATOR_BITS) == len(set(PERPETRATOR_BITS))


def test_mask_of_codes():
    assert perpetrator_mask([]) == 0
    assert perpetrator_mask(["police", "police"]) == 1
    assert perpetrator_mask(["fsb", "unknown"]) == (1 << 3) | (1 << 8)


def test_save_and_bulk_create_store_the_mask(report_factory):
    # given a report saved with one list, then another
    report = report_factory(kind="raid")
    report.perpetrators = ["fsb", "employer"]
    report.save(update_fields=["perpetrators"])
    # then the stored mask follows
    assert Report.objects.get(pk=report.pk).perpetrator_mask == perpetrator_mask(["fsb", "employer"])

    # and a row written by bulk_create (the seeders) gets its mask too
    source = Report.objects.get(pk=report.pk)
    other = report_factory(kind="raid")
    Report.objects.filter(pk=other.pk).delete()
    source.pk = other.pk
    source.submission_id = other.pk
    source.perpetrators = ["police", "rosgvardia"]
    source.perpetrator_mask = 0
    Report.objects.bulk_create([source])
    assert Report.objects.get(pk=other.pk).perpetrator_mask == perpetrator_mask(["police", "rosgvardia"])
