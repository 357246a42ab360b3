"""The queue: what needs attention, the filtered list, assignment, soft locks, state changes, bulk jobs.

Views are thin (parse → gate → one service call → render); the reads are in ``review.filters``
and the writes in ``review.services``. The filter form is a plain GET form; HTMX only swaps the
results in place (the same view renders just the results for an HTMX request).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.http import Http404, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.accounts.views import requested_next
from testimony.review.filters import (
    ASSIGNEE_ME,
    QueueFilterForm,
    QueueFilters,
    queue_filter,
    queue_page,
    queue_summary,
)
from testimony.review.labels import country_name
from testimony.review.models import BulkJob, ReportTag, Tag
from testimony.review.models.reports import ReviewState
from testimony.review.selectors import access_report, assignable_users, cases_in_scope, reports_in_scope
from testimony.review.services.assignment import (
    LockHeld,
    lock_info,
    report_assign,
    report_lock,
    report_unlock,
)
from testimony.review.services.bulk import BulkRefused, bulk_job_start
from testimony.review.services.states import (
    NOTE_REQUIRED,
    StateChangeRefused,
    allowed_next_states,
    report_change_state,
)
from testimony.review.views.routing import route_choices, route_params


def _report_url(report_id) -> str:
    return reverse("console:report", args=[report_id])


@dataclass
class Row:
    report: object
    url: str
    places: list[str]
    tags: list[tuple[str, bool]] = field(default_factory=list)  # (label, accepted)
    lock: object = None
    locked_by_me: bool = False
    caseload: str = ""


def _rows(page, user, caseloads: dict[str, str]) -> list[Row]:
    language = getattr(user, "console_language", "en")
    slugs = {slug for report in page.rows for slug in report.suggested_tags}
    labels = {
        tag.slug: tag.label(language) for tag in Tag.objects.filter(slug__in=slugs).only("slug", "labels")
    }
    now = timezone.now()
    rows = []
    for report in page.rows:
        links = list(report.tags.all())
        accepted = [link.tag.label(language) for link in links if link.status == ReportTag.Status.ACCEPTED]
        decided = {link.tag.slug for link in links}
        suggested = [labels.get(slug, slug) for slug in report.suggested_tags if slug not in decided]
        places = list(
            dict.fromkeys(
                ", ".join(
                    part
                    for part in (place.get("name"), place.get("country") and country_name(place["country"]))
                    if part
                )
                for place in report.places
            )
        )
        lock = lock_info(report, now=now)
        rows.append(
            Row(
                report=report,
                url=_report_url(report.pk),
                places=places[:3],
                tags=[(label, True) for label in accepted] + [(label, False) for label in suggested],
                lock=lock,
                locked_by_me=bool(lock and lock.holder_id == user.pk),
                caseload=caseloads.get(str(report.caseload_id), "") if report.caseload_id else "",
            )
        )
    return rows


def _filters_from(request, data) -> tuple[QueueFilterForm, QueueFilters]:
    form = QueueFilterForm(data or None, user=request.user, assignees=assignable_users(request.user))
    filters = form.filters() if data else QueueFilters()
    selected = tuple(data.getlist("report")) if hasattr(data, "getlist") else ()
    if selected and data.get("scope") == "selected":
        filters = QueueFilters(**{**filters.__dict__, "ids": selected})
    return form, filters


def _export_url(user, filters: QueueFilters) -> str:
    """The export page with these filters filled in ("" for a user who may not export).

    The export form is the queue's own filter form, so the same GET parameters mean the same
    reports there. A ticked selection is not carried: the link exports what the filters match.
    The search words travel in the query string as they do in the queue's own links; the export
    stores them sealed and records them only as "(search words)".
    """
    if not can(user, "evidence.export"):
        return ""
    query = filters.to_query()
    return reverse("console:evidence_exports") + (f"?{urlencode(query)}" if query else "")


@console_view("report.view")
@require_GET
def queue(request):
    form, filters = _filters_from(request, request.GET)
    page = queue_page(user=request.user, filters=filters, after=request.GET.get("after", ""))
    query = filters.to_query()
    # The filter's choices are the caseloads this user's scope can hold; with only one there is
    # nothing to tell apart, so the column is left out.
    caseloads = {key: str(name) for key, name in form.fields["caseload"].choices if key}
    context = {
        "section": "queue",
        "form": form,
        "filters": filters,
        "rows": _rows(page, request.user, caseloads),
        "show_caseload": len(caseloads) > 1,
        "next_url": f"?{urlencode({**query, 'after': page.next_cursor})}" if page.next_cursor else "",
        "first_url": f"?{urlencode(query)}" if request.GET.get("after") else "",
        "here": request.get_full_path(),
        "can_bulk": can(request.user, "report.bulk"),
        "can_claim": can(request.user, "report.claim"),
        "export_url": _export_url(request.user, filters),
        "filtered": not filters.is_empty(),
    }
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "queue-results":
        return render(request, "console/queue/_results.html", context)
    summary = queue_summary(request.user)
    context["summary"] = summary
    context["links"] = {
        "mine": f"?{urlencode({'assignee': ASSIGNEE_ME})}",
        "unassigned_new": f"?{urlencode({'state': ReviewState.NEW, 'assignee': 'none'})}",
    }
    return render(request, "console/queue/queue.html", context)


@console_view("report.claim")
@require_POST
def queue_assign(request, report_id):
    if not reports_in_scope(request.user, action="report.claim").filter(pk=report_id).exists():
        raise Http404  # out of scope first, whatever was posted
    value = request.POST.get("assignee", "")
    if value == ASSIGNEE_ME:
        assignee_id = request.user.pk
    elif value == "none":
        assignee_id = None
    elif value.isdigit():
        assignee_id = int(value)
    else:
        return HttpResponseBadRequest(_("Say whom to assign the report to."))
    report_assign(user=request.user, report_id=report_id, assignee_id=assignee_id)
    return HttpResponseRedirect(requested_next(request, default=reverse("console:queue")))


@console_view("report.claim")
@require_POST
def report_lock_take(request, report_id):
    take_over = request.POST.get("take_over") == "1"
    try:
        report_lock(user=request.user, report_id=report_id, take_over=take_over)
    except LockHeld as held:
        return render(
            request,
            "console/queue/lock_confirm.html",
            {
                "section": "queue",
                "held": held,
                "report_id": report_id,
                "next": requested_next(request, default=""),
            },
            status=409,
        )
    return HttpResponseRedirect(requested_next(request, default=_report_url(report_id)))


@console_view("report.claim")
@require_POST
def report_lock_release(request, report_id):
    report_unlock(user=request.user, report_id=report_id)
    return HttpResponseRedirect(requested_next(request, default=reverse("console:queue")))


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=ReviewState.choices)
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea({"rows": 3})
    )
    duplicate_of = forms.UUIDField(label=_("Duplicate of (report id)"), required=False)


@console_view("report.edit")
def report_state(request, report_id):
    """A small page to change a report's state; the report page may post here too."""
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    form = StateForm(request.POST or None, initial={"state": ""})
    form.fields["state"].choices = [
        (state, ReviewState(state).label) for state in allowed_next_states(report.state)
    ]
    if request.method == "POST" and form.is_valid():
        try:
            report_change_state(
                user=request.user,
                report_id=report.pk,
                state=form.cleaned_data["state"],
                note=form.cleaned_data["note"],
                duplicate_of_id=form.cleaned_data["duplicate_of"],
            )
        except StateChangeRefused as refused:
            form.add_error(None, refused)
        else:
            return HttpResponseRedirect(requested_next(request, default=_report_url(report.pk)))
    return render(
        request,
        "console/queue/state.html",
        {
            "section": "queue",
            "report": report,
            "form": form,
            "note_required": [str(state) for state in NOTE_REQUIRED],
            "next": requested_next(request, default=""),
        },
        status=400 if form.errors else 200,
    )


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign")),
        ("tag", _("Add a tag")),
        ("state", _("Change state")),
        ("link_case", _("Link to a case")),
        ("route", _("Route to a caseload")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS, widget=forms.RadioSelect)
    assignee_id = forms.ChoiceField(label=_("Assign to"), required=False)
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    state = forms.ChoiceField(
        label=_("New state"),
        required=False,
        choices=[("", "—")]
        + [choice for choice in ReviewState.choices if choice[0] != ReviewState.DUPLICATE],
    )
    note = forms.CharField(
        # One note field for the two actions that take one; only a rejection requires it.
        label=_("Note (for a state change or a routing; required to reject)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
    case_id = forms.ChoiceField(label=_("Case"), required=False)
    caseload_id = forms.ChoiceField(label=_("Route to caseload"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee_id"].choices = [("", _("Nobody (unassign)"))] + [
            (str(person.pk), person.username) for person in assignable_users(user)
        ]
        language = getattr(user, "console_language", "en")
        self.fields["tag"].choices = [("", "—")] + [
            (tag.slug, tag.label(language)) for tag in Tag.objects.filter(active=True).only("slug", "labels")
        ]
        cases = cases_in_scope(user, action="case.edit").only("pk", "title").order_by("-updated_at")[:200]
        self.fields["case_id"].choices = [("", "—")] + [
            (str(case.pk), f"#{case.pk} {case.title}") for case in cases
        ]
        self.fields["caseload_id"].choices = [("", "—"), *route_choices(user)]

    def params(self) -> dict:
        data = self.cleaned_data
        return {
            "assign": lambda: {"assignee_id": data.get("assignee_id") or None},
            "tag": lambda: {"tag": data.get("tag", "")},
            "state": lambda: {"state": data.get("state", ""), "note": data.get("note", "")},
            "link_case": lambda: {"case_id": data.get("case_id") or None},
            "route": lambda: route_params(data.get("caseload_id", ""), data.get("note", "")),
        }[data["action"]]()


def _filter_summary(form: QueueFilterForm, filters: QueueFilters) -> list[tuple[str, str]]:
    """The filters in force as the filter form labels them (a choice by its label, not its code)."""
    summary = []
    for key, value in filters.to_query().items():
        field = form.fields.get(key)
        if field is None:
            summary.append((key, value))
            continue
        choices = dict(getattr(field, "choices", ()))
        summary.append((str(field.label), str(choices.get(value, value))))
    return summary


@console_view("report.bulk")
@require_POST
def bulk_start(request):
    """First post (from the queue): confirm, with the count. Second post (``confirm``): start the job."""
    filter_form, filters = _filters_from(request, request.POST)
    # Prefixed: the filters travel in the same post, and both have a "state" and a "tag".
    form = BulkForm(request.POST if request.POST.get("confirm") else None, user=request.user, prefix="bulk")
    if request.POST.get("confirm") and form.is_valid():
        try:
            job = bulk_job_start(
                user=request.user, filters=filters, action=form.cleaned_data["action"], params=form.params()
            )
        except BulkRefused as refused:
            form.add_error(None, refused)
        else:
            return redirect("console:bulk_job", job_id=job.pk)
    matching = queue_filter(
        reports_in_scope(request.user, action="report.bulk"), filters=filters, user=request.user
    )
    return render(
        request,
        "console/queue/bulk_confirm.html",
        {
            "section": "queue",
            "form": form,
            "filters": filters,
            "hidden": [(key, value) for key, value in filters.to_query().items()],
            "summary": _filter_summary(filter_form, filters),
            "ids": filters.ids,
            "count": matching.count(),
            "back": f"{reverse('console:queue')}?{urlencode(filters.to_query())}",
        },
        status=400 if form.errors else 200,
    )


@console_view("report.bulk")
@require_GET
def bulk_job(request, job_id):
    job = BulkJob.objects.filter(pk=job_id, created_by=request.user).first()
    if job is None:  # someone else's job is not found, like a report out of scope
        raise Http404
    finished = job.state in (BulkJob.State.DONE, BulkJob.State.FAILED)
    context = {
        "section": "queue",
        "job": job,
        "action_label": dict(BulkForm.ACTIONS).get(job.action, job.action),
        "finished": finished,
        "handled": job.done + job.skipped,
        "percent": int(100 * (job.done + job.skipped) / job.total) if job.total else (100 if finished else 0),
    }
    if request.headers.get("HX-Request"):
        return render(request, "console/queue/_bulk_progress.html", context)
    return render(request, "console/queue/bulk_job.html", context)


urlpatterns = [
    path("queue/", queue, name="queue"),
    path("queue/<uuid:report_id>/assign/", queue_assign, name="queue_assign"),
    path("queue/<uuid:report_id>/lock/", report_lock_take, name="report_lock"),
    path("queue/<uuid:report_id>/unlock/", report_lock_release, name="report_unlock"),
    path("queue/<uuid:report_id>/state/", report_state, name="report_state"),
    path("queue/bulk/", bulk_start, name="bulk_start"),
    path("queue/bulk/<uuid:job_id>/", bulk_job, name="bulk_job"),
]
