"""Security keys and device names (issue 4): names a person gives, never an English default.

The ceremonies themselves run in Chromium (tests/browser/test_webauthn.py); here are the parts
around them: naming a key, the refusal of a credential the server did not register for this
account, and the device list in the reader's language.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimony.accounts import services
from testimony.audit.models import AuditEntry
from tests.unit.accounts.helpers import login_step1, with_password_and_totp
from tests.unit.accounts.test_console_language import compiled_catalogues  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _key(user, *, name: str = "", credential_id: bytes = b"\x01" * 16):
    from django_otp_webauthn.models import WebAuthnCredential

    return WebAuthnCredential.objects.create(
        user=user, name=name, confirmed=True, public_key=b"\x00", credential_id=credential_id
    )


@pytest.fixture
def me(personas):
    user = personas["reviewer"]
    user.device = with_password_and_totp(user)
    return user


def _device_rows(html: str) -> list[str]:
    body = re.search(r'<table class="devices">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [re.sub(r"<[^>]+>|\s+", " ", row).strip() for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_new_devices_are_stored_without_an_english_name(me):
    assert services.totp_device_start(user=me).name == ""
    services.backup_codes_regenerate(user=me)
    assert StaticDevice.objects.get(user=me).name == ""
    other = me.__class__.objects.create(username="offline", role="reviewer", organisation=me.organisation)
    assert services.user_offline_setup(user=other, password="x" * 20).name == ""


def test_a_russian_reader_sees_every_device_kind_in_russian(me, console_client):
    # given devices stored the old way (English default names) and the new way (no name)
    TOTPDevice.objects.filter(pk=me.device.pk).update(name="Authenticator app")
    StaticDevice.objects.create(user=me, name="Backup codes", confirmed=True)
    _key(me, name="", credential_id=b"\x02" * 16)
    _key(me, name="Security key", credential_id=b"\x03" * 16)
    _key(me, name="Синий ключ", credential_id=b"\x04" * 16)
    me.console_language = "ru"
    me.save(update_fields=["console_language"])

    response = console_client(me).get(reverse("console:account"))

    assert response["Content-Language"] == "ru"
    rows = _device_rows(response.content.decode())
    assert rows[0].startswith("Приложение-аутентификатор")
    assert [row.startswith("Ключ безопасности") for row in rows[1:4]] == [True, True, True]
    assert rows[4].startswith("Резервные коды")
    assert "Синий ключ" in rows[3]
    for english in ("Authenticator app", "Security key", "Backup codes"):
        assert not any(english in row for row in rows), (english, rows)


def test_the_administrators_list_shows_no_english_default_either(personas, console_client, me):
    admin = personas["administrator"]
    with_password_and_totp(admin)
    TOTPDevice.objects.filter(pk=me.device.pk).update(name="Authenticator app")
    _key(me, name="Синий ключ")

    html = console_client(admin).get(reverse("console:user", args=[me.pk])).content.decode()

    assert "Authenticator app</li>" in html  # the kind, in the administrator's English
    assert "Authenticator app: Authenticator app" not in html
    assert "Security key: Синий ключ" in html


def test_a_key_is_named_by_its_owner_only(me, personas, console_client):
    key = _key(me)
    other = personas["custodian"]
    with_password_and_totp(other)
    others_key = _key(other, credential_id=b"\x09" * 16)
    client = console_client(me)

    response = client.post(reverse("console:account_key_name"), {"key": key.pk, "name": "  blue \n key "})
    assert response.status_code == 302
    assert response["Location"].endswith("?done=key_named")
    key.refresh_from_db()
    assert key.name == "blue key"
    [entry] = AuditEntry.objects.filter(action="account.second_factor_rename", actor_id=me.pk)
    assert entry.details == {"kind": "key", "device": key.persistent_id}
    assert "blue" not in str(entry.details)

    refused = client.post(reverse("console:account_key_name"), {"key": others_key.pk, "name": "mine now"})
    assert refused.status_code == 400
    others_key.refresh_from_db()
    assert others_key.name == ""

    client.post(reverse("console:account_key_name"), {"key": key.pk, "name": "k" * 100})
    key.refresh_from_db()
    assert key.name == "k" * 64  # django-otp's column holds 64


def test_naming_a_key_needs_a_verified_session(client, me):
    key = _key(me)
    login_step1(client, "reviewer")
    response = client.post(reverse("console:account_key_name"), {"key": key.pk, "name": "x"})
    assert response.status_code == 302
    assert "/console/login/" in response["Location"]
    key.refresh_from_db()
    assert key.name == ""


def _assertion(credential_id: bytes) -> dict:
    from webauthn.helpers import bytes_to_base64url

    raw = bytes_to_base64url(credential_id)
    junk = bytes_to_base64url(b"\x00" * 37)
    return {
        "id": raw,
        "rawId": raw,
        "type": "public-key",
        "response": {"clientDataJSON": junk, "authenticatorData": junk, "signature": junk},
        "clientExtensionResults": {},
    }


@pytest.mark.parametrize("whose", ["unknown", "another account's", "own, but the answer is forged"])
def test_a_key_not_registered_for_this_account_is_refused_in_the_consoles_words(client, me, personas, whose):
    other = personas["custodian"]
    credential_id = {"unknown": b"\x07" * 16, "another account's": b"\x08" * 16}.get(whose, b"\x01" * 16)
    _key(me)
    _key(other, credential_id=b"\x08" * 16)
    login_step1(client, "reviewer")
    assert client.post(reverse("console:webauthn_auth_begin")).status_code == 200

    response = client.post(
        reverse("console:webauthn_auth_complete"), _assertion(credential_id), content_type="application/json"
    )

    assert response.status_code == 403
    assert response.json()["code"] == "key_not_accepted"
    assert "passkey" not in response.json()["detail"].lower()
    assert client.get(reverse("console:queue")).status_code == 302  # still not verified
    assert not AuditEntry.objects.filter(action="console.login").exists()
