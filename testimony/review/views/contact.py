"""Messages with the submitter, shown in the report page (loaded by HTMX) or on a page of their own.

Without JavaScript the report page links to the thread page; forms post there and redirect back
(post/redirect/get). With HTMX the same forms swap the thread in place. A reply's redactions are
corrected from the thread too (``views.replies``).
"""

from __future__ import annotations

from django import forms
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.analysis.spans import LABELS
from testimony.review.data.needs_info_templates import TEMPLATES
from testimony.review.highlight import highlight
from testimony.review.redaction_edits import WORDS_MAX_CHARS
from testimony.review.selectors import access_report
from testimony.review.services.contact import (
    MESSAGE_MAX_CHARS,
    ContactError,
    needs_info_choices,
    report_contact_thread,
    report_message_send,
    report_request_info,
)
from testimony.review.views.report import redaction_groups


class MessageForm(forms.Form):
    text = forms.CharField(max_length=MESSAGE_MAX_CHARS, strip=True, widget=forms.Textarea(attrs={"rows": 4}))


class RequestInfoForm(forms.Form):
    template = forms.ChoiceField(choices=[(key, key) for key in TEMPLATES])
    extra = forms.CharField(
        required=False, max_length=1000, strip=True, widget=forms.Textarea(attrs={"rows": 2})
    )


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _shown(entry) -> dict:
    """A message as the thread shows it: a reply's placeholders and places marked as the account's
    are (``review.highlight``, all text escaped), with its redactions grouped for correction."""
    return {
        "entry": entry,
        "highlighted": highlight(entry.text or "", entry.redactions, entry.places),
        "redaction_groups": redaction_groups(entry.redactions),
    }


def render_thread(request, report, *, notice="", error="", message_form=None, info_form=None, status=200):
    """The thread, whole page or HTMX fragment; also what the reply corrections (``views.replies``)
    answer with."""
    thread = report_contact_thread(user=request.user, report=report)
    context = {
        "report": report,
        "report_id": report.pk,
        "thread": thread,
        "messages_shown": [_shown(entry) for entry in thread.entries],
        "can_write": can(request.user, "report.message") and can(request.user, "report.edit"),
        "may_correct_replies": can(request.user, "report.edit"),
        "labels": LABELS,
        "words_max": WORDS_MAX_CHARS,
        "message_form": message_form or MessageForm(),
        "info_form": info_form or RequestInfoForm(),
        "choices": needs_info_choices(thread.language),
        "notice": notice,
        "error": error,
        "section": "queue",
    }
    template = "console/contact/_thread.html" if _is_htmx(request) else "console/contact/thread.html"
    return render(request, template, context, status=status)


_NOTICES = {"sent": "sent", "asked": "asked", "corrected": "corrected"}


@console_view("report.view")
def report_contact(request, report_id):
    # The gate first, then the method: out of scope is 404 whatever the method, so a POST cannot
    # tell an existing report (405) from a missing one.
    report = access_report(user=request.user, report_id=report_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    return render_thread(request, report, notice=_NOTICES.get(request.GET.get("done", ""), ""))


def after_write(request, report, done: str, anchor: str = ""):
    if _is_htmx(request):
        return render_thread(request, report, notice=done)
    return redirect(
        reverse("console:report_contact", args=[report.pk])
        + f"?done={done}"
        + (f"#{anchor}" if anchor else "")
    )


@console_view("report.message")
@require_POST
def report_contact_send(request, report_id):
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return render_thread(request, report, message_form=form, status=400)
    try:
        report_message_send(user=request.user, report_id=report.pk, text=form.cleaned_data["text"])
    except ContactError as exc:
        return render_thread(request, report, message_form=form, error=exc.message, status=400)
    return after_write(request, report, "sent")


@console_view("report.message")
@require_POST
def report_contact_request_info(request, report_id):
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    form = RequestInfoForm(request.POST)
    if not form.is_valid():
        return render_thread(request, report, info_form=form, status=400)
    try:
        report_request_info(
            user=request.user,
            report_id=report.pk,
            template_key=form.cleaned_data["template"],
            extra=form.cleaned_data["extra"],
        )
    except ContactError as exc:
        return render_thread(request, report, info_form=form, error=exc.message, status=400)
    return after_write(request, report, "asked")


urlpatterns = [
    path("reports/<uuid:report_id>/contact/", report_contact, name="report_contact"),
    path("reports/<uuid:report_id>/contact/send/", report_contact_send, name="report_contact_send"),
    path(
        "reports/<uuid:report_id>/contact/request-info/",
        report_contact_request_info,
        name="report_contact_request_info",
    ),
]
