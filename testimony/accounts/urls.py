"""Console URLs of this app; included into the "console" namespace by config/console_urls.py."""

from django.urls import path  # noqa: F401  (used as views are added)

urlpatterns: list = []
