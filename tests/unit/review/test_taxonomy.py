"""Taxonomy edits: each one a new version with a full snapshot and an audit row; pages by role."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from testimony.audit.models import AuditEntry
from testimony.review.models import ReportTag, Tag, TaxonomyVersion
from testimony.review.services import taxonomy as services

pytestmark = pytest.mark.django_db

LABELS = {"en": "At a bus station", "ru": "На автовокзале"}


def latest() -> TaxonomyVersion:
    return TaxonomyVersion.objects.order_by("-number").first()


def test_creating_a_tag_bumps_the_version_with_a_snapshot_and_audits(personas):
    admin = personas["administrator"]
    raid = Tag.objects.get(slug="raid")

    tag = services.tag_create(
        user=admin, slug="raid_bus_station", parent_id=raid.pk, labels=LABELS, position=7
    )

    version = latest()
    assert version.number == 2
    assert version.by == admin
    entry = next(e for e in version.snapshot if e["slug"] == "raid_bus_station")
    assert entry == {
        "slug": "raid_bus_station",
        "parent": "raid",
        "labels": LABELS,
        "huridocs_code": "",
        "position": 7,
        "active": True,
    }
    assert len(version.snapshot) == Tag.objects.count()
    audit = AuditEntry.objects.get(action="taxonomy.tag_create")
    assert audit.object_id == str(tag.pk)
    assert audit.details == {"slug": "raid_bus_station", "parent": "raid", "version": 2}
    assert audit.actor == "administrator"


def test_labels_in_english_and_russian_are_required(personas):
    with pytest.raises(ValidationError):
        services.tag_create(
            user=personas["administrator"], slug="x_only_en", parent_id=None, labels={"en": "X"}
        )
    assert not Tag.objects.filter(slug="x_only_en").exists()
    assert latest().number == 1


def test_a_duplicate_slug_is_refused_by_the_database_constraint(personas):
    with pytest.raises(ValidationError):
        services.tag_create(user=personas["administrator"], slug="raid", parent_id=None, labels=LABELS)
    assert latest().number == 1


def test_edit_and_move_keep_the_slug_and_record_what_changed(personas):
    admin = personas["administrator"]
    tag = Tag.objects.get(slug="raid_home")
    violence = Tag.objects.get(slug="violence")

    services.tag_update(
        user=admin,
        tag_id=tag.pk,
        labels={**tag.labels, "en": "In a flat or house"},
        huridocs_code="",
        position=tag.position,
        parent_id=violence.pk,
    )

    tag.refresh_from_db()
    assert tag.slug == "raid_home"
    assert tag.parent == violence
    assert tag.labels["en"] == "In a flat or house"
    audit = AuditEntry.objects.get(action="taxonomy.tag_update")
    assert audit.details["changed"] == ["labels", "parent"]
    assert audit.details["moved"] == {"from": "raid", "to": "violence"}
    snapshot = {e["slug"]: e for e in latest().snapshot}
    assert snapshot["raid_home"]["parent"] == "violence"
    # The earlier version still says where it was.
    assert {e["slug"]: e for e in TaxonomyVersion.objects.get(number=1).snapshot}["raid_home"][
        "parent"
    ] == "raid"


def test_an_edit_that_changes_nothing_makes_no_version(personas):
    tag = Tag.objects.get(slug="raid_home")
    services.tag_update(
        user=personas["administrator"],
        tag_id=tag.pk,
        labels=tag.labels,
        huridocs_code=tag.huridocs_code,
        position=tag.position,
        parent_id=tag.parent_id,
    )
    assert latest().number == 1
    assert not AuditEntry.objects.filter(action="taxonomy.tag_update").exists()


def test_a_tag_cannot_move_under_its_own_child(personas):
    raid = Tag.objects.get(slug="raid")
    with pytest.raises(ValidationError):
        services.tag_update(
            user=personas["administrator"],
            tag_id=raid.pk,
            labels=raid.labels,
            huridocs_code="",
            position=0,
            parent_id=Tag.objects.get(slug="raid_market").pk,
        )
    raid.refresh_from_db()
    assert raid.parent is None


def test_a_tag_in_use_is_deactivated_not_deleted(personas, report_factory):
    admin = personas["administrator"]
    tag = Tag.objects.get(slug="raid_market")
    ReportTag.objects.create(report=report_factory(), tag=tag)

    services.tag_set_active(user=admin, tag_id=tag.pk, active=False)

    tag.refresh_from_db()
    assert tag.active is False
    assert ReportTag.objects.filter(tag=tag).exists()
    audit = AuditEntry.objects.get(action="taxonomy.tag_deactivate")
    assert audit.details == {"slug": "raid_market", "version": 2, "in_use": 1}
    assert {e["slug"]: e for e in latest().snapshot}["raid_market"]["active"] is False
    services.tag_set_active(user=admin, tag_id=tag.pk, active=True)
    assert latest().number == 3


@pytest.mark.parametrize("role", ["reviewer", "coordinator", "custodian", "analyst"])
def test_only_administrators_edit(personas, role):
    with pytest.raises(PermissionDenied):
        services.tag_create(user=personas[role], slug="nope", parent_id=None, labels=LABELS)


# --- Pages ----------------------------------------------------------------------------------


def test_the_tree_shows_labels_in_the_console_language_and_codes(personas, console_client):
    Tag.objects.filter(slug="extortion").update(huridocs_code="TEST-9")
    reviewer = personas["reviewer"]
    reviewer.console_language = "ru"
    reviewer.save(update_fields=["console_language"])

    response = console_client(reviewer).get("/console/taxonomy/", HTTP_ACCEPT_LANGUAGE="ru")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Вымогательство" in html
    assert "detention_no_lawyer" in html
    assert "TEST-9" in html
    assert "/console/taxonomy/new/" not in html  # no edit controls for a reviewer


def test_an_administrator_adds_and_deactivates_through_the_pages(personas, console_client):
    client = console_client(personas["administrator"])
    raid = Tag.objects.get(slug="raid")
    page = client.get("/console/taxonomy/")
    assert "/console/taxonomy/new/" in page.content.decode()

    response = client.post(
        "/console/taxonomy/new/",
        {
            "slug": "raid_bus_station",
            "parent": raid.pk,
            "label_en": "At a bus station",
            "label_ru": "На автовокзале",
            "huridocs_code": "",
            "position": 3,
        },
    )
    assert response.status_code == 302
    tag = Tag.objects.get(slug="raid_bus_station")
    assert tag.parent == raid

    response = client.post(f"/console/taxonomy/{tag.pk}/active/", {"active": "0"})
    assert response.status_code == 302
    tag.refresh_from_db()
    assert tag.active is False
    assert latest().number == 3


def test_the_edit_page_renders_and_hostile_labels_stay_inert(personas, console_client):
    tag = Tag.objects.get(slug="violence")
    Tag.objects.filter(pk=tag.pk).update(labels={**tag.labels, "en": "<script>alert(1)</script>"})
    client = console_client(personas["administrator"])
    for url in ("/console/taxonomy/", f"/console/taxonomy/{tag.pk}/edit/"):
        html = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("role", ["reviewer", "coordinator", "analyst"])
def test_edit_pages_are_refused_to_other_roles(personas, console_client, role):
    client = console_client(personas[role])
    assert client.get("/console/taxonomy/new/").status_code == 403
    tag = Tag.objects.get(slug="raid")
    assert client.post(f"/console/taxonomy/{tag.pk}/active/", {"active": "0"}).status_code == 403
    tag.refresh_from_db()
    assert tag.active is True
