"""The console speaks the account's language: Russian for "ru", English for "en" (issue 4).

Needs the compiled catalogues (``manage.py compile_catalogues``, run by ``make install``); the
fixture below compiles them when they are missing or older than the .po files.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

pytestmark = pytest.mark.django_db

QUEUE_RU = ["Очередь", "Что требует внимания", "Сочетания клавиш", "Исполнитель", "Консоль свидетельств"]
QUEUE_EN = ["Queue", "What needs attention", "Keyboard shortcuts", "Assignee", "Testimony console"]
REPORT_RU = [
    "Свидетельство",
    "Рассказ (данные скрыты)",
    "Скрытые данные",
    "Внутренние комментарии",
    "История",
]
REPORT_EN = ["Report", "Account (redacted)", "Redactions", "Internal comments", "History"]


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogues():
    stale = False
    for locale_dir in settings.LOCALE_PATHS:
        for po in Path(locale_dir).glob("*/LC_MESSAGES/*.po"):
            mo = po.with_suffix(".mo")
            stale |= not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime
    if stale:
        call_command("compile_catalogues", verbosity=0)
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture
def report(report_factory, caseloads):
    return report_factory(caseload=caseloads["moscow"])


def speaking(personas, console_client, language):
    reviewer = personas["reviewer"]
    reviewer.console_language = language
    reviewer.save(update_fields=["console_language"])
    return console_client(reviewer)


def page(client, url, language):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    return html


def shown(html: str, text: str) -> bool:
    """``text`` as a whole element text or attribute value, not as part of a longer string."""
    return any(f"{before}{text}{after}" in html for before in (">", '"', "> ") for after in ("<", '"', " <"))


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [("ru", QUEUE_RU, QUEUE_EN), ("en", QUEUE_EN, QUEUE_RU)],
)
def test_the_queue_is_in_the_reviewers_language(personas, console_client, report, language, present, absent):
    html = page(speaking(personas, console_client, language), reverse("console:queue"), language)
    for text in present:
        assert shown(html, text), text
    for text in absent:
        assert not shown(html, text), text


def test_the_queue_in_russian_shows_russian_states_and_actions(personas, console_client, report):
    html = page(speaking(personas, console_client, "ru"), reverse("console:queue"), "ru")
    assert shown(html, "Новое")  # the report's state
    assert shown(html, "Применить")  # the filter button
    assert not shown(html, "New")
    assert not shown(html, "Filter")


@pytest.mark.parametrize(
    ("language", "present", "absent"),
    [("ru", REPORT_RU, REPORT_EN), ("en", REPORT_EN, REPORT_RU)],
)
def test_the_report_page_is_in_the_reviewers_language(
    personas, console_client, report, language, present, absent
):
    url = reverse("console:report", args=[report.pk])
    html = page(speaking(personas, console_client, language), url, language)
    for text in present:
        assert shown(html, text), text
    for text in absent:
        assert not shown(html, text), text


def test_the_report_history_names_its_details_in_the_readers_language(
    personas, console_client, report, caseloads
):
    from testimony.review.services.routing import report_route

    report_route(user=personas["coordinator"], report_id=report.pk, caseload_id=caseloads["detention"].pk)
    coordinator = personas["coordinator"]
    coordinator.console_language = "ru"
    coordinator.save(update_fields=["console_language"])
    url = reverse("console:report", args=[report.pk])
    html = page(console_client(coordinator), url, "ru")
    history = html[html.index('id="history"') :]
    assert f"было: {caseloads['moscow'].name}" in history
    assert f"стало: {caseloads['detention'].name}" in history
    assert "from:" not in history
