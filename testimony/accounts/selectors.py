"""Reads for the account pages, and the access gate for managing another account."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimony.accounts.models import User
from testimony.accounts.permissions import require


def access_user(*, user: User, user_id, for_write: bool = False) -> User:
    """Another account, for an administrator. 403 without ``user.manage``, 404 if there is none.

    Administrators manage every account of this instance (one instance serves the intake
    organisation and its partners), so there is no further scope; ``for_write`` is accepted for
    the shape every gate has.
    """
    require(user, "user.manage")
    try:
        return User.objects.select_related("organisation").get(pk=int(user_id))
    except (User.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def setup_token_user(token: str) -> User | None:
    """The account a setup link opens, without spending it (for showing the form)."""
    from testimony.accounts.services import _setup_token_user

    return _setup_token_user(token, for_update=False)


def locked_usernames(usernames) -> set[str]:
    """Which of these account names django-axes locks out right now."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(
        username__in=list(usernames), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    )
    if settings.AXES_COOLOFF_TIME:
        since = timezone.now() - dt.timedelta(hours=settings.AXES_COOLOFF_TIME)
        attempts = attempts.filter(attempt_time__gte=since)
    return set(attempts.values_list("username", flat=True))


def users_for_admin():
    return (
        User.objects.select_related("organisation")
        .prefetch_related("caseloads")
        .order_by("organisation__name", "username")
    )


# What services used to store as every device's name, in English. The pages name each kind in the
# reader's language already, so these say nothing a person chose and are not shown.
FORMER_DEFAULT_NAMES = frozenset({"Authenticator app", "Backup codes", "Security key"})


def device_name(stored: str) -> str:
    """The name a person gave the device, or "" (then the page shows only the translated kind)."""
    return "" if stored in FORMER_DEFAULT_NAMES else stored


@dataclass(frozen=True)
class DeviceRow:
    persistent_id: str
    kind: str  # totp, key, backup
    name: str  # given by the person, or ""
    detail: str  # remaining backup codes, last use
    removable: bool


def user_devices(user: User) -> list[DeviceRow]:
    """The person's confirmed second factors, and whether each may be removed."""
    from django_otp_webauthn.models import WebAuthnCredential

    totp = list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk"))
    keys = list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk"))
    backup = list(StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk"))
    several = len(totp) + len(keys) > 1
    rows = [DeviceRow(d.persistent_id, "totp", device_name(d.name), "", several) for d in totp]
    rows += [
        DeviceRow(
            d.persistent_id, "key", device_name(d.name), str(getattr(d, "last_used_at", "") or ""), several
        )
        for d in keys
    ]
    rows += [
        DeviceRow(d.persistent_id, "backup", device_name(d.name), str(d.token_set.count()), True)
        for d in backup
    ]
    return rows


def has_confirmed_second_factor(user: User) -> bool:
    from testimony.accounts.services import primary_devices

    return bool(primary_devices(user))
