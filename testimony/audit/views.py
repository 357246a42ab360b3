"""The audit log for administrators: read and filter it, and check the chain since the last full verification.

Details are shown as text (JSON), escaped like everything else; they never hold testimony, but
they do hold values that came from requests (ids, labels), so they are never trusted as markup.
"""

from __future__ import annotations

import json

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from testimony.accounts.decorators import console_view
from testimony.audit.selectors import (
    AuditFilters,
    audit_actions,
    audit_chain_recent,
    audit_page,
    current_action,
    latest_checkpoint,
    readable_details,
)
from testimony.audit.services import audit_record_now


class AuditFilterForm(forms.Form):
    action = forms.CharField(required=False, max_length=40, label=_("Action"))
    actor = forms.CharField(required=False, max_length=150, label=_("Actor"))
    object_type = forms.CharField(required=False, max_length=30, label=_("Object type"))
    object_id = forms.CharField(required=False, max_length=64, label=_("Object id"))
    since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    after = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            action=data["action"].strip(),
            actor=data["actor"].strip(),
            object_type=data["object_type"].strip(),
            object_id=data["object_id"].strip(),
            since=data["since"],
            until=data["until"],
        )

    def query(self, **cursor) -> str:
        """The filters as a query string, with a page cursor (``before`` or ``after``)."""
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for name in ("action", "actor", "object_type", "object_id", "since", "until"):
            value = self.cleaned_data.get(name)
            if value:
                query[name] = value.isoformat() if hasattr(value, "isoformat") else value
        for name, value in cursor.items():
            if value is not None:
                query[name] = str(value)
        return query.urlencode()


def _rows(entries) -> list[dict]:
    return [
        {
            "entry": entry,
            "action": current_action(entry.action),
            # An entry written under an older name of its action says so (the log is never rewritten).
            "recorded_as": entry.action if current_action(entry.action) != entry.action else "",
            "details": json.dumps(readable_details(entry.details), ensure_ascii=False, sort_keys=True)
            if entry.details
            else "",
        }
        for entry in entries
    ]


def _page(request, *, check=None, status=200):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        page, filter_query, older_query, newer_query = None, "", "", ""
        status = 400
    else:
        if not form.is_bound:
            form = AuditFilterForm({})
            form.is_valid()
        data = form.cleaned_data
        page = audit_page(form.filters(), before=data.get("before"), after=data.get("after"))
        filter_query = form.query()
        older_query = form.query(before=page.older) if page.older else ""
        newer_query = form.query(after=page.newer) if page.newer else ""
    context = {
        "form": form,
        "rows": _rows(page.entries) if page else [],
        "older_query": older_query,
        "newer_query": newer_query,
        "filter_query": filter_query,
        "actions": audit_actions(),
        "check": check,
        "section": "audit",
    }
    context["last_full"], unusable = latest_checkpoint()
    context["last_full_unusable"] = bool(unusable)
    return render(request, "console/audit/log.html", context, status=status)


@console_view("audit.view")
@require_GET
def audit_log(request):
    return _page(request)


@console_view("audit.view")
@require_POST
def audit_verify(request):
    # Bounded: the entries after the latest full verification, not the whole log (docs/audit.md).
    check = audit_chain_recent()
    # Recorded so that the log itself shows when it was checked and what was checked then.
    audit_record_now(
        actor=request.user,
        action="audit.verified",
        object_type="audit",
        details={
            "intact": check.intact,
            "problems": check.problem_count,
            "checkpoint": check.checkpoint.seq if check.checkpoint else None,
            "checked": [check.first_seq, check.last_seq],
            "unverified": check.unverified,
        },
    )
    if request.headers.get("HX-Request") == "true":
        return render(request, "console/audit/_verify.html", {"check": check})
    return _page(request, check=check)
