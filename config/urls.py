from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

# The intake API; /api/schema/ describes it alone (the partner API has its own schema).
intake_api = [path("api/v1/", include("testimony.intake.api_urls"))]

urlpatterns = [
    *intake_api,
    path("api/partner/v1/", include("testimony.evidence.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(patterns=intake_api), name="api-schema"),
    path("console/", include("config.console_urls")),
]
urlpatterns += i18n_patterns(path("", include("testimony.intake.urls")), prefix_default_language=True)
