"""Partner API tokens: issued with only a hash kept, shown once, revocable, audited; the console page."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from testimony.audit.models import AuditEntry
from testimony.evidence.models import PartnerToken
from testimony.evidence.services import partners as services

pytestmark = pytest.mark.django_db


def _later(days: int = 30) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def test_a_token_is_random_and_only_its_hash_is_stored(personas):
    # given a coordinator
    coordinator = personas["coordinator"]

    # when two tokens are issued
    first, plaintext = services.partner_token_create(
        user=coordinator, partner="Memorial", scopes=["cases:read"], expires_at=_later()
    )
    second, other = services.partner_token_create(
        user=coordinator, partner="Memorial", scopes=["cases:read"], expires_at=_later()
    )

    # then each is long, url-safe, different, and stored only as its SHA-256 (plus a short prefix)
    assert plaintext != other
    assert plaintext.startswith(services.TOKEN_PREFIX)
    assert len(plaintext) >= len(services.TOKEN_PREFIX) + 43  # 32 random bytes, base64url
    assert set(plaintext[4:]) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    first.refresh_from_db()
    assert first.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert first.prefix == plaintext[:12]
    assert first.organisation_id == coordinator.organisation_id
    stored = [
        str(value)
        for value in PartnerToken.objects.values_list(*[f.attname for f in PartnerToken._meta.fields]).get(
            pk=first.pk
        )
    ]
    assert not any(plaintext in value for value in stored)
    assert second.prefix != first.prefix


def test_issuing_is_audited_without_the_token(personas):
    token, plaintext = services.partner_token_create(
        user=personas["coordinator"], partner="Memorial", scopes=["aggregates:read"], expires_at=_later()
    )
    entry = AuditEntry.objects.get(action="partner_token.create")
    assert entry.actor == "coordinator"
    assert entry.object_id == str(token.pk)
    assert entry.details["scopes"] == ["aggregates:read"]
    assert entry.details["prefix"] == token.prefix
    assert plaintext not in str(entry.details)
    assert token.token_hash not in str(entry.details)


@pytest.mark.parametrize(
    ("partner", "scopes", "days"),
    [
        ("", ["cases:read"], 30),
        ("Memorial", [], 30),
        ("Memorial", ["cases:write"], 30),
        ("Memorial", ["cases:read"], -1),
        ("Memorial", ["cases:read"], services.MAX_DAYS + 2),
    ],
    ids=["no-partner", "no-scope", "unknown-scope", "expired", "too-long"],
)
def test_a_bad_token_request_is_refused(personas, partner, scopes, days):
    with pytest.raises(ValidationError):
        services.partner_token_create(
            user=personas["coordinator"], partner=partner, scopes=scopes, expires_at=_later(days)
        )
    assert PartnerToken.objects.count() == 0


@pytest.mark.parametrize("persona", ["analyst", "reviewer", "administrator", "custodian"])
def test_only_coordinators_issue_tokens(personas, persona):
    with pytest.raises(PermissionError):
        services.partner_token_create(
            user=personas[persona], partner="Memorial", scopes=["cases:read"], expires_at=_later()
        )


def test_revoking_is_audited_once_and_scoped_to_the_organisation(personas):
    from tests.unit.conftest import make_user

    token, _plaintext = services.partner_token_create(
        user=personas["coordinator"], partner="Memorial", scopes=["cases:read"], expires_at=_later()
    )
    other_coordinator = make_user(
        "other_coordinator", "coordinator", personas["partner_reviewer"].organisation
    )
    with pytest.raises(Http404):
        services.partner_token_revoke(user=other_coordinator, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None

    services.partner_token_revoke(user=personas["coordinator"], token_id=token.pk)
    services.partner_token_revoke(user=personas["coordinator"], token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(action="partner_token.revoke", object_id=str(token.pk)).count() == 1


def test_last_used_is_written_at_most_once_a_day(personas, django_assert_num_queries):
    token, _plaintext = services.partner_token_create(
        user=personas["coordinator"], partner="Memorial", scopes=["cases:read"], expires_at=_later()
    )
    today = timezone.localdate()
    with django_assert_num_queries(1):
        services.partner_token_touch(token=token, today=today)
    with django_assert_num_queries(0):
        services.partner_token_touch(token=token, today=today)
    token.refresh_from_db()
    assert token.last_used_on == today


def test_command_prints_the_token_once(organisation):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_partner_token",
        "--organisation",
        organisation.name,
        "--partner",
        "Memorial",
        "--scopes",
        "aggregates:read,cases:read",
        "--days",
        "90",
        stdout=out,
        stderr=err,
    )
    plaintext = out.getvalue().strip()
    token = PartnerToken.objects.get()
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert token.scopes == ["aggregates:read", "cases:read"]
    assert token.organisation == organisation
    assert (token.expires_at - timezone.now()).days in (89, 90)
    assert plaintext not in err.getvalue()
    assert AuditEntry.objects.filter(action="partner_token.create", actor="system").count() == 1


@pytest.mark.parametrize(
    "arguments",
    [
        ["--organisation", "Nobody", "--partner", "P", "--scopes", "cases:read"],
        ["--organisation", "Intake organisation", "--partner", "P", "--scopes", "cases:write"],
        ["--organisation", "Intake organisation", "--partner", "P", "--scopes", "cases:read", "--days", "0"],
    ],
    ids=["unknown-organisation", "unknown-scope", "zero-days"],
)
def test_command_refuses_bad_arguments(organisation, arguments):
    with pytest.raises(CommandError):
        call_command("create_partner_token", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert PartnerToken.objects.count() == 0


# --- The console page -----------------------------------------------------------------------------


def test_console_issues_a_token_and_shows_it_once(personas, console_client):
    client = console_client(personas["coordinator"])
    url = reverse("console:evidence_partners")

    response = client.post(url, {"partner": "Memorial", "scopes": ["cases:read"], "days": "60"})

    assert response.status_code == 200
    token = PartnerToken.objects.get()
    plaintext = response.context["plaintext"]
    assert token.token_hash == hashlib.sha256(plaintext.encode()).hexdigest()
    assert plaintext.encode() in response.content
    assert response["Cache-Control"].startswith("no-store")
    # and never again
    again = client.get(url)
    assert plaintext.encode() not in again.content
    assert token.prefix.encode() in again.content
    assert b"Memorial" in again.content


def test_console_lists_only_the_organisations_tokens(personas, console_client):
    from tests.unit.conftest import make_user

    services.partner_token_create(
        user=personas["coordinator"], partner="Ours", scopes=["cases:read"], expires_at=_later()
    )
    other = make_user("other_coordinator", "coordinator", personas["partner_reviewer"].organisation)
    services.partner_token_create(user=other, partner="Theirs", scopes=["cases:read"], expires_at=_later())

    content = console_client(personas["coordinator"]).get(reverse("console:evidence_partners")).content

    assert b"Ours" in content
    assert b"Theirs" not in content


def test_console_refuses_a_bad_form_without_issuing(personas, console_client):
    client = console_client(personas["coordinator"])
    response = client.post(reverse("console:evidence_partners"), {"partner": "Memorial", "days": "60"})
    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert PartnerToken.objects.count() == 0


def test_console_revokes(personas, console_client):
    token, _plaintext = services.partner_token_create(
        user=personas["coordinator"], partner="Memorial", scopes=["cases:read"], expires_at=_later()
    )
    client = console_client(personas["coordinator"])
    response = client.post(reverse("console:evidence_partner_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = client.get(reverse("console:evidence_partners")).content.decode()
    assert "revoked" in page


def test_console_revoke_of_another_organisations_token_is_not_found(personas, console_client):
    from tests.unit.conftest import make_user

    other = make_user("other_coordinator", "coordinator", personas["partner_reviewer"].organisation)
    token, _plaintext = services.partner_token_create(
        user=other, partner="Theirs", scopes=["cases:read"], expires_at=_later()
    )
    response = console_client(personas["coordinator"]).post(
        reverse("console:evidence_partner_revoke", args=[token.pk])
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
