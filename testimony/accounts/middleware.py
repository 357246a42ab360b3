"""The console's own middleware chain, applied to console paths only.

The submitter side must never get a session, a CSRF cookie or a login check (no cookies that
outlive the tab, nothing to find on a seized phone), and the console must never run without
them. So sessions, CSRF, authentication, the second factor, lockout and the idle timeout run
inside ``ConsoleMiddleware``, for paths under ``CONSOLE_PREFIX`` and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation.trans_real import parse_accept_lang_header

CONSOLE_PREFIX = "/console/"  # where config/urls.py mounts the console


def is_console_path(path: str) -> bool:
    """True for the reviewer console's URLs: the one test of which surface a request is on."""
    return path.startswith(CONSOLE_PREFIX)


# Outermost first, as in settings.MIDDLEWARE.
CONSOLE_MIDDLEWARE = [
    "testimony.accounts.middleware.ConsoleHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before axes: its lockout page must speak the console's language too.
    "testimony.accounts.middleware.ConsoleLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "axes.middleware.AxesMiddleware",
    "testimony.accounts.middleware.IdleTimeoutMiddleware",
]


class ConsoleMiddleware:
    """Route console requests through ``CONSOLE_MIDDLEWARE``; leave every other request alone.

    Django calls ``process_view`` only on middleware listed in settings, so the CSRF check
    (``CsrfViewMiddleware.process_view``) is called here, just before the view, by the
    ``ConsoleViewMiddleware`` hook that settings lists right after this one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        handler = get_response
        self.chain = []
        for path in reversed(CONSOLE_MIDDLEWARE):
            handler = import_string(path)(handler)
            self.chain.append(handler)
        self.console_handler = handler
        self.csrf = next(mw for mw in self.chain if type(mw).__name__ == "CsrfViewMiddleware")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_console_path(request.path):
            # Stripped on arrival (intake.middleware); an empty value, not a missing one, so that
            # django-axes records "" and matches its own records by it, rather than "<unknown>".
            request.META["HTTP_USER_AGENT"] = ""
            request.console_csrf = self.csrf
            return self.console_handler(request)
        return self.get_response(request)


class ConsoleViewMiddleware:
    """Runs the console chain's CSRF check on console views (see ``ConsoleMiddleware``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        csrf = getattr(request, "console_csrf", None)
        if csrf is not None:
            return csrf.process_view(request, view_func, view_args, view_kwargs)
        return None


class ConsoleHeadersMiddleware:
    """Nothing from the console in any cache; no framing; the same strict CSP as intake (settings)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store, max-age=0"
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        response["Permissions-Policy"] = settings.CONSOLE_PERMISSIONS_POLICY
        # Not "no-referrer" as on the submitter side: with it browsers send "Origin: null" on form
        # posts, which Django's CSRF check rightly refuses. Same-origin keeps the origin for our
        # own posts and still sends nothing to any other site.
        response["Referrer-Policy"] = "same-origin"
        return response


class IdleTimeoutMiddleware:
    """Log out a console session left alone for ``CONSOLE_IDLE_TIMEOUT_SECONDS``.

    Requests made by the page on its own (HTMX polling of a job's progress, marked with the
    ``X-Console-Poll`` header) do not count as activity.
    """

    KEY = "console_last_active"
    # Survives the logout (it is set in the fresh session), so the login page can say why.
    TIMED_OUT = "console_timed_out"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if request.user.is_authenticated:
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.CONSOLE_IDLE_TIMEOUT_SECONDS:
                logout(request)
                request.console_timed_out = True
                request.session[self.TIMED_OUT] = True
            elif "X-Console-Poll" not in request.headers:
                request.session[self.KEY] = now
        return self.get_response(request)


def _accepted_console_language(request: HttpRequest) -> str:
    """Before login: the browser's first preference the console speaks, else English.

    Not ``get_language_from_request``: it falls back to the submitter side's default (Russian).
    """
    console = dict(settings.CONSOLE_LANGUAGES)
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        primary = code.split("-")[0].lower()
        if primary in console:
            return primary
    return "en"


class ConsoleLanguageMiddleware:
    """The console speaks the language chosen on the account (English or Russian)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = getattr(request.user, "console_language", None) or _accepted_console_language(request)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
            response.headers.setdefault("Content-Language", language)
            return response
