"""Administrators' account pages: who may open them, and every change audited in its transaction."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from testimony.audit.models import AuditEntry
from tests.unit.accounts.helpers import login_step1, with_password_and_totp

pytestmark = pytest.mark.django_db


def audited(action: str, user) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action, object_type="user", object_id=str(user.pk)))


@pytest.fixture
def admin(console_client, personas):
    return console_client(personas["administrator"])


@pytest.mark.parametrize("role", ["reviewer", "coordinator", "custodian", "analyst"])
def test_other_roles_get_403_on_every_admin_page(console_client, personas, role):
    client = console_client(personas[role])
    target = personas["reviewer_detention_only"]
    assert client.get(reverse("console:users")).status_code == 403
    assert client.get(reverse("console:user_create")).status_code == 403
    assert (
        client.post(reverse("console:user_create"), {"username": "x", "role": "reviewer"}).status_code == 403
    )
    assert client.get(reverse("console:user", args=[target.pk])).status_code == 403
    for action in ("deactivate", "reactivate", "unlock", "reset", "setup-link"):
        response = client.post(reverse("console:user_action", args=[target.pk, action]))
        assert response.status_code == 403
    target.refresh_from_db()
    assert target.is_active
    assert not AuditEntry.objects.filter(action__startswith="account.").exists()


def test_the_list_shows_role_organisation_caseloads_and_state(admin, personas):
    html = admin.get(reverse("console:users")).content.decode()
    for name in ("reviewer", "partner_reviewer", "reviewer_detention_only"):
        assert f">{name}</a>" in html
    assert "Detention" in html
    assert "Partner organisation" in html
    assert "not set up" in html  # the personas have no usable password


def test_creating_an_account_gives_a_setup_link_and_is_audited(admin, personas, organisation, caseloads):
    from testimony.accounts.models import User

    response = admin.post(
        reverse("console:user_create"),
        {
            "username": "new-reviewer",
            "role": "reviewer",
            "organisation": organisation.pk,
            "caseloads": [caseloads["moscow"].pk],
        },
    )
    assert response.status_code == 200
    match = re.search(r'id="setup-url">https?://[^<]+(/console/setup/[^<]+/)<', response.content.decode())
    assert match
    user = User.objects.get(username="new-reviewer")
    assert not user.has_usable_password()
    assert list(user.caseloads.all()) == [caseloads["moscow"]]
    entry = audited("account.create", user)[0]
    assert entry.actor_id == personas["administrator"].pk
    assert entry.details == {
        "role": "reviewer",
        "organisation": organisation.pk,
        "caseloads": [caseloads["moscow"].pk],
    }


def test_caseloads_must_belong_to_the_organisation(admin, personas, caseloads):
    partner = personas["partner_reviewer"].organisation
    response = admin.post(
        reverse("console:user_create"),
        {
            "username": "mixed",
            "role": "reviewer",
            "organisation": partner.pk,
            "caseloads": [caseloads["moscow"].pk],
        },
    )
    assert response.status_code == 200
    assert b"must belong" in response.content
    from testimony.accounts.models import User

    assert not User.objects.filter(username="mixed").exists()


def test_a_role_change_is_audited(admin, personas, organisation):
    target = personas["reviewer"]
    response = admin.post(
        reverse("console:user", args=[target.pk]), {"role": "coordinator", "organisation": organisation.pk}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == "coordinator"
    [entry] = audited("account.role_change", target)
    assert entry.details["before"]["role"] == "reviewer"
    assert entry.details["after"]["role"] == "coordinator"


def test_administrators_cannot_change_their_own_role(admin, personas, organisation):
    me = personas["administrator"]
    response = admin.post(
        reverse("console:user", args=[me.pk]), {"role": "custodian", "organisation": organisation.pk}
    )
    assert response.status_code == 200
    assert b"your own role" in response.content
    me.refresh_from_db()
    assert me.role == "administrator"
    assert not audited("account.role_change", me)


def test_deactivation_ends_the_persons_sessions_and_is_audited(admin, personas, client):
    from django.test import Client

    from tests.unit.conftest import verified_client

    target = personas["reviewer"]
    theirs = verified_client(Client(), target)
    assert theirs.get(reverse("console:account")).status_code == 200

    assert admin.post(reverse("console:user_action", args=[target.pk, "deactivate"])).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    assert audited("account.deactivate", target)
    assert theirs.get(reverse("console:account")).status_code == 302

    assert admin.post(reverse("console:user_action", args=[target.pk, "reactivate"])).status_code == 302
    target.refresh_from_db()
    assert target.is_active
    assert audited("account.reactivate", target)


def test_administrators_cannot_deactivate_or_reset_themselves(admin, personas):
    me = personas["administrator"]
    for action in ("deactivate", "reset"):
        assert admin.post(reverse("console:user_action", args=[me.pk, action])).status_code == 400
    me.refresh_from_db()
    assert me.is_active


def test_unlock_clears_the_lockout_and_is_audited(admin, personas):
    from axes.models import AccessAttempt
    from django.test import Client

    target = personas["reviewer"]
    with_password_and_totp(target)
    stranger = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_step1(stranger, "reviewer", "wrong wrong wrong")
    assert login_step1(stranger, "reviewer").status_code == 429
    assert "locked out" in admin.get(reverse("console:users")).content.decode()

    assert admin.post(reverse("console:user_action", args=[target.pk, "unlock"])).status_code == 302
    assert not AccessAttempt.objects.filter(username="reviewer").exists()
    [entry] = audited("account.unlock", target)
    assert entry.details == {"attempt_records": 1}
    assert login_step1(stranger, "reviewer").status_code == 302


def test_reset_second_factor_removes_devices_and_password_and_gives_a_new_link(admin, personas):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    target = personas["reviewer"]
    device = with_password_and_totp(target)
    response = admin.post(reverse("console:user_action", args=[target.pk, "reset"]))
    assert response.status_code == 200
    path = re.search(r"(/console/setup/[^<\s]+/)", response.content.decode()).group(1)
    target.refresh_from_db()
    assert not target.has_usable_password()
    assert not TOTPDevice.objects.filter(user=target).exists()
    [entry] = audited("account.second_factor_reset", target)
    assert entry.details == {"devices_removed": 1}

    # the old password and app are useless; the new link works
    person = Client()
    refused = login_step1(person, "reviewer")
    assert refused.status_code == 200
    assert b"The login name or password is not right." in refused.content
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert person.get(path).status_code == 200


def test_audit_chain_holds_after_account_changes(admin, personas, organisation):
    from io import StringIO

    from django.core.management import call_command

    admin.post(
        reverse("console:user", args=[personas["analyst"].pk]),
        {"role": "reviewer", "organisation": organisation.pk},
    )
    admin.post(reverse("console:user_action", args=[personas["custodian"].pk, "deactivate"]))
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert AuditEntry.objects.count() >= 2


def test_an_unknown_account_is_404(admin):
    assert admin.get(reverse("console:user", args=[999999])).status_code == 404
    assert admin.post(reverse("console:user_action", args=[999999, "unlock"])).status_code == 404


def test_an_unknown_action_is_404(admin, personas):
    assert (
        admin.post(reverse("console:user_action", args=[personas["reviewer"].pk, "promote"])).status_code
        == 404
    )


def test_admin_pages_are_csp_clean(admin, personas):
    for url in (reverse("console:users"), reverse("console:user", args=[personas["reviewer"].pk])):
        html = admin.get(url).content.decode()
        assert " style=" not in html
        assert "<script>" not in html
        assert " onclick" not in html
