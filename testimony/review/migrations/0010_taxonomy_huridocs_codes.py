"""HURIDOCS "Types of Acts" codes for the seeded tags, on databases seeded before they were known.

Migration 0003 reads ``data/taxonomy_seed.json`` as it is when a database is created, so a fresh
database already has these codes in version 1 and nothing changes here. A database seeded earlier
has them empty: each tag below gets its code only while its code is still empty (an
administrator's code is kept), and if anything changed the taxonomy gets a new version with a
full snapshot, as an edit in the console does, so exports name the version that holds the codes.
The version is the system's (``by`` empty), like version 1.

Where the codes come from, why each tag has its code and why the other tags have none: README.md
in ``data/``; the entries themselves are in ``data/huridocs_types_of_acts.json``.
"""

from django.db import migrations
from django.db.models import Max

# Frozen copy of the seed's codes as of this migration (tests keep the two equal).
CODES = {
    "detention_overcrowding": "360102020000",
    "detention_food": "360102030000",
    "detention_violence": "020100000000",
    "detention_no_medical_care": "360102040000",
    "detention_duration": "030102000000",
    "recruitment_threat_deportation": "020103010000",
    "recruitment_threat_criminal_case": "020103010000",
    "deportation_expulsion": "330100000000",
    "expulsion_controlled_persons_registry": "330100000000",
    "expulsion_without_court": "330101000000",
    "violence": "020100000000",
    "extortion": "130104000000",
}


def fill_codes(apps, schema_editor):
    from testimony.review.services.taxonomy import snapshot_of

    Tag = apps.get_model("review", "Tag")
    TaxonomyVersion = apps.get_model("review", "TaxonomyVersion")
    changed = 0
    for tag in Tag.objects.select_for_update().filter(slug__in=CODES, huridocs_code=""):
        tag.huridocs_code = CODES[tag.slug]
        tag.save(update_fields=["huridocs_code"])
        changed += 1
    if changed:
        last = TaxonomyVersion.objects.aggregate(last=Max("number"))["last"] or 0
        TaxonomyVersion.objects.create(
            number=last + 1, by=None, snapshot=snapshot_of(list(Tag.objects.all()))
        )


class Migration(migrations.Migration):
    dependencies = [("review", "0009_evidence_tag_filter_indexes")]

    # Reversing keeps the codes: exports and versions made since may name them.
    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop)]
