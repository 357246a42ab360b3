"""Middleware that keeps the submitter side anonymous and hard to attack."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.gzip import GZipMiddleware

from testimony.accounts.middleware import is_console_path

# Everything in a request that could identify or locate the sender.
CLIENT_METADATA_KEYS = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "REMOTE_PORT",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_VIA",
    "HTTP_X_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
)


class StripClientMetadataMiddleware:
    """Remove the client's address and user agent before any other code or log can see them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for key in CLIENT_METADATA_KEYS:
            request.META.pop(key, None)
        # Some code expects the key to exist; an empty value identifies nobody.
        request.META["REMOTE_ADDR"] = ""
        return self.get_response(request)


class SubmitterHeadersMiddleware:
    """Leave nothing in the browser's cache or history, and allow only what the pages need."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_console_path(request.path):
            return response  # the console sets its own (accounts.middleware)
        response["Cache-Control"] = "no-store, max-age=0"
        response["Pragma"] = "no-cache"
        response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        if settings.ONION_HOSTNAME and not request.get_host().endswith(".onion"):
            response["Onion-Location"] = f"http://{settings.ONION_HOSTNAME}{request.get_full_path()}"
        return response


class SameOriginPostMiddleware:
    """Refuse cross-site writes without a cookie: Sec-Fetch-Site and Origin say where a request began.

    With ``Referrer-Policy: no-referrer`` browsers send ``Origin: null`` on same-origin form
    posts, so ``null`` is accepted; a named foreign origin is not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            site = request.headers.get("Sec-Fetch-Site")
            origin = request.headers.get("Origin")
            if site in ("cross-site", "same-site"):
                return HttpResponseForbidden()
            if origin and origin != "null" and origin != f"{request.scheme}://{request.get_host()}":
                return HttpResponseForbidden()
        return self.get_response(request)


class SafeGZipMiddleware(GZipMiddleware):
    """Compress GET pages only.

    Responses to POSTs can hold a receipt or messages next to text the sender typed; compressing
    a secret together with attacker-influenced input is what the BREACH attack exploits.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return response
        return super().process_response(request, response)
