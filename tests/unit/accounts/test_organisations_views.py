"""The organisation pages: administrators only, every change through a form and audited, names inert."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from tests.unit.conftest import verified_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(console_client, personas):
    return console_client(personas["administrator"])


def pages(organisation, caseload, target) -> list[tuple[str, str, dict]]:
    """Every organisation URL, with the method and a body that would change something."""
    org, cl = organisation.pk, caseload.pk
    return [
        ("get", reverse("console:organisations"), {}),
        ("post", reverse("console:organisations"), {"name": "Sneaky NGO"}),
        ("get", reverse("console:organisation", args=[org]), {}),
        ("post", reverse("console:organisation", args=[org]), {"name": "Renamed"}),
        ("post", reverse("console:organisation_caseload_create", args=[org]), {"caseload-name": "Sneaky"}),
        ("post", reverse("console:organisation_member_add", args=[org]), {"member-user": target.pk}),
        ("get", reverse("console:caseload", args=[cl]), {}),
        ("post", reverse("console:caseload", args=[cl]), {"name": "Renamed"}),
        ("post", reverse("console:caseload_archive", args=[cl]), {}),
        ("post", reverse("console:caseload_reopen", args=[cl]), {}),
        ("post", reverse("console:caseload_member_add", args=[cl]), {"add-user": target.pk}),
        ("post", reverse("console:caseload_member_remove", args=[cl]), {"user": target.pk}),
    ]


def unchanged(organisation, caseload, target, names) -> None:
    organisation.refresh_from_db()
    caseload.refresh_from_db()
    target.refresh_from_db()
    assert (organisation.name, caseload.name, caseload.archived_at) == names
    assert not Organisation.objects.filter(name="Sneaky NGO").exists()
    assert not Caseload.objects.filter(name="Sneaky").exists()
    assert not AuditEntry.objects.filter(
        action__in=["organisation.create", "organisation.rename", "account.scope_change"]
    ).exists()
    assert not AuditEntry.objects.filter(action__startswith="caseload.").exists()


# --- Access --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona",
    ["reviewer", "coordinator", "custodian", "analyst", "reviewer_detention_only", "partner_reviewer"],
)
def test_every_other_role_gets_403_and_changes_nothing(console_client, personas, caseloads, persona):
    partner = personas["partner_reviewer"].organisation
    moscow = caseloads["moscow"]
    target = personas["reviewer"]
    before = (partner.name, moscow.name, None)
    client = console_client(personas[persona])
    for method, url, data in pages(partner, moscow, target):
        assert getattr(client, method)(url, data).status_code == 403, f"{persona} {method} {url}"
    unchanged(partner, moscow, target, before)
    assert target.organisation_id == moscow.organisation_id


def test_without_a_verified_login_every_page_sends_to_the_login(client, personas, caseloads):
    partner = personas["partner_reviewer"].organisation
    moscow = caseloads["moscow"]
    target = personas["reviewer"]
    for who in (None, personas["administrator"]):  # anonymous; then a password without second factor
        if who is not None:
            client.force_login(who)
        for method, url, data in pages(partner, moscow, target):
            response = getattr(client, method)(url, data)
            assert response.status_code == 302, f"{method} {url}"
            assert response["Location"].startswith("/console/login/")
    unchanged(partner, moscow, target, (partner.name, moscow.name, None))


def test_unknown_ids_are_404_for_an_administrator(admin, personas):
    target = personas["reviewer"]
    missing_org, missing_caseload = Organisation(pk=999_999), Caseload(pk=999_999)
    for method, url, data in pages(missing_org, missing_caseload, target):
        if "999999" in url:
            assert getattr(admin, method)(url, data).status_code == 404, url


def test_a_post_without_the_csrf_token_is_refused(personas, caseloads):
    client = verified_client(Client(enforce_csrf_checks=True), personas["administrator"])
    moscow = caseloads["moscow"]
    partner = personas["partner_reviewer"].organisation
    target = personas["reviewer"]
    for method, url, data in pages(partner, moscow, target):
        if method == "post":
            assert client.post(url, data).status_code == 403, url
    unchanged(partner, moscow, target, (partner.name, moscow.name, None))


def test_the_navigation_links_the_page_for_administrators_only(console_client, personas):
    link = f'href="{reverse("console:organisations")}"'
    assert link in console_client(personas["administrator"]).get(reverse("console:users")).content.decode()
    home = console_client(personas["coordinator"]).get(reverse("console:home"), follow=True)
    assert home.status_code == 200
    assert link not in home.content.decode()


# --- What an administrator does -----------------------------------------------------------------------------


def test_creating_an_organisation_and_a_caseload_through_the_pages(admin, personas):
    response = admin.post(reverse("console:organisations"), {"name": "Memorial Legal"})
    organisation = Organisation.objects.get(name="Memorial Legal")
    assert response.status_code == 302
    assert response["Location"] == reverse("console:organisation", args=[organisation.pk]) + "?done=created"
    response = admin.post(
        reverse("console:organisation_caseload_create", args=[organisation.pk]),
        {"caseload-name": "Detention"},
    )
    caseload = Caseload.objects.get(organisation=organisation, name="Detention")
    assert response["Location"].startswith(reverse("console:caseload", args=[caseload.pk]))
    actions = AuditEntry.objects.filter(actor_id=personas["administrator"].pk).values_list(
        "action", flat=True
    )
    assert {"organisation.create", "caseload.create"} <= set(actions)
    page = admin.get(reverse("console:organisation", args=[organisation.pk])).content.decode()
    assert f'href="{reverse("console:caseload", args=[caseload.pk])}">Detention<' in page


def test_a_taken_name_is_refused_with_a_clear_error(admin, personas, organisation):
    response = admin.post(reverse("console:organisations"), {"name": "partner ORGANISATION"})
    assert response.status_code == 400
    assert "An organisation with this name exists." in response.content.decode()
    response = admin.post(
        reverse("console:organisation_caseload_create", args=[organisation.pk]),
        {"caseload-name": "detention"},
    )
    assert response.status_code == 400
    assert "This organisation already has a caseload with this name." in response.content.decode()
    response = admin.post(reverse("console:organisations"), {"name": "  "})
    assert response.status_code == 400
    assert "Enter a name." in response.content.decode()


def test_the_organisation_page_shows_who_is_in_it_and_each_caseload(admin, personas, organisation, caseloads):
    page = admin.get(reverse("console:organisation", args=[organisation.pk])).content.decode()
    for name in ("reviewer", "coordinator", "reviewer_detention_only"):
        assert f">{name}</a>" in page
    assert ">partner_reviewer</a>" not in page  # another organisation's member
    assert ">Moscow raids</a>" in page
    assert ">Detention</a>" in page
    caseload_page = admin.get(reverse("console:caseload", args=[caseloads["detention"].pk])).content.decode()
    assert ">reviewer_detention_only</a>" in caseload_page
    assert ">coordinator</a>" not in caseload_page


def test_only_the_organisations_accounts_are_offered_for_a_caseload(admin, personas, caseloads):
    moscow = caseloads["moscow"]
    partner_reviewer = personas["partner_reviewer"]
    page = admin.get(reverse("console:caseload", args=[moscow.pk])).content.decode()
    assert f'value="{personas["reviewer"].pk}"' in page
    assert f'value="{partner_reviewer.pk}"' not in page
    # Posted anyway: refused by the form, nothing changes.
    response = admin.post(
        reverse("console:caseload_member_add", args=[moscow.pk]), {"add-user": partner_reviewer.pk}
    )
    assert response.status_code == 400
    assert "That account cannot be chosen here." in response.content.decode()
    assert not partner_reviewer.caseloads.exists()


def test_membership_changes_through_the_pages_are_audited(admin, personas, caseloads):
    reviewer = personas["reviewer"]
    moscow = caseloads["moscow"]
    response = admin.post(reverse("console:caseload_member_add", args=[moscow.pk]), {"add-user": reviewer.pk})
    assert response["Location"].endswith("?done=added")
    assert list(reviewer.caseloads.all()) == [moscow]
    response = admin.post(reverse("console:caseload_member_remove", args=[moscow.pk]), {"user": reviewer.pk})
    assert response.status_code == 400  # their only caseload: refused, with the reason
    assert "only caseload" in html.unescape(response.content.decode())
    assert list(reviewer.caseloads.all()) == [moscow]
    partner = personas["partner_reviewer"].organisation
    response = admin.post(
        reverse("console:organisation_member_add", args=[partner.pk]), {"member-user": reviewer.pk}
    )
    assert response["Location"].endswith("?done=moved")
    reviewer.refresh_from_db()
    assert reviewer.organisation == partner
    assert not reviewer.caseloads.exists()
    changes = AuditEntry.objects.filter(action="account.scope_change", object_id=str(reviewer.pk)).order_by(
        "seq"
    )
    assert [e.details["after"]["caseloads"] for e in changes] == [[moscow.pk], []]


def test_archiving_through_the_page_says_why_it_is_refused(admin, caseloads, report_factory):
    moscow = caseloads["moscow"]
    report_factory(caseload=moscow)
    response = admin.post(reverse("console:caseload_archive", args=[moscow.pk]))
    assert response.status_code == 400
    assert "still routes 1 report." in response.content.decode()
    moscow.refresh_from_db()
    assert moscow.archived_at is None
    empty = Caseload.objects.create(organisation=moscow.organisation, name="Empty")
    response = admin.post(reverse("console:caseload_archive", args=[empty.pk]))
    assert response["Location"].endswith("?done=archived")
    page = admin.get(reverse("console:caseload", args=[empty.pk])).content.decode()
    assert reverse("console:caseload_reopen", args=[empty.pk]) in page
    assert reverse("console:caseload_member_add", args=[empty.pk]) not in page


# --- Hostile names ---------------------------------------------------------------------------------------

HOSTILE = '<script>alert("o")</script><img src=x onerror=alert(1)>{{ 7|add:1 }}'


def test_hostile_names_are_shown_as_text_everywhere(admin, personas, caseloads):
    reviewer = personas["reviewer"]
    admin.post(reverse("console:organisations"), {"name": HOSTILE})
    organisation = Organisation.objects.get(name=HOSTILE)
    admin.post(
        reverse("console:organisation_caseload_create", args=[organisation.pk]), {"caseload-name": HOSTILE}
    )
    caseload = Caseload.objects.get(organisation=organisation)
    admin.post(
        reverse("console:organisation_member_add", args=[organisation.pk]), {"member-user": reviewer.pk}
    )
    admin.post(reverse("console:caseload_member_add", args=[caseload.pk]), {"add-user": reviewer.pk})
    assert list(reviewer.caseloads.all()) == [caseload]

    for url in (
        reverse("console:organisations"),
        reverse("console:organisation", args=[organisation.pk]),
        reverse("console:caseload", args=[caseload.pk]),
        reverse("console:users"),
        reverse("console:user", args=[reviewer.pk]),
        reverse("console:audit"),  # the names, unsealed for display in the log's details
    ):
        body = admin.get(url).content.decode()
        assert "<script>alert" not in body, url
        assert "<img src=x" not in body, url
        # Shown, as text: escaped markup (the log shows it inside JSON), template syntax as typed.
        assert "&lt;script&gt;alert(" in body, url
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in body, url
        assert "{{ 7|add:1 }}" in body, url
