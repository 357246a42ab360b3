"""The console's front door: each role lands where its work is."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can

# First match wins: a reviewer's work is the queue, an analyst's the evidence, an administrator's
# the accounts.
LANDING = [
    ("report.view", "console:queue"),
    ("evidence.view", "console:evidence"),
    ("case.view", "console:cases"),
    ("user.manage", "console:users"),
    ("audit.view", "console:audit"),
]


@console_view(None)
def console_home(request):
    for action, url_name in LANDING:
        if can(request.user, action):
            try:
                return redirect(reverse(url_name))
            except NoReverseMatch:
                continue
    return render(request, "console/home.html", {})
