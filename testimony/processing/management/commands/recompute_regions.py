"""``manage.py recompute_regions [--dry-run] [--batch N]``: derive every report's region again.

``Report.region`` (the evidence aggregates' region) is derived by ``processing.reports.report_region``
from the form's place, the coarse places found in the text (``Report.places``, stored in clear)
and the reference data: the form's places (``intake/data/form_places.json``) and the gazetteer's
cities. The worker and a reviewer's correction write it, but a change to that data leaves the
stored regions as they were; this brings them up to date. No sealed text is opened.

Reports are read in keyset pages of ids, so memory stays flat whatever the table's size; each
page is locked, recomputed and written in its own short transaction (a correction saved meanwhile
is not overwritten by a region computed from stale places), and only rows whose region changed
are written. Idempotent: a second run changes nothing. One audit entry per run, counts only.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from testimony.audit.services import audit_record_now
from testimony.processing.reports import report_region
from testimony.review.models import Report
from testimony.review.selectors import report_id_pages

BATCH = 1000


def regions_recompute(*, batch: int = BATCH, dry_run: bool = False) -> tuple[int, int]:
    """(reports examined, regions changed); with ``dry_run``, what would change, writing nothing."""
    examined = changed = 0
    for page in report_id_pages(size=batch):
        with transaction.atomic():
            rows = Report.objects.filter(pk__in=page).only("pk", "country", "place", "places", "region")
            if not dry_run:
                rows = rows.select_for_update()
            stale = []
            for row in rows:
                region = report_region(country=row.country, place_id=row.place, places=row.places)
                if region != row.region:
                    row.region = region
                    stale.append(row)
            if stale and not dry_run:
                # The region is derived, not an edit: updated_at (the queue's "changed") stays.
                Report.objects.bulk_update(stale, ["region"])
        examined += len(page)
        changed += len(stale)
    return examined, changed


class Command(BaseCommand):
    help = (
        "Recompute the region of every report from its places and the current form places and "
        "gazetteer data; write only the regions that changed."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would change; write nothing.")
        parser.add_argument("--batch", type=int, default=BATCH, help=f"Reports per transaction ({BATCH}).")

    def handle(self, *args, dry_run: bool = False, batch: int = BATCH, **options) -> None:
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        examined, changed = regions_recompute(batch=batch, dry_run=dry_run)
        if dry_run:
            self.stdout.write(f"Examined {examined} reports; {changed} regions would change (dry run).")
            return
        audit_record_now(
            actor=None,
            action="report.recompute_regions",
            object_type="report",
            details={"examined": examined, "changed": changed},
        )
        self.stdout.write(f"Examined {examined} reports; {changed} regions changed.")
