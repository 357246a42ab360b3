"""Corrections to the redactions of a submitter's reply, made from the thread as the account's are
made from the report page: add, relabel, remove (``services.reply_redactions``).

Every view: parse → gate (``access_report(for_write=True)``; 404 out of scope) → one service →
the thread again (HTMX) or a redirect to it (post/redirect/get), landing on the reply.
"""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from testimony.accounts.decorators import console_view
from testimony.review.redaction_edits import CorrectionError
from testimony.review.selectors import access_report
from testimony.review.services.reply_redactions import (
    reply_redaction_add,
    reply_redaction_relabel,
    reply_redaction_remove,
)
from testimony.review.views.contact import after_write, render_thread
from testimony.review.views.report import AddRedactionForm, RedactionForm, RelabelForm


def _correct(request, report_id, message_id, form_class, apply):
    form = form_class(request.POST)
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0] if form.errors else _("The form is not complete.")
        return render_thread(request, report, error=str(first), status=400)
    try:
        apply(report, form.cleaned_data)
    except CorrectionError as error:
        return render_thread(request, report, error=error.messages[0], status=400)
    return after_write(request, report, "corrected", anchor=f"reply-{message_id}")


@console_view("report.edit")
@require_POST
def reply_remove(request, report_id, message_id):
    def apply(report, data):
        return reply_redaction_remove(actor=request.user, report=report, message_id=message_id, **data)

    return _correct(request, report_id, message_id, RedactionForm, apply)


@console_view("report.edit")
@require_POST
def reply_relabel(request, report_id, message_id):
    def apply(report, data):
        return reply_redaction_relabel(actor=request.user, report=report, message_id=message_id, **data)

    return _correct(request, report_id, message_id, RelabelForm, apply)


@console_view("report.edit")
@require_POST
def reply_add(request, report_id, message_id):
    def apply(report, data):
        return reply_redaction_add(
            actor=request.user, report=report, message_id=message_id, **AddRedactionForm.addition(data)
        )

    return _correct(request, report_id, message_id, AddRedactionForm, apply)


_REPLY = "reports/<uuid:report_id>/contact/replies/<uuid:message_id>/redactions"

urlpatterns = [
    path(f"{_REPLY}/remove/", reply_remove, name="report_reply_redaction_remove"),
    path(f"{_REPLY}/relabel/", reply_relabel, name="report_reply_redaction_relabel"),
    path(f"{_REPLY}/add/", reply_add, name="report_reply_redaction_add"),
]
