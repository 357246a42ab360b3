"""Rate limit of the partner API: per token, never per address (no address is ever seen).

DRF's sliding window (``SimpleRateThrottle``) kept in the project's cache (Redis in production,
so every web process shares one count per token). The rate is read on each request from
``settings.EVIDENCE_API_RATE`` ("120/minute"), so tests and operators can change it.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from testimony.evidence.models import PartnerToken


class PartnerTokenRateThrottle(SimpleRateThrottle):
    # No ``scope``: DRF reads it only to look the rate up in THROTTLE_RATES, which get_rate replaces.
    cache_format = "partner-api:throttle:%(ident)s"

    def get_rate(self) -> str:
        return settings.EVIDENCE_API_RATE

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, PartnerToken):
            return None  # refused before this runs (authentication and scope come first)
        return self.cache_format % {"ident": token.pk}
