"""Report.perpetrator_mask: the perpetrator codes as a bitmask (review.models.reports.PERPETRATOR_BITS).

The evidence aggregates count perpetrators by grouping on this integer, read from the narrow
covering index ``report_evidence`` (now including it), instead of unnesting the JSON lists.
Existing rows are filled here: on PostgreSQL by one UPDATE over the JSON lists (``?`` tests a
code), elsewhere row by row in Python. Later writes keep it in step (``PerpetratorMaskField``).
"""

from django.db import migrations, models

# Frozen copy of PERPETRATOR_BITS as of this migration (the order never changes).
BITS = (
    "police",
    "migration_service",
    "rosgvardia",
    "fsb",
    "military_recruiters",
    "detention_staff",
    "employer",
    "other",
    "unknown",
)


def fill_masks(apps, schema_editor):
    Report = apps.get_model("review", "Report")
    table = Report._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        terms = " + ".join(
            f"(CASE WHEN perpetrators ? %s THEN {1 << i} ELSE 0 END)" for i in range(len(BITS))
        )
        schema_editor.execute(
            f"UPDATE {table} SET perpetrator_mask = {terms} WHERE jsonb_typeof(perpetrators) = 'array'",  # noqa: S608
            list(BITS),
        )
        return
    for pk, codes in Report.objects.values_list("pk", "perpetrators").iterator():
        mask = sum(1 << BITS.index(code) for code in set(codes or ()) if code in BITS)
        if mask:
            Report.objects.filter(pk=pk).update(perpetrator_mask=mask)


class Migration(migrations.Migration):
    dependencies = [("review", "0007_evidence_indexes")]

    operations = [
        migrations.AddField(
            model_name="report", name="perpetrator_mask", field=models.IntegerField(default=0)
        ),
        migrations.RunPython(fill_masks, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="report", name="report_evidence"),
        migrations.RemoveIndex(model_name="report", name="report_evidence_by_id"),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=["state", "event_month"],
                include=("region", "kind", "country", "nationality", "caseload", "perpetrator_mask"),
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
                    "perpetrator_mask",
                ),
                name="report_evidence_by_id",
            ),
        ),
    ]
