"""The partner API, read-only: aggregated counts and cases of the organisation that issued the token.

Every view: bearer token (``authentication``), the token's scope for that view, a rate limit per
token (``throttling``), and an audit entry for each read, made as the token (its id, never
anything about the caller's connection). Aggregates always pass disclosure control at the
partner destination; cases carry only the partner field set of ``evidence.fields``.
"""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from testimony.audit.services import audit_record_now
from testimony.evidence import aggregates, serializers
from testimony.evidence.authentication import HasTokenScope, PartnerTokenAuthentication
from testimony.evidence.models import PartnerToken
from testimony.evidence.services import partners as services
from testimony.evidence.throttling import PartnerTokenRateThrottle
from testimony.review.models import Case

_ERROR = serializers.ErrorOutput
REFUSALS = {
    400: OpenApiResponse(_ERROR, description="A parameter is not valid."),
    401: OpenApiResponse(_ERROR, description="No token, or an unknown, revoked or expired one."),
    403: OpenApiResponse(_ERROR, description="The token lacks this endpoint's scope."),
    429: OpenApiResponse(_ERROR, description="Too many requests with this token; see Retry-After."),
}
NOT_FOUND = {404: OpenApiResponse(_ERROR, description="No such case for this token, or a spent cursor.")}


class PartnerApi(APIView):
    """What every partner endpoint shares. Subclasses name ``required_scope``."""

    authentication_classes = [PartnerTokenAuthentication]
    permission_classes = [HasTokenScope]
    throttle_classes = [PartnerTokenRateThrottle]
    required_scope: str = ""

    def audit_read(self, *, action: str, object_type: str = "", object_id: object = "", **details) -> None:
        token: PartnerToken = self.request.auth
        audit_record_now(
            actor=self.request.user,  # services.TokenPrincipal: named after the token, no account
            action=action,
            object_type=object_type,
            object_id=object_id,
            details={"token": token.pk, **details},
        )


class PartnerCursorPagination(CursorPagination):
    """Newest case first; a cursor names a position, so pages stay right while cases are added."""

    ordering = ("-id",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(n)d.") % {"n": self.max_page_size}
                    ]
                }
            )
        return int(raw)

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        # The position is an id: anything else (a hand-made cursor) would reach the database
        # as a comparison with a string and fail there.
        if cursor is not None and cursor.position is not None and not str(cursor.position).isdigit():
            raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class CaseListApi(PartnerApi, generics.ListAPIView):
    required_scope = PartnerToken.Scope.CASES
    serializer_class = serializers.PartnerCaseOutput
    pagination_class = PartnerCursorPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the view's shape
            return Case.objects.none()
        filters = serializers.CaseFiltersInput(data=serializers.query_data(self.request.query_params))
        filters.is_valid(raise_exception=True)
        self.filters = filters.validated_data
        return services.partner_cases(principal=self.request.user, filters=self.filters)

    @extend_schema(
        parameters=[serializers.CaseFiltersInput],
        responses={200: serializers.PartnerCaseOutput(many=True), **REFUSALS, **NOT_FOUND},
        summary="The organisation's cases (partner fields only), newest first",
        description=(
            "Needs the `cases:read` scope. Cursor pagination: follow `next` until it is null; "
            "each case appears exactly once. Filters combine (all must hold)."
        ),
    )
    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        context = services.partner_case_context()
        rows = [services.partner_case_row(case, context) for case in page]
        self.audit_read(
            action="partner_api.cases",
            object_type="case",
            filters=self.filters,
            cases=[case.pk for case in page],
        )
        return self.get_paginated_response(serializers.PartnerCaseOutput(rows, many=True).data)


class CaseDetailApi(PartnerApi):
    required_scope = PartnerToken.Scope.CASES

    @extend_schema(
        parameters=[OpenApiParameter("case_id", int, OpenApiParameter.PATH, description="The case's id.")],
        responses={200: serializers.PartnerCaseOutput, **REFUSALS, **NOT_FOUND},
        summary="One case (partner fields only)",
        description="Needs the `cases:read` scope. A case of another organisation is not found.",
    )
    def get(self, request: Request, case_id: str) -> Response:
        case = None
        if case_id.isdigit() and len(case_id) < 19:  # any text is routed here, for a JSON 404
            case = services.partner_cases(principal=request.user, filters={}).filter(pk=int(case_id)).first()
        if case is None:
            raise exceptions.NotFound(_("No such case."))
        row = services.partner_case_row(case, services.partner_case_context())
        self.audit_read(action="partner_api.case", object_type="case", object_id=case.pk)
        return Response(serializers.PartnerCaseOutput(row).data)


class AggregateCountApi(PartnerApi):
    required_scope = PartnerToken.Scope.AGGREGATES

    @extend_schema(
        parameters=[serializers.AggregateQueryInput],
        responses={200: serializers.AggregateTableOutput, **REFUSALS},
        summary="Counts of verified reports by one or two dimensions, after disclosure control",
        description=(
            "Needs the `aggregates:read` scope. Counts the organisation's verified reports. Every "
            "table passes disclosure control for partners: places no finer than the region, times "
            "no finer than the month (coarser if so configured), no published count under k, and "
            "further cells hidden so that none can be worked out from the totals. `disclosure` "
            "says what was applied; a suppressed cell has a null count and is listed in "
            "`suppressed_cells`. Cells that are zero are left out."
        ),
    )
    def get(self, request: Request) -> Response:
        query = serializers.AggregateQueryInput(data=serializers.query_data(request.query_params))
        query.is_valid(raise_exception=True)
        rows, columns = query.validated_data["rows"], query.validated_data.get("columns")
        filters = query.evidence_filters()
        stated = filters.to_json()
        if "tag" in query.validated_data:  # as asked: EvidenceFilters drops a tag it does not know
            stated["tag"] = query.validated_data["tag"]
        reports = aggregates.evidence_reports(request.user)
        if query.unknown_tag():
            reports = reports.none()  # no report carries it (the aggregates count .none() as nothing)
        try:
            table = aggregates.published_table(
                reports=reports,
                filters=filters,
                rows=rows,
                columns=columns,
                destination="partner",
            )
        except ValueError:  # e.g. month by quarter when partners get quarters only
            message = _(
                "At the units partners receive, %(rows)s and %(columns)s are the same; choose other columns."
            ) % {"rows": rows, "columns": columns}
            raise exceptions.ValidationError({"columns": [message]}) from None
        body = _table_body(table, filters=stated, language=get_language() or "en")
        self.audit_read(
            action="partner_api.aggregates",
            object_type="aggregate",
            rows=rows,
            columns=columns,
            filters=stated,
            disclosure=table.record(),
        )
        return Response(serializers.AggregateTableOutput(body).data)


def _table_body(table, *, filters: dict, language: str) -> dict:
    """A ``ProtectedTable`` as the response states it: cells, margins, and what was applied."""

    row_labels = aggregates.dimension_labels(
        table.rows, {row for row, _column in table.cells} | set(table.row_totals), language
    )
    column_labels = (
        aggregates.dimension_labels(
            table.columns, {column for _row, column in table.cells} | set(table.column_totals), language
        )
        if table.columns
        else {}
    )

    two_way = table.columns is not None
    cells, suppressed = [], []
    for (row, column), count in sorted(table.cells.items()):
        cells.append(
            {
                "row": row,
                "row_label": row_labels[row],
                "column": column if two_way else None,
                "column_label": column_labels[column] if two_way else None,
                "count": count,
                "suppressed": count is None,
            }
        )
        if count is None:
            suppressed.append([row, column if two_way else None])
    return {
        "rows": table.rows,
        "columns": table.columns,
        "filters": filters,
        "disclosure": table.record(),
        "cells": cells,
        "suppressed_cells": suppressed,
        "row_totals": [
            {"key": key, "label": row_labels[key], "count": count}
            for key, count in sorted(table.row_totals.items())
        ],
        "column_totals": [
            {"key": key, "label": column_labels[key], "count": count}
            for key, count in sorted(table.column_totals.items())
        ],
        "total": table.total,
    }
