"""The report a submitter sends, as JSON (version 1), and its validation.

The same check runs on the server before server-side encryption and in the worker after
decryption of a browser-encrypted report, so both paths accept exactly the same reports.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from testimony.intake import places
from testimony.intake.choices import COUNTRY_CODES, KIND_CODES, PERPETRATOR_CODES

REPORT_VERSION = 1
_WHEN = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
_PLACE_DETAILS_MAX = 500
_NAME_MAX = 200
_LANGUAGES = {"ru", "uz", "tg", "ky", "kk", "en"}
_EARLIEST_YEAR = 2000

# What the submitter reads when a question is left unanswered or a date is wrong: the same words
# from this check, the form without JavaScript (forms.py) and the page's script (js_strings.py).
MISSING_KIND = _("Choose what happened.")
MISSING_WHEN = _("Give the year and month, and the day if you know it.")
BAD_DATE = _("This date does not exist.")
FUTURE_DATE = _("The date cannot be in the future.")
MISSING_COUNTRY = _("Choose the country.")
MISSING_WHO = _("Choose who was involved, or 'I don't know'.")
MISSING_ACCOUNT = _("Describe what happened.")
MISSING_CONSENT = _("Please confirm that you have read how your report will be used.")
BAD_CITIZENSHIP = _("Choose your citizenship from the list, or leave it empty.")


@dataclass(frozen=True)
class ReportProblem:
    field: str
    message: str


def _check_when(value: object, today: dt.date) -> str | None:
    match = _WHEN.match(value) if isinstance(value, str) else None
    if not match:
        return str(MISSING_WHEN)
    year, month, day = int(match[1]), int(match[2]), match[3]
    try:
        date = dt.date(year, month, int(day) if day else 1)
    except ValueError:
        return str(BAD_DATE)
    # A day of slack: east of UTC (Tashkent, Bishkek) the submitter's today is already tomorrow.
    if year < _EARLIEST_YEAR or date > today + dt.timedelta(days=1):
        return str(FUTURE_DATE)
    return None


def validate_report(report: object, *, today: dt.date | None = None) -> list[ReportProblem]:
    """Every problem with ``report``; an empty list means it is acceptable."""
    today = today or dt.date.today()
    if not isinstance(report, dict):
        return [ReportProblem("report", str(_("The report is not in the expected form.")))]
    problems: list[ReportProblem] = []

    def add(field: str, message: object) -> None:
        problems.append(ReportProblem(field, str(message)))

    if report.get("v") != REPORT_VERSION:
        add("v", _("The report is not in the expected form."))
    if report.get("kind") not in KIND_CODES:
        add("kind", MISSING_KIND)
    when_problem = _check_when(report.get("when"), today)
    if when_problem:
        add("when", when_problem)

    where = report.get("where")
    if not isinstance(where, dict) or where.get("country") not in COUNTRY_CODES:
        add("country", MISSING_COUNTRY)
    else:
        place = where.get("place", "")
        if place and not places.is_known_place(where["country"], place):
            add("place", _("Choose a place from the list, or leave it empty and describe it below."))
        details = where.get("details", "")
        if not isinstance(details, str) or len(details) > _PLACE_DETAILS_MAX:
            add("place_details", _("The description of the place is too long."))

    who = report.get("who")
    if not isinstance(who, list) or not who or not all(code in PERPETRATOR_CODES for code in who):
        add("who", MISSING_WHO)

    account = report.get("account")
    if not isinstance(account, str) or not account.strip():
        add("account", MISSING_ACCOUNT)
    elif len(account) > settings.ACCOUNT_MAX_CHARS:
        add("account", _("The account is too long."))

    # Optional: "" (or no key, as in reports sent before the question existed) means not given.
    citizenship = report.get("citizenship", "")
    if not isinstance(citizenship, str) or (citizenship and citizenship not in COUNTRY_CODES):
        add("citizenship", BAD_CITIZENSHIP)

    if report.get("language", "ru") not in _LANGUAGES:
        add("language", _("The report is not in the expected form."))
    if not isinstance(report.get("keep_location", False), bool):
        add("keep_location", _("The report is not in the expected form."))
    if report.get("consent") is not True:
        add("consent", MISSING_CONSENT)
    return problems


def build_report(
    *,
    kind: str,
    when: str,
    country: str,
    place: str,
    place_details: str,
    who: list[str],
    account: str,
    language: str,
    keep_location: bool,
    consent: bool,
    citizenship: str = "",
) -> dict:
    return {
        "v": REPORT_VERSION,
        "kind": kind,
        "when": when,
        "where": {"country": country, "place": place, "details": place_details},
        "who": who,
        "citizenship": citizenship,
        "account": account,
        "language": language,
        "keep_location": keep_location,
        "consent": consent,
    }


def facts_of(report: dict) -> dict:
    """The structured fields, without the free text, for storage under a data key."""
    where = report.get("where") or {}
    return {
        "kind": report.get("kind"),
        "when": report.get("when"),
        "country": where.get("country"),
        "place": where.get("place", ""),
        "who": report.get("who", []),
        "citizenship": report.get("citizenship", ""),
        "language": report.get("language"),
    }


def attachment_name_ok(name: str) -> bool:
    return 0 < len(name) <= _NAME_MAX
