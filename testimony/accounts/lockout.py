"""django-axes hooks: lockout by account name, never by address."""

from __future__ import annotations


def no_client_ip(request) -> None:
    # Lockout needs no address, and the platform keeps none (the IP was stripped on arrival anyway).
    return None


def blank_client_metadata(sender, instance, **kwargs) -> None:
    """Before axes saves an attempt: keep no user agent or Accept header either.

    The request's user agent is stripped on arrival, but axes then writes "<unknown>" in its
    place, and the Accept header helps fingerprint a browser; lockout needs neither.
    """
    instance.user_agent = ""
    instance.http_accept = ""
