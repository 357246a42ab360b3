"""The partner API (read-only), under /api/partner/v1/, with its own OpenAPI schema and docs.

The schema describes these endpoints only (the intake's is at /api/schema/). It and the docs
page are public, like the intake schema: they say how to call the API, and every endpoint they
describe needs a token. The docs page is Swagger UI served from ``drf_spectacular_sidecar``
(no CDN), under the site's strict CSP unchanged: its script is a separate same-origin file, and
the page has no inline style.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from testimony.evidence import api

PREFIX = "api/partner/v1/"  # where config/urls.py mounts this module: the schema's paths need it

api_patterns = [
    path("aggregates/", api.AggregateCountApi.as_view(), name="partner-api-aggregates"),
    path("cases/", api.CaseListApi.as_view(), name="partner-api-cases"),
    # Any text, not <int:>: a malformed id gets the API's JSON 404 rather than the site's page.
    path("cases/<str:case_id>/", api.CaseDetailApi.as_view(), name="partner-api-case"),
]

SCHEMA_SETTINGS = {
    "TITLE": "Testimony partner API",
    "DESCRIPTION": (
        "Read-only access for partner organisations to the aggregated counts and cases of the "
        "organisation that issued the token. Send the token as `Authorization: Bearer <token>`. "
        "Aggregates always pass disclosure control (no published count under k, coarse places "
        "and months); cases carry the partner fields of the data dictionary only. Requests are "
        'limited per token; a refused request gets `{"error": {"code", "message", "field"}}`.'
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/" + PREFIX.rstrip("/"),
}

urlpatterns = [
    *api_patterns,
    path(
        "schema/",
        SpectacularAPIView.as_view(
            patterns=[path(PREFIX, include(api_patterns))],
            custom_settings=SCHEMA_SETTINGS,
            authentication_classes=[],
            permission_classes=[AllowAny],
        ),
        name="partner-api-schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="partner-api-schema",
            template_name="console/evidence/partner_api_docs.html",
            title=SCHEMA_SETTINGS["TITLE"],
            authentication_classes=[],
            permission_classes=[AllowAny],
        ),
        name="partner-api-docs",
    ),
]
