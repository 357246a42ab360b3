"""``manage.py recount_queue [--fix]``: check the queue's counts against the reports.

The counts (``ReportCount``) are kept by triggers, so they should never differ; they could if the
triggers were missing for a while (a restore with triggers disabled, SQLite rebuilding the
table outside ``migrate``) or the counts' table were edited by hand. Without ``--fix`` it only
reports differences and exits with status 1 if there are any; ``--fix`` also reinstalls the
triggers and recomputes every count (writers to the reports wait meanwhile, for about as long
as a count of them takes).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from testimony.review.services.report_counts import report_counts_differences, report_counts_install


class Command(BaseCommand):
    help = "Check the queue's counts per caseload, state and assignee against the reports (--fix to recount)."

    def add_arguments(self, parser):
        parser.add_argument("--fix", action="store_true", help="reinstall the triggers and recount")

    def handle(self, *args, fix, **options):
        differences = report_counts_differences()
        for (caseload_id, state, assignee_id), reports, stored in differences:
            self.stdout.write(
                f"caseload {caseload_id or '-'}, {state}, assignee {assignee_id or '-'}: "
                f"{reports} reports, counted {stored}"
            )
        if not differences:
            self.stdout.write("The queue's counts match the reports.")
            return
        if not fix:
            raise CommandError(
                f"{len(differences)} counts differ from the reports; run with --fix to recount."
            )
        report_counts_install()
        left = report_counts_differences()
        if left:  # only if reports changed between the recount and this check, or triggers failed
            raise CommandError(f"Recounted, but {len(left)} counts still differ.")
        self.stdout.write(f"Recounted: {len(differences)} counts corrected.")
