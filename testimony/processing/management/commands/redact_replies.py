from django.core.management.base import BaseCommand
from django.db import transaction

from testimony.audit.services import audit_record
from testimony.intake.models import Message


class Command(BaseCommand):
    help = (
        "Have the worker open and seal every submitter reply again, redacted as the account is. "
        "For replies sealed before replies were redacted (they were shown to reviewers in full): "
        "their sealed text is dropped, the console shows them as not yet decrypted, and the "
        "sweeper hands them to the worker, which reads them from their ciphertext again."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = (
                Message.objects.filter(direction=Message.Direction.FROM_SUBMITTER)
                .exclude(ciphertext=None)
                .update(body_sealed=None)
            )
            audit_record(
                actor=None, action="message.reprocess", object_type="message", details={"count": count}
            )
        self.stdout.write(f"{count} replies will be redacted again by the worker.")
