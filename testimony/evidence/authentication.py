"""The partner API's door: ``Authorization: Bearer <token>``, then a scope per view.

Refusals use the API's one error shape (``intake.api_errors``): 401 with a ``WWW-Authenticate``
challenge when the token is missing, unknown, revoked or expired; 403 when the token lacks the
view's scope. Nothing about the caller (address, user agent) is looked at or kept: the token is
who they are, and the day of its last use is all that is noted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission

from testimony.evidence.models import PartnerToken
from testimony.evidence.services import partners as services

REALM = "partner-api"


class TokenMissing(exceptions.NotAuthenticated):
    default_detail = _("Send the partner token as “Authorization: Bearer <token>”.")
    default_code = "token_missing"


class TokenMalformed(exceptions.AuthenticationFailed):
    default_detail = _("The Authorization header must be “Bearer” followed by one token.")
    default_code = "token_malformed"


class TokenUnknown(exceptions.AuthenticationFailed):
    default_detail = _("This token is not known.")
    default_code = "token_unknown"


class TokenRevoked(exceptions.AuthenticationFailed):
    default_detail = _("This token has been revoked.")
    default_code = "token_revoked"


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = _("This token has expired; ask the organisation that issued it for a new one.")
    default_code = "token_expired"


class ScopeMissing(exceptions.PermissionDenied):
    default_detail = _("This token does not have the scope this endpoint needs.")
    default_code = "scope_missing"


_REFUSALS = {"unknown": TokenUnknown, "revoked": TokenRevoked, "expired": TokenExpired}


class PartnerTokenAuthentication(BaseAuthentication):
    """Bearer tokens of ``evidence.PartnerToken``; ``request.auth`` is the token."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header:
            return None  # the permission answers 401 (TokenMissing)
        if header[0].lower() != self.keyword or len(header) != 2:
            raise TokenMalformed()
        try:
            plaintext = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise TokenMalformed() from None
        try:
            token = services.token_check(plaintext)
        except services.TokenRefused as refused:
            raise _REFUSALS[refused.code]() from None
        services.partner_token_touch(token=token)
        return services.token_principal(token), token

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) to a missing or refused token.
        return f'Bearer realm="{REALM}"'


class HasTokenScope(BasePermission):
    """The view's ``required_scope`` must be among the token's scopes."""

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if not isinstance(token, PartnerToken):
            raise TokenMissing()
        if view.required_scope not in token.scopes:
            raise ScopeMissing()
        return True


class PartnerTokenScheme(OpenApiAuthenticationExtension):
    """The schema's security scheme for ``PartnerTokenAuthentication`` (drf-spectacular)."""

    target_class = PartnerTokenAuthentication
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A partner token issued by the organisation whose data it reads "
                "(console → Evidence → Partner tokens, or `manage.py create_partner_token`). "
                "Each token has scopes (`aggregates:read`, `cases:read`) and an expiry."
            ),
        }
