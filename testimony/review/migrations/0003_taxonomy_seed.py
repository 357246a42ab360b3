"""Taxonomy version 1: the tags of testimony/review/data/taxonomy_seed.json (see the README there)."""

from django.db import migrations


def seed(apps, schema_editor):
    from testimony.review.services.taxonomy import seed_taxonomy

    seed_taxonomy(apps.get_model("review", "Tag"), apps.get_model("review", "TaxonomyVersion"))


class Migration(migrations.Migration):
    dependencies = [("review", "0002_console")]

    # Reversing keeps the tags: reports may carry them, and they are never deleted.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
