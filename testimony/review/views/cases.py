"""Cases (list, page, create, edit, linked reports) and the duplicate/related suggestions.

Every view: parse (a form) → gate (``access_case`` / ``access_report``; 404 out of scope) → one
service → render or redirect. Forms are plain POST forms, so everything works without JavaScript;
the report page loads the suggestions fragment with HTMX (``hx-get`` of ``console:report_similar``).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.accounts.views import requested_next
from testimony.intake.choices import PERPETRATORS
from testimony.review.labels import console_language
from testimony.review.models import CaseReport
from testimony.review.selectors import access_case, access_report, cases_in_scope, reports_in_scope
from testimony.review.services import cases as services
from testimony.review.services.states import NOTE_MAX_CHARS
from testimony.review.similar import suggest_similar

PAGE_SIZE = 50
CASE_SUGGESTION_SOURCES = 5  # linked reports whose suggestions the case page gathers
REPORT_IDS_MAX = 50


def report_url(report_id) -> str:
    return reverse("console:report", args=[report_id])


def _kind_nodes():
    """Active tags in tree order, labelled in the console language."""
    from testimony.review.services.taxonomy import flatten, taxonomy_tree

    return flatten(taxonomy_tree(language=console_language(), include_inactive=False))


def _kind_choices() -> list[tuple[int, str]]:
    return [(node.tag.pk, ("— " * node.depth) + node.label) for node in _kind_nodes()]


# --- forms (input shape only; the services check the rest) -------------------------------------


class CaseFilterForm(forms.Form):
    kind = forms.CharField(required=False, max_length=60)
    place = forms.CharField(required=False, max_length=100)
    date_from = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class ReportIdsField(forms.CharField):
    """One or more report ids (UUIDs), separated by spaces, commas or new lines."""

    def to_python(self, value):
        import uuid

        text = super().to_python(value) or ""
        ids = []
        for part in text.replace(",", " ").split():
            try:
                ids.append(uuid.UUID(part))
            except ValueError:
                raise ValidationError(
                    _("“%(value)s” is not a report number."), params={"value": part[:40]}
                ) from None
        if len(ids) > REPORT_IDS_MAX:
            raise ValidationError(_("Link at most %(n)d reports at once."), params={"n": REPORT_IDS_MAX})
        return ids


class LinkFieldsForm(forms.Form):
    relation = forms.ChoiceField(choices=CaseReport.Relation.choices, initial=CaseReport.Relation.VICTIM)
    reliability = forms.ChoiceField(
        choices=CaseReport.Reliability.choices, initial=CaseReport.Reliability.UNKNOWN
    )


class LinkReportsForm(LinkFieldsForm):
    report_ids = ReportIdsField(label=_("Report numbers"), max_length=REPORT_IDS_MAX * 40)


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    place_choice = forms.ChoiceField(label=_("Place"), required=False)
    place_lookup = forms.CharField(
        label=_("Or look up a place"),
        required=False,
        max_length=100,
        help_text=_("A city or region; it is stored no finer than a city."),
    )
    kinds = forms.TypedMultipleChoiceField(
        label=_("Kinds of act"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    perpetrator_types = forms.MultipleChoiceField(
        label=_("Perpetrators"), required=False, choices=PERPETRATORS, widget=forms.CheckboxSelectMultiple
    )
    units = forms.CharField(label=_("Units"), required=False, max_length=300)
    people_affected = forms.IntegerField(label=_("People affected"), required=False, min_value=0)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=services.SUMMARY_MAX_CHARS, widget=forms.Textarea
    )

    def __init__(self, *args, places: list[dict], current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.places = {services.place_key(place): place for place in places}
        choices = [("", _("(none)"))]
        if current:
            self.places.setdefault(services.place_key(current), current)
        for key, place in self.places.items():
            region = (
                f", {place['admin1']}"
                if place.get("admin1") and place.get("admin1") != place.get("name")
                else ""
            )
            choices.append((key, f"{place.get('name', '')}{region} ({place.get('country', '')})"))
        self.fields["place_choice"].choices = choices
        if current:
            self.fields["place_choice"].initial = services.place_key(current)
        self.fields["kinds"].choices = _kind_choices()

    def clean(self):
        data = super().clean()
        if data.get("place_lookup"):
            place = services.place_lookup(data["place_lookup"])
            if place is None:
                self.add_error("place_lookup", _("No place of that name was found."))
            data["place"] = place
        else:
            data["place"] = self.places.get(data.get("place_choice") or "")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "place": data.get("place"),
            "kind_ids": data.get("kinds") or [],
            "perpetrator_types": data.get("perpetrator_types") or [],
            "units": data.get("units") or "",
            "people_affected": data.get("people_affected"),
            "summary": data.get("summary") or "",
        }


class NewCaseForm(CaseForm):
    report_ids = ReportIdsField(
        label=_("Link these reports"),
        required=False,
        max_length=REPORT_IDS_MAX * 40,
        help_text=_("Report numbers, separated by spaces."),
    )


class DuplicateForm(forms.Form):
    original = forms.UUIDField()
    note = forms.CharField(max_length=NOTE_MAX_CHARS, widget=forms.Textarea)


class SimilarLinkForm(LinkFieldsForm):
    case = forms.IntegerField()
    other = forms.UUIDField()


# --- cases -------------------------------------------------------------------------------------


@console_view("case.view")
@require_GET
def case_list(request):
    form = CaseFilterForm(request.GET or None)
    cases = cases_in_scope(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["kind"]:
            cases = cases.filter(Q(kinds__slug=data["kind"]) | Q(kinds__parent__slug=data["kind"]))
        if data["place"]:
            cases = cases.filter(
                Q(place__name__icontains=data["place"]) | Q(place__admin1__icontains=data["place"])
            )
        if data["date_from"]:
            cases = cases.filter(
                Q(date_to__gte=data["date_from"]) | Q(date_to__isnull=True, date_from__gte=data["date_from"])
            )
        if data["date_to"]:
            cases = cases.filter(
                Q(date_from__lte=data["date_to"]) | Q(date_from__isnull=True, date_to__lte=data["date_to"])
            )
    cases = (
        cases.distinct().annotate(report_count=Count("links", distinct=True)).order_by("-updated_at", "-pk")
    )
    page = Paginator(cases.prefetch_related("kinds"), PAGE_SIZE).get_page(request.GET.get("page"))
    language = console_language()
    rows = [
        {"case": case, "kinds": [tag.label(language) for tag in case.kinds.all()]}
        for case in page.object_list
    ]
    return render(
        request,
        "console/cases/list.html",
        {
            "section": "cases",
            "form": form,
            "page": page,
            "rows": rows,
            "kind_options": [
                {"slug": node.tag.slug, "label": ("— " * node.depth) + node.label} for node in _kind_nodes()
            ],
            "can_edit": can(request.user, "case.edit"),
        },
    )


@console_view("case.view")
@require_GET
def case_page(request, case_id: int):
    case = access_case(user=request.user, case_id=case_id)
    detail = services.case_detail(user=request.user, case=case)
    language = console_language()
    rows = [
        {
            "link": link,
            "report": link.report,
            "url": report_url(link.report_id),
            "form": LinkFieldsForm(initial={"relation": link.relation, "reliability": link.reliability}),
        }
        for link in detail.links
    ]
    suggestions = []
    can_edit = can(request.user, "case.edit")
    if can_edit and detail.links:
        linked = {link.report_id for link in detail.links}
        best: dict = {}
        for link in detail.links[:CASE_SUGGESTION_SOURCES]:
            for suggestion in suggest_similar(user=request.user, report=link.report, limit=10):
                if suggestion.report_id in linked:
                    continue
                known = best.get(suggestion.report_id)
                if known is None or _rank(suggestion) > _rank(known):
                    best[suggestion.report_id] = suggestion
        suggestions = [
            {"suggestion": s, "url": report_url(s.report_id)}
            for s in sorted(best.values(), key=lambda s: (s.kind != "exact", -s.score))[:10]
        ]
    perpetrators = dict(PERPETRATORS)
    return render(
        request,
        "console/cases/detail.html",
        {
            "section": "cases",
            "case": case,
            "detail": detail,
            "rows": rows,
            "kinds": [tag.label(language) for tag in detail.kinds],
            "perpetrators": [perpetrators.get(slug, slug) for slug in case.perpetrator_types],
            "suggestions": suggestions,
            "can_edit": can_edit,
            "link_form": LinkReportsForm(),
        },
    )


@console_view("case.edit")
@require_http_methods(["GET", "POST"])
def case_new(request):
    # A case can start from a report (the report page's or the suggestions' "new case" link).
    first = request.GET.get("report", "")
    places: list[dict] = []
    if first:
        report = access_report(user=request.user, report_id=first)
        places = [services.coarse_place(place) for place in report.places]
    # "also": the suggested report, when the case starts from the suggestions (checked on save).
    also = request.GET.get("also", "")[:40]
    initial = {"report_ids": " ".join(part for part in (first, also) if part)}
    form = NewCaseForm(request.POST or None, places=places, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                user=request.user, report_ids=form.cleaned_data["report_ids"], **form.service_kwargs()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("console:case", case_id=case.pk)
    return render(request, "console/cases/form.html", {"section": "cases", "form": form, "case": None})


@console_view("case.edit")
@require_http_methods(["GET", "POST"])
def case_edit(request, case_id: int):
    case = access_case(user=request.user, case_id=case_id, for_write=True)
    places = services.place_choices(user=request.user, case=case)
    initial = {
        "title": case.title,
        "date_from": case.date_from,
        "date_to": case.date_to,
        "kinds": list(case.kinds.values_list("pk", flat=True)),
        "perpetrator_types": case.perpetrator_types,
        "units": case.units,
        "people_affected": case.people_affected,
        "summary": services.case_summary(case),
    }
    form = CaseForm(request.POST or None, places=places, current=case.place or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(user=request.user, case_id=case.pk, **form.service_kwargs())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("console:case", case_id=case.pk)
    return render(request, "console/cases/form.html", {"section": "cases", "form": form, "case": case})


@console_view("case.edit")
@require_POST
def case_add_report(request, case_id: int):
    case = access_case(user=request.user, case_id=case_id, for_write=True)
    form = LinkReportsForm(request.POST)
    if not form.is_valid():
        return _case_error(request, case, form)
    services.case_add_reports(
        user=request.user,
        case_id=case.pk,
        report_ids=form.cleaned_data["report_ids"],
        relation=form.cleaned_data["relation"],
        reliability=form.cleaned_data["reliability"],
    )
    return redirect(requested_next(request, default=reverse("console:case", args=[case.pk])))


@console_view("case.edit")
@require_POST
def case_report_link(request, case_id: int, report_id):
    """Change a linked report's relation and reliability, or (``remove``) unlink it."""
    case = access_case(user=request.user, case_id=case_id, for_write=True)
    access_report(user=request.user, report_id=report_id)
    if request.POST.get("remove"):
        services.case_remove_report(user=request.user, case_id=case.pk, report_id=report_id)
    else:
        form = LinkFieldsForm(request.POST)
        if not form.is_valid():
            return _case_error(request, case, form)
        try:
            services.case_change_link(
                user=request.user, case_id=case.pk, report_id=report_id, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return _case_error(request, case, form)
    return redirect(requested_next(request, default=reverse("console:case", args=[case.pk])))


def _rank(suggestion) -> tuple:
    return (suggestion.kind == "exact", suggestion.score)


def _case_error(request, case, form):
    return render(
        request, "console/cases/error.html", {"section": "cases", "case": case, "form": form}, status=400
    )


# --- suggestions on the report page -------------------------------------------------------------


@console_view("report.view")
@require_GET
def report_similar(request, report_id):
    """The suggestions fragment; a full page when opened without HTMX (no JavaScript)."""
    report = access_report(user=request.user, report_id=report_id)
    suggestions = suggest_similar(user=request.user, report=report)
    visible = reports_in_scope(request.user).filter(pk__in=[s.report_id for s in suggestions])
    rows_by_id = {
        row.pk: row for row in visible.only("pk", "state", "received_on", "kind", "duplicate_of_id")
    }
    can_link = can(request.user, "case.edit")
    context = {
        "report": report,
        "rows": [
            {"suggestion": s, "report": rows_by_id.get(s.report_id), "url": report_url(s.report_id)}
            for s in suggestions
        ],
        "cases": list(cases_in_scope(request.user, action="case.edit").order_by("-updated_at")[:50])
        if can_link
        else [],
        "can_link": can_link,
        "can_mark": can(request.user, "report.edit"),
        "next": report_url(report.pk),
        "relations": CaseReport.Relation.choices,
        "note_max": NOTE_MAX_CHARS,
    }
    template = (
        "console/cases/_similar.html"
        if request.headers.get("HX-Request")
        else "console/cases/similar_page.html"
    )
    return render(request, template, context)


@console_view("case.edit")
@require_POST
def report_similar_link(request, report_id):
    """Link this report and the suggested one to a case (either may be linked already)."""
    report = access_report(user=request.user, report_id=report_id)
    form = SimilarLinkForm(request.POST)
    if not form.is_valid():
        return render(request, "console/cases/error.html", {"form": form}, status=400)
    data = form.cleaned_data
    services.case_add_reports(
        user=request.user,
        case_id=data["case"],
        report_ids=[report.pk, data["other"]],
        relation=data["relation"],
        reliability=data["reliability"],
    )
    return redirect(requested_next(request, default=reverse("console:case", args=[data["case"]])))


@console_view("report.edit")
@require_POST
def report_similar_duplicate(request, report_id):
    """Mark this report as a duplicate of the suggested one (the original), with a note."""
    report = access_report(user=request.user, report_id=report_id, for_write=True)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return render(request, "console/cases/error.html", {"form": form}, status=400)
    try:
        services.report_mark_duplicate(
            user=request.user,
            report_id=report.pk,
            original_id=form.cleaned_data["original"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return render(request, "console/cases/error.html", {"form": form}, status=400)
    return redirect(requested_next(request, default=report_url(report.pk)))


urlpatterns = [
    path("cases/", case_list, name="cases"),
    path("cases/new/", case_new, name="case_new"),
    path("cases/<int:case_id>/", case_page, name="case"),
    path("cases/<int:case_id>/edit/", case_edit, name="case_edit"),
    path("cases/<int:case_id>/reports/", case_add_report, name="case_add_report"),
    path("cases/<int:case_id>/reports/<uuid:report_id>/", case_report_link, name="case_report_link"),
    path("reports/<uuid:report_id>/similar/", report_similar, name="report_similar"),
    path("reports/<uuid:report_id>/similar/link/", report_similar_link, name="report_similar_link"),
    path(
        "reports/<uuid:report_id>/similar/duplicate/",
        report_similar_duplicate,
        name="report_similar_duplicate",
    ),
]
