"""Archiving a caseload and putting an account into it cannot race (real PostgreSQL row locks).

Each test holds one change open in a thread's transaction and starts the other: the second must
wait for the first and then see its change, so no account ends up in an archived caseload.
Without the lock the second would read the state before the first commits and go ahead.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from testimony.accounts import organisations, services
from testimony.accounts.models import Caseload, Organisation, User

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WAIT = 1.0  # seconds a blocked change is given to show it is blocked (it must still be running)


@pytest.fixture
def world():
    organisation = Organisation.objects.create(name="Lock organisation")
    caseload = Caseload.objects.create(organisation=organisation, name="Soon archived")
    admin = User.objects.create(username="lock-admin", role="administrator")
    reviewer = User.objects.create(username="lock-reviewer", role="reviewer", organisation=organisation)
    return organisation, caseload, admin, reviewer


class Held(threading.Thread):
    """Runs ``change`` in a transaction and keeps it open until ``release`` is set."""

    def __init__(self, change) -> None:
        super().__init__(daemon=True)
        self.change = change
        self.done = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.change()
                self.done.set()
                self.release.wait(timeout=30)
        except BaseException as error:  # looked at by the test's thread
            self.error = error
        finally:
            self.done.set()
            connections.close_all()


class Waiting(threading.Thread):
    def __init__(self, change) -> None:
        super().__init__(daemon=True)
        self.change = change
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.change()
        except BaseException as error:
            self.error = error
        finally:
            connections.close_all()


def race(first_change, second_change) -> tuple[Held, Waiting]:
    """``first_change`` in an open transaction, then ``second_change``, which must wait for it;
    then the first commits and the second runs to its end."""
    first = Held(first_change)
    first.start()
    assert first.done.wait(timeout=10)
    assert first.error is None
    second = Waiting(second_change)
    second.start()
    second.join(timeout=WAIT)
    assert second.is_alive(), "the second change did not wait for the first one's row lock"
    first.release.set()
    first.join(timeout=10)
    second.join(timeout=10)
    assert first.error is None
    assert not second.is_alive()
    return first, second


def test_an_account_is_not_put_into_a_caseload_being_archived(world):
    assert connection.vendor == "postgresql"
    organisation, caseload, admin, reviewer = world

    _, second = race(
        lambda: organisations.caseload_archive(actor=admin, caseload_id=caseload.pk),
        lambda: services.user_update(
            actor=admin, user_id=reviewer.pk, role="reviewer", organisation=organisation, caseloads=[caseload]
        ),
    )

    assert isinstance(second.error, ValidationError)
    # The refusal names the caseload, in whatever language is active (the default is Russian).
    assert "Soon archived" in second.error.messages[0]
    assert not reviewer.caseloads.exists()


def test_a_caseload_an_account_is_being_put_into_is_not_archived(world):
    assert connection.vendor == "postgresql"
    organisation, caseload, admin, reviewer = world

    _, second = race(
        lambda: services.user_update(
            actor=admin, user_id=reviewer.pk, role="reviewer", organisation=organisation, caseloads=[caseload]
        ),
        lambda: organisations.caseload_archive(actor=admin, caseload_id=caseload.pk),
    )

    assert isinstance(second.error, organisations.OrganisationRefused)
    caseload.refresh_from_db()
    assert caseload.archived_at is None
    assert list(reviewer.caseloads.all()) == [caseload]


def test_user_create_waits_for_an_archiving_too(world):
    organisation, caseload, admin, _reviewer = world

    _, second = race(
        lambda: organisations.caseload_archive(actor=admin, caseload_id=caseload.pk),
        lambda: services.user_create(
            actor=admin,
            username="lock-newcomer",
            role="reviewer",
            organisation=organisation,
            caseloads=[caseload],
        ),
    )

    assert isinstance(second.error, ValidationError)
    assert not User.objects.filter(username="lock-newcomer").exists()
