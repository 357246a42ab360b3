"""One's own account: password, second factors (never the last one), backup codes, language."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimony.audit.models import AuditEntry
from tests.unit.accounts.helpers import PASSWORD, login_step1, totp_code, with_password_and_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(personas):
    user = personas["reviewer"]
    user.device = with_password_and_totp(user)
    return user


@pytest.fixture
def client_me(console_client, me):
    return console_client(me)


def test_account_page_renders_without_inline_script_or_style(client_me, me):
    response = client_me.get(reverse("console:account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Authenticator app" in html
    assert 'id="otp_webauthn_config" type="application/json"' in html
    assert 'id="passkey-register-button"' in html
    assert " style=" not in html
    assert " onclick" not in html
    assert all("src=" in tag for tag in re.findall(r"<script(?![^>]*application/json)[^>]*>", html))
    # the one device left cannot be removed from the page
    assert "last one: add another first" in html


def test_backup_codes_are_replaced_and_shown_once(client_me, me):
    first = client_me.post(reverse("console:account_backup_codes"))
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", first.content.decode())
    assert len(codes) == 10
    second = client_me.post(reverse("console:account_backup_codes"))
    new_codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", second.content.decode())
    assert set(codes).isdisjoint(new_codes)
    assert StaticDevice.objects.filter(user=me).count() == 1
    assert StaticDevice.objects.get(user=me).token_set.count() == 10
    # the page with the list does not show them again
    assert codes[0] not in client_me.get(reverse("console:account")).content.decode()
    entries = AuditEntry.objects.filter(action="account.backup_codes", actor_id=me.pk)
    assert entries.count() == 2
    assert all(code not in str(entry.details) for entry in entries for code in codes)


def test_the_last_authenticator_cannot_be_removed(client_me, me):
    response = client_me.post(reverse("console:account_device_remove"), {"device": me.device.persistent_id})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(pk=me.device.pk).exists()


def test_a_second_authenticator_makes_the_first_removable(client_me, me):
    page = client_me.get(reverse("console:account_totp"))
    assert b"<svg" in page.content
    new = TOTPDevice.objects.get(user=me, confirmed=False)
    response = client_me.post(reverse("console:account_totp"), {"code": totp_code(new)})
    assert response.status_code == 302
    new.refresh_from_db()
    assert new.confirmed

    response = client_me.post(reverse("console:account_device_remove"), {"device": me.device.persistent_id})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=me.device.pk).exists()
    assert AuditEntry.objects.filter(action="account.second_factor_remove", actor_id=me.pk).exists()


def test_backup_codes_alone_do_not_count_as_a_second_factor(client_me, me):
    client_me.post(reverse("console:account_backup_codes"))
    response = client_me.post(reverse("console:account_device_remove"), {"device": me.device.persistent_id})
    assert response.status_code == 400


def test_someone_elses_device_cannot_be_removed(client_me, personas):
    other = with_password_and_totp(personas["coordinator"])
    TOTPDevice.objects.create(user=personas["coordinator"], name="spare", confirmed=True)
    response = client_me.post(reverse("console:account_device_remove"), {"device": other.persistent_id})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(pk=other.pk).exists()


def test_password_change_needs_the_current_password(client_me, me):
    new = "a different long passphrase"
    wrong = client_me.post(
        reverse("console:account_password"), {"current": "not it at all", "password1": new, "password2": new}
    )
    assert wrong.status_code == 400
    me.refresh_from_db()
    assert me.check_password(PASSWORD)

    right = client_me.post(
        reverse("console:account_password"), {"current": PASSWORD, "password1": new, "password2": new}
    )
    assert right.status_code == 302
    me.refresh_from_db()
    assert me.check_password(new)
    # this session stays logged in
    assert client_me.get(reverse("console:account")).status_code == 200
    assert AuditEntry.objects.filter(action="account.password_change", actor_id=me.pk).exists()


def test_console_language_is_the_accounts(client_me, me):
    assert client_me.post(reverse("console:account_language"), {"language": "ru"}).status_code == 302
    me.refresh_from_db()
    assert me.console_language == "ru"
    response = client_me.get(reverse("console:account"))
    assert response["Content-Language"] == "ru"
    assert client_me.post(reverse("console:account_language"), {"language": "xx"}).status_code == 302
    me.refresh_from_db()
    assert me.console_language == "ru"


def test_the_verify_page_offers_a_security_key_only_to_those_who_have_one(client, me):
    from django_otp_webauthn.models import WebAuthnCredential

    login_step1(client, "reviewer")
    assert b"passkey-verification-button" not in client.get(reverse("console:verify")).content
    WebAuthnCredential.objects.create(
        user=me,
        name="key",
        confirmed=True,
        public_key=b"\x00",
        credential_id=b"\x01" * 16,
        sign_count=0,
    )
    html = client.get(reverse("console:verify")).content.decode()
    assert "passkey-verification-button" in html
    assert 'id="otp_webauthn_config"' in html
    assert " style=" not in html
