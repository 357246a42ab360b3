"""The queue's counts (``ReportCount``): the triggers that keep them, folding them up, recounting them.

Triggers on ``review_report`` rather than a call in every service: the counts must follow every
change of a report's state, caseload or assignee and every report created or deleted, and not
all of those go through a service (the worker's ``update_or_create``, ``bulk_create`` and COPY in
the seeders, the cascade from a deleted submission, ``SET NULL`` when an assignee's account is
deleted, a queryset ``update`` in a future command). A trigger runs in the writer's own
transaction, so the counts commit or roll back with the change.

A trigger only inserts delta rows (see ``models.counts``): no counter row is ever updated in
place, so writers never queue behind each other on one. On PostgreSQL, inserts and deletes are
counted per statement (transition tables: one row per key however many reports a
``bulk_create`` or COPY batch writes), updates per row and only when one of the three columns
changed; SQLite has row triggers only.

SQLite drops a table's triggers whenever a migration rebuilds the table (its way of altering
one), so the triggers are (re)installed, and the counts recomputed, after every ``migrate``
(``ReviewConfig.ready`` connects ``post_migrate``), not only by the migration that made the
table.
"""

from __future__ import annotations

import logging
from collections import Counter

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Count, Sum

from testimony.review.models import Report, ReportCount

logger = logging.getLogger(__name__)

# The SQL names the tables as they are (``ReportCount`` and ``Report``'s db_table; a test keeps
# them equal) rather than formatting them in: plain statements, nothing built from values.
TRIGGERS = ("review_reportcount_insert", "review_reportcount_update", "review_reportcount_delete")
TABLES = ("review_reportcount", "review_report")

_POSTGRESQL_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION review_reportcount_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
        SELECT caseload_id, state, assignee_id, COUNT(*) FROM added
        GROUP BY caseload_id, state, assignee_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION review_reportcount_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
        SELECT caseload_id, state, assignee_id, -COUNT(*) FROM removed
        GROUP BY caseload_id, state, assignee_id;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION review_reportcount_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n) VALUES
            (OLD.caseload_id, OLD.state, OLD.assignee_id, -1),
            (NEW.caseload_id, NEW.state, NEW.assignee_id, 1);
        RETURN NULL;
    END $$
    """,
    "DROP TRIGGER IF EXISTS review_reportcount_insert ON review_report",
    "DROP TRIGGER IF EXISTS review_reportcount_update ON review_report",
    "DROP TRIGGER IF EXISTS review_reportcount_delete ON review_report",
    """
    CREATE TRIGGER review_reportcount_insert AFTER INSERT ON review_report
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION review_reportcount_insert()
    """,
    """
    CREATE TRIGGER review_reportcount_delete AFTER DELETE ON review_report
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION review_reportcount_delete()
    """,
    """
    CREATE TRIGGER review_reportcount_update AFTER UPDATE OF state, caseload_id, assignee_id ON review_report
    FOR EACH ROW WHEN (
        OLD.state IS DISTINCT FROM NEW.state
        OR OLD.caseload_id IS DISTINCT FROM NEW.caseload_id
        OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
    ) EXECUTE FUNCTION review_reportcount_update()
    """,
]

_SQLITE_INSTALL = [
    "DROP TRIGGER IF EXISTS review_reportcount_insert",
    "DROP TRIGGER IF EXISTS review_reportcount_update",
    "DROP TRIGGER IF EXISTS review_reportcount_delete",
    """
    CREATE TRIGGER review_reportcount_insert AFTER INSERT ON review_report FOR EACH ROW BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
        VALUES (NEW.caseload_id, NEW.state, NEW.assignee_id, 1);
    END
    """,
    """
    CREATE TRIGGER review_reportcount_delete AFTER DELETE ON review_report FOR EACH ROW BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
        VALUES (OLD.caseload_id, OLD.state, OLD.assignee_id, -1);
    END
    """,
    """
    CREATE TRIGGER review_reportcount_update AFTER UPDATE OF state, caseload_id, assignee_id ON review_report
    FOR EACH ROW WHEN
        OLD.state IS NOT NEW.state
        OR OLD.caseload_id IS NOT NEW.caseload_id
        OR OLD.assignee_id IS NOT NEW.assignee_id
    BEGIN
        INSERT INTO review_reportcount (caseload_id, state, assignee_id, n) VALUES
            (OLD.caseload_id, OLD.state, OLD.assignee_id, -1),
            (NEW.caseload_id, NEW.state, NEW.assignee_id, 1);
    END
    """,
]

_REBUILD = [
    "DELETE FROM review_reportcount",
    """
    INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
    SELECT caseload_id, state, assignee_id, COUNT(*) FROM review_report
    GROUP BY caseload_id, state, assignee_id
    """,
]

# One statement, so one snapshot: the rows it sums are exactly the rows it deletes. Deltas that
# writers commit meanwhile are not in its snapshot, so it neither deletes nor counts them; a
# second compaction at the same time skips the rows this one deleted (they are gone when it gets
# their lock) and does not see the rows this one inserted.
_POSTGRESQL_COMPACT = """
    WITH gone AS (DELETE FROM review_reportcount RETURNING caseload_id, state, assignee_id, n)
    INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
    SELECT caseload_id, state, assignee_id, SUM(n) FROM gone
    GROUP BY caseload_id, state, assignee_id HAVING SUM(n) <> 0
"""
# SQLite has one writer at a time and ids only grow (AUTOINCREMENT): the rows up to the last id
# are summed in one statement (which takes the write lock), then deleted.
_SQLITE_COMPACT = [
    """
    INSERT INTO review_reportcount (caseload_id, state, assignee_id, n)
    SELECT caseload_id, state, assignee_id, SUM(n) FROM review_reportcount WHERE id <= %s
    GROUP BY caseload_id, state, assignee_id HAVING SUM(n) <> 0
    """,
    "DELETE FROM review_reportcount WHERE id <= %s",
]


def _check_vendor(connection) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):
        raise NotImplementedError(f"the queue's counts have no triggers for {connection.vendor}")


def report_counts_install(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """(Re)create the triggers and recompute every count from the reports, in one transaction.

    Writers to the reports wait meanwhile (PostgreSQL: a table lock; SQLite: the write lock the
    trigger statements take first), so no change falls between the recount and the triggers.
    Returns False, doing nothing, if the tables are not there (a database migrated backwards).
    """
    connection = connections[using]
    _check_vendor(connection)
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if not set(TABLES) <= tables:
        return False
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("LOCK TABLE review_report IN SHARE ROW EXCLUSIVE MODE")
            for statement in _POSTGRESQL_INSTALL:
                cursor.execute(statement)
        else:
            for statement in _SQLITE_INSTALL:
                cursor.execute(statement)
        _rebuild(connection, cursor)
    return True


def _rebuild(connection, cursor) -> None:
    """Precondition: in a transaction that holds writers to the reports off."""
    if connection.vendor == "postgresql":
        # A compaction already under way finishes first, and none starts until this commits:
        # otherwise rows it inserts after this DELETE's snapshot would be counted twice.
        cursor.execute("LOCK TABLE review_reportcount IN EXCLUSIVE MODE")
    for statement in _REBUILD:
        cursor.execute(statement)


def report_counts_compact(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Fold the delta rows into one row per key (keys that sum to nothing go). Counts stay the same."""
    connection = connections[using]
    _check_vendor(connection)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_POSTGRESQL_COMPACT)
            return
        cursor.execute("SELECT MAX(id) FROM review_reportcount")
        (last,) = cursor.fetchone()
        if last is not None:
            for statement in _SQLITE_COMPACT:
                cursor.execute(statement, [last])


def report_counts_differences(*, using: str = DEFAULT_DB_ALIAS) -> list[tuple[tuple, int, int]]:
    """Keys whose stored count differs from the reports: ((caseload, state, assignee), reports, stored).

    Both sides are read in one snapshot (PostgreSQL: repeatable read when this opens the
    transaction; SQLite: one transaction), so changes committed meanwhile do not show as drift.
    """
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        key = ("caseload_id", "state", "assignee_id")
        reports = Counter(
            {
                tuple(row[:3]): row[3]
                for row in Report.objects.order_by().values_list(*key).annotate(n=Count("pk"))
            }
        )
        stored = Counter(
            {
                tuple(row[:3]): row[3]
                for row in ReportCount.objects.order_by().values_list(*key).annotate(n=Sum("n"))
            }
        )
    keys = sorted(set(reports) | set(stored), key=repr)
    return [(k, reports[k], stored[k]) for k in keys if reports[k] != stored[k]]


def install_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """``post_migrate`` receiver (for the review app only)."""
    if report_counts_install(using=using):
        logger.info("queue counts: triggers installed and counts recomputed on %s", using)
