"""Every console URL × every persona, checked against the permission matrix (issue 4, "Access matrix").

The URLs are read from the URL configuration, not listed here, so a new view cannot escape: it
must be wrapped by ``console_view(action)`` (the action says who may use it) or be one of the
reviewed pre-login steps in ``PUBLIC``. Expectations come from ``permissions.PERMISSIONS``:
a role without the action gets 403; a role with it but outside the object's scope (another
caseload, another organisation) gets 404; everyone else gets through the gate.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from testimony.accounts.permissions import PERMISSIONS

pytestmark = pytest.mark.django_db

# Reviewed: these work before login completes (or are a library's public endpoint for it).
PUBLIC = {
    "console:login",
    "console:verify",
    "console:logout",
    "console:setup",
    "console:setup_totp",
    "console:webauthn_auth_begin",
    "console:webauthn_auth_complete",
    "console:webauthn_jsi18n",
}
# The submitter side's API is public by design (anonymous intake); nothing else may be under /api/.
PUBLIC_API_PREFIXES = ("api/v1/challenges", "api/v1/submissions", "api/v1/uploads", "api/v1/followup")

PERSONAS = [
    "reviewer",
    "coordinator",
    "custodian",
    "analyst",
    "administrator",
    "reviewer_detention_only",
    "partner_reviewer",
]
# Personas who hold the role but must not reach objects of the "moscow" caseload.
OUT_OF_SCOPE = {"reviewer_detention_only", "partner_reviewer"}


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), f"{namespace}{pattern.name}", pattern


def console_urls():
    return [
        (route, name, pattern)
        for route, name, pattern in _walk(get_resolver().url_patterns)
        if route.startswith("console/")
    ]


CONSOLE = console_urls()
GATED = [(name, pattern) for _route, name, pattern in CONSOLE if name not in PUBLIC]


def test_every_console_url_is_gated_or_reviewed_public():
    for _route, name, pattern in CONSOLE:
        callback = pattern.callback
        if name in PUBLIC:
            assert getattr(callback, "console_public", False), f"{name} is listed public but not marked"
            continue
        assert hasattr(callback, "console_action"), f"{name} is not wrapped by console_view"
        action = callback.console_action
        assert action is None or action in PERMISSIONS, f"{name}: unknown action {action}"


# Reviewed: the partner API; every endpoint but its schema and docs needs a partner token and a scope.
PARTNER_API_PREFIX = "api/partner/v1/"
PARTNER_API_PUBLIC = ("api/partner/v1/schema/", "api/partner/v1/docs/")


def test_no_other_api_endpoint_exists():
    from testimony.evidence.authentication import HasTokenScope, PartnerTokenAuthentication

    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(PARTNER_API_PREFIX) and route not in PARTNER_API_PUBLIC:
            view = pattern.callback.view_class
            assert view.authentication_classes == [PartnerTokenAuthentication], f"{route} is not token-gated"
            assert HasTokenScope in view.permission_classes, f"{route} has no scope check"
            assert view.required_scope, f"{route} has no scope"
        elif route.startswith("api/") and not route.startswith(("api/schema", *PARTNER_API_PUBLIC)):
            assert route.startswith(PUBLIC_API_PREFIXES), f"{route} ({name}) is not a reviewed API endpoint"


@pytest.fixture
def world(personas, caseloads, report_factory, organisation):
    from testimony.review.models import Attachment, BulkJob, Case, CaseReport

    report = report_factory(caseload=caseloads["moscow"])
    attachment = Attachment.objects.create(
        report=report, position=0, kind="image", content_type="image/jpeg", cleaned=True
    )
    from testimony.crypto.atrest import seal

    attachment.sanitised_sealed = seal(b"\xff\xd8\xff\xd9", context=f"attachment.content:{attachment.pk}")
    attachment.save(update_fields=["sanitised_sealed"])
    case = Case.objects.create(organisation=organisation, title="Raid at the market")
    CaseReport.objects.create(case=case, report=report)
    # A recording with its disguised-voice copy: what …/voice/ serves (see OVERRIDES).
    voice = Attachment.objects.create(
        report=report, position=1, kind="audio", content_type="audio/ogg", cleaned=True
    )
    voice.sanitised_sealed = seal(b"OggS", context=f"attachment.content:{voice.pk}")
    voice.disguised_voice_sealed = seal(b"OggS", context=f"attachment.voice:{voice.pk}")
    voice.save(update_fields=["sanitised_sealed", "disguised_voice_sealed"])
    job = BulkJob.objects.create(created_by=personas["coordinator"], action="assign", state="done")
    from testimony.evidence.models import ExportJob

    package = ExportJob.objects.create(
        organisation=organisation, requested_by=personas["coordinator"], destination="internal",
        level="package", format="zip", parameters={"case": case.pk},
    )  # fmt: skip
    export = ExportJob.objects.create(
        organisation=organisation, requested_by=personas["coordinator"], destination="partner",
        level="reports", format="csv", status="done",
    )  # fmt: skip
    from testimony.evidence.jobs import download_token
    from testimony.review.models import Tag

    tag = Tag.objects.get_or_create(slug="raid", defaults={"labels": {"en": "Raid", "ru": "Рейд"}})[0]
    from testimony.intake.models import Message
    from testimony.review.sealed import reply_seal

    reply = Message.objects.create(
        submission=report.submission, direction="from_submitter", sequence=1, sent_on=report.received_on
    )
    reply.body_sealed = reply_seal(reply, {"redacted_text": "Спасибо", "redactions": [], "places": []})
    reply.save(update_fields=["body_sealed"])
    return {
        "message_id": reply.pk,
        "voice_attachment_id": voice.pk,
        "tag_id": tag.pk,
        "report_id": report.pk,
        "attachment_id": attachment.pk,
        "case_id": case.pk,
        "job_id": job.pk,
        "package_id": package.pk,
        "export_id": export.pk,
        "token": download_token(export),  # a done job whose file is gone: the link answers 410
        "package_token": download_token(package),  # not built yet: no file, the link answers 410
        "token_id": _partner_token(personas["coordinator"]).pk,
        "user_id": personas["reviewer"].pk,
        "organisation_id": organisation.pk,
        "caseload_id": caseloads["moscow"].pk,  # routes the report: archiving it is refused (400)
        "index": 0,
        "action": "unlock",
    }


def _partner_token(coordinator):
    import datetime as dt

    from django.utils import timezone

    from testimony.evidence.services.partners import partner_token_create

    expires = timezone.now() + dt.timedelta(days=30)
    return partner_token_create(user=coordinator, partner="P", scopes=["cases:read"], expires_at=expires)[0]


# Object kwargs: a persona outside the "moscow" caseload must get 404 for these.
SCOPED_KWARGS = {"report_id", "attachment_id", "case_id"}


# Where a URL needs a particular object of the kind its kwarg names.
OVERRIDES = {
    "console:attachment_voice": {"attachment_id": "voice_attachment_id"},
    "console:evidence_package_download": {"token": "package_token"},
}


def _kwargs_for(name: str, pattern, world) -> dict:
    names = list(pattern.pattern.converters)
    missing = [kwarg for kwarg in names if kwarg not in world]
    assert not missing, f"add a sample value for {missing} to the access-matrix world"
    keys = {kwarg: OVERRIDES.get(name, {}).get(kwarg, kwarg) for kwarg in names}
    return {kwarg: world[key] for kwarg, key in keys.items()}


def _expected(action, persona: str, role: str, scoped: bool) -> str:
    if action is not None and role not in PERMISSIONS[action]:
        return "forbidden"
    if scoped and persona in OUT_OF_SCOPE:
        return "not_found"
    return "allowed"


@pytest.mark.parametrize(("name", "pattern"), GATED, ids=[name for name, _ in GATED])
def test_access_matrix(name, pattern, world, personas, console_client, client):
    kwargs = _kwargs_for(name, pattern, world)
    url = reverse(name, kwargs=kwargs)
    action = pattern.callback.console_action
    scoped = bool(SCOPED_KWARGS & set(kwargs))

    # Anonymous, and logged in with a password but no second factor: sent to the login page.
    for method in ("get", "post"):
        response = getattr(client, method)(url)
        assert response.status_code in (302, 405), f"anonymous {method} {url}: {response.status_code}"
        if response.status_code == 302:
            assert response["Location"].startswith("/console/login/")
    client.force_login(personas["reviewer"])
    assert client.get(url).status_code in (302, 405)
    client.logout()

    for persona in PERSONAS:
        user = personas[persona]
        logged_in = console_client(user)
        expected = _expected(action, persona, user.role, scoped)
        # A method the view does not take answers 405 before any gate, telling nothing; the
        # other method must show the gate's decision.
        answered = {}
        for method in ("get", "post"):
            status = getattr(logged_in, method)(url).status_code
            if status != 405:
                answered[method] = status
        where = f"{persona} ({user.role}) {url} [{action}] -> {answered}"
        assert answered, f"{where}: neither GET nor POST is answered"
        for status in answered.values():
            if expected == "forbidden":
                assert status == 403, where
            elif expected == "not_found":
                assert status == 404, where
            else:
                assert status not in (403, 404), where
                assert status < 500, where
        logged_in.logout()
