"""django-axes hooks: lockout by account name, never by address."""

from __future__ import annotations


def no_client_ip(request) -> None:
    # Lockout needs no address, and the platform keeps none (the IP was stripped on arrival anyway).
    return None


def blank_client_metadata(sender, instance, **kwargs) -> None:
    """Before axes saves an attempt: keep no user agent or Accept header either.

    The user agent is already empty on console requests (``ConsoleMiddleware``; axes matches
    its records by it, so it must be the same "" every time); the Accept header helps
    fingerprint a browser. Lockout needs neither.
    """
    instance.user_agent = ""
    instance.http_accept = ""
