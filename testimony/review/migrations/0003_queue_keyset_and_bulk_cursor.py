"""The queue: keyset index, JSON GIN indexes on PostgreSQL (place and suggested-tag filters), bulk cursor."""

from django.db import migrations, models

# jsonb_path_ops serves ``@>`` only, which is all the queue filters use, and is smaller than the
# default operator class. SQLite has no such index; its json_each filter scans (fine at test sizes).
GIN_INDEXES = [
    ("report_places_gin", "places"),
    ("report_suggested_tags_gin", "suggested_tags"),
]


def create_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in GIN_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON review_report USING gin ({column} jsonb_path_ops)"
        )


def drop_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _column in GIN_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_console"),
    ]

    operations = [
        migrations.AddField(
            model_name="bulkjob",
            name="cursor",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(fields=["-received_on", "-submission"], name="report_queue_keyset"),
        ),
        migrations.RunPython(create_gin, drop_gin),
    ]
