"""Console URLs of the evidence side, under /console/evidence/ (included by config.console_urls)."""

from testimony.evidence.views import dashboard, exports, packages, partners

urlpatterns = [
    *dashboard.urlpatterns,
    *exports.urlpatterns,
    *packages.urlpatterns,
    *partners.urlpatterns,
]
