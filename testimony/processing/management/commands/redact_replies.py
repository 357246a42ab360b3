from django.core.management.base import BaseCommand
from django.db import transaction

from testimony.audit.services import audit_record
from testimony.intake.models import Message
from testimony.review.sealed import reply_sealed_as_text

BATCH = 500


class Command(BaseCommand):
    help = (
        "Have the worker open and seal submitter replies again, redacted as the account is. "
        "For replies sealed before replies were redacted (shown to reviewers in full) or before "
        "they kept their redactions (bare text): their sealed text is dropped, the console shows "
        "them as not yet decrypted, and the sweeper hands them to the worker, which reads them "
        "from their ciphertext again. Replies the worker has already sealed with their redactions "
        "are left alone (a reviewer may have corrected them) unless --all is given."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="also redo replies already sealed with their redactions (reviewers' corrections to "
            "them are lost)",
        )

    def handle(self, *args, everything: bool = False, **options) -> None:
        replies = Message.objects.filter(direction=Message.Direction.FROM_SUBMITTER).exclude(ciphertext=None)
        count = 0
        with transaction.atomic():
            if everything:
                count = replies.update(body_sealed=None)
            else:
                # Never-opened replies (no sealed body) are the worker's already.
                pending = replies.exclude(body_sealed=None).only("pk", "body_sealed").order_by("pk")
                stale = [
                    message.pk
                    for message in pending.iterator(chunk_size=BATCH)
                    if reply_sealed_as_text(message)
                ]
                for start in range(0, len(stale), BATCH):
                    count += Message.objects.filter(pk__in=stale[start : start + BATCH]).update(
                        body_sealed=None
                    )
            audit_record(
                actor=None,
                action="message.reprocess",
                object_type="message",
                details={"count": count, "all": everything},
            )
        self.stdout.write(f"{count} replies will be redacted again by the worker.")
