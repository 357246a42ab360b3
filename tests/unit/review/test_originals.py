"""Opening a sealed original: custodians only, a reason and the passphrase, audited, nothing kept."""

from __future__ import annotations

import json

import pyrage
import pytest
from django.urls import reverse

from testimony.audit.models import AuditEntry
from testimony.audit.selectors import readable_details
from testimony.crypto import padding
from testimony.review.services.originals import OriginalUnavailable, report_original_open

pytestmark = pytest.mark.django_db

PASSPHRASE = "correct horse battery staple"
ACCOUNT = "Меня зовут Фаррух <script>alert(1)</script>, тел +7 916 123-45-67"


@pytest.fixture(scope="module")
def wrapped_identity(tmp_path_factory):
    """An intake identity and its custodian copy (scrypt-wrapped, as ``age -p``; slow: made once)."""
    identity = pyrage.x25519.Identity.generate()
    path = tmp_path_factory.mktemp("keys") / "custodian_identity.age"
    path.write_bytes(pyrage.passphrase.encrypt(f"# intake identity\n{identity}\n".encode(), PASSPHRASE))
    return identity, path


@pytest.fixture
def sealed_original(report_factory, wrapped_identity, settings):
    """A report whose submission is encrypted to an identity the custodians hold wrapped."""
    identity, path = wrapped_identity
    settings.CUSTODIAN_IDENTITY_FILE = str(path)
    report = report_factory()
    original = {
        "v": 1, "kind": "raid", "when": "2024-05-03", "who": ["police"], "language": "ru",
        "where": {"country": "RU", "place": "", "details": "рынок <b>Садовод</b>"},
        "account": ACCOUNT, "keep_location": False, "consent": True,
    }  # fmt: skip
    submission = report.submission
    submission.report_ciphertext = pyrage.encrypt(padding.pad_report(original), [identity.to_public()])
    submission.save(update_fields=["report_ciphertext"])
    return report


def url(report) -> str:
    return reverse("console:report_original", args=[report.pk])


def test_the_service_opens_the_original_and_audits_the_reason(sealed_original, personas):
    original = report_original_open(
        actor=personas["custodian"], report=sealed_original, reason="court request 12", passphrase=PASSPHRASE
    )
    assert original["account"] == ACCOUNT
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.actor, entry.object_id) == (
        "report.open_original",
        "custodian",
        str(sealed_original.pk),
    )
    # The custodian's words are sealed in the log (they may name people) and open for display.
    assert "court request" not in json.dumps(entry.details)
    assert readable_details(entry.details) == {"reason": "court request 12"}


def test_a_wrong_passphrase_is_refused_and_audited_as_a_failure(sealed_original, personas):
    with pytest.raises(OriginalUnavailable, match="passphrase"):
        report_original_open(
            actor=personas["custodian"], report=sealed_original, reason="check", passphrase="nope"
        )
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "report.open_original_failed"
    assert "check" not in json.dumps(entry.details["reason"])
    assert readable_details(entry.details) == {"reason": "check", "failure": "passphrase"}


def test_a_reason_is_required_and_bounded(sealed_original, personas):
    for reason in ("", "   ", "x" * 301):
        with pytest.raises(OriginalUnavailable):
            report_original_open(
                actor=personas["custodian"], report=sealed_original, reason=reason, passphrase=PASSPHRASE
            )
    assert not AuditEntry.objects.filter(action="report.open_original").exists()


def test_an_unwrapped_identity_file_is_refused(sealed_original, personas, settings, tmp_path):
    bare = tmp_path / "bare.txt"
    bare.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    settings.CUSTODIAN_IDENTITY_FILE = str(bare)
    with pytest.raises(OriginalUnavailable, match="not passphrase-protected"):
        report_original_open(
            actor=personas["custodian"], report=sealed_original, reason="r", passphrase=PASSPHRASE
        )


def test_the_page_shows_the_original_to_a_custodian_once_inert_and_unkept(
    sealed_original, personas, console_client
):
    client = console_client(personas["custodian"])
    form = client.get(url(sealed_original))
    assert form.status_code == 200
    assert ACCOUNT not in form.content.decode()
    response = client.post(url(sealed_original), {"reason": "court request", "passphrase": PASSPHRASE})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Меня зовут Фаррух &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "рынок &lt;b&gt;Садовод&lt;/b&gt;" in page
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(action="report.open_original", actor="custodian").count() == 1


def test_the_page_refuses_a_wrong_passphrase_or_no_reason(sealed_original, personas, console_client):
    client = console_client(personas["custodian"])
    wrong = client.post(url(sealed_original), {"reason": "court request", "passphrase": "wrong"})
    assert wrong.status_code == 400
    assert "passphrase is not correct" in wrong.content.decode()
    assert "Фаррух" not in wrong.content.decode()
    no_reason = client.post(url(sealed_original), {"reason": "", "passphrase": PASSPHRASE})
    assert no_reason.status_code == 400
    assert "Фаррух" not in no_reason.content.decode()
    assert AuditEntry.objects.filter(action="report.open_original_failed").count() == 1
    assert not AuditEntry.objects.filter(action="report.open_original").exists()


@pytest.mark.parametrize("role", ["reviewer", "coordinator", "analyst", "administrator"])
def test_only_custodians_may_open_originals(sealed_original, personas, console_client, role):
    client = console_client(personas[role])
    assert client.get(url(sealed_original)).status_code == 403
    response = client.post(url(sealed_original), {"reason": "r", "passphrase": PASSPHRASE})
    assert response.status_code == 403
    assert "Фаррух" not in response.content.decode()


def test_a_custodian_of_another_organisation_gets_404(sealed_original, personas, console_client):
    from tests.unit.conftest import make_user

    outsider = make_user("outside_custodian", "custodian", personas["partner_reviewer"].organisation)
    assert console_client(outsider).get(url(sealed_original)).status_code == 404


def test_without_a_custodian_identity_the_page_says_originals_cannot_be_opened(
    sealed_original, personas, console_client, settings
):
    settings.CUSTODIAN_IDENTITY_FILE = ""
    client = console_client(personas["custodian"])
    page = client.get(url(sealed_original)).content.decode()
    assert "cannot be opened on this server" in page
    response = client.post(url(sealed_original), {"reason": "r", "passphrase": PASSPHRASE})
    assert "Фаррух" not in response.content.decode()
    report_page = client.get(reverse("console:report", args=[sealed_original.pk])).content.decode()
    assert "Originals cannot be opened on this server." in report_page


def test_an_original_destroyed_by_retention_is_refused_with_its_date(sealed_original, personas):
    import datetime as dt

    from testimony.review.retention import retention_apply

    submission = sealed_original.submission
    submission.received_on = dt.date.today() - dt.timedelta(days=4000)
    submission.save(update_fields=["received_on"])
    retention_apply()
    sealed_original.refresh_from_db()
    with pytest.raises(OriginalUnavailable, match="destroyed under the retention policy"):
        report_original_open(
            actor=personas["custodian"], report=sealed_original, reason="check", passphrase=PASSPHRASE
        )
