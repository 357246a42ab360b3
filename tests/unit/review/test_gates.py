"""Access gates: scope by organisation and caseload, 404 outside it, no role sees everything."""

from __future__ import annotations

import pytest
from django.http import Http404

from testimony.review.selectors import access_case, access_report, reports_in_scope

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(caseloads, report_factory):
    return {
        "unrouted": report_factory(),
        "moscow": report_factory(caseload=caseloads["moscow"]),
        "detention": report_factory(caseload=caseloads["detention"]),
    }


def visible(user) -> set:
    return set(reports_in_scope(user).values_list("pk", flat=True))


def test_organisation_members_see_all_of_its_reports(personas, reports):
    everything = {report.pk for report in reports.values()}
    for role in ("reviewer", "coordinator", "custodian"):
        assert visible(personas[role]) == everything


def test_a_reviewer_limited_to_a_caseload_sees_only_it(personas, reports):
    user = personas["reviewer_detention_only"]
    assert visible(user) == {reports["detention"].pk}
    with pytest.raises(Http404):
        access_report(user=user, report_id=reports["moscow"].pk)


@pytest.mark.parametrize("role", ["analyst", "administrator", "partner_reviewer"])
def test_roles_and_organisations_without_access_see_no_report(personas, reports, role):
    assert visible(personas[role]) == set()
    with pytest.raises(Http404):
        access_report(user=personas[role], report_id=reports["unrouted"].pk)


def test_a_custodian_may_read_but_not_edit(personas, reports):
    assert access_report(user=personas["custodian"], report_id=reports["moscow"].pk)
    with pytest.raises(Http404):
        access_report(user=personas["custodian"], report_id=reports["moscow"].pk, for_write=True)


def test_a_malformed_id_is_not_found(personas):
    with pytest.raises(Http404):
        access_report(user=personas["reviewer"], report_id="not-a-uuid")


def test_cases_are_scoped_to_the_organisation_and_caseload(personas, reports, organisation):
    from testimony.review.models import Case, CaseReport

    case = Case.objects.create(organisation=organisation, title="Raid")
    CaseReport.objects.create(case=case, report=reports["moscow"])
    assert access_case(user=personas["analyst"], case_id=case.pk) == case
    for role in ("reviewer_detention_only", "partner_reviewer", "administrator"):
        with pytest.raises(Http404):
            access_case(user=personas[role], case_id=case.pk)
