from django.core.management.base import BaseCommand

from testimony.processing import failures
from testimony.processing.services import submission_requeue_failed


class Command(BaseCommand):
    help = (
        "Put failed submissions back in the processing queue (the sweeper enqueues them). By default "
        "only those that crashed; undecryptable or invalid reports fail again the same way."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reason",
            action="append",
            choices=[
                failures.CRASHED,
                failures.UNDECRYPTABLE,
                failures.INVALID_REPORT,
                failures.BAD_ATTACHMENT,
            ],
            help=f"Failure reason to requeue (repeatable; default: {failures.CRASHED}).",
        )

    def handle(self, *args, reason: list[str] | None, **options) -> None:
        count = submission_requeue_failed(reasons=reason or [failures.CRASHED])
        self.stdout.write(f"Requeued {count} submissions.")
