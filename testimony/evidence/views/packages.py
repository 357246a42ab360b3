"""Evidence packages in the console: ask for one (a case, or a selection of reports), follow it, download it.

Every view needs ``evidence.package`` (docs/permissions.md, "Evidence packages"). Parse → gate
(``access_case(action=PACKAGE_ACTION)`` / ``access_package_reports``: 404 out of scope) → one
service → redirect to the job's page. The page refreshes itself with a meta refresh while the
job runs, so it works without JavaScript. The finished ZIP has its own signed, expiring link
(the exports' token, checked here against the package permission; the exports' download view
refuses packages), served as an attachment and audited on each download.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from testimony.accounts.decorators import console_view
from testimony.evidence import packages
from testimony.evidence.jobs import download_token, job_file
from testimony.evidence.models import ExportJob
from testimony.evidence.packages import PACKAGE_ACTION
from testimony.evidence.services import packages as services
from testimony.evidence.views.downloads import job_download
from testimony.review.selectors import access_case

SELECTION_MAX = 1000


class ReportSelectionForm(forms.Form):
    report_ids = forms.CharField(
        label=_("Report numbers"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=SELECTION_MAX * 40,
        help_text=_("Full report numbers, separated by spaces, commas or new lines."),
    )

    def clean_report_ids(self) -> list[str]:
        ids = []
        for part in self.cleaned_data["report_ids"].replace(",", " ").split():
            try:
                ids.append(str(uuid.UUID(part)))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a report number."), params={"value": part[:40]}
                ) from None
        if not ids:
            raise ValidationError(_("Give at least one report number."))
        if len(set(ids)) > SELECTION_MAX:
            raise ValidationError(_("At most %(n)d reports in one package."), params={"n": SELECTION_MAX})
        return sorted(set(ids))


@console_view(PACKAGE_ACTION)
@require_http_methods(["GET", "POST"])
def package_case(request, case_id: int):
    """GET: what the package of this case will hold; POST: build it."""
    case = access_case(user=request.user, case_id=case_id, action=PACKAGE_ACTION)
    if request.method == "POST":
        job = services.package_request(user=request.user, case=case)
        return redirect("console:evidence_package", package_id=job.pk)
    count, left_out = packages.package_case_counts(user=request.user, case=case)
    return render(
        request,
        "console/evidence/package_new.html",
        {"section": "cases", "case": case, "count": count, "left_out": left_out, "form": None},
    )


@console_view(PACKAGE_ACTION)
@require_http_methods(["GET", "POST"])
def package_new(request):
    """A package of chosen reports (every one must be in the user's scope, else 404)."""
    form = ReportSelectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = packages.access_package_reports(user=request.user, report_ids=form.cleaned_data["report_ids"])
        job = services.package_request(user=request.user, report_ids=ids)
        return redirect("console:evidence_package", package_id=job.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "console/evidence/package_new.html",
        {"section": "evidence", "case": None, "form": form},
        status=status,
    )


def _download_url(user, job: ExportJob) -> str:
    if not services.may_use_package(user, job) or job_file(job) is None:
        return ""
    return reverse("console:evidence_package_download", kwargs={"token": download_token(job)})


@console_view(PACKAGE_ACTION)
@require_GET
def package_detail(request, package_id):
    """The job's progress and, when done, its download link. The organisation's packages only."""
    job = ExportJob.objects.filter(
        pk=package_id, organisation_id=request.user.organisation_id, level=ExportJob.Level.PACKAGE
    ).first()
    if job is None:
        raise Http404
    running = job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
    disclosure = job.disclosure or {}
    return render(
        request,
        "console/evidence/package.html",
        {
            "section": "evidence",
            "job": job,
            "running": running,
            "case_id": job.parameters.get("case"),
            "selection": len(job.parameters.get("reports") or []),
            "disclosure": disclosure,
            "timestamp_label": packages.timestamp_outcome_label(disclosure.get("timestamp", "")),
            "timestamp_problem": packages.timestamp_problem_label(disclosure.get("timestamp_problem", "")),
            "failure_label": packages.failure_label(job.failure_reason),
            "download_url": _download_url(request.user, job),
            "mine": job.requested_by_id == request.user.pk,
        },
    )


def _file_name(job: ExportJob) -> str:
    return f"testimony-package-{job.finished_at:%Y-%m-%d}-{str(job.id)[:8]}.zip"


@console_view(PACKAGE_ACTION)
@require_GET
def package_download(request, token: str):
    """The ZIP of a finished package of the user's organisation, once per click, audited (an
    export's link here is not found: ``may_use_package`` refuses any other job)."""
    return job_download(
        request,
        token,
        may_use=services.may_use_package,
        file_name=_file_name,
        gone_template="console/evidence/package_gone.html",
    )


urlpatterns = [
    path("evidence/packages/new/", package_new, name="evidence_package_new"),
    path("evidence/packages/case/<int:case_id>/", package_case, name="evidence_package_case"),
    path("evidence/packages/<uuid:package_id>/", package_detail, name="evidence_package"),
    path("evidence/packages/download/<str:token>/", package_download, name="evidence_package_download"),
]
