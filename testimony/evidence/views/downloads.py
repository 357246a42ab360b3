"""The one way a finished job's file leaves: its signed, expiring link, for exports and packages alike.

Each kind has its own URL and permission (``views.exports``, ``views.packages``) and passes its
own ``may_use`` gate; what a download does is the same for both and written once here: a valid,
unexpired token (410 otherwise), a job of the user's organisation that the gate allows (404
otherwise: another kind's link on this path looks absent), the file still there (410), an audit
row with the file's hash, and the file as an attachment that is never sniffed nor cached.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from testimony.evidence import jobs
from testimony.evidence.models import ExportJob
from testimony.evidence.services.exports import export_audit_download
from testimony.evidence.writers import FORMATS

CONTENT_TYPES = {name: output.content_type for name, output in FORMATS.items()} | {"zip": "application/zip"}


def job_download(
    request,
    token: str,
    *,
    may_use: Callable[..., bool],
    file_name: Callable[[ExportJob], str],
    gone_template: str,
) -> HttpResponse:
    """The file of the job ``token`` names, for ``request.user`` if ``may_use(user, job)``, audited."""
    job_id = jobs.job_id_from_token(token)
    if job_id is None:
        return _gone(request, gone_template)
    job = ExportJob.objects.filter(pk=job_id, organisation_id=request.user.organisation_id).first()
    if job is None or not may_use(request.user, job):
        raise Http404
    path = jobs.job_file(job)
    if path is None:
        return _gone(request, gone_template, job=job)
    export_audit_download(user=request.user, job=job)
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=file_name(job),
        content_type=CONTENT_TYPES.get(job.format, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _gone(request, template: str, *, job: ExportJob | None = None) -> HttpResponse:
    """410: the link is malformed, forged or past its time, or the file was deleted."""
    return render(request, template, {"section": "evidence", "job": job}, status=410)
