"""Console personas and processed reports for unit tests.

Personas (STYLE.md §8): a reviewer, a reviewer limited to another caseload (must not see the
first caseload's reports), a coordinator, a custodian, an analyst, an administrator; all in the
organisation that runs the intake, plus a reviewer from a partner organisation.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid

import pytest

ROLES = ("reviewer", "coordinator", "custodian", "analyst", "administrator")


@pytest.fixture
def organisation(db):
    from testimony.accounts.models import Organisation

    return Organisation.objects.create(name="Intake organisation", receives_intake=True)


@pytest.fixture
def caseloads(organisation):
    from testimony.accounts.models import Caseload

    return {
        "moscow": Caseload.objects.create(organisation=organisation, name="Moscow raids"),
        "detention": Caseload.objects.create(organisation=organisation, name="Detention"),
    }


def make_user(username: str, role: str, organisation, caseloads=()):
    from testimony.accounts.models import User

    user = User.objects.create(username=username, role=role, organisation=organisation)
    user.set_unusable_password()
    user.save(update_fields=["password"])
    if caseloads:
        user.caseloads.set(caseloads)
    return user


@pytest.fixture
def personas(organisation, caseloads):
    from testimony.accounts.models import Organisation

    partner = Organisation.objects.create(name="Partner organisation")
    people = {role: make_user(role, role, organisation) for role in ROLES}
    people["reviewer_detention_only"] = make_user(
        "reviewer_detention_only", "reviewer", organisation, [caseloads["detention"]]
    )
    people["partner_reviewer"] = make_user("partner_reviewer", "reviewer", partner)
    return people


def verified_client(client, user):
    """Log ``user`` in with a confirmed TOTP device, as after both login steps."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user).first() or TOTPDevice.objects.create(
        user=user, name="phone", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def console_client(client):
    """``console_client(user)`` → a test client logged in as ``user`` with the second factor done."""

    def make(user):
        return verified_client(client, user)

    return make


def make_report(
    *,
    text: str = "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве.",
    redactions: list[dict] | None = None,
    places: list[dict] | None = None,
    caseload=None,
    state: str = "new",
    kind: str = "raid",
    language: str = "ru",
    received_on: dt.date | None = None,
    suggested_tags: list[str] | None = None,
):
    """A processed report as the worker would store it, without running the worker."""
    from testimony.crypto.atrest import seal
    from testimony.intake.models import Submission
    from testimony.review.models import Report

    received_on = received_on or dt.date.today()
    submission = Submission.objects.create(
        receipt_lookup=uuid.uuid4().hex,
        report_ciphertext=b"age-encryption.org/v1 (test)",
        encrypted_by="browser",
        reply_recipient="age1test",
        reply_identity_salt=os.urandom(16),
        reply_identity_wrapped=os.urandom(48),
        received_on=received_on,
        status="processed",
    )
    if redactions is None:
        start = text.find("[PERSON 1]")
        redactions = (
            [{"start": start, "end": start + 10, "label": "PERSON", "placeholder": "[PERSON 1]"}]
            if start >= 0
            else []
        )
    if places is None:
        start = text.find("Москве")
        places = (
            [
                {
                    "start": start,
                    "end": start + 6,
                    "text": "Москве",
                    "name": "Moscow",
                    "country": "RU",
                    "admin1": "Moscow",
                    "lat": 55.75,
                    "lon": 37.62,
                    "precision": "city",
                }
            ]
            if start >= 0
            else []
        )
    payload = {
        "account": {"redacted_text": text, "redactions": redactions, "places": places},
        "place_details": "",
        "when": received_on.strftime("%Y-%m"),
        "analysis_version": "1",
    }
    report = Report.objects.create(
        submission=submission,
        language=language,
        kind=kind,
        event_month=received_on.strftime("%Y-%m"),
        country="RU",
        perpetrators=["police"],
        text_sealed=seal(
            json.dumps(payload, ensure_ascii=False).encode(), context=f"report.text:{submission.pk}"
        ),
        places=[{k: p[k] for k in ("name", "country", "admin1", "lat", "lon", "precision")} for p in places],
        suggested_tags=suggested_tags if suggested_tags is not None else ["raid"],
        redaction_counts={"PERSON": len(redactions)} if redactions else {},
        analysis_version="1",
        received_on=received_on,
        caseload=caseload,
        state=state,
    )
    return report


@pytest.fixture
def report_factory(db):
    return make_report


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code called outside a request speaks the default language (Russian, the submitter side's).

    Console services are called directly by many tests that read their English messages;
    requests still choose their own language (tests of Russian pages set it explicitly).
    """
    from django.utils import translation

    with translation.override("en"):
        yield
