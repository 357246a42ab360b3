"""Security keys in Chromium, with its virtual authenticator (WebAuthn over the DevTools protocol).

Issue 4, "Reviewer console accounts": a reviewer who logs in with an authenticator app adds a
named security key on the account page, then logs in with password and key instead of a code;
the stored credential and its sign counter follow the key; a key the authenticator no longer
holds, another account's key and a key removed from the account are refused with words the
person can act on, and none of them verifies the session.

The virtual authenticator is a CTAP2 USB key that holds discoverable credentials, verifies its
user and answers without a touch, so the ceremonies run headless with the console's own pages
and scripts (django-otp-webauthn's, console/js/accounts.js).
"""

from __future__ import annotations

import base64
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import screenshot
from tests.browser.helpers import log_in, password_step, person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1280, "height": 860}
KEY = {
    "protocol": "ctap2",
    "transport": "usb",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}
# The ceremonies wait this long at most for the authenticator and the server (milliseconds).
CEREMONY_MS = 15_000


@pytest.fixture(autouse=True)
def _relying_party(settings, live_server):
    """The live server is the relying party: its host is the RP ID, its origin the only one allowed.

    http://localhost is a secure context, so Chromium offers WebAuthn there without TLS.
    """
    settings.OTP_WEBAUTHN_RP_ID = urlsplit(live_server.url).hostname
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]


def _reviewer(username: str):
    from testimony.accounts.models import Organisation

    organisation, _created = Organisation.objects.get_or_create(
        name="Intake organisation", defaults={"receives_intake": True}
    )
    return person(username, "reviewer", organisation)


@pytest.fixture
def reviewer(db):
    return _reviewer("rustam")


@pytest.fixture
def other_reviewer(db):
    return _reviewer("dilnoza")


class Browser:
    """One browser context with a DevTools session for its virtual authenticators."""

    def __init__(self, context, live_server) -> None:
        self.base = live_server.url
        self.page = context.new_page()
        self.page.set_default_timeout(CEREMONY_MS)
        self.cdp = context.new_cdp_session(self.page)
        self.cdp.send("WebAuthn.enable")
        self.authenticator = self.add_authenticator()

    def add_authenticator(self) -> str:
        return self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": KEY})["authenticatorId"]

    def credentials(self, authenticator: str | None = None) -> list[dict]:
        """What the authenticator holds (ids base64, standard alphabet, as DevTools gives them)."""
        return self.cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": authenticator or self.authenticator}
        )["credentials"]

    def password_step(self, user) -> None:
        password_step(self.page, self.base, user)

    def log_in_with_code(self, user, device) -> None:
        log_in(self.page, self.base, user, device)

    def add_key(self, name: str, *, shot: str | None = None) -> None:
        page = self.page
        page.goto(f"{self.base}/console/account/")
        page.fill("#key-name", name)
        if shot:
            screenshot(page, shot)
        page.click("#passkey-register-button")
        page.wait_for_url(re.compile(r".*/console/account/\?done=key_added$"))

    def log_out(self) -> None:
        self.page.click("header form[action$='/logout/'] button[type=submit]")
        self.page.wait_for_url(re.compile(r".*/console/login/.*"))

    def use_key(self) -> None:
        self.page.click("#passkey-verification-button")

    def key_status(self) -> str:
        status = self.page.locator("#passkey-verification-status-message")
        status.filter(has_text=re.compile(r"\S")).wait_for()
        return status.inner_text()

    def console_opens(self) -> bool:
        """Whether this session reaches the queue (an unverified one is sent back to a login step)."""
        self.page.goto(f"{self.base}/console/queue/")
        return urlsplit(self.page.url).path == "/console/queue/"


@pytest.fixture
def chromium(browser, live_server):
    context = browser.new_context(viewport=LAPTOP)
    yield Browser(context, live_server)
    context.close()


def _keys(user) -> list:
    from django_otp_webauthn.models import WebAuthnCredential

    return list(WebAuthnCredential.objects.filter(user=user).order_by("pk"))


def _audit(action: str, user) -> list[dict]:
    from testimony.audit.models import AuditEntry

    return list(AuditEntry.objects.filter(action=action, actor_id=user.pk).values_list("details", flat=True))


def _b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode()


def test_a_reviewer_adds_a_named_key_and_logs_in_with_it_instead_of_a_code(chromium, reviewer):
    user, device = reviewer

    # given a reviewer logged in with password and authenticator app
    chromium.log_in_with_code(user, device)

    # when they add a key on the account page, with a name
    chromium.add_key("Синий ключ", shot="webauthn-account-add-key")
    screenshot(chromium.page, "webauthn-account-key-added")

    # then the credential the authenticator made is stored for them, with its name and counter
    [held] = chromium.credentials()
    [key] = _keys(user)
    assert key.confirmed
    assert _b64(key.credential_id) == held["credentialId"]
    assert held["rpId"] == "localhost"
    assert key.sign_count == held["signCount"] >= 1
    assert key.name == "Синий ключ"
    assert key.discoverable is True
    assert _audit("account.second_factor_add", user) == [{"kind": "key", "device": key.persistent_id}]
    row = chromium.page.locator("table.devices tr", has_text="Синий ключ")
    assert row.count() == 1
    assert "Security key" in row.inner_text()

    # the same key cannot be added twice
    chromium.page.fill("#key-name", "again")
    chromium.page.click("#passkey-register-button")
    status = chromium.page.locator("#passkey-register-status-message")
    status.filter(has_text="already registered").wait_for()
    assert status.inner_text() == "This security key is already registered for your account."
    assert len(_keys(user)) == 1

    # when they log out and log in again with the password, then the key
    chromium.log_out()
    chromium.password_step(user)
    chromium.use_key()
    chromium.page.wait_for_url(re.compile(r".*/console/queue/.*"))

    # then the console opens, the counter moved with the authenticator's, and the login says "key"
    assert chromium.console_opens()
    key.refresh_from_db()
    [held] = chromium.credentials()
    assert key.sign_count == held["signCount"] >= 2
    assert key.last_used_at is not None
    assert {"factor": "key"} in _audit("console.login", user)


def test_a_key_the_authenticator_no_longer_holds_is_refused(chromium, reviewer):
    user, device = reviewer
    chromium.log_in_with_code(user, device)
    chromium.add_key("USB")
    [held] = chromium.credentials()
    chromium.log_out()
    # The key was wiped (or it is another key that was never added here).
    chromium.cdp.send(
        "WebAuthn.removeCredential",
        {"authenticatorId": chromium.authenticator, "credentialId": held["credentialId"]},
    )

    chromium.password_step(user)
    chromium.use_key()

    assert chromium.key_status().startswith("No security key registered for this account answered")
    assert urlsplit(chromium.page.url).path == "/console/verify/"
    assert not chromium.console_opens()
    assert {"factor": "key"} not in _audit("console.login", user)
    assert _keys(user)[0].sign_count == held["signCount"]


def _offer_any_key(page) -> None:
    """Drop the server's list of this account's keys from the options the page receives.

    Stands in for a modified browser: the authenticator then answers with whatever discoverable
    credential it holds for this site, whichever account it was registered for. The server must
    refuse what it did not ask for.
    """

    def handle(route) -> None:
        response = route.fetch()
        options = response.json()
        options["allowCredentials"] = []
        route.fulfill(response=response, json=options)

    page.route("**/console/webauthn/authentication/begin/", handle)


def test_another_accounts_key_and_a_removed_key_are_refused(chromium, reviewer, other_reviewer):
    from testimony.audit.models import AuditEntry

    user, device = reviewer
    other, other_device = other_reviewer
    # Rustam adds his key on one authenticator, which he then takes away.
    chromium.log_in_with_code(user, device)
    chromium.add_key("mine")
    chromium.log_out()
    chromium.cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": chromium.authenticator})
    # Dilnoza adds hers on the authenticator left in this browser.
    chromium.authenticator = chromium.add_authenticator()
    chromium.log_in_with_code(other, other_device)
    chromium.add_key("hers")
    chromium.log_out()
    [hers] = _keys(other)
    counter = hers.sign_count

    # when Rustam, past his password, answers with Dilnoza's key
    chromium.password_step(user)
    _offer_any_key(chromium.page)
    chromium.use_key()

    # then the key is refused, in words that say what to do, and the session stays unverified
    message = chromium.key_status()
    assert message.startswith("This security key is not one registered for your account")
    assert "passkey" not in message.lower()
    assert urlsplit(chromium.page.url).path == "/console/verify/"
    screenshot(chromium.page, "webauthn-verify-refused")
    hers.refresh_from_db()
    assert hers.sign_count == counter  # refused before its signature was even checked
    logins = AuditEntry.objects.filter(action="console.login", actor_id=user.pk).count()

    # when Dilnoza's key is removed from her account and offered again
    hers.delete()
    chromium.page.locator("#passkey-verification-status-message").evaluate(
        "status => status.textContent = ''"
    )
    chromium.use_key()

    # then it is refused the same way
    assert chromium.key_status().startswith("This security key is not one registered for your account")
    assert not chromium.console_opens()
    assert AuditEntry.objects.filter(action="console.login", actor_id=user.pk).count() == logins
