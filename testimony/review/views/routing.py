"""Routing a report to a caseload, from the report page (rules in ``services.routing``).

A plain POST form (no JavaScript needed), as the queue's assign form: parse → gate (404 out of
scope) → ``report_route`` → back to the report. A refused target shows the routing page again
with why, and nothing changed. The report page draws the same form from ``routing_panel``.
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.accounts.views import requested_next
from testimony.review.filters import CASELOAD_NONE
from testimony.review.selectors import access_report
from testimony.review.services.routing import (
    ACTION,
    NOTE_MAX_CHARS,
    RoutingRefused,
    may_unroute,
    report_route,
    routable_caseloads,
)


class RouteForm(forms.Form):
    """Input shape only: "none" or a number. Which caseloads are allowed is the service's rule."""

    caseload = forms.RegexField(
        regex=rf"^(\d{{1,18}}|{CASELOAD_NONE})$",
        max_length=20,
        error_messages={"required": _("Choose a caseload."), "invalid": _("Choose a caseload.")},
    )
    note = forms.CharField(required=False, max_length=NOTE_MAX_CHARS, widget=forms.Textarea({"rows": 2}))

    def caseload_id(self) -> int | None:
        value = self.cleaned_data["caseload"]
        return None if value == CASELOAD_NONE else int(value)


def routing_panel(user, report) -> dict | None:
    """What the routing form needs on the report page; None for those who may not route."""
    if not can(user, ACTION):
        return None
    return {
        "caseloads": list(routable_caseloads(user).only("pk", "name")),
        "current": report.caseload_id,
        "may_unroute": may_unroute(user),
        "none": CASELOAD_NONE,
    }


def route_choices(user) -> list[tuple[str, str]]:
    """The bulk form's targets (``views.queue.BulkForm``): the same as the report page's."""
    unrouted = [(CASELOAD_NONE, _("Unrouted (no caseload)"))] if may_unroute(user) else []
    return [*unrouted, *((str(c.pk), c.name) for c in routable_caseloads(user).only("pk", "name"))]


def route_params(value: str, note: str) -> dict:
    """The bulk form's choice as ``bulk_job_start`` takes it: "" not chosen, None unrouted."""
    return {"caseload_id": None if value == CASELOAD_NONE else value, "note": note}


def _report_url(report) -> str:
    return reverse("console:report", args=[report.pk])


@console_view(ACTION)
@require_http_methods(["GET", "POST"])
def report_route_view(request, report_id):
    """GET: the form on a page of its own; POST: route, then back to the report (or ``next``)."""
    report = access_report(user=request.user, report_id=report_id)
    form = RouteForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST":
        if form.is_valid():
            try:
                report_route(
                    user=request.user,
                    report_id=report.pk,
                    caseload_id=form.caseload_id(),
                    note=form.cleaned_data["note"],
                )
            except RoutingRefused as refused:
                error = refused.messages[0]
            else:
                default = f"{_report_url(report)}#routing"
                return HttpResponseRedirect(requested_next(request, default=default))
        else:
            error = next(iter(form.errors.values()))[0]
    context = {
        "section": "queue",
        "report": report,
        "routing": routing_panel(request.user, report),
        "note_max": NOTE_MAX_CHARS,
        "error": error,
    }
    return render(request, "console/report/route.html", context, status=400 if error else 200)


urlpatterns = [
    path("reports/<uuid:report_id>/route/", report_route_view, name="report_route"),
]
