"""Fixtures shared by unit, integration and browser tests."""

from __future__ import annotations

import datetime as dt

import pytest


def valid_report(**overrides: object) -> dict:
    report = {
        "v": 1,
        "kind": "raid",
        "when": (dt.date.today() - dt.timedelta(days=3)).strftime("%Y-%m"),
        "where": {"country": "RU", "place": "524901", "details": "рынок Садовод"},
        "who": ["police", "migration_service"],
        "account": "Утром пришли полицейские, проверяли патенты у всех на рынке.",
        "language": "ru",
        "keep_location": False,
        "consent": True,
    }
    report.update(overrides)
    return report


@pytest.fixture
def seeded_taxonomy(transactional_db):
    """The taxonomy a data migration seeds, which the flush after every transactional test removes."""
    from testimony.review.models import Tag, TaxonomyVersion
    from testimony.review.services.taxonomy import seed_taxonomy

    seed_taxonomy(Tag, TaxonomyVersion)


@pytest.fixture
def report() -> dict:
    return valid_report()


def solved_challenge() -> dict:
    """A fresh proof-of-work challenge and its solution, as the API's ``pow`` field."""
    from testimony.intake import pow

    challenge = pow.issue()
    return {"challenge": challenge.token, "nonce": pow.solve(challenge.token, challenge.difficulty)}


@pytest.fixture
def solved_pow():
    """Makes fresh, solved proof-of-work challenges (unit settings use a low difficulty)."""
    return solved_challenge


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters and spent challenges live in the cache; no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
