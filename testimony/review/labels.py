"""Names for the codes the console shows: a report's language and country, in the console language.

Languages are those of ``settings.LANGUAGES`` (the submitter side's, which a report can be in),
named here as translatable English so that a Russian console says "таджикский" and an English one
"Tajik" (settings hold each language's name in itself, for the submitter's language menu).
Countries are those of the intake form (``intake.choices.COUNTRIES``); a code outside it (a place
the gazetteer found in a neighbouring country) is shown as it is.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from testimony.intake.choices import COUNTRIES

LANGUAGE_NAMES = {
    "en": _("English"),
    "ru": _("Russian"),
    "uz": _("Uzbek"),
    "tg": _("Tajik"),
    "ky": _("Kyrgyz"),
    "kk": _("Kazakh"),
}
COUNTRY_NAMES = dict(COUNTRIES)


def language_name(code: str) -> str:
    """``"tg"`` → "Tajik" (translated); "—" when there is none; an unknown code as it is."""
    if not code:
        return "—"
    return str(LANGUAGE_NAMES.get(code, code))


def country_name(code: str) -> str:
    """``"RU"`` → "Russia" (translated); "—" when there is none; an unknown code as it is."""
    if not code:
        return "—"
    return str(COUNTRY_NAMES.get(code, code))


def console_language() -> str:
    """The active language's two-letter code, for picking a tag's or a place's label."""
    return (get_language() or "en")[:2]
