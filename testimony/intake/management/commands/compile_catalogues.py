from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po to .mo with polib (no GNU gettext needed)."

    def handle(self, *args, **options) -> None:
        count = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                count += 1
                self.stdout.write(
                    f"{po_path.parent.parent.name}: {catalogue.percent_translated()}% translated"
                )
        self.stdout.write(f"Compiled {count} catalogues.")
