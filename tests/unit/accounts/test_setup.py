"""First-time setup: create_reviewer's one-time link, password, authenticator app, backup codes."""

from __future__ import annotations

import re
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.unit.accounts.helpers import PASSWORD, login_step1, totp_code

pytestmark = pytest.mark.django_db


def create_reviewer(*args) -> str:
    out = StringIO()
    call_command("create_reviewer", *args, stdout=out)
    return out.getvalue()


def setup_path(output: str) -> str:
    match = re.search(r"https?://[^/\s]+(/console/setup/[^\s]+/)", output)
    assert match, output
    return match.group(1)


def test_create_reviewer_makes_an_account_without_password_and_prints_a_link(db):
    from testimony.accounts.models import User

    output = create_reviewer(
        "amina", "--role", "reviewer", "--organisation", "Memorial", "--caseload", "Detention"
    )
    user = User.objects.get(username="amina")
    assert user.role == "reviewer"
    assert user.organisation.name == "Memorial"
    assert [c.name for c in user.caseloads.all()] == ["Detention"]
    assert not user.has_usable_password()
    assert setup_path(output)
    from testimony.audit.models import AuditEntry

    assert AuditEntry.objects.filter(action="account.create", object_id=str(user.pk)).exists()


def finish_setup(client, path: str) -> list[str]:
    """Walk through the setup pages; return the backup codes shown at the end."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("console:setup_totp")
    page = client.get(reverse("console:setup_totp"))
    html = page.content.decode()
    assert "<svg" in html
    assert 'id="totp-secret"' in html
    assert "otpauth://totp/" in html
    assert "<script>" not in html
    assert " style=" not in html
    device = TOTPDevice.objects.get(confirmed=False)
    response = client.post(reverse("console:setup_totp"), {"code": totp_code(device)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", response.content.decode())
    device.refresh_from_db()
    assert device.confirmed
    return codes


def test_setup_link_leads_to_a_working_login(client, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    codes = finish_setup(client, path)
    assert len(codes) == 10

    # the account now logs in with the password it chose and its app
    device = TOTPDevice.objects.get(user__username="amina")
    client.cookies.clear()
    assert login_step1(client, "amina").status_code == 302
    # (a backup code: the app's current code was just spent confirming the device)
    response = client.post(reverse("console:verify"), {"code": codes[0]})
    assert response.status_code == 302
    assert device.confirmed


def test_a_setup_link_works_once(client, db):
    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    finish_setup(client, path)
    client.cookies.clear()
    page = client.get(path)
    assert page.status_code == 404
    assert b'id="setup-invalid"' in page.content
    response = client.post(
        path, {"password1": "another long passphrase", "password2": "another long passphrase"}
    )
    assert response.status_code == 404
    from testimony.accounts.models import User

    assert User.objects.get(username="amina").check_password(PASSWORD)


def test_opening_a_link_does_not_spend_it(client, db):
    # Link previews in chat apps fetch the page; only choosing a password spends the link.
    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    assert client.get(path).status_code == 200
    assert client.get(path).status_code == 200


def test_a_setup_link_expires(client, db, monkeypatch):
    from testimony.accounts import services

    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    later = time.time() + services.SETUP_LINK_MAX_AGE_SECONDS + 60
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.get(path).status_code == 404
    response = client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 404


def test_a_tampered_link_is_refused(client, db):
    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    assert client.get(path[:-3] + "xx/").status_code == 404


def test_a_new_link_replaces_the_old_one(client, personas):
    from testimony.accounts import services

    old = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    from testimony.accounts.models import User

    user = User.objects.get(username="amina")
    token = services.user_setup_link_reissue(actor=personas["administrator"], user_id=user.pk)
    assert client.get(old).status_code == 404
    assert client.get(reverse("console:setup", args=[token])).status_code == 200


def test_weak_passwords_are_refused(client, db):
    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    response = client.post(path, {"password1": "password123", "password2": "password123"})
    assert response.status_code == 200
    assert b"errorlist" in response.content
    from testimony.accounts.models import User

    assert not User.objects.get(username="amina").has_usable_password()


def test_the_authenticator_step_needs_the_password_step_first(client, db):
    assert client.get(reverse("console:setup_totp")).status_code == 404


def test_a_half_set_up_account_cannot_use_the_console(client, db):
    path = setup_path(create_reviewer("amina", "--role", "reviewer", "--organisation", "Memorial"))
    client.post(path, {"password1": PASSWORD, "password2": PASSWORD})
    client.cookies.clear()
    response = login_step1(client, "amina")
    assert response.status_code == 200
    assert b"no second factor" in response.content


def test_create_reviewer_with_totp_prints_the_secret_and_the_account_logs_in(client, db):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    output = create_reviewer(
        "rustam", "--role", "coordinator", "--organisation", "Memorial", "--totp", "--password", PASSWORD
    )
    assert "TOTP secret:" in output
    assert "otpauth://totp/" in output
    assert PASSWORD not in output
    device = TOTPDevice.objects.get(user__username="rustam", confirmed=True)
    secret = re.search(r"TOTP secret: (\S+)", output).group(1)
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    assert login_step1(client, "rustam").status_code == 302
    assert client.post(reverse("console:verify"), {"code": totp_code(device)}).status_code == 302


def test_create_reviewer_generates_a_password_when_none_is_given(db):
    from testimony.accounts.models import User

    output = create_reviewer("rustam", "--role", "analyst", "--organisation", "Memorial", "--totp")
    password = re.search(r"password:\s+(\S+)", output).group(1)
    assert User.objects.get(username="rustam").check_password(password)


@pytest.mark.parametrize("password", ["123456789012", "short"])
def test_create_reviewer_with_a_weak_password_writes_nothing(db, password):
    from django.core.management.base import CommandError

    from testimony.accounts.models import Caseload, Organisation, User
    from testimony.audit.models import AuditEntry

    audit_before = AuditEntry.objects.count()
    with pytest.raises(CommandError):
        create_reviewer(
            "rustam", "--role", "coordinator", "--organisation", "Nowhere", "--caseload", "Raids",
            "--totp", "--password", password,
        )  # fmt: skip
    # no account, no organisation or caseload made for it, and no stray audit row
    assert not User.objects.filter(username="rustam").exists()
    assert not Organisation.objects.filter(name="Nowhere").exists()
    assert not Caseload.objects.filter(name="Raids").exists()
    assert AuditEntry.objects.count() == audit_before


def test_create_reviewer_refused_for_a_bad_role_setup_writes_nothing(db):
    from django.core.management.base import CommandError

    from testimony.audit.models import AuditEntry

    with pytest.raises(CommandError):
        create_reviewer("rustam", "--role", "reviewer", "--caseload", "Raids")
    assert not AuditEntry.objects.exists()


def test_load_demo_accounts_is_idempotent(db, tmp_path, settings):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimony.accounts.models import Organisation, User

    settings.VAR_DIR = tmp_path
    first, second = StringIO(), StringIO()
    call_command("load_demo_accounts", stdout=first)
    call_command("load_demo_accounts", stdout=second)
    assert first.getvalue() == second.getvalue()
    assert "local demonstration only" in first.getvalue()
    assert Organisation.objects.filter(receives_intake=True).count() == 1
    # Caseloads to route reports to, once each.
    demo = Organisation.objects.get(receives_intake=True)
    assert sorted(demo.caseloads.values_list("name", flat=True)) == ["Detention and recruitment", "Raids"]
    for username, role in [("demo-reviewer", "reviewer"), ("demo-coordinator", "coordinator")]:
        user = User.objects.get(username=username)
        assert user.role == role
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        password = re.search(rf"{username}\s+password (\S+)", first.getvalue()).group(1)
        assert user.check_password(password)
    code = StringIO()
    call_command("load_demo_accounts", "--code", "demo-reviewer", stdout=code)
    device = TOTPDevice.objects.get(user__username="demo-reviewer")
    assert code.getvalue().strip() == totp_code(device)
