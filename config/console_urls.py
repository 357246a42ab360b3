"""The reviewer console, under /console/: one namespace, assembled from the apps that serve it.

Everything here is wrapped by ``accounts.decorators.console_view`` (or marked ``console_public``);
tests/unit/console/test_access_matrix.py fails for any URL that is not.
"""

from django.urls import path

from testimony.accounts import urls as accounts_urls
from testimony.audit import urls as audit_urls
from testimony.evidence import urls as evidence_urls
from testimony.review import urls as review_urls
from testimony.review.views import home

app_name = "console"
urlpatterns = [
    path("", home.console_home, name="home"),
    *accounts_urls.urlpatterns,
    *review_urls.urlpatterns,
    *audit_urls.urlpatterns,
    *evidence_urls.urlpatterns,
]
