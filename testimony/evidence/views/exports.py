"""Exports in the console: ask for one, follow it, download it through a signed, expiring link.

Thin views: parse (the export form and the queue's own filter form) → gate (``console_view``,
the job's organisation, ``exports.may_use_job``; 404 otherwise) → one service call → render.
The job page polls a partial with HTMX while the job runs; without JavaScript a ``<noscript>``
meta refresh reloads it. The download view serves exports only (evidence packages have their own,
under ``evidence.package``, in ``views.packages``): it needs a logged-in user allowed to use the
job **and** a valid, unexpired token, serves the file as an attachment (never inline, ``nosniff``,
not cached) and audits the download.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from testimony.accounts.decorators import console_view
from testimony.evidence import fields as fx
from testimony.evidence import jobs
from testimony.evidence.models import Destination, ExportJob
from testimony.evidence.rows import text_allowed
from testimony.evidence.services.exports import ExportRefused, export_create, may_use_job
from testimony.evidence.views.downloads import job_download
from testimony.evidence.writers import FORMATS
from testimony.review.filters import QueueFilterForm, QueueFilters
from testimony.review.selectors import assignable_users

RECENT = 20
EXPORT_LEVELS = [(value, label) for value, label in ExportJob.Level.choices if value in fx.LEVELS]
DIMENSION_LABELS = {
    "kind": _("Kind"),
    "tag": _("Tag"),
    "region": _("Region"),
    "country": _("Country"),
    "month": _("Month"),
    "quarter": _("Quarter"),
    "year": _("Year"),
    "perpetrator": _("Perpetrator"),
    "nationality": _("Citizenship"),
    "state": _("State"),
}
FAILURES = {
    jobs.FAILED_UNEXPECTED: _(
        "The export stopped on an error. Start it again; if it fails again, tell an administrator."
    ),
    jobs.FAILED_INTERRUPTED: _("The worker writing the export stopped before it finished. Start it again."),
    jobs.FAILED_REFUSED: _("The person who asked for this export may no longer export it."),
    jobs.FAILED_TRANSIENT: _("The database could not be reached for a while. Start the export again."),
    jobs.FAILED_TIMEOUT: _(
        "The export took longer than the time allowed. Narrow the filters, or choose CSV."
    ),
}


class ExportForm(forms.Form):
    destination = forms.ChoiceField(
        label=_("Who is it for?"),
        choices=Destination.choices,
        initial=Destination.INTERNAL,
        widget=forms.RadioSelect,
    )
    level = forms.ChoiceField(
        label=_("What"), choices=EXPORT_LEVELS, initial=ExportJob.Level.REPORTS, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(
        label=_("File format"),
        choices=[(value, label) for value, label in ExportJob.Format.choices if value in FORMATS],
        initial=ExportJob.Format.CSV,
    )
    include_text = forms.BooleanField(
        label=_("Include the redacted text"),
        required=False,
        help_text=_("Our organisation only, one row per report or case; names and numbers stay replaced."),
    )
    rows = forms.ChoiceField(label=_("Count by"), required=False)
    columns = forms.ChoiceField(label=_("and by"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dimensions = list(DIMENSION_LABELS.items())
        self.fields["rows"].choices = [("", _("Choose…")), *dimensions]
        self.fields["columns"].choices = [("", _("Nothing else")), *dimensions]

    def clean(self):
        data = super().clean()
        if data.get("level") == ExportJob.Level.AGGREGATE and not data.get("rows"):
            self.add_error("rows", _("Choose what the table counts by."))
        return data

    def parameters(self, filters: QueueFilters) -> dict:
        data = self.cleaned_data
        parameters: dict = {"filters": filters, "include_text": data["include_text"]}
        if data["level"] == ExportJob.Level.AGGREGATE:
            parameters.update(rows=data["rows"], columns=data["columns"] or None)
        return parameters


def _filter_form(request, data) -> QueueFilterForm:
    return QueueFilterForm(data or None, user=request.user, assignees=assignable_users(request.user))


def _org_jobs(user):
    return (
        ExportJob.objects.filter(organisation_id=user.organisation_id)
        .exclude(level=ExportJob.Level.PACKAGE)
        .select_related("requested_by")
    )


@console_view("evidence.export")
@require_http_methods(["GET", "POST"])
def export_list(request):
    """GET: the form (the queue's filters prefilled from the query) and the recent jobs; POST: start one."""
    data = request.POST if request.method == "POST" else request.GET
    filter_form = _filter_form(request, data)
    form = ExportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            filters = filter_form.filters()
            try:
                job = export_create(
                    user=request.user,
                    destination=form.cleaned_data["destination"],
                    level=form.cleaned_data["level"],
                    format=form.cleaned_data["format"],
                    parameters=form.parameters(filters),
                )
            except ExportRefused as refused:
                form.add_error(None, refused)
            else:
                return redirect("console:evidence_export", export_id=job.pk)
    return render(
        request,
        "console/evidence/exports.html",
        {
            "section": "evidence",
            "form": form,
            "filter_form": filter_form,
            "jobs": _org_jobs(request.user)[:RECENT],
            "text_allowed": {
                level: text_allowed(request.user, level=level, destination=fx.INTERNAL)
                for level in (fx.REPORTS, fx.CASES)
            },
        },
        status=status,
    )


def _download_url(user, job: ExportJob) -> str:
    if not may_use_job(user, job) or jobs.job_file(job) is None:
        return ""
    return reverse("console:evidence_export_download", kwargs={"token": jobs.download_token(job)})


@console_view("evidence.export")
@require_GET
def export_detail(request, export_id):
    """One job's progress, what was applied, and, when done, its download link."""
    job = _org_jobs(request.user).filter(pk=export_id).first()
    if job is None:
        raise Http404
    running = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    disclosure = job.disclosure or {}
    context = {
        "section": "evidence",
        "job": job,
        "running": running,
        "percent": int(100 * job.rows_done / job.rows_total) if job.rows_total else (0 if running else 100),
        "download_url": "" if running else _download_url(request.user, job),
        "may_download": may_use_job(request.user, job),
        "failure": FAILURES.get(job.failure_reason, "") if job.status == ExportJob.Status.FAILED else "",
        "disclosure": disclosure,
        "disclosure_fields": disclosure.get("fields", []),
        "filters": {key: value for key, value in disclosure.get("filters", {}).items() if key != "ids"},
        # An aggregate's table in words: "Region × Kind".
        "dimensions": [
            DIMENSION_LABELS.get(dimension, dimension)
            for dimension in (job.parameters.get("rows"), job.parameters.get("columns"))
            if dimension
        ],
    }
    if request.headers.get("HX-Request"):
        return render(request, "console/evidence/_export_progress.html", context)
    return render(request, "console/evidence/export.html", context)


def _file_name(job: ExportJob) -> str:
    suffix = job.file_name[len(str(job.id)) :] if job.file_name.startswith(str(job.id)) else ""
    return f"testimony-{job.level}-{job.destination}-{job.finished_at:%Y-%m-%d}-{str(job.id)[:8]}{suffix}"


@console_view("evidence.export")
@require_GET
def export_download(request, token: str):
    """The file of a finished export, for a user who may use it, once per click (not a package's:
    ``may_use_job`` refuses them, so a package's link here is not found)."""
    return job_download(
        request,
        token,
        may_use=may_use_job,
        file_name=_file_name,
        gone_template="console/evidence/export_gone.html",
    )


urlpatterns = [
    path("evidence/exports/", export_list, name="evidence_exports"),
    path("evidence/exports/<uuid:export_id>/", export_detail, name="evidence_export"),
    path("evidence/exports/download/<str:token>/", export_download, name="evidence_export_download"),
]
