"""Cases: create, edit, link and unlink in scope, the case page, and the suggestions partial."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from testimony.audit.models import AuditEntry
from testimony.review.models import Case, CaseReport, Report, Tag
from testimony.review.services import cases as services
from testimony.review.similar import text_fingerprint

pytestmark = pytest.mark.django_db

TEXT = "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве."


@pytest.fixture
def reports(caseloads, report_factory):
    return {
        "moscow": report_factory(caseload=caseloads["moscow"]),
        "detention": report_factory(caseload=caseloads["detention"]),
        "detention2": report_factory(caseload=caseloads["detention"]),
    }


def test_create_seals_the_summary_links_reports_and_audits(personas, reports):
    user = personas["reviewer"]
    raid = Tag.objects.get(slug="raid_market")

    case = services.case_create(
        user=user,
        title="Sadovod market raid",
        date_from=dt.date(2025, 3, 1),
        date_to=dt.date(2025, 3, 2),
        place={
            "name": "Moscow",
            "country": "RU",
            "admin1": "Moscow",
            "lat": 55.7512,
            "lon": 37.6184,
            "precision": "city",
        },
        kind_ids=[raid.pk],
        perpetrator_types=["police"],
        units="ОМОН",
        people_affected=40,
        summary="Сорок человек увезли в отдел",
        report_ids=[reports["moscow"].pk],
        relation="witness",
    )

    case.refresh_from_db()
    assert case.organisation == user.organisation
    assert case.place["lat"] == 55.75  # coarse: two decimals
    assert list(case.kinds.all()) == [raid]
    assert b"\xd0\xa1\xd0\xbe\xd1\x80" not in bytes(case.summary_sealed)  # "Сор" is not in clear
    assert services.case_summary(case) == "Сорок человек увезли в отдел"
    link = CaseReport.objects.get(case=case)
    assert (link.report_id, link.relation, link.added_by) == (reports["moscow"].pk, "witness", user)
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["case.create", "case.report_add"]
    for entry in AuditEntry.objects.all():
        assert "Сорок" not in str(entry.details)


def test_dates_must_be_in_order(personas):
    with pytest.raises(ValidationError):
        services.case_create(
            user=personas["coordinator"],
            title="x",
            date_from=dt.date(2025, 3, 2),
            date_to=dt.date(2025, 3, 1),
        )


def test_a_caseload_limited_reviewer_must_link_one_of_their_reports(personas, reports):
    limited = personas["reviewer_detention_only"]
    with pytest.raises(ValidationError):
        services.case_create(user=limited, title="Detention centre")
    case = services.case_create(user=limited, title="Detention centre", report_ids=[reports["detention"].pk])
    assert services.access_case(user=limited, case_id=case.pk)


def test_only_reports_in_scope_can_be_linked(personas, reports, organisation):
    limited = personas["reviewer_detention_only"]
    case = services.case_create(user=limited, title="Detention centre", report_ids=[reports["detention"].pk])

    with pytest.raises(Http404):
        services.case_add_reports(user=limited, case_id=case.pk, report_ids=[reports["moscow"].pk])
    with pytest.raises(Http404):  # the whole request fails: nothing half-linked
        services.case_add_reports(
            user=limited, case_id=case.pk, report_ids=[reports["detention2"].pk, reports["moscow"].pk]
        )
    assert set(case.links.values_list("report_id", flat=True)) == {reports["detention"].pk}
    with pytest.raises(Http404):  # a partner organisation's reviewer cannot reach the case
        services.case_add_reports(user=personas["partner_reviewer"], case_id=case.pk, report_ids=[])
    with pytest.raises(Http404):  # analysts read cases but do not edit them
        services.case_add_reports(
            user=personas["analyst"], case_id=case.pk, report_ids=[reports["detention"].pk]
        )


def test_linking_twice_changes_nothing_and_links_can_change_and_go(personas, reports):
    user = personas["coordinator"]
    case = services.case_create(user=user, title="Raid")
    report = reports["moscow"]
    assert services.case_add_reports(user=user, case_id=case.pk, report_ids=[report.pk, report.pk]) == 1
    assert services.case_add_reports(user=user, case_id=case.pk, report_ids=[report.pk]) == 0

    services.case_change_link(
        user=user, case_id=case.pk, report_id=report.pk, relation="relative", reliability="high"
    )
    link = CaseReport.objects.get(case=case, report=report)
    assert (link.relation, link.reliability) == ("relative", "high")
    change = AuditEntry.objects.get(action="case.report_change")
    assert change.details["from"] == {"relation": "victim", "reliability": "unknown"}
    with pytest.raises(ValidationError):
        services.case_change_link(
            user=user, case_id=case.pk, report_id=report.pk, relation="boss", reliability="high"
        )

    assert services.case_remove_report(user=user, case_id=case.pk, report_id=report.pk)
    assert not CaseReport.objects.filter(case=case).exists()
    assert AuditEntry.objects.filter(action="case.report_remove").count() == 1


def test_update_records_changed_fields_only(personas):
    user = personas["coordinator"]
    case = services.case_create(user=user, title="Raid", summary="old")
    kwargs = {
        "title": "Raid at Sadovod",
        "date_from": None,
        "date_to": None,
        "place": None,
        "kind_ids": [Tag.objects.get(slug="raid").pk],
        "perpetrator_types": [],
        "units": "",
        "people_affected": None,
        "summary": "new",
    }
    services.case_update(user=user, case_id=case.pk, **kwargs)
    services.case_update(user=user, case_id=case.pk, **kwargs)  # nothing changes the second time

    updates = AuditEntry.objects.filter(action="case.update")
    assert [entry.details["changed"] for entry in updates] == [["kinds", "summary", "title"]]
    case.refresh_from_db()
    assert services.case_summary(case) == "new"


def test_the_case_page_lists_only_reports_the_user_may_see(personas, reports, console_client):
    coordinator = personas["coordinator"]
    case = services.case_create(
        user=coordinator, title="Pattern", report_ids=[reports["moscow"].pk, reports["detention"].pk]
    )
    limited = personas["reviewer_detention_only"]

    html = console_client(limited).get(f"/console/cases/{case.pk}/").content.decode()

    assert str(reports["detention"].pk)[:8] in html
    assert str(reports["moscow"].pk)[:8] not in html
    assert "1 more linked report is outside your caseloads." in html
    assert "2 independent reports." in html  # corroboration counts every linked report


def test_an_analyst_reads_the_case_without_reports(personas, reports, console_client):
    case = services.case_create(
        user=personas["coordinator"], title="Pattern", report_ids=[reports["moscow"].pk]
    )
    response = console_client(personas["analyst"]).get(f"/console/cases/{case.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert str(reports["moscow"].pk)[:8] not in html
    assert "1 more linked report is outside your caseloads." in html
    assert "Link reports" not in html


def test_case_pages_work_end_to_end(personas, reports, console_client):
    client = console_client(personas["reviewer"])
    raid = Tag.objects.get(slug="raid")

    form = client.get(f"/console/cases/new/?report={reports['moscow'].pk}")
    assert form.status_code == 200
    assert "Moscow" in form.content.decode()  # the report's place is offered
    response = client.post(
        f"/console/cases/new/?report={reports['moscow'].pk}",  # the form posts back to its own URL
        {
            "title": "<b>Raid</b>",
            "place_choice": "RU|Moscow|Moscow|city",
            "kinds": [raid.pk],
            "perpetrator_types": ["police"],
            "people_affected": "12",
            "summary": "<script>alert(1)</script>",
            "report_ids": str(reports["moscow"].pk),
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.place["name"] == "Moscow"
    assert case.links.count() == 1

    page = client.get(f"/console/cases/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "&lt;b&gt;Raid&lt;/b&gt;" in page

    response = client.post(
        f"/console/cases/{case.pk}/reports/",
        {"report_ids": str(reports["detention"].pk), "relation": "witness", "reliability": "medium"},
    )
    assert response.status_code == 302
    assert case.links.count() == 2
    response = client.post(
        f"/console/cases/{case.pk}/reports/{reports['detention'].pk}/",
        {"relation": "caseworker", "reliability": "low"},
    )
    assert response.status_code == 302
    assert case.links.get(report=reports["detention"]).relation == "caseworker"
    client.post(f"/console/cases/{case.pk}/reports/{reports['detention'].pk}/", {"remove": "1"})
    assert case.links.count() == 1

    edit = client.post(
        f"/console/cases/{case.pk}/edit/",
        {"title": "Raid at the market", "place_lookup": "Екатеринбург", "summary": "ok"},
    )
    assert edit.status_code == 302
    case.refresh_from_db()
    assert case.title == "Raid at the market"
    assert case.place["name"] == "Yekaterinburg"
    assert case.place["precision"] == "city"


def test_the_list_filters_by_kind_place_and_date(personas, reports, console_client):
    user = personas["coordinator"]
    moscow = {
        "name": "Moscow",
        "country": "RU",
        "admin1": "Moscow",
        "lat": 55.75,
        "lon": 37.62,
        "precision": "city",
    }
    services.case_create(
        user=user,
        title="Market raid",
        place=moscow,
        kind_ids=[Tag.objects.get(slug="raid_market").pk],
        date_from=dt.date(2025, 3, 1),
        date_to=dt.date(2025, 3, 3),
    )
    services.case_create(
        user=user,
        title="Recruiters in the centre",
        kind_ids=[Tag.objects.get(slug="recruitment_in_detention").pk],
        date_from=dt.date(2024, 1, 1),
    )
    client = console_client(user)

    def titles(query: str) -> set:
        html = client.get("/console/cases/" + query).content.decode()
        return {title for title in ("Market raid", "Recruiters in the centre") if title in html}

    assert titles("") == {"Market raid", "Recruiters in the centre"}
    assert titles("?kind=raid") == {"Market raid"}  # a parent kind finds its children
    assert titles("?kind=coercive_recruitment") == {"Recruiters in the centre"}
    assert titles("?place=mosc") == {"Market raid"}
    assert titles("?date_from=2025-03-02&date_to=2025-03-10") == {"Market raid"}
    assert titles("?date_to=2024-06-01") == {"Recruiters in the centre"}
    # Another organisation's reviewer sees none of them.
    assert (
        "Market raid"
        not in console_client(personas["partner_reviewer"]).get("/console/cases/").content.decode()
    )


# --- The suggestions partial ---------------------------------------------------------------


def _twins(report_factory, caseload=None):
    first = report_factory(text=TEXT, caseload=caseload)
    second = report_factory(text=TEXT, caseload=caseload)
    Report.objects.filter(pk__in=[first.pk, second.pk]).update(text_fingerprint=text_fingerprint(TEXT))
    return first, second


def test_similar_fragment_and_page(personas, report_factory, console_client):
    first, second = _twins(report_factory)
    client = console_client(personas["reviewer"])

    fragment = client.get(f"/console/reports/{first.pk}/similar/", HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in html
    assert str(second.pk)[:8] in html
    assert "Exact duplicate" in html
    assert "Same text" in html
    assert f"/console/cases/new/?report={first.pk}&amp;also={second.pk}" in html
    new_case = client.get(f"/console/cases/new/?report={first.pk}&also={second.pk}").content.decode()
    assert f"{first.pk} {second.pk}" in new_case  # both prefilled
    page = client.get(f"/console/reports/{first.pk}/similar/").content.decode()
    assert "<html" in page
    assert str(second.pk)[:8] in page


def test_similar_is_404_outside_scope(personas, caseloads, report_factory, console_client):
    first, _second = _twins(report_factory, caseload=caseloads["moscow"])
    client = console_client(personas["reviewer_detention_only"])
    assert client.get(f"/console/reports/{first.pk}/similar/").status_code == 404


def test_link_both_to_a_case_from_the_suggestions(personas, report_factory, console_client):
    user = personas["reviewer"]
    first, second = _twins(report_factory)
    case = services.case_create(user=user, title="Raid")
    client = console_client(user)

    response = client.post(
        f"/console/reports/{first.pk}/similar/link/",
        {"case": case.pk, "other": second.pk, "relation": "victim", "reliability": "unknown"},
    )

    assert response.status_code == 302
    assert set(case.links.values_list("report_id", flat=True)) == {first.pk, second.pk}


def test_mark_duplicate_from_the_suggestions(personas, report_factory, console_client):
    first, second = _twins(report_factory)
    client = console_client(personas["reviewer"])

    refused = client.post(
        f"/console/reports/{first.pk}/similar/duplicate/", {"original": second.pk, "note": ""}
    )
    assert refused.status_code == 400
    response = client.post(
        f"/console/reports/{first.pk}/similar/duplicate/", {"original": second.pk, "note": "Sent twice"}
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == "duplicate"
    assert first.duplicate_of_id == second.pk
    entry = AuditEntry.objects.get(action="report.state")
    assert entry.details["duplicate_of"] == str(second.pk)
    assert "Sent twice" not in str(entry.details)


def test_a_custodian_sees_suggestions_but_cannot_act_on_them(personas, report_factory, console_client):
    first, second = _twins(report_factory)
    client = console_client(personas["custodian"])
    html = client.get(f"/console/reports/{first.pk}/similar/", HTTP_HX_REQUEST="true").content.decode()
    assert str(second.pk)[:8] in html
    assert "similar/duplicate/" not in html
    assert "similar/link/" not in html
    assert (
        client.post(
            f"/console/reports/{first.pk}/similar/duplicate/", {"original": second.pk, "note": "x"}
        ).status_code
        == 403
    )


def test_the_case_page_suggests_reports_not_yet_linked(personas, caseloads, report_factory, console_client):
    first, second = _twins(report_factory, caseload=caseloads["detention"])
    hidden_twin = report_factory(text=TEXT, caseload=caseloads["moscow"])
    Report.objects.filter(pk=hidden_twin.pk).update(text_fingerprint=text_fingerprint(TEXT))
    limited = personas["reviewer_detention_only"]
    case = services.case_create(user=limited, title="Raid", report_ids=[first.pk])

    html = console_client(limited).get(f"/console/cases/{case.pk}/").content.decode()

    assert "Link to this case" in html
    assert f'value="{second.pk}"' in html
    assert str(hidden_twin.pk) not in html  # outside the caseload: never suggested


def test_a_place_lookup_leaves_no_memo_of_what_was_typed():
    from tests.unit.analysis.test_pipeline_memos import _held_strings

    services.place_lookup("Прогрев: Москва")  # data loads once, whatever the text
    place = services.place_lookup("из Зарбдуллаевки под Самаркандом")

    assert place["country"] == "UZ"  # the query was read
    held = list(_held_strings())
    assert [where for where, key in held if "зарбдуллаев" in key.lower()] == []
    assert [where for where, key in held if not key] == []  # the word memos are empty again
