"""How many reports there are per caseload, state and assignee: the queue's counts, kept by the database.

The counts at the top of the queue used to be one aggregate over every report in the user's
scope: a scan that grows with the reports (about 40 ms for 100,000 on PostgreSQL, most of the
page's time). Here they are kept as they change, by triggers on ``review_report``
(``services.report_counts``), so every writer is counted whatever it is: the console's services,
bulk jobs, the worker creating a report, ``bulk_create``, COPY, a cascade from a deleted
submission, an assignee set to NULL when their account is deleted.

Rows are deltas, not one row per key: a trigger only ever inserts (+1 for the new key, -1 for
the old), so two transactions changing reports never wait for each other on a counter row, and
cannot deadlock over one. A key's count is the sum of its rows. ``report_counts_compact`` folds
them back into one row per key now and then, and ``report_counts_install`` reinstalls the
triggers and recomputes the whole table from the reports (after every ``migrate``, and
``manage.py recount_queue --fix``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ReportCount(models.Model):
    # Foreign keys only so that the report scope's conditions (``selectors._report_scope``:
    # caseload ids, or no caseload) apply to this table as they are; no database constraint and
    # no index: a constraint would make every trigger insert take a lock on the caseload's or the
    # user's row (routing locks caseload rows), and the table is small enough to read whole.
    caseload = models.ForeignKey(
        "accounts.Caseload",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    state = models.CharField(max_length=12)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    n = models.IntegerField()  # reports added to this key (negative: taken away)

    def __str__(self) -> str:
        return f"{self.n:+d} {self.state} in caseload {self.caseload_id} for {self.assignee_id}"
