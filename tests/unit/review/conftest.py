"""Fixtures shared by the review tests (the personas, caseloads and reports are tests/unit/conftest.py's)."""

from __future__ import annotations

import pytest
from django.db.models.query import QuerySet


@pytest.fixture
def lock_order(monkeypatch) -> list[str]:
    """The models whose rows the code asks to lock (``select_for_update``), in the order asked.

    SQLite ignores FOR UPDATE, so this records the order the code asks for the locks in; the
    PostgreSQL tests (tests/integration/) show the real waits.
    """
    locked: list[str] = []
    original = QuerySet.select_for_update

    def recording(self, *args, **kwargs):
        locked.append(self.model.__name__)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", recording)
    return locked
