"""The partner API's OpenAPI schema and docs, and schemathesis run against the schema.

Schemathesis generates requests from the schema (valid ones, and invalid ones that must be
refused with a 4xx) and sends them through Django's WSGI application with a valid token: no
response may be a server error, and every response must conform to the schema (status code,
content type, headers, body).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from rest_framework.response import Response
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from testimony.evidence.services import partners as services
from testimony.review.models import Case, CaseReport, Report, Tag

SCHEMA_URL = "/api/partner/v1/schema/"
OPENAPI_JSON = "application/vnd.oai.openapi+json"


def _schema(client) -> dict:
    response = client.get(SCHEMA_URL, HTTP_ACCEPT=OPENAPI_JSON)
    assert response.status_code == 200
    return response.json()


# --- The schemas --------------------------------------------------------------------------------


def test_the_partner_schema_describes_the_partner_api_only(client):
    schema = _schema(client)
    assert set(schema["paths"]) == {
        "/api/partner/v1/aggregates/",
        "/api/partner/v1/cases/",
        "/api/partner/v1/cases/{case_id}/",
    }
    assert schema["info"]["title"] == "Testimony partner API"
    for path in schema["paths"].values():
        assert set(path) == {"get"}  # read-only
        assert path["get"]["security"] == [{"partnerToken": []}]
        assert {"401", "403", "429"} <= set(path["get"]["responses"])
    scheme = schema["components"]["securitySchemes"]["partnerToken"]
    assert set(scheme) == {"type", "scheme", "description"}
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
    assert scheme["description"]


def test_the_case_schema_lists_exactly_the_partner_fields(client):
    from testimony.evidence import fields

    properties = _schema(client)["components"]["schemas"]["PartnerCaseOutput"]["properties"]
    assert list(properties) == fields.field_names(level=fields.CASES, destination=fields.PARTNER)


def test_the_intake_schema_still_describes_only_the_intake_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT=OPENAPI_JSON)
    paths = set(response.json()["paths"])
    assert "/api/v1/submissions/" in paths
    assert all(path.startswith("/api/v1/") for path in paths)
    assert response.json()["info"]["title"] == "Testimony intake API"


# --- The docs page ------------------------------------------------------------------------------


def test_the_docs_page_loads_everything_from_this_site_under_the_sites_csp(client, settings):
    response = client.get("/api/partner/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()

    # Nothing from elsewhere: every src and href is a path on this site.
    references = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert references
    assert all(ref.startswith("/") and not ref.startswith("//") for ref in references), references
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in references
    # No inline script or style, which the CSP (unchanged on this path) would refuse.
    assert re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) is None
    assert "<style" not in html
    assert ' style="' not in html
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy

    # The page's own script is a same-origin JavaScript file that points at the partner schema.
    script_url = next(ref for ref in references if "script" in ref and "static" not in ref)
    script = client.get(script_url.replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert SCHEMA_URL in script.content.decode()


def test_the_sidecar_files_are_found_by_staticfiles():
    from django.contrib.staticfiles import finders

    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name


# --- Schemathesis -------------------------------------------------------------------------------


@pytest.fixture
def wsgi_app(db):
    """Django's WSGI application, for schemathesis to send its requests through.

    Django's test client does the same as this: the start and end of a request must not close
    the test's database connection (that would end the transaction the test's rows live in).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def partner_api(wsgi_app, organisation, personas, report_factory, settings):
    """A token with every scope, over a small world of cases and verified reports."""
    settings.EVIDENCE_API_RATE = "100000/minute"  # schemathesis sends many; throttling has its own tests
    cache.clear()
    tag = Tag.objects.get_or_create(slug="raid", defaults={"labels": {"en": "Raid"}})[0]
    regions = ["RU.48", "RU.48", "RU.48", "RU.47", "RU.47", "RU.66", ""]
    for index, region in enumerate(regions * 2):
        report = report_factory(state="verified", kind=("raid", "detention", "recruitment")[index % 3])
        Report.objects.filter(pk=report.pk).update(region=region, nationality=("UZ", "TJ", "")[index % 3])
        if index % 4 == 0:
            case = Case.objects.create(
                organisation=organisation,
                title=f"Case {index}",
                date_from=dt.date(2025, 1 + index % 12, 1),
                place={"country": "RU", "admin1": "Moscow", "name": "Moscow", "precision": "city"},
                perpetrator_types=["police"],
            )
            case.kinds.add(tag)
            CaseReport.objects.create(case=case, report=report)
    _token, plaintext = services.partner_token_create(
        user=personas["coordinator"],
        partner="Schemathesis",
        scopes=["aggregates:read", "cases:read"],
        expires_at=timezone.now() + dt.timedelta(days=1),
    )
    return plaintext


@pytest.fixture
def partner_api_schema(wsgi_app):
    return schemathesis.openapi.from_wsgi(SCHEMA_URL, wsgi_app)


# Every operation of the schema (checked below), each with valid and with invalid input. The
# operations are listed rather than taken from ``@schema.parametrize()``: schemathesis 4.32's
# pytest plugin reads ``Function._nodeid``, which pytest 9 no longer has, so the cases come
# from ``as_strategy`` (schemathesis' API for plain Hypothesis tests) instead.
OPERATIONS = [
    ("/api/partner/v1/aggregates/", "GET"),
    ("/api/partner/v1/cases/", "GET"),
    ("/api/partner/v1/cases/{case_id}/", "GET"),
]


def test_every_operation_is_fuzzed(partner_api_schema):
    found = {(op.ok().path, op.ok().method.upper()) for op in partner_api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[path for path, _method in OPERATIONS])
def test_schemathesis_finds_no_server_error_and_responses_conform(
    partner_api_schema, partner_api, path, method, mode
):
    operation = partner_api_schema[path][method]
    # identity: the site gzips GET answers, and the WSGI test transport would not unpack them.
    headers = {"Authorization": f"Bearer {partner_api}", "Accept-Encoding": "identity"}
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=60,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure here is reproducible
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    def run(case):
        # The default checks: no 5xx, and status code, content type, headers and body as the
        # schema says; for invalid input also that it is refused with a 4xx.
        response = case.call_and_validate(headers=headers)
        calls.append(response.status_code)

    run()
    assert calls, "no request was sent"
    assert all(status < 500 for status in calls)
    if mode == GenerationMode.POSITIVE and path != "/api/partner/v1/cases/{case_id}/":
        assert 200 in calls  # valid input was actually answered, not only refused


def _wrong_shape(self, request):
    return Response({"cases": "not the documented shape"})


def _server_error(self, request):
    raise RuntimeError("boom")


@pytest.mark.parametrize("broken", [_wrong_shape, _server_error], ids=["wrong-shape", "server-error"])
def test_the_schemathesis_checks_can_fail(partner_api_schema, partner_api, monkeypatch, broken):
    monkeypatch.setattr("testimony.evidence.api.CaseListApi.get", broken)
    case = partner_api_schema["/api/partner/v1/cases/"]["GET"].Case(query={"page_size": 5})
    headers = {"Authorization": f"Bearer {partner_api}", "Accept-Encoding": "identity"}
    with pytest.raises(FailureGroup) as found:
        case.call_and_validate(headers=headers)
    assert found.value.exceptions


def test_the_client_used_above_sees_the_world(partner_api):
    # A plain Django client with the same token: the world the schemathesis run reads is there.
    response = Client().get("/api/partner/v1/cases/", HTTP_AUTHORIZATION=f"Bearer {partner_api}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 4
