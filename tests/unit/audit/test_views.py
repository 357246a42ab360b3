"""The audit log pages: administrators only, newest first, keyset pages, filters, inert details, verify."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from testimony.audit.models import AuditEntry
from testimony.audit.selectors import AuditFilters, audit_page
from testimony.audit.services import audit_record

pytestmark = pytest.mark.django_db


def record(n: int, *, actor=None, action="report.view", object_type="report", object_id="r1", details=None):
    with transaction.atomic():
        for _ in range(n):
            audit_record(
                actor=actor, action=action, object_type=object_type, object_id=object_id, details=details
            )


def seqs(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="audit-seq">(\d+)</td>', html)]


@pytest.fixture
def admin(console_client, personas):
    return console_client(personas["administrator"])


@pytest.mark.parametrize("persona", ["reviewer", "coordinator", "custodian", "analyst"])
def test_only_administrators_read_the_log(console_client, personas, persona):
    client = console_client(personas[persona])
    assert client.get(reverse("console:audit")).status_code == 403
    assert client.post(reverse("console:audit_verify")).status_code == 403


def test_the_log_is_newest_first_in_keyset_pages(admin):
    record(120)
    first = admin.get(reverse("console:audit"))
    assert first.status_code == 200
    html = first.content.decode()
    assert seqs(html) == list(range(120, 70, -1))
    older = re.search(r'href="\?([^"]*before=71[^"]*)" rel="next"', html)
    assert older
    second = admin.get(reverse("console:audit") + "?" + older.group(1).replace("&amp;", "&")).content.decode()
    assert seqs(second) == list(range(70, 20, -1))
    newer = re.search(r'href="\?([^"]*after=70[^"]*)" rel="prev"', second)
    assert newer
    back = admin.get(reverse("console:audit") + "?" + newer.group(1).replace("&amp;", "&")).content.decode()
    assert seqs(back) == list(range(120, 70, -1))
    third = admin.get(reverse("console:audit") + "?before=21").content.decode()
    assert seqs(third) == list(range(20, 0, -1))
    assert 'rel="next"' not in third


def test_pages_do_not_shift_when_entries_are_appended(admin):
    record(60)
    page = audit_page(AuditFilters(), before=11, size=5)
    record(10)
    assert [entry.seq for entry in audit_page(AuditFilters(), before=11, size=5).entries] == [
        entry.seq for entry in page.entries
    ]


def test_filters_by_action_actor_object_and_dates(admin, personas):
    record(3, actor=personas["reviewer"], action="report.view", object_id="aaa")
    record(2, actor=personas["coordinator"], action="report.state", object_id="bbb")
    record(1, actor=None, action="retention.applied", object_type="retention", object_id="")
    url = reverse("console:audit")
    assert seqs(admin.get(url, {"action": "report.state"}).content.decode()) == [5, 4]
    assert seqs(admin.get(url, {"actor": "reviewer"}).content.decode()) == [3, 2, 1]
    assert seqs(admin.get(url, {"actor": "system"}).content.decode()) == [6]
    assert seqs(admin.get(url, {"object_type": "report", "object_id": "bbb"}).content.decode()) == [5, 4]
    AuditEntry.objects.filter(seq=1).update(at=timezone.now() - dt.timedelta(days=10))  # SQLite: no trigger
    today = timezone.now().date()
    assert 1 not in seqs(admin.get(url, {"since": today.isoformat()}).content.decode())
    old = (today - dt.timedelta(days=10)).isoformat()
    assert seqs(admin.get(url, {"since": old, "until": old}).content.decode()) == [1]
    # the filters are kept in the page links
    record(60, actor=personas["reviewer"], action="report.view")
    html = admin.get(url, {"actor": "reviewer"}).content.decode()
    assert re.search(r'href="\?[^"]*actor=reviewer[^"]*before=', html)


def test_a_malformed_filter_is_a_400_not_an_error(admin):
    response = admin.get(reverse("console:audit"), {"since": "not-a-date", "before": "x"})
    assert response.status_code == 400


def test_details_are_rendered_as_inert_text(admin):
    record(1, details={"label": '<script>alert(1)</script><img src=x onerror="alert(2)">'})
    html = admin.get(reverse("console:audit")).content.decode()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_verify_reports_an_intact_chain_with_its_head_and_is_itself_recorded(admin):
    record(5)
    head = AuditEntry.objects.order_by("-seq").first()
    response = admin.post(reverse("console:audit_verify"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The chain is intact: 5 entries" in html
    assert f"5:{head.digest}" in html
    entry = AuditEntry.objects.get(action="audit.verified")
    # no full verification has run yet: the page verified from the first entry
    assert entry.details == {
        "intact": True,
        "problems": 0,
        "checkpoint": None,
        "checked": [1, 5],
        "unverified": 0,
    }


def test_verify_finds_an_edited_entry(admin):
    record(5)
    AuditEntry.objects.filter(seq=3).update(details={"forged": True})  # SQLite has no refusing trigger
    html = admin.post(reverse("console:audit_verify"), HTTP_HX_REQUEST="true").content.decode()
    assert "The chain is damaged" in html
    assert "Entry 3: content does not match its digest" in html
    assert "<html" not in html  # HTMX gets the result fragment only
    assert AuditEntry.objects.get(action="audit.verified").details["intact"] is False


def test_verify_finds_a_deleted_entry(admin):
    record(5)
    AuditEntry.objects.filter(seq=2).delete()
    html = admin.post(reverse("console:audit_verify")).content.decode()
    assert "The chain is damaged" in html
    assert "Entry 3:" in html


def test_a_sealed_detail_is_stored_sealed_and_shown_opened(personas, console_client):
    from django.db import transaction

    from testimony.audit.models import AuditEntry
    from testimony.audit.services import audit_record, sealed_detail

    with transaction.atomic():
        audit_record(
            actor=personas["custodian"],
            action="report.open_original",
            object_type="report",
            object_id="r1",
            details={"reason": sealed_detail("Asked by lawyer Karimova", context="audit.reason:r1")},
        )
    stored = AuditEntry.objects.get(action="report.open_original").details
    assert "Karimova" not in str(stored)
    page = console_client(personas["administrator"]).get("/console/audit/").content.decode()
    assert "Asked by lawyer Karimova" in page


def test_old_action_names_are_shown_and_found_under_the_current_name(admin):
    # given entries written before bulk and single changes shared names, and one written since
    record(1, action="report.tag")
    record(1, action="report.tag_accept")
    record(1, action="report.state")
    # when filtering by the current name, or by the old one
    for name in ("report.tag_accept", "report.tag"):
        html = admin.get(reverse("console:audit"), {"action": name}).content.decode()
        # then both entries are found, the old one said to be recorded under its old name
        assert len(seqs(html)) == 2
        assert html.count("recorded as report.tag") == 1
        assert 'href="?action=report.tag_accept"' in html
    # and the filter's list offers the current name only
    html = admin.get(reverse("console:audit")).content.decode()
    datalist = html[html.index('<datalist id="audit-actions">') : html.index("</datalist>")]
    assert '<option value="report.tag_accept">' in datalist
    assert '<option value="report.tag">' not in datalist
