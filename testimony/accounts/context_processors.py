"""What every console page shows in its header: the sections this user may open."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from testimony.accounts.middleware import is_console_path
from testimony.accounts.permissions import can

SECTIONS = [
    ("queue", "console:queue", "report.view", _("Queue")),
    ("cases", "console:cases", "case.view", _("Cases")),
    ("evidence", "console:evidence", "evidence.view", _("Evidence")),
    ("taxonomy", "console:taxonomy", "taxonomy.view", _("Taxonomy")),
    ("audit", "console:audit", "audit.view", _("Audit log")),
    ("users", "console:users", "user.manage", _("Accounts")),
    ("organisations", "console:organisations", "user.manage", _("Organisations")),
]


def console_nav(request) -> dict:
    if not is_console_path(request.path):
        return {}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {"console_nav": []}
    nav = []
    for key, url_name, action, label in SECTIONS:
        if not can(user, action):
            continue
        try:
            nav.append({"key": key, "url": reverse(url_name), "label": label})
        except NoReverseMatch:  # a section not built yet
            continue
    return {"console_nav": nav}
