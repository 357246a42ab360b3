"""The one way into a console view: logged in, second factor verified, role allowed.

Every console URL's view is wrapped by ``console_view`` (or ``console_public`` for the login
steps); the access-matrix test checks that no console URL escapes, and reads the action each
view requires from the wrapper.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from testimony.accounts.permissions import PERMISSIONS, can


def is_console_user(user) -> bool:
    """Logged in with a password and a verified second factor (django-otp's ``is_verified``)."""
    return bool(user.is_authenticated and user.is_active and user.is_verified())


def console_view(action: str | None) -> Callable:
    """Require a verified login and, unless ``action`` is None (any console user), that permission."""
    if action is not None and action not in PERMISSIONS:
        raise ValueError(f"unknown action {action!r}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def gated(request, *args, **kwargs):
            if not is_console_user(request.user):
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if action is not None and not can(request.user, action):
                raise PermissionDenied(action)
            return view(request, *args, **kwargs)

        gated.console_action = action
        return gated

    return decorate


def console_public(view: Callable) -> Callable:
    """Mark a console view that must work before login (the login steps themselves)."""
    view.console_public = True
    return view
