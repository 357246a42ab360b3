"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the tests also read the database.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is needed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page that records every request it makes."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.requests_seen = []
    page.on("request", lambda request: page.requests_seen.append(request))
    yield page
    context.close()


@pytest.fixture
def phone_without_javascript(browser, live_server):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _browser_settings(settings, live_server):
    # Everything must stay on this machine: even the quick exit goes to a local page.
    settings.QUICK_EXIT_URL = f"{live_server.url}/api/v1/challenges/"


@pytest.fixture(autouse=True)
def _taxonomy_seeded(seeded_taxonomy):
    """Every browser test starts with the migration's taxonomy (see ``seeded_taxonomy``)."""


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_followup(page, base_url: str, receipt: str, *, language: str = "ru") -> None:
    """The submitter's follow-up page, opened with a receipt; the thread is on screen."""
    page.goto(f"{base_url}/{language}/followup/")
    page.fill("input[name=receipt]", receipt)
    page.click("button[type=submit]")
    page.wait_for_selector(".thread")


def reply_on_followup(page, text: str) -> None:
    """Answer from the follow-up page; returns once the answer is shown as the submitter's."""
    page.fill("textarea[name=text]", text)
    page.click("form[action$='reply/'] button[type=submit]")
    page.wait_for_selector(".thread li.mine")
