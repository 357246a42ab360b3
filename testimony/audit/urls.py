"""Console URLs of this app; included into the "console" namespace by config/console_urls.py."""

from django.urls import path

from testimony.audit import views

urlpatterns = [
    path("audit/", views.audit_log, name="audit"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
]
