"""The taxonomy page (everyone who may tag or read cases) and the administrators' edits.

Each edit is one service call that bumps the taxonomy version and writes the audit row; slugs are
fixed once created and tags are deactivated, never deleted.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from testimony.accounts.decorators import console_view
from testimony.accounts.permissions import can
from testimony.review.labels import LANGUAGE_NAMES, console_language
from testimony.review.models import Tag
from testimony.review.services import taxonomy as services


def _get_tag(tag_id: int) -> Tag:
    try:
        return Tag.objects.get(pk=tag_id)
    except Tag.DoesNotExist:
        raise Http404 from None


class TagForm(forms.Form):
    parent = forms.TypedChoiceField(label=_("Under"), required=False, coerce=int, empty_value=None)
    huridocs_code = forms.CharField(
        label=_("HURIDOCS code"),
        required=False,
        max_length=20,
        help_text=_("From the HURIDOCS micro-thesaurus “Types of Acts”; leave empty when unsure."),
    )
    position = forms.IntegerField(
        label=_("Position among its siblings"), min_value=0, max_value=999, initial=0
    )

    def __init__(self, *args, tag: Tag | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        nodes = services.flatten(services.taxonomy_tree(language=console_language()))
        if tag is not None:  # not under itself or its own subtree (the service checks it too)
            banned, frontier = {tag.pk}, [tag.pk]
            children = {}
            for node in nodes:
                children.setdefault(node.tag.parent_id, []).append(node.tag.pk)
            while frontier:
                for child in children.get(frontier.pop(), []):
                    banned.add(child)
                    frontier.append(child)
            nodes = [node for node in nodes if node.tag.pk not in banned]
        self.fields["parent"].choices = [("", _("(top level)"))] + [
            (node.tag.pk, ("— " * node.depth) + node.label + ("" if node.tag.active else " ✕"))
            for node in nodes
        ]
        for language in services.LABEL_LANGUAGES:
            self.fields[f"label_{language}"] = forms.CharField(
                label=_("Label (%(language)s)") % {"language": LANGUAGE_NAMES.get(language, language)},
                required=language in services.REQUIRED_LABELS,
                max_length=120,
            )

    def labels(self) -> dict:
        return {
            language: self.cleaned_data.get(f"label_{language}", "") for language in services.LABEL_LANGUAGES
        }

    def label_fields(self):
        return [self[f"label_{language}"] for language in services.LABEL_LANGUAGES]


class NewTagForm(TagForm):
    slug = forms.SlugField(
        label=_("Identifier"),
        max_length=60,
        help_text=_("Lower-case letters, digits and underscores; it cannot be changed later."),
    )

    field_order = ["slug", "parent"]


@console_view("taxonomy.view")
@require_GET
def taxonomy_page(request):
    language = console_language()
    tree = services.taxonomy_tree(language=language)
    return render(
        request,
        "console/taxonomy/tree.html",
        {
            "section": "taxonomy",
            "tree": tree,
            "version": services.taxonomy_current_version(),
            "can_edit": can(request.user, "taxonomy.edit"),
        },
    )


@console_view("taxonomy.edit")
@require_http_methods(["GET", "POST"])
def tag_new(request):
    initial = {"parent": request.GET.get("parent") or ""}
    form = NewTagForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_create(
                user=request.user,
                slug=form.cleaned_data["slug"],
                parent_id=form.cleaned_data["parent"],
                labels=form.labels(),
                huridocs_code=form.cleaned_data["huridocs_code"],
                position=form.cleaned_data["position"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("console:taxonomy")
    return render(request, "console/taxonomy/form.html", {"section": "taxonomy", "form": form, "tag": None})


@console_view("taxonomy.edit")
@require_http_methods(["GET", "POST"])
def tag_edit(request, tag_id: int):
    tag = _get_tag(tag_id)
    initial = {
        "parent": tag.parent_id or "",
        "huridocs_code": tag.huridocs_code,
        "position": tag.position,
        **{f"label_{language}": tag.labels.get(language, "") for language in services.LABEL_LANGUAGES},
    }
    form = TagForm(request.POST or None, tag=tag, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.tag_update(
                user=request.user,
                tag_id=tag.pk,
                labels=form.labels(),
                huridocs_code=form.cleaned_data["huridocs_code"],
                position=form.cleaned_data["position"],
                parent_id=form.cleaned_data["parent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("console:taxonomy")
    return render(
        request,
        "console/taxonomy/form.html",
        {"section": "taxonomy", "form": form, "tag": tag, "in_use": services.tag_usage(tag.pk)},
    )


@console_view("taxonomy.edit")
@require_POST
def tag_active(request, tag_id: int):
    tag = _get_tag(tag_id)
    services.tag_set_active(user=request.user, tag_id=tag.pk, active=request.POST.get("active") == "1")
    return redirect("console:taxonomy")


urlpatterns = [
    path("taxonomy/", taxonomy_page, name="taxonomy"),
    path("taxonomy/new/", tag_new, name="taxonomy_tag_new"),
    path("taxonomy/<int:tag_id>/edit/", tag_edit, name="taxonomy_tag_edit"),
    path("taxonomy/<int:tag_id>/active/", tag_active, name="taxonomy_tag_active"),
]
