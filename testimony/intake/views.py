"""Submitter pages. Each view parses, makes one service call and renders."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from testimony.crypto.keys import intake_recipient
from testimony.crypto.padding import AttachmentPlaintext
from testimony.intake import errors, pow, selectors, services, throttle
from testimony.intake.forms import FollowUpForm, ReplyForm, ReportForm
from testimony.intake.js_strings import js_strings
from testimony.intake.photo_metadata import strip_metadata

_NOJS_BUCKET = "nojs-submissions"


def _cleaned(content: bytes, *, keep_location: bool) -> bytes:
    """Without JavaScript the browser could not strip photo metadata, so do it here, in memory."""
    return content if keep_location else strip_metadata(content)[0]


def _submit_page(
    request: HttpRequest, form: ReportForm, *, status: int = 200, upload_error: str = ""
) -> HttpResponse:
    context = {
        "form": form,
        "challenge": pow.issue(),
        "chunk_bytes": settings.UPLOAD_CHUNK_BYTES,
        "max_files": settings.ATTACHMENT_MAX_COUNT,
        "max_file_bytes": settings.ATTACHMENT_MAX_BYTES,
        "max_file_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
        "upload_error": upload_error,
        "js_strings": js_strings(),
        "age_recipient": intake_recipient(),
    }
    return render(request, "intake/submit.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        today = timezone.now().date()
        return _submit_page(
            request, ReportForm(initial={"when_year": str(today.year), "when_month": today.month})
        )
    # Reached only without JavaScript: the page's script sends through the API instead.
    form = ReportForm(request.POST)
    files = request.FILES.getlist("attachments")
    upload_error = ""
    if getattr(request, "upload_rejections", None):
        upload_error = str(errors.TooLarge.message)
    elif len(files) > settings.ATTACHMENT_MAX_COUNT:
        upload_error = str(errors.TooManyAttachments.message)
    if not form.is_valid() or upload_error:
        return _submit_page(request, form, status=400, upload_error=upload_error)
    if not throttle.take(_NOJS_BUCKET, per_minute=settings.NOJS_SUBMISSIONS_PER_MINUTE):
        form.add_error(None, errors.RateLimited.message)
        return _submit_page(request, form, status=429)
    keep_location = bool(form.cleaned_data.get("keep_location"))
    attachments = [
        AttachmentPlaintext(
            name=upload.name,
            content_type=upload.content_type or "",
            content=_cleaned(upload.read(), keep_location=keep_location),
        )
        for upload in files
    ]
    try:
        created = services.submission_create_from_report(
            report=form.report(language=get_language()), attachments=attachments
        )
    except errors.IntakeError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return _submit_page(request, form, status=exc.status)
    return render(request, "intake/receipt.html", {"receipt": created.receipt_display})


def _thread(
    request: HttpRequest, receipt: str, *, notice: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    followup = selectors.followup_for_receipt(receipt)
    context = {
        "followup": followup,
        "reply_form": ReplyForm(initial={"receipt": receipt}),
        "notice": notice,
        "error": error,
    }
    return render(request, "intake/followup_thread.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def followup(request: HttpRequest) -> HttpResponse:
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "intake/followup.html", {"form": form}, status=400 if form.is_bound else 200)
    try:
        return _thread(request, form.cleaned_data["receipt"])
    except errors.IntakeError as exc:
        return render(
            request, "intake/followup.html", {"form": form, "error": exc.message}, status=exc.status
        )


@require_http_methods(["POST"])
def followup_reply(request: HttpRequest) -> HttpResponse:
    form = ReplyForm(request.POST)
    receipt = request.POST.get("receipt", "")
    try:
        if not form.is_valid():
            return _thread(request, receipt, error=_("Write your message first."), status=400)
        services.message_from_submitter_create(
            receipt_text=form.cleaned_data["receipt"], text=form.cleaned_data["text"], ciphertext=None
        )
        return _thread(request, receipt, notice=_("Your message was sent."))
    except errors.IntakeError as exc:
        return render(
            request, "intake/followup.html", {"form": FollowUpForm(), "error": exc.message}, status=exc.status
        )
