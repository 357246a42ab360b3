"""Administrators' pages for organisations, caseloads and who belongs to them (``user.manage``).

Each view: gate (``selectors_organisations.access_*``: 403 without the permission, 404 for no
such object) → form → one service call → redirect with a ``done`` note, or the page again with
the form's errors or the service's refusal (400). Plain forms with CSRF tokens; no script needed.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from testimony.accounts import organisations as services
from testimony.accounts import selectors_organisations as selectors
from testimony.accounts.decorators import console_view
from testimony.accounts.forms_organisations import MemberForm, NameForm

SECTION = "organisations"
CSS = "console/css/accounts.css"

DONE = {
    "created": _("Created."),
    "renamed": _("Renamed."),
    "caseload": _("The caseload is created."),
    "moved": _("The account is now in this organisation."),
    "added": _("The account is now in this caseload."),
    "removed": _("The account is no longer in this caseload."),
    "archived": _("The caseload is archived."),
    "reopened": _("The caseload is open again."),
}


def _page(request, template: str, context: dict, status: int = 200):
    return render(request, f"console/accounts/{template}", {"accounts_css": CSS, **context}, status=status)


def _done(url: str, key: str):
    return redirect(f"{url}?done={key}")


# --- Organisations ----------------------------------------------------------------------------------


@console_view("user.manage")
def organisations_view(request):
    """The list, and the form for a new organisation (POST here)."""
    form = NameForm(request.POST if request.method == "POST" else None, label=_("New organisation"))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                organisation = services.organisation_create(
                    actor=request.user, name=form.cleaned_data["name"]
                )
            except ValidationError as invalid:
                form.add_error("name", invalid)
            else:
                return _done(reverse("console:organisation", args=[organisation.pk]), "created")
        status = 400
    context = {
        "section": SECTION,
        "organisations": selectors.organisations_for_admin(),
        "form": form,
    }
    return _page(request, "organisations.html", context, status=status)


def _organisation_page(request, organisation, *, status: int = 200, error: str | None = None, **forms):
    context = {
        "section": SECTION,
        "organisation": organisation,
        "rename_form": forms.get("rename_form") or NameForm(initial={"name": organisation.name}),
        "caseload_form": forms.get("caseload_form") or NameForm(prefix="caseload"),
        "member_form": forms.get("member_form")
        or MemberForm(accounts=selectors.organisation_candidates(organisation), prefix="member"),
        "caseloads": selectors.organisation_caseloads(organisation),
        "members": selectors.organisation_members(organisation),
        "error": error,
        "done": DONE.get(request.GET.get("done", "")),
    }
    return _page(request, "organisations_detail.html", context, status=status)


@console_view("user.manage")
def organisation_view(request, organisation_id: int):
    """The organisation's caseloads and members; POST renames it."""
    organisation = selectors.access_organisation(user=request.user, organisation_id=organisation_id)
    if request.method != "POST":
        return _organisation_page(request, organisation)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_rename(
                actor=request.user, organisation_id=organisation.pk, name=form.cleaned_data["name"]
            )
        except ValidationError as invalid:
            form.add_error("name", invalid)
        else:
            return _done(reverse("console:organisation", args=[organisation.pk]), "renamed")
    return _organisation_page(request, organisation, rename_form=form, status=400)


@console_view("user.manage")
@require_POST
def organisation_caseload_create_view(request, organisation_id: int):
    organisation = selectors.access_organisation(
        user=request.user, organisation_id=organisation_id, for_write=True
    )
    form = NameForm(request.POST, prefix="caseload")
    if form.is_valid():
        try:
            caseload = services.caseload_create(
                actor=request.user, organisation_id=organisation.pk, name=form.cleaned_data["name"]
            )
        except ValidationError as invalid:
            form.add_error("name", invalid)
        else:
            return _done(reverse("console:caseload", args=[caseload.pk]), "caseload")
    return _organisation_page(request, organisation, caseload_form=form, status=400)


@console_view("user.manage")
@require_POST
def organisation_member_add_view(request, organisation_id: int):
    organisation = selectors.access_organisation(
        user=request.user, organisation_id=organisation_id, for_write=True
    )
    form = MemberForm(request.POST, accounts=selectors.organisation_candidates(organisation), prefix="member")
    if form.is_valid():
        services.organisation_member_add(
            actor=request.user, organisation_id=organisation.pk, user_id=form.cleaned_data["user"].pk
        )
        return _done(reverse("console:organisation", args=[organisation.pk]), "moved")
    return _organisation_page(request, organisation, member_form=form, status=400)


# --- Caseloads ----------------------------------------------------------------------------------------


def _caseload_page(request, caseload, *, status: int = 200, error: str | None = None, **forms):
    context = {
        "section": SECTION,
        "caseload": caseload,
        "organisation": caseload.organisation,
        "rename_form": forms.get("rename_form") or NameForm(initial={"name": caseload.name}),
        "add_form": forms.get("add_form")
        or MemberForm(accounts=selectors.caseload_candidates(caseload), prefix="add"),
        "members": selectors.caseload_members(caseload),
        "report_count": caseload.reports.count(),
        "error": error,
        "done": DONE.get(request.GET.get("done", "")),
    }
    return _page(request, "organisations_caseload.html", context, status=status)


@console_view("user.manage")
def caseload_view(request, caseload_id: int):
    """The caseload's members and state; POST renames it."""
    caseload = selectors.access_caseload(user=request.user, caseload_id=caseload_id)
    if request.method != "POST":
        return _caseload_page(request, caseload)
    form = NameForm(request.POST)
    if form.is_valid():
        try:
            services.caseload_rename(
                actor=request.user, caseload_id=caseload.pk, name=form.cleaned_data["name"]
            )
        except ValidationError as invalid:
            form.add_error("name", invalid)
        else:
            return _done(reverse("console:caseload", args=[caseload.pk]), "renamed")
    return _caseload_page(request, caseload, rename_form=form, status=400)


@console_view("user.manage")
@require_POST
def caseload_archive_view(request, caseload_id: int):
    caseload = selectors.access_caseload(user=request.user, caseload_id=caseload_id, for_write=True)
    try:
        services.caseload_archive(actor=request.user, caseload_id=caseload.pk)
    except services.OrganisationRefused as refusal:
        return _caseload_page(request, caseload, error=str(refusal), status=400)
    return _done(reverse("console:caseload", args=[caseload.pk]), "archived")


@console_view("user.manage")
@require_POST
def caseload_reopen_view(request, caseload_id: int):
    caseload = selectors.access_caseload(user=request.user, caseload_id=caseload_id, for_write=True)
    services.caseload_reopen(actor=request.user, caseload_id=caseload.pk)
    return _done(reverse("console:caseload", args=[caseload.pk]), "reopened")


@console_view("user.manage")
@require_POST
def caseload_member_add_view(request, caseload_id: int):
    caseload = selectors.access_caseload(user=request.user, caseload_id=caseload_id, for_write=True)
    form = MemberForm(request.POST, accounts=selectors.caseload_candidates(caseload), prefix="add")
    if form.is_valid():
        try:
            services.caseload_member_add(
                actor=request.user, caseload_id=caseload.pk, user_id=form.cleaned_data["user"].pk
            )
        except services.OrganisationRefused as refusal:
            return _caseload_page(request, caseload, add_form=form, error=str(refusal), status=400)
        return _done(reverse("console:caseload", args=[caseload.pk]), "added")
    return _caseload_page(request, caseload, add_form=form, status=400)


@console_view("user.manage")
@require_POST
def caseload_member_remove_view(request, caseload_id: int):
    caseload = selectors.access_caseload(user=request.user, caseload_id=caseload_id, for_write=True)
    form = MemberForm(request.POST, accounts=selectors.caseload_members(caseload))
    if not form.is_valid():
        return _caseload_page(request, caseload, error=form.errors["user"][0], status=400)
    try:
        services.caseload_member_remove(
            actor=request.user, caseload_id=caseload.pk, user_id=form.cleaned_data["user"].pk
        )
    except services.OrganisationRefused as refusal:
        return _caseload_page(request, caseload, error=str(refusal), status=400)
    return _done(reverse("console:caseload", args=[caseload.pk]), "removed")
