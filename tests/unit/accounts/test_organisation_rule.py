"""Every role but administrator needs an organisation: in the database, the model and the services,
not only in the console's form (issue 4)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from testimony.accounts import services
from testimony.accounts.models import Role, User
from testimony.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

RULE = "Every role but administrator needs an organisation."
ROLES_IN_AN_ORGANISATION = [role for role in Role.values if role != Role.ADMINISTRATOR]


@pytest.mark.parametrize("role", ROLES_IN_AN_ORGANISATION)
def test_the_service_refuses_to_create_an_account_without_organisation(role):
    with pytest.raises(ValidationError) as refused:
        services.user_create(actor=None, username="no-org", role=role, organisation=None)
    assert RULE in refused.value.messages
    assert not User.objects.filter(username="no-org").exists()
    assert not AuditEntry.objects.filter(action="account.create").exists()


def test_an_administrator_needs_no_organisation():
    created = services.user_create(actor=None, username="admin2", role=Role.ADMINISTRATOR, organisation=None)
    assert created.user.organisation is None


@pytest.mark.parametrize("role", ROLES_IN_AN_ORGANISATION)
def test_the_service_refuses_to_take_the_organisation_away(personas, role):
    # given an account of a role that needs an organisation
    target = personas["reviewer"]
    # when an administrator's change would leave it without one (as reviewer or any other role)
    with pytest.raises(ValidationError) as refused:
        services.user_update(actor=personas["administrator"], user_id=target.pk, role=role, organisation=None)
    # then nothing changed and nothing was recorded
    assert RULE in refused.value.messages
    target.refresh_from_db()
    assert (target.role, target.organisation_id) == ("reviewer", personas["reviewer"].organisation_id)
    assert not AuditEntry.objects.filter(action__in=["account.role_change", "account.scope_change"]).exists()


def test_an_administrator_may_be_made_a_reviewer_only_with_an_organisation(personas, organisation):
    admin = services.user_create(
        actor=None, username="admin2", role=Role.ADMINISTRATOR, organisation=None
    ).user
    with pytest.raises(ValidationError):
        services.user_update(
            actor=personas["administrator"], user_id=admin.pk, role="reviewer", organisation=None
        )
    services.user_update(
        actor=personas["administrator"], user_id=admin.pk, role="reviewer", organisation=organisation
    )
    admin.refresh_from_db()
    assert (admin.role, admin.organisation) == ("reviewer", organisation)


def test_full_clean_reports_the_rule():
    with pytest.raises(ValidationError) as refused:
        User(username="loose", role="coordinator").full_clean(exclude=["password"])
    assert RULE in refused.value.messages


@pytest.mark.parametrize("role", ROLES_IN_AN_ORGANISATION)
def test_the_database_refuses_what_skips_the_model(role):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="raw", role=role)


def test_the_database_refuses_an_update_that_removes_the_organisation(personas):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=personas["analyst"].pk).update(organisation=None)
    # an administrator without an organisation may not become another role without one either
    admin = User.objects.create(username="admin2", role=Role.ADMINISTRATOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=admin.pk).update(role=Role.CUSTODIAN)


def test_create_reviewer_refuses_a_role_without_organisation():
    with pytest.raises(CommandError, match="--organisation is required"):
        call_command("create_reviewer", "someone", "--role", "custodian", stdout=StringIO())
    assert not User.objects.filter(username="someone").exists()
