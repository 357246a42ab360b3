"""One error shape for the API: ``{"error": {"code", "message", "field"}}`` with a 4xx status."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from testimony.intake.errors import IntakeError


def _first_field(detail: object) -> tuple[str | None, str]:
    if isinstance(detail, dict):
        for key, value in detail.items():
            field, message = _first_field(value)
            return (None if key == "non_field_errors" else (field or key)), message
    if isinstance(detail, list) and detail:
        return _first_field(detail[0])
    return None, str(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, IntakeError):
        body = {"code": exc.code, "message": str(exc.message), "field": exc.field}
        if getattr(exc, "problems", None):
            body["problems"] = [{"field": p.field, "message": p.message} for p in exc.problems]
        return Response({"error": body}, status=exc.status)
    if isinstance(exc, exceptions.ValidationError):
        field, message = _first_field(exc.detail)
        return Response(
            {"error": {"code": "invalid", "message": message, "field": field, "detail": exc.detail}},
            status=400,
        )
    if isinstance(exc, exceptions.ParseError):
        return Response(
            {"error": {"code": "malformed", "message": _("The request is not valid JSON."), "field": None}},
            status=400,
        )
    response = drf_exception_handler(exc, context)
    if response is not None:
        code = getattr(exc, "default_code", "error")
        response.data = {"error": {"code": code, "message": str(getattr(exc, "detail", "")), "field": None}}
    return response
