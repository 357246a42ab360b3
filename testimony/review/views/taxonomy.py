"""Console views; their URLs are at the bottom (``urlpatterns``), gathered by review/urls.py."""

urlpatterns: list = []
