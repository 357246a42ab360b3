"""The queue's counts per caseload, state and assignee (``ReportCount``), kept by triggers.

The table only: the triggers on ``review_report`` and the first count are installed after every
``migrate`` by ``services.report_counts.report_counts_install`` (``post_migrate``), because SQLite
drops a table's triggers whenever a later migration rebuilds that table. Going back drops the
triggers before the table, or every write to a report would fail on the missing table.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# Frozen copy of the trigger names of services.report_counts as of this migration.
TRIGGERS = ("review_reportcount_insert", "review_reportcount_update", "review_reportcount_delete")


def drop_triggers(apps, schema_editor):
    for name in TRIGGERS:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON review_report")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")
        else:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_user_organisation_unless_administrator"),
        ("review", "0010_taxonomy_huridocs_codes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReportCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("state", models.CharField(max_length=12)),
                ("n", models.IntegerField()),
                (
                    "assignee",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "caseload",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="accounts.caseload",
                    ),
                ),
            ],
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_triggers),
    ]
