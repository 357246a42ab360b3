"""The partner API (read-only), under /api/partner/v1/: being written."""

urlpatterns: list = []
