"""The fixed choices a submitter picks from, with their translatable labels."""

from django.utils.translation import gettext_lazy as _

KINDS = [
    ("raid", _("A police raid or document check")),
    ("detention", _("Conditions in detention or a deportation centre")),
    ("recruitment", _("Pressure to join the military")),
    ("other", _("Something else")),
]

PERPETRATORS = [
    ("police", _("Police")),
    ("migration_service", _("Migration service")),
    ("rosgvardia", _("Rosgvardia (National Guard)")),
    ("fsb", _("FSB")),
    ("military_recruiters", _("Military recruiters or the military enlistment office")),
    ("detention_staff", _("Staff of a detention centre")),
    ("employer", _("Employer")),
    ("other", _("Someone else")),
    ("unknown", _("I don't know")),
]

COUNTRIES = [
    ("RU", _("Russia")),
    ("UZ", _("Uzbekistan")),
    ("TJ", _("Tajikistan")),
    ("KG", _("Kyrgyzstan")),
    ("KZ", _("Kazakhstan")),
    ("other", _("Another country")),
]

MONTHS = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]

KIND_CODES = frozenset(code for code, _label in KINDS)
PERPETRATOR_CODES = frozenset(code for code, _label in PERPETRATORS)
COUNTRY_CODES = frozenset(code for code, _label in COUNTRIES)
