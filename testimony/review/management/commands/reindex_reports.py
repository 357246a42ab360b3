"""Recompute what is derived from every report's redacted text: search tokens and fingerprint.

For after a change to what is indexed (``review.search.indexed_text``, the normalisation, the
stemming) or to the derived keys: rows written before it keep the old tokens and fingerprints
until then, and would be missed by search and duplicate suggestions. Idempotent; each report is
one short transaction, so it can run beside the console and be stopped and started again.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from testimony.audit.services import audit_record_now
from testimony.review.models import Report
from testimony.review.sealed import report_text_open
from testimony.review.search import report_text_index
from testimony.review.selectors import report_id_pages

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the search tokens and exact-duplicate fingerprints of every report."

    def handle(self, *args, **options) -> None:
        done = 0
        # Ids only: each text is read below, under the row's lock.
        for page in report_id_pages(size=BATCH):
            for report_id in page:
                with transaction.atomic():
                    # Locked so that a correction saved meanwhile is not overwritten by stale tokens.
                    locked = Report.objects.select_for_update().only("pk", "text_sealed").get(pk=report_id)
                    report_text_index(report=locked, payload=report_text_open(locked))
                done += 1
        # Every report's text was opened (in memory, by the operator's command): on the record.
        audit_record_now(actor=None, action="report.reindex", object_type="report", details={"count": done})
        self.stdout.write(f"Reindexed {done} reports.")
