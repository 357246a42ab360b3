"""Covering indexes for the evidence aggregates, in place of the narrower one of 0005.

``evidence.aggregates`` counts reports in some states (often over a range of months) grouped by
region, kind, country, citizenship, month, perpetrators or accepted tags, within the user's
caseloads. With every column it reads in an index, PostgreSQL counts from the index alone and
never reads the table's wide rows (sealed text): ``report_evidence`` (narrow, by month) for the
single-valued dimensions, ``report_evidence_by_id`` (with the perpetrator lists, in report id
order) for perpetrators and for a merge join with ``report_tag_accepted``. Measured with
``manage.py bench_evidence_aggregates`` on 1,000,000 reports. SQLite ignores ``include``.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("review", "0006_report_region_backfill")]

    operations = [
        migrations.RemoveIndex(model_name="report", name="report_evidence"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["state", "event_month"],
                include=("region", "kind", "country", "nationality", "caseload"),
                name="report_evidence",
            ),
        ),
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
                    "perpetrators",
                ),
                name="report_evidence_by_id",
            ),
        ),
        migrations.AddIndex(
            model_name="reporttag",
            index=models.Index(
                condition=models.Q(status="accepted"), fields=["report", "tag"], name="report_tag_accepted"
            ),
        ),
    ]
