"""Django's request log lines name the route, never the path (which can carry a token)."""

from __future__ import annotations

import logging

import pytest
from django.conf import settings

from config.logfilters import RequestPathAsRoute

pytestmark = pytest.mark.django_db

TOKEN = "SETUP-TOKEN-MARKER-0123456789abcdef"


def _formatted(record: logging.LogRecord) -> str:
    assert RequestPathAsRoute().filter(record)
    return record.getMessage()


def test_a_not_found_line_names_the_route_not_the_token(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/console/setup/{TOKEN}/")
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records, "Django logs the 4xx answer"
    line = _formatted(records[-1])
    assert TOKEN not in line
    assert "route console/setup/" in line


def test_a_path_that_matches_no_route_is_said_so(client, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(f"/no-such-page/{TOKEN}/")
    line = _formatted([r for r in caplog.records if r.name == "django.request"][-1])
    assert TOKEN not in line
    assert "no route matched" in line


def test_the_console_handler_uses_the_filter():
    filters = settings.LOGGING["handlers"]["console"]["filters"]
    assert [settings.LOGGING["filters"][name]["()"] for name in filters] == [
        "config.logfilters.RequestPathAsRoute"
    ]
