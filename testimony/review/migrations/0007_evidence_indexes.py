"""A covering index for the evidence aggregates, in place of the narrower one of 0005.

``evidence.aggregates`` counts reports in some states (often over a range of months) grouped by
region, kind, country, citizenship, month or perpetrators, within the user's caseloads, and joins
tags by report id: with all of those in the index, PostgreSQL counts from the index alone and never
reads the table's wide rows (measured with ``manage.py bench_evidence_aggregates`` on 1,000,000
reports). SQLite ignores ``include`` and gets a plain (state, event_month) index.
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
                include=(
                    "region",
                    "kind",
                    "country",
                    "nationality",
                    "caseload",
                    "perpetrators",
                    "submission",
                ),
                name="report_evidence_cover",
            ),
        ),
    ]
