"""Page weight of the evidence dashboard (/console/evidence/), the page with the two maps.

Builds a throwaway SQLite database (the unit-test settings: generated keys, a temporary folder),
seeds demo-like processed reports with ``evidence.bench_data.seed_reports``, logs an analyst in
with the Django test client and fetches the dashboard as a browser would (``Accept-Encoding:
gzip``), for our organisation and as a partner would see it. Prints, per audience, the HTML as
sent (gzipped by the server, whose BREACH padding adds up to 100 random bytes), the same HTML
gzipped without padding (level 6, reproducible), its size uncompressed, and how much of it is
the maps' SVG::

    .venv/bin/python benchmarks/dashboard_weight.py [--reports 2000]
"""

from __future__ import annotations

import argparse
import atexit
import gzip
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
# Its own temporary database, whatever VAR_DIR the shell has (the test settings would use it),
# removed afterwards: it holds the fake reports.
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="dashboard-weight-")
atexit.register(shutil.rmtree, os.environ["VAR_DIR"], ignore_errors=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

URL = "/console/evidence/"
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6, mtime=0))


def analyst_client():
    """A test client logged in as an analyst of the intake organisation, second factor done."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testimony.accounts.models import Organisation, User

    organisation = Organisation.objects.create(name="Bench organisation", receives_intake=True)
    user = User.objects.create(username="bench-analyst", role="analyst", organisation=organisation)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client, organisation


def measure(client: Client, query: str) -> dict[str, int]:
    response = client.get(URL + query, HTTP_ACCEPT_ENCODING="gzip")
    if response.status_code != 200:
        raise SystemExit(f"{URL}{query}: HTTP {response.status_code}")
    sent = len(response.content)
    html = (
        gzip.decompress(response.content) if response.get("Content-Encoding") == "gzip" else response.content
    )
    maps = "".join(SVG.findall(html.decode())).encode()
    return {
        "sent": sent,
        "gzip": gzipped(html),
        "raw": len(html),
        "svg gzip": gzipped(maps),
        "svg raw": len(maps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reports", type=int, default=2000, help="fake processed reports to seed")
    args = parser.parse_args()

    from testimony.evidence.bench_data import seed_reports

    call_command("migrate", verbosity=0)
    client, organisation = analyst_client()
    seed_reports(args.reports, organisation=organisation, seed=1)
    print(f"{args.reports} seeded reports; load average {os.getloadavg()[0]:.2f}")
    columns = ("sent", "gzip", "raw", "svg gzip", "svg raw")
    print(f"{'audience':10}" + "".join(f"{name:>11}" for name in columns))
    for audience in ("internal", "partner"):
        began = time.perf_counter()
        sizes = measure(client, f"?audience={audience}")
        elapsed = time.perf_counter() - began
        print(f"{audience:10}" + "".join(f"{sizes[name]:>11}" for name in columns) + f"   ({elapsed:.2f} s)")
    print(
        "Bytes. sent: the response body as the server compressed it (with BREACH padding); gzip: the "
        "same HTML at gzip level 6, no padding; svg: the <svg> elements of the page."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
