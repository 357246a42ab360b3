"""Archived caseloads on the account pages and in the account services (issue 4).

An archived caseload takes no new members, whoever asks (the form, ``user_create``,
``user_update``, ``create_reviewer``); an account that already has one keeps it until an
administrator takes it away, so saving the account for another change drops nothing silently.
(The race with archiving is tested on PostgreSQL: tests/integration/test_caseload_locks_postgres.py.)
"""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from testimony.accounts import services
from testimony.accounts.forms import AccountCreateForm, AccountForm
from testimony.accounts.models import Caseload, User
from testimony.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived(organisation):
    return Caseload.objects.create(
        organisation=organisation, name="Closed project", archived_at=timezone.now()
    )


@pytest.fixture
def holder(personas, caseloads, archived):
    """A reviewer limited to an open caseload and to one archived after they were put in it (data
    from before archiving refused members)."""
    user = personas["reviewer"]
    user.caseloads.set([caseloads["moscow"], archived])
    return user


def _offered(form) -> set[int]:
    return {c.pk for c in form.fields["caseloads"].queryset}


def _checkboxes(html: str) -> dict[str, bool]:
    """The caseload checkboxes of the page: value → ticked."""
    boxes = re.findall(r'<input type="checkbox" name="caseloads" value="(\d+)"([^>]*)>', html)
    return {value: "checked" in rest for value, rest in boxes}


# --- The form -------------------------------------------------------------------------------------


def test_a_new_account_is_offered_only_open_caseloads(caseloads, archived):
    offered = _offered(AccountCreateForm())

    assert offered == {caseloads["moscow"].pk, caseloads["detention"].pk}
    assert archived.pk not in offered


def test_an_account_is_offered_the_archived_caseload_it_has_labelled_archived(holder, caseloads, archived):
    form = AccountForm(initial={"role": holder.role, "caseloads": holder.caseloads.all()})

    assert _offered(form) == {caseloads["moscow"].pk, caseloads["detention"].pk, archived.pk}
    labels = dict(form.fields["caseloads"].choices)
    assert labels[archived.pk] == "Intake organisation: Closed project (archived)"
    assert labels[caseloads["moscow"].pk] == "Intake organisation: Moscow raids"
    assert "cannot be added again" in str(form.fields["caseloads"].help_text)


def test_an_account_without_it_is_not_offered_the_archived_caseload(personas, caseloads, archived):
    account = personas["reviewer_detention_only"]
    form = AccountForm(initial={"role": account.role, "caseloads": account.caseloads.all()})

    assert archived.pk not in _offered(form)
    assert "cannot be added again" not in str(form.fields["caseloads"].help_text)


def test_the_form_refuses_an_archived_caseload_the_account_does_not_have(personas, organisation, archived):
    account = personas["reviewer_detention_only"]
    form = AccountForm(
        {"role": "reviewer", "organisation": organisation.pk, "caseloads": [archived.pk]},
        initial={"role": account.role, "caseloads": account.caseloads.all()},
    )

    assert not form.is_valid()
    assert "caseloads" in form.errors


# --- The services ---------------------------------------------------------------------------------


def test_user_update_refuses_to_add_an_archived_caseload(personas, organisation, caseloads, archived):
    account = personas["reviewer_detention_only"]

    with pytest.raises(ValidationError) as refused:
        services.user_update(
            actor=personas["administrator"],
            user_id=account.pk,
            role="reviewer",
            organisation=organisation,
            caseloads=[caseloads["detention"], archived],
        )

    assert refused.value.messages == [
        "The caseload “Closed project” is archived: reopen it before putting anyone in it."
    ]
    assert list(account.caseloads.all()) == [caseloads["detention"]]
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_user_update_keeps_an_archived_caseload_the_account_has(
    holder, personas, organisation, caseloads, archived
):
    # when the administrator changes something else and leaves the caseloads as they are
    services.user_update(
        actor=personas["administrator"],
        user_id=holder.pk,
        role="coordinator",
        organisation=organisation,
        caseloads=[caseloads["moscow"], archived],
    )

    holder.refresh_from_db()
    assert holder.role == "coordinator"
    assert set(holder.caseloads.all()) == {caseloads["moscow"], archived}


def test_an_archived_caseload_taken_away_cannot_come_back(
    holder, personas, organisation, caseloads, archived
):
    admin = personas["administrator"]
    services.user_update(
        actor=admin,
        user_id=holder.pk,
        role="reviewer",
        organisation=organisation,
        caseloads=[caseloads["moscow"]],
    )
    assert list(holder.caseloads.all()) == [caseloads["moscow"]]

    with pytest.raises(ValidationError, match="is archived"):
        services.user_update(
            actor=admin,
            user_id=holder.pk,
            role="reviewer",
            organisation=organisation,
            caseloads=[caseloads["moscow"], archived],
        )
    assert list(holder.caseloads.all()) == [caseloads["moscow"]]


def test_a_reopened_caseload_can_be_added_again(personas, organisation, archived):
    from testimony.accounts.organisations import caseload_reopen

    admin = personas["administrator"]
    caseload_reopen(actor=admin, caseload_id=archived.pk)
    account = personas["reviewer_detention_only"]

    services.user_update(
        actor=admin, user_id=account.pk, role="reviewer", organisation=organisation, caseloads=[archived]
    )

    assert list(account.caseloads.all()) == [archived]


def test_user_create_refuses_an_archived_caseload(personas, organisation, archived):
    with pytest.raises(ValidationError, match="“Closed project” is archived"):
        services.user_create(
            actor=personas["administrator"],
            username="newcomer",
            role="reviewer",
            organisation=organisation,
            caseloads=[archived],
        )

    assert not User.objects.filter(username="newcomer").exists()
    assert not AuditEntry.objects.filter(action="account.create").exists()


def test_create_reviewer_refuses_an_archived_caseload(organisation, archived):
    with pytest.raises(CommandError, match="“Closed project” is archived"):
        call_command(
            "create_reviewer",
            "newcomer",
            role="reviewer",
            organisation=organisation.name,
            caseload=["closed PROJECT"],
        )

    assert not User.objects.filter(username="newcomer").exists()
    assert Caseload.objects.filter(organisation=organisation).count() == 1


def test_create_reviewer_finds_a_caseload_whatever_the_case(organisation, caseloads, capsys):
    call_command(
        "create_reviewer",
        "newcomer",
        role="reviewer",
        organisation=organisation.name,
        caseload=["MOSCOW raids"],
    )

    assert list(User.objects.get(username="newcomer").caseloads.all()) == [caseloads["moscow"]]
    assert Caseload.objects.filter(organisation=organisation).count() == 2


# --- Through the page -------------------------------------------------------------------------------


@pytest.fixture
def admin(console_client, personas):
    return console_client(personas["administrator"])


def test_the_account_page_shows_the_archived_caseload_ticked_and_saving_keeps_it(
    admin, holder, organisation, caseloads, archived
):
    url = reverse("console:user", args=[holder.pk])
    html = admin.get(url).content.decode()
    boxes = _checkboxes(html)
    assert boxes == {
        str(caseloads["detention"].pk): False,
        str(caseloads["moscow"].pk): True,
        str(archived.pk): True,
    }
    assert "Closed project (archived)" in html

    # when the administrator saves the form as the page shows it, with another role
    ticked = [value for value, on in boxes.items() if on]
    response = admin.post(url, {"role": "coordinator", "organisation": organisation.pk, "caseloads": ticked})

    assert response.status_code == 302
    holder.refresh_from_db()
    assert holder.role == "coordinator"
    assert set(holder.caseloads.all()) == {caseloads["moscow"], archived}


def test_the_new_account_page_offers_no_archived_caseload(admin, caseloads, archived):
    html = admin.get(reverse("console:user_create")).content.decode()

    assert set(_checkboxes(html)) == {str(caseloads["moscow"].pk), str(caseloads["detention"].pk)}
    assert "Closed project" not in html


def test_a_forged_post_of_an_archived_caseload_changes_nothing(admin, personas, organisation, archived):
    account = personas["reviewer_detention_only"]
    before = list(account.caseloads.all())

    response = admin.post(
        reverse("console:user", args=[account.pk]),
        {"role": "reviewer", "organisation": organisation.pk, "caseloads": [archived.pk]},
    )

    assert response.status_code == 200
    assert list(account.caseloads.all()) == before
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()
