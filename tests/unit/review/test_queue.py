"""The queue page: what needs attention, every filter, keyset pages, no N+1, inert rendering."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from testimony.review.filters import QueueFilters, queue_filter, queue_page
from testimony.review.models import Report, ReportTag, Tag
from testimony.review.search import report_index_text
from testimony.review.selectors import reports_in_scope

pytestmark = pytest.mark.django_db

URL = "/console/queue/"
KAZAN = {
    "name": "Kazan",
    "country": "RU",
    "admin1": "Tatarstan",
    "lat": 55.8,
    "lon": 49.1,
    "precision": "city",
}


def ids(queryset) -> set:
    return set(queryset.values_list("pk", flat=True))


def filtered(user, **filters) -> set:
    return ids(queue_filter(reports_in_scope(user), filters=QueueFilters(**filters), user=user))


@pytest.fixture
def tag(db):
    return Tag.objects.get_or_create(slug="raid", defaults={"labels": {"en": "Raid"}})[0]


def test_every_filter_narrows_the_set(personas, caseloads, report_factory, tag):
    user = personas["reviewer"]
    today = dt.date.today()
    moscow = report_factory(received_on=today, suggested_tags=["raid"])
    kazan = report_factory(
        text="В Казани задержали в общежитии.",
        places=[KAZAN | {"start": 2, "end": 8, "text": "Казани"}],
        kind="detention",
        language="uz",
        received_on=today - dt.timedelta(days=10),
        suggested_tags=[],
        state="in_review",
        caseload=caseloads["detention"],
    )
    Report.objects.filter(pk=kazan.pk).update(has_attachments=True, assignee=user)
    report_index_text(report=kazan, text="В Казани задержали в общежитии.")
    everyone = {moscow.pk, kazan.pk}
    assert filtered(user) == everyone
    assert filtered(user, state="in_review") == {kazan.pk}
    assert filtered(user, kind="raid") == {moscow.pk}
    assert filtered(user, language="uz") == {kazan.pk}
    assert filtered(user, received_from=today - dt.timedelta(days=1)) == {moscow.pk}
    assert filtered(user, received_to=today - dt.timedelta(days=1)) == {kazan.pk}
    assert filtered(user, attachments="yes") == {kazan.pk}
    assert filtered(user, attachments="no") == {moscow.pk}
    assert filtered(user, assignee="me") == {kazan.pk}
    assert filtered(user, assignee="none") == {moscow.pk}
    assert filtered(user, assignee=str(user.pk)) == {kazan.pk}
    assert filtered(user, place="Kazan") == {kazan.pk}
    assert filtered(user, place="kazan") == {kazan.pk}  # tried in title case too
    assert filtered(user, place="Tatarstan") == {kazan.pk}
    assert filtered(user, place="ru") == everyone  # a country code
    assert filtered(user, place="Kaz") == set()  # exact names, not substrings
    assert filtered(user, tag="raid") == {moscow.pk}  # suggested
    assert filtered(user, q="общежитие задержали") == {kazan.pk}
    assert filtered(user, ids=(str(moscow.pk), "not-an-id")) == {moscow.pk}


def test_tag_filter_counts_accepted_tags_and_drops_rejected_suggestions(personas, report_factory, tag):
    user = personas["reviewer"]
    suggested = report_factory(suggested_tags=["raid"])
    rejected = report_factory(suggested_tags=["raid"])
    accepted = report_factory(suggested_tags=[])
    ReportTag.objects.create(report=rejected, tag=tag, status=ReportTag.Status.REJECTED)
    ReportTag.objects.create(report=accepted, tag=tag, status=ReportTag.Status.ACCEPTED)
    assert filtered(user, tag="raid") == {suggested.pk, accepted.pk}


def test_queue_pages_by_keyset_newest_first(personas, report_factory):
    user = personas["reviewer"]
    day = dt.date(2025, 5, 1)
    made = [report_factory(received_on=day - dt.timedelta(days=i % 3)) for i in range(7)]
    seen, after = [], ""
    while True:
        page = queue_page(user=user, filters=QueueFilters(), after=after, size=3)
        seen += [row.pk for row in page.rows]
        if not page.next_cursor:
            break
        after = page.next_cursor
    assert sorted(seen) == sorted(r.pk for r in made)
    assert len(seen) == len(set(seen))
    expected = sorted(made, key=lambda r: (r.received_on, r.pk.hex), reverse=True)
    assert seen == [r.pk for r in expected]


def test_queue_page_shows_attention_counts_and_rows(personas, caseloads, console_client, report_factory, tag):
    reviewer = personas["reviewer"]
    mine = report_factory(state="in_review")
    Report.objects.filter(pk=mine.pk).update(assignee=reviewer)
    report_factory()
    report_factory()
    hidden = report_factory(caseload=caseloads["moscow"])
    response = console_client(personas["reviewer_detention_only"]).get(URL)
    assert str(hidden.pk) not in response.content.decode()
    response = console_client(reviewer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    counts = dict(re.findall(r'attention-count">(\d+)</span>\s*<span class="attention-label">([^<]+)<', html))
    # The whole organisation's reports, the Moscow caseload's included.
    assert counts == {"1": "open, assigned to me", "3": "new, nobody assigned"}
    assert html.count("data-row") == 4
    # Places by name, their country too (not its code).
    assert "Moscow, Russia" in html
    assert "Moscow, RU" not in html
    assert "queue.js" in html
    assert "queue.css" in html
    assert 'id="queue-help"' in html


def test_queue_rows_cost_a_fixed_number_of_queries(
    personas, console_client, report_factory, tag, django_assert_max_num_queries
):
    reviewer = personas["coordinator"]
    client = console_client(reviewer)
    for _ in range(3):
        report = report_factory(suggested_tags=["raid"])
        ReportTag.objects.create(report=report, tag=tag)
        Report.objects.filter(pk=report.pk).update(
            assignee=reviewer,
            locked_by=personas["reviewer"],
            locked_until=timezone.now() + dt.timedelta(minutes=5),
        )
    client.get(URL)  # warm sessions and caches
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(20):
        report_factory(suggested_tags=["raid"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    html = response.content.decode()
    assert "reviewer since" in html  # another's live lock is shown


def test_htmx_request_gets_only_the_results(personas, console_client, report_factory):
    report_factory(kind="detention")
    response = console_client(personas["reviewer"]).get(
        URL, {"kind": "detention"}, headers={"HX-Request": "true", "HX-Target": "queue-results"}
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="queue-results">')
    assert "<html" not in html
    assert html.count("data-row") == 1


def test_submitter_content_in_the_queue_is_inert(personas, console_client, report_factory, tag):
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    report_factory(
        places=[KAZAN | {"name": hostile, "start": 0, "end": 1, "text": "x"}], suggested_tags=[hostile]
    )
    Tag.objects.filter(pk=tag.pk).update(labels={"en": hostile})
    ReportTag.objects.create(report=Report.objects.get(), tag=tag)
    html = console_client(personas["reviewer"]).get(URL).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ' style="' not in html
    assert " onclick=" not in html
    assert "<script>" not in html


def test_filters_and_pages_without_javascript(personas, console_client, report_factory, monkeypatch):
    from testimony.review import filters

    monkeypatch.setattr(filters, "PAGE_SIZE", 2)
    made = [report_factory(received_on=dt.date(2025, 1, 1) + dt.timedelta(days=i)) for i in range(3)]
    report_factory(kind="detention")
    client = console_client(personas["reviewer"])
    html = client.get(URL, {"kind": "raid"}).content.decode()
    assert html.count("data-row") == 2
    assert str(made[0].pk) not in html
    older = re.search(r'href="(\?[^"]*after=[^"]+)"', html).group(1).replace("&amp;", "&")
    assert "kind=raid" in older  # the next page keeps the filters
    html = client.get(URL + older).content.decode()
    assert html.count("data-row") == 1
    assert str(made[0].pk) in html


def test_assign_to_me_from_the_queue(personas, console_client, report_factory):
    report = report_factory()
    client = console_client(personas["reviewer"])
    response = client.post(
        reverse("console:queue_assign", args=[report.pk]), {"assignee": "me", "next": URL + "?state=new"}
    )
    assert response.status_code == 302
    assert response["Location"] == URL + "?state=new"
    assert Report.objects.get(pk=report.pk).assignee_id == personas["reviewer"].pk
    # A link elsewhere is not followed.
    response = client.post(
        reverse("console:queue_assign", args=[report.pk]),
        {"assignee": "none", "next": "https://evil.example/"},
    )
    assert response["Location"] == URL


@pytest.mark.parametrize(
    ("persona", "status"), [("custodian", 403), ("analyst", 403), ("administrator", 403)]
)
def test_roles_without_the_permission_are_refused(personas, console_client, report_factory, persona, status):
    report = report_factory()
    client = console_client(personas[persona])
    if persona != "custodian":
        assert client.get(URL).status_code == 403
    assert (
        client.post(reverse("console:queue_assign", args=[report.pk]), {"assignee": "me"}).status_code
        == status
    )


def test_lock_take_over_asks_first(personas, console_client, report_factory):
    report = report_factory()
    url = reverse("console:report_lock", args=[report.pk])
    assert console_client(personas["reviewer"]).post(url).status_code == 302
    client = console_client(personas["coordinator"])
    response = client.post(url)
    assert response.status_code == 409
    assert "reviewer is working on this since" in response.content.decode()
    assert client.post(url, {"take_over": "1"}).status_code == 302
    assert Report.objects.get(pk=report.pk).locked_by_id == personas["coordinator"].pk


def test_state_page_changes_state_and_shows_refusals(personas, console_client, report_factory):
    report = report_factory()
    client = console_client(personas["reviewer"])
    url = reverse("console:report_state", args=[report.pk])
    page = client.get(url).content.decode()
    assert 'value="in_review"' in page
    assert 'value="verified"' not in page
    response = client.post(url, {"state": "rejected", "note": ""})
    assert response.status_code == 400
    assert "Say why in a note." in response.content.decode()
    assert client.post(url, {"state": "in_review"}).status_code == 302
    assert Report.objects.get(pk=report.pk).state == "in_review"
