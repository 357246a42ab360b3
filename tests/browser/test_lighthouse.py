"""Lighthouse (mobile settings, on Debian's Chromium) scores the submission page."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, CHROMIUM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIGHTHOUSE = Path(__file__).parent / "lighthouse" / "node_modules" / ".bin" / "lighthouse"


@pytest.mark.parametrize("language", ["ru", "uz"])
def test_submission_page_scores_95_for_performance_and_accessibility(live_server, language):
    if not LIGHTHOUSE.exists():
        pytest.fail("Lighthouse is not installed: cd tests/browser/lighthouse && npm ci")
    ARTIFACTS.mkdir(exist_ok=True)
    report = ARTIFACTS / f"lighthouse-{language}.json"
    report.unlink(missing_ok=True)  # the scores below must be this run's, not a previous one's
    command = [
        str(LIGHTHOUSE),
        f"{live_server.url}/{language}/",
        "--only-categories=performance,accessibility",
        "--form-factor=mobile",
        "--throttling-method=simulate",
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        "--chrome-flags=--headless --no-sandbox --disable-gpu --disable-background-networking",
    ]
    # Lighthouse sometimes loses Chrome's trace on a busy machine ("NO_NAVSTART", "run Lighthouse
    # again"): that is the tool failing to measure, not the page failing, so it gets one more try.
    # A low score is never retried.
    for attempt in (1, 2):
        run = subprocess.run(
            command,
            env={**os.environ, "CHROME_PATH": CHROMIUM},
            timeout=240,
            capture_output=True,
            text=True,
        )
        if run.returncode == 0 or attempt == 2 or "Please run Lighthouse again" not in run.stderr:
            break
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(report.read_text())
    scores = {name: category["score"] for name, category in result["categories"].items()}
    failing = [
        audit["id"]
        for audit in result["audits"].values()
        if audit.get("scoreDisplayMode") == "binary" and audit.get("score") == 0
    ]
    assert scores["performance"] >= 0.95, (scores, failing)
    assert scores["accessibility"] >= 0.95, (scores, failing)
