"""Check the audit chain: ``manage.py verify_audit``. Exit status 1 when anything is wrong.

Walks every entry, whatever checkpoints say, and records the result as a checkpoint entry (the
log page then verifies only what came after it); ``--no-checkpoint`` for a copy that must not be
written to, such as a restored backup being examined.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, no_translations

from testimony.audit.models import AuditEntry
from testimony.audit.selectors import audit_chain_check
from testimony.audit.services import audit_checkpoint_record


class Command(BaseCommand):
    help = "Verify that no audit entry was edited, deleted or reordered; print the head to record elsewhere."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            metavar="SEQ:DIGEST",
            help="a head printed earlier: the chain must still contain it (detects a removed tail)",
        )
        parser.add_argument(
            "--no-checkpoint",
            action="store_true",
            help="only read: do not record the result in the log (a checkpoint for the log page)",
        )

    @no_translations
    def handle(self, *args, **options):
        check = audit_chain_check(show=None)
        for problem in check.problems[:50]:
            self.stderr.write(f"entry {problem.seq}: {problem.what}")
        if check.problem_count > 50:
            self.stderr.write(f"... and {check.problem_count - 50} more")
        if not options["no_checkpoint"]:
            entry = audit_checkpoint_record(check=check, by="verify_audit")
            self.stdout.write(f"result recorded as checkpoint entry {entry.seq}")
        problem_count = check.problem_count
        if options["expect_head"]:
            seq_text, _, expected = options["expect_head"].partition(":")
            recorded = AuditEntry.objects.filter(seq=int(seq_text)).values_list("digest", flat=True).first()
            if recorded != expected:
                problem_count += 1
                self.stderr.write(f"entry {seq_text}: not the entry recorded earlier, or missing")
        if problem_count:
            raise CommandError(f"audit log damaged: {problem_count} problem(s)")
        self.stdout.write(
            f"audit log intact: {check.head_seq} entries, head {check.head_seq}:{check.head_digest}"
        )
