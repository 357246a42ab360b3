"""The audit log on the real PostgreSQL: append-only, and one unbroken chain under concurrent writers."""

from __future__ import annotations

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from testimony.audit.chain import verify
from testimony.audit.models import AuditEntry
from testimony.audit.services import audit_key, audit_record

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_entries_cannot_be_updated_or_deleted():
    with transaction.atomic():
        audit_record(actor=None, action="retention.run", details={"destroyed": 0})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(action="something.else")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(seq=1).delete()
    assert AuditEntry.objects.get(seq=1).action == "retention.run"


def test_concurrent_writers_produce_one_valid_chain():
    assert connection.vendor == "postgresql"
    errors: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            for n in range(25):
                with transaction.atomic():
                    audit_record(actor=None, action="report.view", object_id=f"{worker}-{n}")
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    problems, last_seq, _head = verify(AuditEntry.objects.order_by("seq"), audit_key())
    assert problems == []
    assert last_seq == 150
