"""Page weight of the submission page, as a phone first downloads it, in every language.

Prints, per language, the compressed size of the HTML, the CSS and the deferred script (what is
needed for first paint, budget 30 KB) and of the scripts loaded after first paint (everything
together, budget 100 KB). Run after `make install` (it reads the collected static files):

    .venv/bin/python benchmarks/page_weight.py
"""

from __future__ import annotations

import gzip
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402

FIRST_PAINT_BUDGET = 30 * 1024
TOTAL_BUDGET = 100 * 1024
ASSET = re.compile(r'(?:href|src|data-enc-src|data-pow-src)="(/static/[^"]+)"')


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def static_bytes(url: str) -> bytes:
    return (Path(settings.STATIC_ROOT) / url.removeprefix(settings.STATIC_URL)).read_bytes()


def _plain_name(url: str) -> str:
    """``intake.654ac90dff3b.js`` -> ``intake.js`` (the manifest storage adds a content hash)."""
    parts = Path(url).name.split(".")
    return ".".join([parts[0], parts[-1]])


def measure(client: Client, language: str) -> dict[str, int]:
    response = client.get(f"/{language}/", HTTP_ACCEPT_ENCODING="gzip")
    compressed = response.get("Content-Encoding") == "gzip"
    html = gzip.decompress(response.content) if compressed else response.content
    sizes = {"html": len(response.content) if compressed else gzipped(html)}
    for url in ASSET.findall(html.decode()):
        sizes[_plain_name(url)] = gzipped(static_bytes(url))
    return sizes


FIRST_PAINT = ("html", "intake.css", "intake.js")
AFTER_PAINT = ("enc.js", "pow-worker.js")


def main() -> int:
    client = Client(HTTP_HOST="localhost")
    ok = True
    columns = (*FIRST_PAINT, "first paint", *AFTER_PAINT, "total")
    print("lang " + "".join(f"{name:>15}" for name in columns))
    for language, _name in settings.LANGUAGES:
        sizes = measure(client, language)
        first = sum(sizes[name] for name in FIRST_PAINT)
        total = first + sum(sizes[name] for name in AFTER_PAINT)
        ok &= first <= FIRST_PAINT_BUDGET and total <= TOTAL_BUDGET
        row = [sizes[n] for n in FIRST_PAINT] + [first] + [sizes[n] for n in AFTER_PAINT] + [total]
        print(f"{language:5}" + "".join(f"{value:>15}" for value in row))
    print(f"Bytes after gzip. Budgets: first paint {FIRST_PAINT_BUDGET}, everything {TOTAL_BUDGET}.")
    print("within budget" if ok else "OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
