"""Check the audit chain: ``manage.py verify_audit``. Exit status 1 when anything is wrong."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from testimony.audit.chain import verify
from testimony.audit.models import AuditEntry
from testimony.audit.services import audit_key


class Command(BaseCommand):
    help = "Verify that no audit entry was edited, deleted or reordered; print the head to record elsewhere."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="SEQ:DIGEST",
            help="a head printed earlier: the chain must still contain it (detects a removed tail)",
        )

    @no_translations
    def handle(self, *args, **options):
        entries = AuditEntry.objects.order_by("seq").iterator(chunk_size=2000)
        problems, last_seq, head = verify(entries, audit_key())
        for problem in problems[:50]:
            self.stderr.write(f"entry {problem.seq}: {problem.what}")
        if options["expect_head"]:
            seq_text, _, expected = options["expect_head"].partition(":")
            recorded = AuditEntry.objects.filter(seq=int(seq_text)).values_list("digest", flat=True).first()
            if recorded != expected:
                problems.append(None)
                self.stderr.write(f"entry {seq_text}: not the entry recorded earlier, or missing")
        if problems:
            raise CommandError(f"audit log damaged: {len(problems)} problem(s)")
        self.stdout.write(f"audit log intact: {last_seq} entries, head {last_seq}:{head}")
