from django.core.management.base import BaseCommand

from testimony.crypto.keys import new_data_key
from testimony.crypto.rotation import count_under_old_keys, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every value sealed at rest under the first key in DATA_KEYS, in batches. "
        "To rotate: put a new key (--new-key prints one) first in DATA_KEYS, keep the old ones after it, "
        "run this command, then remove the old keys once it reports none left."
    )

    def add_arguments(self, parser):
        parser.add_argument("--new-key", action="store_true", help="Print a fresh data key and exit.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, new_key: bool, batch_size: int, **options) -> None:
        if new_key:
            self.stdout.write(new_data_key())
            return
        total = rotate_all(
            batch_size=batch_size,
            progress=lambda model, done: self.stdout.write(f"{model}: {done} re-encrypted so far"),
        )
        left = count_under_old_keys()
        self.stdout.write(f"Re-encrypted {total} values; {left} remain under older keys.")
        if left == 0:
            self.stdout.write("Older keys can now be removed from DATA_KEYS.")
