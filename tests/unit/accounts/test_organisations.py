"""The organisation and caseload services: their rules, and an audit row with every change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from testimony.accounts import organisations as services
from testimony.accounts.models import Caseload, Organisation
from testimony.audit.models import AuditEntry
from testimony.audit.selectors import readable_details
from tests.unit.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(personas):
    return personas["administrator"]


def entries(action: str, obj) -> list[AuditEntry]:
    object_type = type(obj).__name__.lower()
    return list(AuditEntry.objects.filter(action=action, object_type=object_type, object_id=str(obj.pk)))


# --- Names ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("  Moscow   raids ", "Moscow raids"), ("Тоҷикистон", "Тоҷикистон"), ("می\u200cخواهم", "می\u200cخواهم")],
)
def test_names_are_stored_with_spaces_collapsed_and_scripts_kept(typed, stored):
    assert services.clean_name(typed) == stored


@pytest.mark.parametrize(
    "typed", ["", "   ", "x" * 121, "Mos\u202ecow", "Mos\u200bcow", "Mos\x00cow", "Mos\x1bcow"]
)
def test_empty_long_or_disguised_names_are_refused(typed):
    with pytest.raises(ValidationError):
        services.clean_name(typed)


# --- Organisations --------------------------------------------------------------------------------------


def test_creating_an_organisation_is_audited_with_its_name_sealed(admin):
    organisation = services.organisation_create(actor=admin, name=" Human Rights Centre ")
    assert organisation.name == "Human Rights Centre"
    assert not organisation.receives_intake
    [entry] = entries("organisation.create", organisation)
    assert entry.actor_id == admin.pk
    assert "Human Rights Centre" not in str(entry.details)  # typed text is sealed in the log
    assert readable_details(entry.details)["name"] == "Human Rights Centre"


@pytest.mark.parametrize("name", ["Partner organisation", "PARTNER ORGANISATION", " partner  organisation "])
def test_organisation_names_are_unique_whatever_the_case(admin, personas, name):
    with pytest.raises(services.NameTaken):
        services.organisation_create(actor=admin, name=name)
    assert Organisation.objects.filter(name__iexact="partner organisation").count() == 1
    assert not AuditEntry.objects.filter(action="organisation.create").exists()


def test_renaming_an_organisation_is_audited_and_a_taken_name_is_refused(admin, personas, organisation):
    services.organisation_rename(actor=admin, organisation_id=organisation.pk, name="Intake NGO")
    organisation.refresh_from_db()
    assert organisation.name == "Intake NGO"
    [entry] = entries("organisation.rename", organisation)
    details = readable_details(entry.details)
    assert (details["before"], details["after"]) == ("Intake organisation", "Intake NGO")

    with pytest.raises(services.NameTaken):
        services.organisation_rename(
            actor=admin, organisation_id=organisation.pk, name="partner organisation"
        )
    organisation.refresh_from_db()
    assert organisation.name == "Intake NGO"
    assert len(entries("organisation.rename", organisation)) == 1


def test_renaming_to_the_same_name_writes_nothing(admin, organisation):
    services.organisation_rename(actor=admin, organisation_id=organisation.pk, name="Intake  organisation")
    assert not AuditEntry.objects.filter(action="organisation.rename").exists()


def test_a_name_may_change_only_its_case(admin, organisation):
    services.organisation_rename(actor=admin, organisation_id=organisation.pk, name="INTAKE organisation")
    organisation.refresh_from_db()
    assert organisation.name == "INTAKE organisation"


# --- Caseloads ------------------------------------------------------------------------------------------


def test_caseload_names_are_unique_within_their_organisation_only(admin, personas, organisation, caseloads):
    partner = personas["partner_reviewer"].organisation
    with pytest.raises(services.NameTaken):
        services.caseload_create(actor=admin, organisation_id=organisation.pk, name="moscow RAIDS")
    # The same name in another organisation is another caseload.
    other = services.caseload_create(actor=admin, organisation_id=partner.pk, name="Moscow raids")
    assert other.organisation == partner
    [entry] = entries("caseload.create", other)
    assert entry.details["organisation"] == partner.pk
    assert readable_details(entry.details)["name"] == "Moscow raids"
    assert Caseload.objects.filter(name__iexact="moscow raids").count() == 2


def test_renaming_a_caseload_keeps_its_organisation_and_is_audited(admin, caseloads, organisation):
    moscow = caseloads["moscow"]
    services.caseload_rename(actor=admin, caseload_id=moscow.pk, name="Moscow region")
    moscow.refresh_from_db()
    assert (moscow.name, moscow.organisation_id) == ("Moscow region", organisation.pk)
    [entry] = entries("caseload.rename", moscow)
    assert readable_details(entry.details)["before"] == "Moscow raids"
    with pytest.raises(services.NameTaken):
        services.caseload_rename(actor=admin, caseload_id=moscow.pk, name="DETENTION")


def test_archiving_an_empty_caseload_and_reopening_it_are_audited(admin, caseloads):
    moscow = caseloads["moscow"]
    services.caseload_archive(actor=admin, caseload_id=moscow.pk)
    moscow.refresh_from_db()
    assert moscow.archived_at is not None
    services.caseload_archive(actor=admin, caseload_id=moscow.pk)  # again: nothing more
    assert len(entries("caseload.archive", moscow)) == 1
    services.caseload_reopen(actor=admin, caseload_id=moscow.pk)
    moscow.refresh_from_db()
    assert moscow.archived_at is None
    assert len(entries("caseload.reopen", moscow)) == 1


def test_archiving_is_refused_while_reports_are_routed_to_the_caseload(admin, caseloads, report_factory):
    moscow = caseloads["moscow"]
    closed = report_factory(caseload=moscow, state="rejected")  # even a closed one stays its
    with pytest.raises(services.OrganisationRefused, match="1 report"):
        services.caseload_archive(actor=admin, caseload_id=moscow.pk)
    moscow.refresh_from_db()
    closed.refresh_from_db()
    assert moscow.archived_at is None
    assert closed.caseload_id == moscow.pk
    assert not AuditEntry.objects.filter(action="caseload.archive").exists()


def test_archiving_is_refused_while_accounts_are_limited_to_the_caseload(admin, personas, caseloads):
    detention = caseloads["detention"]
    with pytest.raises(services.OrganisationRefused, match="1 account"):
        services.caseload_archive(actor=admin, caseload_id=detention.pk)
    detention.refresh_from_db()
    assert detention.archived_at is None
    assert list(personas["reviewer_detention_only"].caseloads.all()) == [detention]


# --- Who belongs where ---------------------------------------------------------------------------------


def scope_changes(user) -> list[AuditEntry]:
    return entries("account.scope_change", user)


def test_an_account_is_put_into_a_caseload_of_its_organisation(admin, personas, caseloads):
    reviewer = personas["reviewer"]
    services.caseload_member_add(actor=admin, caseload_id=caseloads["moscow"].pk, user_id=reviewer.pk)
    assert list(reviewer.caseloads.all()) == [caseloads["moscow"]]
    [entry] = scope_changes(reviewer)
    assert entry.actor_id == admin.pk
    assert entry.details["before"]["caseloads"] == []
    assert entry.details["after"]["caseloads"] == [caseloads["moscow"].pk]
    # Again: already there, nothing written.
    services.caseload_member_add(actor=admin, caseload_id=caseloads["moscow"].pk, user_id=reviewer.pk)
    assert len(scope_changes(reviewer)) == 1


def test_an_account_of_another_organisation_is_not_put_into_the_caseload(admin, personas, caseloads):
    partner_reviewer = personas["partner_reviewer"]
    with pytest.raises(services.OrganisationRefused, match="not in this caseload's organisation"):
        services.caseload_member_add(
            actor=admin, caseload_id=caseloads["moscow"].pk, user_id=partner_reviewer.pk
        )
    assert not partner_reviewer.caseloads.exists()
    assert not scope_changes(partner_reviewer)


def test_nobody_is_put_into_an_archived_caseload(admin, personas, caseloads):
    moscow = caseloads["moscow"]
    services.caseload_archive(actor=admin, caseload_id=moscow.pk)
    with pytest.raises(services.OrganisationRefused, match="archived"):
        services.caseload_member_add(actor=admin, caseload_id=moscow.pk, user_id=personas["reviewer"].pk)
    assert not personas["reviewer"].caseloads.exists()


def test_taking_an_account_out_of_one_of_its_caseloads(admin, personas, caseloads):
    limited = personas["reviewer_detention_only"]
    services.caseload_member_add(actor=admin, caseload_id=caseloads["moscow"].pk, user_id=limited.pk)
    services.caseload_member_remove(actor=admin, caseload_id=caseloads["detention"].pk, user_id=limited.pk)
    assert list(limited.caseloads.all()) == [caseloads["moscow"]]
    last = scope_changes(limited)[-1]
    assert sorted(last.details["before"]["caseloads"]) == sorted(c.pk for c in caseloads.values())
    assert last.details["after"]["caseloads"] == [caseloads["moscow"].pk]


def test_a_reviewers_last_caseload_is_not_taken_away(admin, personas, caseloads, report_factory):
    """An empty list means the whole organisation: removing the last one would widen the reach."""
    from testimony.review.selectors import reports_in_scope

    limited = personas["reviewer_detention_only"]
    elsewhere = report_factory(caseload=caseloads["moscow"])
    with pytest.raises(services.OrganisationRefused, match="only caseload"):
        services.caseload_member_remove(
            actor=admin, caseload_id=caseloads["detention"].pk, user_id=limited.pk
        )
    assert list(limited.caseloads.all()) == [caseloads["detention"]]
    assert not reports_in_scope(limited).filter(pk=elsewhere.pk).exists()
    assert not scope_changes(limited)


def test_other_roles_may_leave_their_last_caseload(admin, personas, caseloads):
    coordinator = personas["coordinator"]  # not limited by caseloads, so nothing widens
    coordinator.caseloads.set([caseloads["moscow"]])
    services.caseload_member_remove(actor=admin, caseload_id=caseloads["moscow"].pk, user_id=coordinator.pk)
    assert not coordinator.caseloads.exists()
    assert len(scope_changes(coordinator)) == 1


def test_moving_an_account_to_another_organisation_leaves_its_caseloads_behind(admin, personas, caseloads):
    limited = personas["reviewer_detention_only"]
    partner = personas["partner_reviewer"].organisation
    services.organisation_member_add(actor=admin, organisation_id=partner.pk, user_id=limited.pk)
    limited.refresh_from_db()
    assert limited.organisation == partner
    assert not limited.caseloads.exists()  # never a caseload of another organisation
    [entry] = scope_changes(limited)
    assert entry.details["before"] == {
        "role": "reviewer",
        "organisation": caseloads["detention"].organisation_id,
        "caseloads": [caseloads["detention"].pk],
    }
    assert entry.details["after"] == {"role": "reviewer", "organisation": partner.pk, "caseloads": []}


def test_moving_an_account_into_its_own_organisation_writes_nothing(admin, personas, organisation):
    services.organisation_member_add(
        actor=admin, organisation_id=organisation.pk, user_id=personas["reviewer"].pk
    )
    assert not AuditEntry.objects.filter(action="account.scope_change").exists()


def test_an_account_without_organisation_can_be_put_into_one(admin, organisation):
    loose = make_user("loose-admin", "administrator", None)
    services.organisation_member_add(actor=admin, organisation_id=organisation.pk, user_id=loose.pk)
    loose.refresh_from_db()
    assert loose.organisation == organisation
    assert scope_changes(loose)[0].details["before"]["organisation"] is None


def test_a_failed_change_leaves_no_audit_row(admin, personas, caseloads, monkeypatch):
    """The audit row and the change share one transaction: one without the other cannot exist."""

    def broken(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.caseload_member_add(
            actor=admin, caseload_id=caseloads["moscow"].pk, user_id=personas["reviewer"].pk
        )
    with pytest.raises(RuntimeError):
        services.caseload_create(actor=admin, organisation_id=caseloads["moscow"].organisation_id, name="New")
    assert not personas["reviewer"].caseloads.exists()
    assert not Caseload.objects.filter(name="New").exists()


# --- The commands' way in ---------------------------------------------------------------------------


def test_create_reviewer_finds_an_organisation_whatever_the_case(organisation):
    from django.core.management import call_command

    from testimony.accounts.models import User

    call_command("create_reviewer", "newcomer", role="reviewer", organisation=" INTAKE   organisation ")

    assert User.objects.get(username="newcomer").organisation == organisation
    assert Organisation.objects.filter(name__iexact="intake organisation").count() == 1
    assert not AuditEntry.objects.filter(action="organisation.create").exists()


def test_what_create_reviewer_creates_is_cleaned_and_audited_like_the_pages(db):
    from django.core.management import call_command

    call_command(
        "create_reviewer",
        "newcomer",
        role="reviewer",
        organisation="  Legal  aid ",
        caseload=["Raids   north"],
    )

    organisation = Organisation.objects.get(name="Legal aid")
    caseload = Caseload.objects.get(organisation=organisation, name="Raids north")
    [created] = entries("organisation.create", organisation)
    assert created.actor == "system"
    assert "Legal aid" not in str(created.details)
    assert readable_details(created.details) == {"receives_intake": False, "name": "Legal aid"}
    [made] = entries("caseload.create", caseload)
    assert "Raids north" not in str(made.details)
    assert readable_details(made.details) == {"organisation": organisation.pk, "name": "Raids north"}


def test_create_reviewer_refuses_a_disguised_name_and_writes_nothing(db):
    from django.core.management import CommandError, call_command

    from testimony.accounts.models import User

    with pytest.raises(CommandError, match="invisible formatting"):
        call_command(
            "create_reviewer", "newcomer", role="reviewer", organisation="Legal", caseload=["Ra\u202eids"]
        )

    assert not Organisation.objects.filter(name="Legal").exists()
    assert not User.objects.filter(username="newcomer").exists()
    assert not AuditEntry.objects.exists()
