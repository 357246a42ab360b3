"""django-otp-webauthn's script words in the console's language (issue 4).

The library's scripts call gettext() for their progress and failure words ("Registering...");
the console serves Django's JavaScriptCatalog from its own origin (console:webauthn_jsi18n),
which merges locale/ru/LC_MESSAGES/djangojs.po over the library's catalogues (none Russian).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import django_otp_webauthn
import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.unit.accounts.helpers import login_step1, with_password_and_totp
from tests.unit.accounts.test_console_language import compiled_catalogues  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

LIBRARY_SCRIPTS = Path(django_otp_webauthn.__file__).parent / "static" / "django_otp_webauthn"
CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "ru" / "LC_MESSAGES" / "djangojs.po"


def _library_msgids() -> set[str]:
    found: set[str] = set()
    for script in ("otp_webauthn_register.js", "otp_webauthn_auth.js"):
        source = (LIBRARY_SCRIPTS / script).read_text(encoding="utf-8")
        found |= {json.loads(literal) for literal in re.findall(r'gettext\(("(?:[^"\\]|\\.)*")\)', source)}
    return found


def _served_catalogue(response) -> dict:
    """The translations in the JavaScriptCatalog script (its ``newcatalog`` object)."""
    body = response.content.decode()
    match = re.search(r"const newcatalog = (\{.*?\n  \});", body, re.S)
    return json.loads(match.group(1)) if match else {}


def _speaking(user, language: str) -> None:
    user.console_language = language
    user.save(update_fields=["console_language"])


def test_the_catalogue_holds_exactly_the_library_words_all_translated():
    catalogue = polib.pofile(str(CATALOGUE))
    library = _library_msgids()

    assert len(library) > 20  # the pattern still finds the library's calls
    assert {entry.msgid for entry in catalogue if not entry.obsolete} == library
    assert catalogue.percent_translated() == 100
    assert not catalogue.fuzzy_entries()


def test_a_russian_account_gets_the_library_words_in_russian(personas, console_client):
    reviewer = personas["reviewer"]
    _speaking(reviewer, "ru")

    response = console_client(reviewer).get(reverse("console:webauthn_jsi18n"))

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    served = _served_catalogue(response)
    assert served["Registering..."] == "Добавление ключа…"
    assert served["Verifying..."] == "Проверка…"
    assert set(served) >= _library_msgids()


def test_an_english_account_gets_no_russian(personas, console_client):
    reviewer = personas["reviewer"]
    _speaking(reviewer, "en")

    response = console_client(reviewer).get(reverse("console:webauthn_jsi18n"))

    assert response.status_code == 200
    assert "Registering..." not in _served_catalogue(response)
    assert "\\u0414" not in response.content.decode()  # no Cyrillic "Д" anywhere, even escaped


def test_the_second_login_step_gets_the_russian_words_too(personas, client):
    # halfway through login (password given, no second factor yet), as on the verify page
    reviewer = personas["reviewer"]
    with_password_and_totp(reviewer)
    _speaking(reviewer, "ru")
    login_step1(client, reviewer.username)

    served = _served_catalogue(client.get(reverse("console:webauthn_jsi18n")))

    assert served["Verification aborted."] == "Проверка прервана."


def _script_sources(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)


def _assert_catalogue_loads_first(html: str, library_script: str) -> None:
    sources = _script_sources(html)
    catalogue = reverse("console:webauthn_jsi18n")
    assert catalogue in sources
    library = next(i for i, src in enumerate(sources) if src.endswith(library_script))
    # Deferred classic scripts and module scripts run in document order, so the earlier tag's
    # gettext exists when the library's script runs.
    assert sources.index(catalogue) < library
    assert "<script>" not in html  # no inline script (the CSP allows 'self' only)


def test_the_account_page_loads_the_catalogue_before_the_library_script(personas, console_client):
    reviewer = personas["reviewer"]
    _speaking(reviewer, "ru")

    html = console_client(reviewer).get(reverse("console:account")).content.decode()

    _assert_catalogue_loads_first(html, "django_otp_webauthn/otp_webauthn_register.js")


def test_the_verify_page_loads_the_catalogue_before_the_library_script(personas, client):
    from django_otp_webauthn.models import WebAuthnCredential

    reviewer = personas["reviewer"]
    with_password_and_totp(reviewer)
    WebAuthnCredential.objects.create(
        user=reviewer, name="", confirmed=True, public_key=b"\x00", credential_id=b"\x01" * 16
    )
    login_step1(client, reviewer.username)

    html = client.get(reverse("console:verify")).content.decode()

    _assert_catalogue_loads_first(html, "django_otp_webauthn/otp_webauthn_auth.js")
