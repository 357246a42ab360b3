"""django-axes hooks: lockout by account name, never by address."""

from __future__ import annotations


def no_client_ip(request) -> None:
    # Lockout needs no address, and the platform keeps none (the IP was stripped on arrival anyway).
    return None
