"""The seeded taxonomy (version 1): the analysis slugs at the top, issue 4's children, labels."""

from __future__ import annotations

import pytest

from testimony.analysis.tags import TAGS
from testimony.review.models import Tag, TaxonomyVersion
from testimony.review.services.taxonomy import load_seed

pytestmark = pytest.mark.django_db

CHILDREN = {
    "raid": {
        "raid_market",
        "raid_mosque",
        "raid_dormitory",
        "raid_workplace",
        "raid_street_metro",
        "raid_home",
    },
    "detention_conditions": {
        "detention_regular_jail",
        "detention_overcrowding",
        "detention_food",
        "detention_violence",
        "detention_no_medical_care",
        "detention_no_interpreter",
        "detention_no_lawyer",
        "detention_no_family_contact",
        "detention_duration",
    },
    "coercive_recruitment": {
        "recruitment_in_detention",
        "recruitment_threat_deportation",
        "recruitment_threat_criminal_case",
        "recruitment_promise_citizenship",
        "recruitment_contract_under_pressure",
        "recruitment_documents_withheld",
        "recruitment_summons_after_naturalisation",
        "recruitment_sent_to_front",
    },
    "deportation_expulsion": {
        "expulsion_controlled_persons_registry",
        "expulsion_frozen_accounts",
        "expulsion_without_court",
    },
}


def test_top_level_slugs_are_exactly_the_analysis_taxonomy():
    top = set(Tag.objects.filter(parent=None).values_list("slug", flat=True))
    assert top == set(TAGS)
    assert [node["slug"] for node in load_seed()] == list(TAGS)  # same order as the analysis


def test_children_sit_under_the_right_parents():
    for parent, children in CHILDREN.items():
        assert set(Tag.objects.filter(parent__slug=parent).values_list("slug", flat=True)) == children
    for leaf in (
        "citizenship_revocation",
        "document_confiscation",
        "extortion",
        "violence",
        "discrimination",
    ):
        assert not Tag.objects.filter(parent__slug=leaf).exists()
    assert not Tag.objects.filter(parent__parent__isnull=False).exists()  # two levels only


def test_every_tag_has_english_and_russian_labels_and_the_top_level_submitter_languages():
    for tag in Tag.objects.all():
        assert tag.labels.get("en", "").strip(), tag.slug
        assert tag.labels.get("ru", "").strip(), tag.slug
        assert any("\u0400" <= ch <= "\u04ff" for ch in tag.labels["ru"]), tag.slug
        if tag.parent_id is None:
            for language in ("uz", "tg", "ky", "kk"):
                assert tag.labels.get(language, "").strip(), (tag.slug, language)


def test_version_one_holds_a_snapshot_of_every_tag():
    version = TaxonomyVersion.objects.get(number=1)
    assert {entry["slug"] for entry in version.snapshot} == set(Tag.objects.values_list("slug", flat=True))
    market = next(entry for entry in version.snapshot if entry["slug"] == "raid_market")
    assert market["parent"] == "raid"
    assert market["active"] is True


def test_seeding_again_changes_nothing():
    from testimony.review.services.taxonomy import seed_taxonomy

    before = Tag.objects.count()
    assert seed_taxonomy(Tag, TaxonomyVersion) == 0
    assert Tag.objects.count() == before
    assert TaxonomyVersion.objects.count() == 1
