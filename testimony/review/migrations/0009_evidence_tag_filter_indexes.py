"""Indexes for the evidence aggregates' tag filter; the perpetrator lists leave the by-id index.

A table filtered by a tag (and its sub-tags) joins the reports, in report id order from
``report_evidence_by_id``, to the accepted tags of those ids. ``report_tag_accepted_by_tag``
gives the report ids of a few tags from the index alone (sorted for a merge join, or looked up
one by one for a rare tag) instead of reading the tag rows. The perpetrator filter now tests
``perpetrator_mask`` (in both evidence indexes), so nothing reads the JSON lists from
``report_evidence_by_id`` any more: without them it is ~40% smaller, and every scan of it
(tag tables, tag filters) reads that much less. Measured with ``manage.py
bench_evidence_aggregates`` on 1,000,000 reports. SQLite ignores ``include``.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("review", "0008_report_perpetrator_mask")]

    operations = [
        migrations.RemoveIndex(model_name="report", name="report_evidence_by_id"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["state", "submission"],
                include=(
                    "event_month",
                    "region",
                    "kind",
                    "country",
                    "nationality",
                    "caseload",
                    "perpetrator_mask",
                ),
                name="report_evidence_by_id",
            ),
        ),
        migrations.AddIndex(
            model_name="reporttag",
            index=models.Index(
                condition=models.Q(status="accepted"),
                fields=["tag", "report"],
                name="report_tag_accepted_by_tag",
            ),
        ),
    ]
