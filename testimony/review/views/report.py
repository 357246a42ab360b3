"""The report page, where a reviewer spends most of the day, and the corrections made on it.

Every view: parse → gate (``access_report`` / ``access_attachment``; 404 out of scope) → one
service → render or redirect back. Corrections are plain POST forms (HTMX or not), so the page
works without JavaScript; ``report.js`` only turns a text selection into offsets.
"""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.analysis.spans import LABELS
from testimony.audit.models import AuditEntry
from testimony.audit.selectors import current_action, readable_details
from testimony.audit.services import audit_record_now
from testimony.intake.choices import KINDS, PERPETRATORS
from testimony.intake.places import place_label
from testimony.review import sealed
from testimony.review.highlight import highlight
from testimony.review.models import Comment, ReportTag, Tag
from testimony.review.selectors import access_attachment, access_report
from testimony.review.services import originals
from testimony.review.services.reports import (
    COMMENT_MAX_CHARS,
    INLINE_IMAGE_TYPES,
    TAG_DECISIONS,
    WORDS_MAX_CHARS,
    CorrectionError,
    attachment_fetch,
    comment_add,
    place_candidates,
    report_fields_update,
    report_place_choose,
    report_redaction_add,
    report_redaction_relabel,
    report_redaction_remove,
    report_tag_decide,
    text_version,
)
from testimony.review.views.routing import routing_panel

CONTACT_PANEL = "console/report/_contact.html"
HISTORY_LIMIT = 100
LABEL_CHOICES = [(label, label) for label in LABELS]

# --- forms (input shape only; the services check the rest) -------------------------------------


class RedactionForm(forms.Form):
    version = forms.CharField(max_length=64)
    placeholder = forms.CharField(max_length=40)


class RelabelForm(RedactionForm):
    label = forms.ChoiceField(choices=LABEL_CHOICES)


class AddRedactionForm(forms.Form):
    version = forms.CharField(max_length=64)
    label = forms.ChoiceField(choices=LABEL_CHOICES)
    start = forms.IntegerField(required=False, min_value=0)
    end = forms.IntegerField(required=False, min_value=0)
    words = forms.CharField(required=False, max_length=WORDS_MAX_CHARS, strip=False)
    everywhere = forms.BooleanField(required=False)

    @staticmethod
    def addition(data: dict) -> dict:
        """The cleaned data as ``report_redaction_add`` and ``reply_redaction_add`` take it: a
        selection (start and end) or else the typed words."""
        by_span = data["start"] is not None and data["end"] is not None
        return {
            "label": data["label"],
            "version": data["version"],
            "start": data["start"] if by_span else None,
            "end": data["end"] if by_span else None,
            "words": "" if by_span else data["words"],
            # Typed words are always redacted everywhere; a selection only if the box is ticked.
            "everywhere": data["everywhere"] or not by_span,
        }


class PlaceForm(forms.Form):
    version = forms.CharField(max_length=64)
    entry = forms.CharField(max_length=40)


class FieldsForm(forms.Form):
    kind = forms.ChoiceField(choices=KINDS)
    event_month = forms.RegexField(regex=r"^\d{4}-(0[1-9]|1[0-2])$", max_length=7)
    perpetrators = forms.MultipleChoiceField(choices=PERPETRATORS)


class TagForm(forms.Form):
    slug = forms.SlugField(max_length=60)
    decision = forms.ChoiceField(choices=[(d, d) for d in TAG_DECISIONS])


class CommentForm(forms.Form):
    body = forms.CharField(max_length=COMMENT_MAX_CHARS, widget=forms.Textarea)
    parent = forms.IntegerField(required=False, min_value=1)


class OriginalForm(forms.Form):
    reason = forms.CharField(max_length=originals.REASON_MAX_CHARS)
    passphrase = forms.CharField(max_length=1024, strip=False, widget=forms.PasswordInput)


# --- the page -------------------------------------------------------------------------------------


def _contact_panel_template() -> str | None:
    """The contact helper's panel, when it is installed (this page works without it)."""
    try:
        get_template(CONTACT_PANEL)
    except TemplateDoesNotExist:
        return None
    return CONTACT_PANEL


def redaction_groups(redactions: list[dict]) -> list[dict]:
    """One row per placeholder (its mentions together), in order of first mention; for the
    account here and for each reply in the thread (``views.replies``)."""
    groups: dict[str, dict] = {}
    for item in redactions:
        group = groups.setdefault(
            item.get("placeholder", ""),
            {
                "placeholder": item.get("placeholder", ""),
                "label": item["label"],
                "count": 0,
                "restorable": True,
            },
        )
        group["count"] += 1
        group["restorable"] = group["restorable"] and "original" in item
    return list(groups.values())


def _comment_threads(report) -> list[dict]:
    comments = list(Comment.objects.filter(report=report).select_related("author"))
    by_parent: dict[int | None, list[dict]] = {}
    for comment in comments:
        entry = {
            "comment": comment,
            "body": sealed.note_open(context=f"comment.body:{comment.pk}", sealed=comment.body_sealed),
            "replies": [],
        }
        by_parent.setdefault(comment.parent_id, []).append(entry)
    known = {c.pk for c in comments}

    def attach(entries):
        for entry in entries:
            entry["replies"] = attach(by_parent.get(entry["comment"].pk, []))
        return entries

    roots = by_parent.get(None, []) + [
        e
        for parent, entries in by_parent.items()
        if parent is not None and parent not in known
        for e in entries
    ]
    return attach(roots)


ACTION_LABELS = {
    "report.view": _("viewed the report"),
    "attachment.download": _("opened an attachment"),
    "report.redaction_remove": _("removed a redaction"),
    "report.redaction_relabel": _("relabelled a redaction"),
    "report.redaction_add": _("added a redaction"),
    "report.place_change": _("changed a place"),
    "report.fields_edit": _("changed the fields"),
    "report.tag_accept": _("accepted a tag"),
    "report.tag_reject": _("rejected a tag"),
    "report.tag_clear": _("cleared a tag decision"),
    "comment.add": _("commented"),
    "report.open_original": _("opened the original"),
    "report.open_original_failed": _("failed to open the original"),
    # Written about a report by the queue, bulk actions, cases and the contact helper.
    "report.state": _("changed the state"),
    "report.assign": _("changed the assignee"),
    "report.route": _("changed the caseload"),
    "report.lock_take_over": _("took over editing"),
    "case.report_add": _("linked the report to a case"),
    "report.contact_viewed": _("read the conversation with the submitter"),
    "report.message_sent": _("wrote to the submitter"),
    "report.reply_redaction_remove": _("removed a redaction in a reply"),
    "report.reply_redaction_relabel": _("relabelled a redaction in a reply"),
    "report.reply_redaction_add": _("added a redaction in a reply"),
}

# How coarse a resolved place is (analysis.spans.PRECISIONS), as the page says it.
PRECISION_LABELS = {
    "site": _("site"),
    "city": _("city"),
    "admin1": _("region"),
    "country": _("country"),
}


def _precision_label(precision: str) -> str:
    return PRECISION_LABELS.get(precision, precision)


def _history(report, *, include_views: bool) -> list[dict]:
    """Audit entries about this report, newest first. Details hold no testimony (audit rule)."""
    entries = AuditEntry.objects.filter(object_type="report", object_id=str(report.pk))
    if not include_views:
        entries = entries.exclude(action__in=["report.view", "attachment.download"])
    shown = list(entries.order_by("-seq")[:HISTORY_LIMIT])
    names = _history_names(shown)
    return [
        {
            "entry": entry,
            # By the action's current name: older bulk rows were written under another
            # (audit.selectors.RENAMED_ACTIONS), and the log is never rewritten.
            "what": ACTION_LABELS.get(current_action(entry.action), entry.action),
            "details": [
                (DETAIL_LABELS.get(k, k), _history_value(entry.action, k, v, names))
                for k, v in sorted((str(k), v) for k, v in readable_details(entry.details).items())
            ],
        }
        for entry in shown
    ]


# The words shown for the details the console's own actions write (others show their key).
DETAIL_LABELS = {
    "assignee_cleared": pgettext_lazy("report history detail", "unassigned"),
    "bulk": pgettext_lazy("report history detail", "bulk job"),
    "case_id": pgettext_lazy("report history detail", "case"),
    "changed": pgettext_lazy("report history detail", "changed"),
    "count": pgettext_lazy("report history detail", "count"),
    "end": pgettext_lazy("report history detail", "end"),
    "everywhere": pgettext_lazy("report history detail", "every occurrence"),
    "from": pgettext_lazy("report history detail", "from"),
    "label": pgettext_lazy("report history detail", "label"),
    "labels": pgettext_lazy("report history detail", "labels"),
    "lock_cleared": pgettext_lazy("report history detail", "editing lock released"),
    "message": pgettext_lazy("report history detail", "message"),
    "note": pgettext_lazy("report history detail", "note"),
    "position": pgettext_lazy("report history detail", "position"),
    "reason": pgettext_lazy("report history detail", "reason"),
    "relation": pgettext_lazy("report history detail", "relation"),
    "reliability": pgettext_lazy("report history detail", "reliability"),
    "sequence": pgettext_lazy("report history detail", "message number"),
    "start": pgettext_lazy("report history detail", "start"),
    "state": pgettext_lazy("report history detail", "state"),
    "tag": pgettext_lazy("report history detail", "tag"),
    "to": pgettext_lazy("report history detail", "to"),
    "until": pgettext_lazy("report history detail", "until"),
}

# Details that hold ids, by action: the accounts and caseloads they name, shown by name.
_ID_DETAILS = {
    "report.assign": {"from": "user", "to": "user"},
    "report.lock_take_over": {"from": "user"},
    "report.route": {
        "from": "caseload",
        "to": "caseload",
        "assignee_cleared": "user",
        "lock_cleared": "user",
    },
}


def _history_names(entries) -> dict[tuple[str, int], str]:
    """Names of the accounts and caseloads the entries' details name by id, in two queries."""
    from testimony.accounts.models import Caseload, User

    wanted: dict[str, set[int]] = {"user": set(), "caseload": set()}
    for entry in entries:
        kinds = _ID_DETAILS.get(current_action(entry.action), {})
        for key, value in (entry.details or {}).items():
            if key in kinds and isinstance(value, int):
                wanted[kinds[key]].add(value)
    names = {
        ("user", pk): name
        for pk, name in User.objects.filter(pk__in=wanted["user"]).values_list("pk", "username")
    }
    names |= {
        ("caseload", pk): name
        for pk, name in Caseload.objects.filter(pk__in=wanted["caseload"]).values_list("pk", "name")
    }
    return names


def _history_value(action: str, key: str, value, names: dict) -> object:
    """A detail as a reader wants it: an account's or caseload's name instead of its id."""
    kind = _ID_DETAILS.get(current_action(action), {}).get(key)
    if kind is None:
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        return value
    if value is None:
        return _("nobody") if kind == "user" else _("unrouted")
    return names.get((kind, value), value)  # a deleted account or caseload: its id, as recorded


def _tag_rows(report, language: str) -> dict:
    decided = {rt.tag.slug: rt for rt in ReportTag.objects.filter(report=report).select_related("tag", "by")}
    active = {tag.slug: tag for tag in Tag.objects.filter(active=True)}
    suggested = [
        {
            "slug": slug,
            "label": active[slug].label(language) if slug in active else slug,
            "known": slug in active,
            "decision": decided[slug].status if slug in decided else "",
        }
        for slug in report.suggested_tags
    ]
    accepted = [
        {"slug": slug, "label": rt.tag.label(language), "by": rt.by, "at": rt.at}
        for slug, rt in decided.items()
        if rt.status == ReportTag.Status.ACCEPTED
    ]
    others = [
        (tag.slug, tag.label(language))
        for slug, tag in active.items()
        if slug not in decided and slug not in report.suggested_tags
    ]
    return {"suggested": suggested, "accepted": accepted, "addable": others}


def _page(request, report, *, error: str = "", status: int = 200, forms_with_errors: dict | None = None):
    payload = sealed.report_text_open(report)
    account = payload["account"]
    language = getattr(request, "LANGUAGE_CODE", "en")
    places = [
        place
        | {
            "index": index,
            "coarse": report.places[index] if index < len(report.places) else None,
            "precision_label": _precision_label(place.get("precision", "")),
        }
        for index, place in enumerate(account.get("places", []))
    ]
    attachments = list(report.attachments.order_by("position"))
    may_edit = can(request.user, "report.edit")
    lock_active = bool(report.locked_by_id and report.locked_until and report.locked_until > timezone.now())
    context = {
        "section": "queue",
        "report": report,
        "highlighted": highlight(
            account["redacted_text"], account.get("redactions", []), account.get("places", [])
        ),
        "place_details": payload.get("place_details", ""),
        # The reviewer's note on the last state change (why rejected, what is missing): their own
        # words, sealed on the row; shown beside the state, escaped like all text.
        "state_note": sealed.note_open(context=f"report.note:{report.pk}", sealed=report.state_note_sealed)
        if report.state_note_sealed
        else "",
        "form_place": place_label(report.country, report.place, language) if report.place else "",
        "redaction_groups": redaction_groups(account.get("redactions", [])),
        "places": places,
        "version": text_version(report),
        "labels": LABELS,
        "kinds": KINDS,
        "perpetrator_choices": PERPETRATORS,
        "perpetrator_labels": [dict(PERPETRATORS).get(code, code) for code in report.perpetrators],
        "tags": _tag_rows(report, language),
        "attachments": attachments,
        "inline_image_types": INLINE_IMAGE_TYPES,
        "threads": _comment_threads(report),
        "history": _history(report, include_views=request.GET.get("history") == "all"),
        "history_all": request.GET.get("history") == "all",
        "may_edit": may_edit,
        "may_claim": can(request.user, "report.claim"),
        "routing": routing_panel(request.user, report),  # None without report.assign
        "lock_active": lock_active,
        "lock_mine": lock_active and report.locked_by_id == request.user.pk,
        "may_open_original": can(request.user, "report.open_original"),
        "originals_configured": originals.originals_configured(),
        "contact_panel_template": _contact_panel_template(),
        "error": error,
        "forms": forms_with_errors or {},
        "words_max": WORDS_MAX_CHARS,
        "comment_max": COMMENT_MAX_CHARS,
    }
    return render(request, "console/report/detail.html", context, status=status)


def _get_only(request) -> HttpResponse | None:
    """Checked after the gate, so that out of scope is 404 whatever the method (access matrix)."""
    return None if request.method in ("GET", "HEAD") else HttpResponseNotAllowed(["GET"])


@console_view("report.view")
def report_detail(request, report_id):
    report = access_report(user=request.user, report_id=report_id)
    if refused := _get_only(request):
        return refused
    audit_record_now(actor=request.user, action="report.view", object_type="report", object_id=report.pk)
    return _page(request, report)


def _back(report, anchor: str = ""):
    return redirect(reverse("console:report", args=[report.pk]) + (f"#{anchor}" if anchor else ""))


def _refused(request, report, error) -> HttpResponse:
    """A correction that could not be made: the page again, with why, and nothing changed."""
    message = error.messages[0] if isinstance(error, CorrectionError) else str(error)
    return _page(request, report, error=message, status=400)


def _invalid(request, report, form) -> HttpResponse:
    first = next(iter(form.errors.values()))[0] if form.errors else _("The form is not complete.")
    return _page(request, report, error=str(first), status=400)


# --- corrections ----------------------------------------------------------------------------------


def _correct(request, report_id, form_class, apply, anchor) -> HttpResponse:
    """Parse → gate (for write) → ``apply(report, cleaned_data)`` (one service) → back to the page.

    ``anchor`` is where to land on the page: a string, or a function of what ``apply`` returned.
    An invalid form or a refused correction shows the page again with why, and nothing changed.
    """
    form = form_class(request.POST)
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    if not form.is_valid():
        return _invalid(request, report, form)
    try:
        result = apply(report, form.cleaned_data)
    except CorrectionError as error:
        return _refused(request, report, error)
    return _back(report, anchor(result) if callable(anchor) else anchor)


@console_view("report.edit")
@require_POST
def redaction_remove(request, report_id):
    def apply(report, data):
        return report_redaction_remove(actor=request.user, report=report, **data)

    return _correct(request, report_id, RedactionForm, apply, "text")


@console_view("report.edit")
@require_POST
def redaction_relabel(request, report_id):
    def apply(report, data):
        return report_redaction_relabel(actor=request.user, report=report, **data)

    return _correct(request, report_id, RelabelForm, apply, "text")


@console_view("report.edit")
@require_POST
def redaction_add(request, report_id):
    def apply(report, data):
        return report_redaction_add(actor=request.user, report=report, **AddRedactionForm.addition(data))

    return _correct(request, report_id, AddRedactionForm, apply, "text")


@console_view("report.view")
def report_place(request, report_id, index: int):
    """The gazetteer's readings of a place name, to choose from (editors) or to see."""
    report = access_report(user=request.user, report_id=report_id)
    if refused := _get_only(request):
        return refused
    places = sealed.report_text_open(report)["account"].get("places", [])
    if not 0 <= index < len(places):
        raise Http404
    place = places[index]
    context = {
        "section": "queue",
        "report": report,
        "index": index,
        "place": place | {"precision_label": _precision_label(place.get("precision", ""))},
        "candidates": [
            candidate | {"precision_label": _precision_label(candidate["precision"])}
            for candidate in place_candidates(place["text"])
        ],
        "version": text_version(report),
        "may_edit": can(request.user, "report.edit"),
    }
    return render(request, "console/report/place.html", context)


@console_view("report.edit")
@require_POST
def report_place_set(request, report_id, index: int):
    def apply(report, data):
        return report_place_choose(
            actor=request.user, report=report, index=index, entry_id=data["entry"], version=data["version"]
        )

    return _correct(request, report_id, PlaceForm, apply, "places")


@console_view("report.edit")
@require_POST
def report_fields(request, report_id):
    def apply(report, data):
        return report_fields_update(actor=request.user, report=report, **data)

    return _correct(request, report_id, FieldsForm, apply, "fields")


@console_view("report.edit")
@require_POST
def report_tag(request, report_id):
    def apply(report, data):
        return report_tag_decide(actor=request.user, report=report, **data)

    return _correct(request, report_id, TagForm, apply, "tags")


@console_view("report.edit")
@require_POST
def report_comment(request, report_id):
    def apply(report, data):
        return comment_add(actor=request.user, report=report, body=data["body"], parent_id=data["parent"])

    return _correct(request, report_id, CommentForm, apply, lambda comment: f"comment-{comment.pk}")


# --- the sealed original --------------------------------------------------------------------------


@console_view("report.open_original")
@require_http_methods(["GET", "POST"])
def report_original(request, report_id):
    report = access_report(user=request.user, report_id=report_id)
    context = {
        "section": "queue",
        "report": report,
        "configured": originals.originals_configured(),
        "reason_max": originals.REASON_MAX_CHARS,
        "error": "",
        "original": None,
    }
    if request.method == "POST" and context["configured"]:
        form = OriginalForm(request.POST)
        if not form.is_valid():
            context["error"] = _("Give a reason (at most %(n)d characters) and the passphrase.") % {
                "n": originals.REASON_MAX_CHARS
            }
            return render(request, "console/report/original.html", context, status=400)
        try:
            original = originals.report_original_open(actor=request.user, report=report, **form.cleaned_data)
        except originals.OriginalUnavailable as failed:
            context["error"] = str(failed)
            return render(request, "console/report/original.html", context, status=400)
        where = original.get("where") if isinstance(original.get("where"), dict) else {}
        context["original"] = {
            "kind": original.get("kind", ""),
            "when": original.get("when", ""),
            "country": where.get("country", ""),
            "place": where.get("place", ""),
            "place_details": where.get("details", ""),
            "who": original.get("who", []),
            "language": original.get("language", ""),
            "account": original.get("account", ""),
        }
    response = render(request, "console/report/original.html", context)
    # Also set by the console middleware; said here because this page must never be kept.
    response["Cache-Control"] = "no-store, max-age=0"
    return response


# --- attachments ----------------------------------------------------------------------------------

_SANDBOX = "sandbox; default-src 'none'"


def _serve(request, attachment_id: int, variant: str) -> HttpResponse:
    attachment = access_attachment(user=request.user, attachment_id=attachment_id)
    if refused := _get_only(request):
        return refused
    try:
        content, content_type = attachment_fetch(actor=request.user, attachment=attachment, variant=variant)
    except LookupError:
        raise Http404 from None
    response = HttpResponse(content, content_type=content_type)
    extension = content_type.rsplit("/", 1)[-1].replace("x-", "") if "/" in content_type else "bin"
    name = f"attachment-{attachment.position + 1}{'-disguised' if variant == 'voice' else ''}.{extension}"
    disposition = "inline" if variant == "preview" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    # Set before the CSP middleware runs, which then leaves it alone: nothing in the file may run,
    # load or be framed, even if a browser is persuaded to render it as a page.
    response["Content-Security-Policy"] = _SANDBOX
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, max-age=0"
    return response


@console_view("report.view")
def attachment_download(request, attachment_id: int):
    return _serve(request, attachment_id, "cleaned")


@console_view("report.view")
def attachment_voice(request, attachment_id: int):
    return _serve(request, attachment_id, "voice")


@console_view("report.view")
def attachment_preview(request, attachment_id: int):
    return _serve(request, attachment_id, "preview")


urlpatterns = [
    path("reports/<uuid:report_id>/", report_detail, name="report"),
    path("reports/<uuid:report_id>/redactions/remove/", redaction_remove, name="report_redaction_remove"),
    path("reports/<uuid:report_id>/redactions/relabel/", redaction_relabel, name="report_redaction_relabel"),
    path("reports/<uuid:report_id>/redactions/add/", redaction_add, name="report_redaction_add"),
    path("reports/<uuid:report_id>/places/<int:index>/", report_place, name="report_place"),
    path("reports/<uuid:report_id>/places/<int:index>/choose/", report_place_set, name="report_place_set"),
    path("reports/<uuid:report_id>/fields/", report_fields, name="report_fields"),
    path("reports/<uuid:report_id>/tags/", report_tag, name="report_tag"),
    path("reports/<uuid:report_id>/comments/", report_comment, name="report_comment"),
    path("reports/<uuid:report_id>/original/", report_original, name="report_original"),
    path("attachments/<int:attachment_id>/", attachment_download, name="attachment"),
    path("attachments/<int:attachment_id>/voice/", attachment_voice, name="attachment_voice"),
    path("attachments/<int:attachment_id>/preview/", attachment_preview, name="attachment_preview"),
]
