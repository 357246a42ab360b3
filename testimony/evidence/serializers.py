"""Shapes of the partner API (input and output only; what is allowed out is decided elsewhere).

Cases go out with the partner field set of ``evidence.fields`` only (the same rule as partner
exports: months, never days; region, never a city; no free text). Aggregates go out as
``aggregates.published_table`` protected them, with what was applied.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from testimony.evidence import aggregates, fields
from testimony.intake.choices import COUNTRIES, KINDS, PERPETRATORS
from testimony.review.models import Tag

MONTH = re.compile(r"^(?!0000)\d{4}-(0[1-9]|1[0-2])$")  # year 0 is no date
MONTH_HELP = _("A month, YYYY-MM.")


class MonthField(serializers.RegexField):
    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", MONTH_HELP)
        kwargs.setdefault("max_length", 7)
        super().__init__(MONTH, **kwargs)


class RegionField(serializers.RegexField):
    """A GeoNames admin-1 id ("RU.48", "KZ.ALA"), the form ``aggregates.EvidenceFilters`` keeps."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(r"^[A-Z]{2}\.[0-9A-Z]{1,6}$", **kwargs)


# --- Errors (the shape of intake.api_errors, for the schema) -------------------------------------


class ErrorDetail(serializers.Serializer):
    code = serializers.CharField(help_text=_("A stable code, e.g. token_expired, scope_missing, invalid."))
    message = serializers.CharField(help_text=_("What went wrong, in words."))
    field = serializers.CharField(allow_null=True, help_text=_("The parameter at fault, if one is."))


class ErrorOutput(serializers.Serializer):
    error = ErrorDetail()


# --- Cases ---------------------------------------------------------------------------------------


class QueryInput(serializers.Serializer):
    """Query parameters, strictly: a parameter the endpoint does not know is refused by name.

    A misspelt filter (``?regoin=RU.48``) would otherwise be ignored, and the answer would
    quietly cover more than the partner asked for.
    """

    also_known: tuple[str, ...] = ()  # read by something else (the paginator)

    def to_internal_value(self, data):
        unknown = sorted(set(data) - set(self.fields) - set(self.also_known))
        if unknown:
            raise serializers.ValidationError({unknown[0]: [_("This parameter is not known here.")]})
        return super().to_internal_value(data)


class CaseFiltersInput(QueryInput):
    also_known = ("cursor", "page_size")

    month_from = MonthField(required=False, help_text=_("Cases whose period ends in or after this month."))
    month_to = MonthField(required=False, help_text=_("Cases whose period begins in or before this month."))
    country = serializers.ChoiceField(
        choices=[code for code, _label in COUNTRIES],
        required=False,
        help_text=_("Country of the case's place or of one of its reports."),
    )
    region = RegionField(
        required=False,
        help_text=_("GeoNames admin-1 id of a region one of the case's reports is about, e.g. RU.48."),
    )
    kind = serializers.ChoiceField(
        choices=[code for code, _label in KINDS],
        required=False,
        help_text=_("What one of the case's reports is about."),
    )
    tag = serializers.SlugField(
        max_length=60,
        required=False,
        help_text=_("A taxonomy tag on the case or accepted on one of its reports."),
    )

    def validate(self, attrs: dict) -> dict:
        return _ordered_months(attrs)


def _ordered_months(attrs: dict) -> dict:
    """A reversed month range is read the other way round, as the dashboard reads it."""
    if attrs.get("month_from") and attrs.get("month_to") and attrs["month_from"] > attrs["month_to"]:
        attrs["month_from"], attrs["month_to"] = attrs["month_to"], attrs["month_from"]
    return attrs


def query_data(query_params) -> dict:
    """Query parameters as plain data, so that ``?tag=`` is a blank tag (refused), not no tag.

    (DRF reads a form-like ``QueryDict`` leniently: an empty optional field counts as absent.
    A parameter given twice counts once, with its last value.)
    """
    return query_params.dict()


# Field types of ``evidence.fields`` as DRF fields, so the schema states each partner field's type.
_FIELD_TYPES = {
    fields.STRING: lambda: serializers.CharField(allow_blank=True),
    fields.CODE: lambda: serializers.CharField(allow_blank=True),
    fields.DATE: lambda: serializers.CharField(allow_blank=True),
    fields.MONTH: lambda: serializers.CharField(allow_blank=True),
    fields.INTEGER: lambda: serializers.IntegerField(allow_null=True),
    fields.NUMBER: lambda: serializers.FloatField(allow_null=True),
    fields.BOOLEAN: lambda: serializers.BooleanField(),
    fields.CODES: lambda: serializers.ListField(child=serializers.CharField()),
    fields.STRINGS: lambda: serializers.ListField(child=serializers.CharField()),
    fields.INTEGERS: lambda: serializers.ListField(child=serializers.IntegerField()),
}


class PartnerCaseOutput(serializers.Serializer):
    """A case as a partner sees it: the partner case fields of ``evidence.fields``, nothing more.

    The instance is the row that rule made (``services.partners.partner_case_row``); the fields
    here give it its shape in the schema, with each field's description from the same table.
    """

    def get_fields(self) -> dict:
        shaped = {}
        for field in fields.fields_for(level=fields.CASES, destination=fields.PARTNER):
            drf_field = _FIELD_TYPES[field.type]()
            drf_field.help_text = field.description
            shaped[field.name] = drf_field
        return shaped


# --- Aggregates ----------------------------------------------------------------------------------


# Partners count verified reports only, so a table by review state would say nothing.
PARTNER_DIMENSIONS = tuple(dimension for dimension in aggregates.DIMENSIONS if dimension != "state")


class AggregateQueryInput(QueryInput):
    """A table's dimensions and the dashboard's filters (``aggregates.EvidenceFilters``), strictly.

    The dashboard drops a filter it does not understand; an API client is told instead (400), so
    that a typo never silently widens what is counted.
    """

    rows = serializers.ChoiceField(choices=PARTNER_DIMENSIONS, help_text=_("What the rows count by."))
    columns = serializers.ChoiceField(
        choices=PARTNER_DIMENSIONS,
        required=False,
        help_text=_(
            "What the columns count by (a two-way table); the rows' dimension gives a one-way table."
        ),
    )
    kind = serializers.ChoiceField(choices=[c for c, _l in KINDS], required=False)
    tag = serializers.SlugField(max_length=60, required=False, help_text=_("A tag; its sub-tags match too."))
    region = RegionField(required=False, help_text=_("GeoNames admin-1 id, e.g. RU.48."))
    country = serializers.ChoiceField(
        choices=[c for c, _l in COUNTRIES], required=False, help_text=_("Where the events happened.")
    )
    nationality = serializers.ChoiceField(
        choices=[c for c, _l in COUNTRIES], required=False, help_text=_("The submitter's citizenship.")
    )
    perpetrator = serializers.ChoiceField(choices=[c for c, _l in PERPETRATORS], required=False)
    month_from = MonthField(required=False, help_text=_("Events in or after this month."))
    month_to = MonthField(required=False, help_text=_("Events in or before this month."))

    def validate(self, attrs: dict) -> dict:
        if attrs.get("columns") == attrs["rows"]:
            del attrs["columns"]  # a table by kind and kind is the table by kind
        return _ordered_months(attrs)

    def evidence_filters(self) -> aggregates.EvidenceFilters:
        """The validated filters, on verified reports only (what a partner may count)."""
        data = {key: value for key, value in self.validated_data.items() if key not in ("rows", "columns")}
        return aggregates.EvidenceFilters.from_json({**data, "states": list(aggregates.DEFAULT_STATES)})

    def unknown_tag(self) -> bool:
        """A tag no report can carry. ``EvidenceFilters`` drops such a tag, which would count
        every report; the API counts none instead."""
        tag = self.validated_data.get("tag")
        return bool(tag) and not Tag.objects.filter(slug=tag).exists()


class AggregateCellOutput(serializers.Serializer):
    row = serializers.CharField(help_text=_("The row's key, e.g. RU.48 for a region."))
    row_label = serializers.CharField()
    column = serializers.CharField(allow_null=True, help_text=_("The column's key; null in a one-way table."))
    column_label = serializers.CharField(allow_null=True)
    count = serializers.IntegerField(allow_null=True, help_text=_("Null when suppressed."))
    suppressed = serializers.BooleanField()


class AggregateTotalOutput(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(allow_null=True, help_text=_("Null when suppressed."))


class DisclosureOutput(serializers.Serializer):
    """``ProtectedTable.record()``: what disclosure control applied to this table."""

    destination = serializers.CharField(help_text=_("Always “partner” here."))
    k = serializers.IntegerField(help_text=_("No published count is below this (0 cells are left out)."))
    place = serializers.CharField(help_text=_("Finest place unit published: region or country."))
    time = serializers.CharField(help_text=_("Finest time unit published: month, quarter or year."))
    method = serializers.CharField(help_text=_("Name and version of the suppression method."))
    primary_suppressed = serializers.IntegerField(help_text=_("Cells suppressed for being under k."))
    secondary_suppressed = serializers.IntegerField(
        help_text=_("Cells suppressed so that the first ones cannot be worked out from totals.")
    )


class AggregateTableOutput(serializers.Serializer):
    rows = serializers.CharField(help_text=_("The row dimension."))
    columns = serializers.CharField(allow_null=True, help_text=_("The column dimension, if any."))
    filters = serializers.DictField(help_text=_("The filters applied."))
    disclosure = DisclosureOutput()
    cells = AggregateCellOutput(many=True, help_text=_("Non-zero cells; suppressed ones have a null count."))
    suppressed_cells = serializers.ListField(
        child=serializers.ListField(child=serializers.CharField(allow_null=True)),
        help_text=_("[row, column] of every suppressed cell."),
    )
    row_totals = AggregateTotalOutput(many=True)
    column_totals = AggregateTotalOutput(many=True)
    total = serializers.IntegerField(allow_null=True)
