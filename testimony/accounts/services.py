"""Every write to accounts: creation, setup, second factors, roles, activation, lockout.

Each service is keyword-only, runs in one transaction and writes its audit entry in it
(``audit_record``), so an account change without its audit row cannot exist. Audit details
hold ids, roles and device kinds, never passwords, secrets or codes.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from testimony.accounts.models import Caseload, Organisation, Role, User
from testimony.audit.services import audit_record

SETUP_SALT = "console.setup-link"
# A link a person has not opened in three days is more likely forgotten in a mailbox than awaited.
# (setup_link.html and docs/permissions.md say "three days" / "72 hours".)
SETUP_LINK_MAX_AGE_SECONDS = 72 * 3600
BACKUP_CODE_COUNT = 10
# Devices are stored without a name unless the person gives one (security keys): the page names
# each kind in the reader's language, so no English default ends up in the database.
# (selectors.device_name hides the English defaults that older rows were stored with.)
DEVICE_NAME_MAX = 64  # django-otp's Device.name


class AccountRefused(Exception):
    """The action is not allowed for this account (own role, last second factor, ...)."""


@dataclass(frozen=True)
class CreatedAccount:
    user: User
    setup_token: str


# --- Setup links ------------------------------------------------------------------------------


def setup_link_issue(*, user: User) -> str:
    """Give the account a new setup token; any earlier link stops working.

    Precondition: the caller is inside ``transaction.atomic`` (the token is worth nothing unless
    the nonce it names is saved).
    """
    user.setup_nonce = secrets.token_hex(16)
    user.save(update_fields=["setup_nonce"])
    return signing.dumps({"u": user.pk, "n": user.setup_nonce}, salt=SETUP_SALT)


def _setup_token_user(token: str, *, for_update: bool) -> User | None:
    try:
        data = signing.loads(token, salt=SETUP_SALT, max_age=SETUP_LINK_MAX_AGE_SECONDS)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    if not isinstance(data, dict) or not data.get("n"):
        return None
    users = User.objects.select_for_update() if for_update else User.objects
    return users.filter(pk=data.get("u"), setup_nonce=data["n"], is_active=True).first()


def setup_password_set(*, token: str, password: str) -> User:
    """Spend the setup link: the account gets its password and the link is dead from now on.

    The second factor is enrolled next, in the same browser session (views.setup_totp).
    """
    with transaction.atomic():
        user = _setup_token_user(token, for_update=True)
        if user is None:
            raise AccountRefused(_("This setup link is invalid, expired or already used."))
        user.set_password(password)
        user.setup_nonce = ""
        user.save(update_fields=["password", "setup_nonce"])
        audit_record(actor=user, action="account.setup_password", object_type="user", object_id=user.pk)
        return user


# --- Creating and changing accounts ---------------------------------------------------------------


def _check_caseloads(organisation: Organisation | None, caseloads) -> list[Caseload]:
    caseloads = list(caseloads or [])
    if any(organisation is None or c.organisation_id != organisation.pk for c in caseloads):
        raise ValidationError(_("Caseloads must belong to the account's organisation."))
    return caseloads


def _lock_caseloads(caseloads: list[Caseload]) -> dict[int, Caseload]:
    """Lock the caseload rows; return the archived ones among them, by id.

    Locked as ``organisations.caseload_archive`` and ``caseload_reopen`` lock the row they change,
    so an account cannot be put into a caseload while it is being archived: whichever comes second
    sees the other's change (an archived caseload here, a member there, which refuses the
    archiving). Caseloads are locked before the account (as ``caseload_member_add`` does) and in
    id order, so two changes never wait for each other in a circle.
    """
    ids = sorted({c.pk for c in caseloads})
    locked = Caseload.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {c.pk: c for c in locked if c.archived_at is not None}


def _refuse_archived(archived: dict[int, Caseload], *, held=frozenset()) -> None:
    """Refuse an archived caseload unless the account has it already (then it stays until an
    administrator takes it away: nothing is dropped silently, nothing archived is added)."""
    added = sorted(pk for pk in archived if pk not in held)
    if added:
        raise ValidationError(
            _("The caseload “%(name)s” is archived: reopen it before putting anyone in it.")
            % {"name": archived[added[0]].name}
        )


def scope_details(*, role: str, organisation_id: int | None, caseload_ids) -> dict:
    """An account's reach as the audit log records it: the details of ``account.create`` and the
    ``before``/``after`` of ``account.role_change`` and ``account.scope_change`` (also written by
    ``organisations``), one shape so that one reading serves them all."""
    return {"role": role, "organisation": organisation_id, "caseloads": sorted(caseload_ids)}


def user_scope(user: User) -> dict:
    """``scope_details`` of the account as stored now."""
    return scope_details(
        role=user.role,
        organisation_id=user.organisation_id,
        caseload_ids=user.caseloads.values_list("pk", flat=True),
    )


def user_create(
    *,
    actor: User | None,
    username: str,
    role: str,
    organisation: Organisation | None,
    caseloads=(),
) -> CreatedAccount:
    """A new account without a usable password, and its one-time setup link token."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    caseloads = _check_caseloads(organisation, caseloads)
    with transaction.atomic():
        _refuse_archived(_lock_caseloads(caseloads))
        user = User(username=username, role=role, organisation=organisation)
        user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
        user.caseloads.set(caseloads)
        token = setup_link_issue(user=user)
        audit_record(
            actor=actor,
            action="account.create",
            object_type="user",
            object_id=user.pk,
            details=scope_details(
                role=role,
                organisation_id=getattr(organisation, "pk", None),
                caseload_ids=[c.pk for c in caseloads],
            ),
        )
        return CreatedAccount(user=user, setup_token=token)


def user_update(
    *, actor: User, user_id: int, role: str, organisation: Organisation | None, caseloads=()
) -> User:
    """Change role, organisation and caseloads. Nobody changes their own role.

    An archived caseload is never added; one the account already has is kept while listed.
    """
    if role not in Role.values:
        raise ValidationError(_("Unknown role."))
    caseloads = _check_caseloads(organisation, caseloads)
    with transaction.atomic():
        archived = _lock_caseloads(caseloads)
        user = User.objects.select_for_update().get(pk=user_id)
        if user.pk == actor.pk and role != user.role:
            raise AccountRefused(_("You cannot change your own role."))
        before = user_scope(user)
        # The account's list is read under its lock (every change to it takes that lock).
        _refuse_archived(archived, held=frozenset(before["caseloads"]))
        after = scope_details(
            role=role,
            organisation_id=getattr(organisation, "pk", None),
            caseload_ids=[c.pk for c in caseloads],
        )
        if before == after:
            return user
        user.role = role
        user.organisation = organisation
        # The database refuses it too; this says why, as the form would (organisation required).
        user.validate_constraints()
        user.save(update_fields=["role", "organisation"])
        user.caseloads.set(caseloads)
        action = "account.role_change" if before["role"] != role else "account.scope_change"
        audit_record(
            actor=actor,
            action=action,
            object_type="user",
            object_id=user.pk,
            details={"before": before, "after": after},
        )
        return user


def user_set_active(*, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (the account's sessions stop at their next request) or reactivate an account."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.pk == actor.pk:
            raise AccountRefused(_("You cannot deactivate your own account."))
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="account.reactivate" if active else "account.deactivate",
            object_type="user",
            object_id=user.pk,
        )
        return user


def user_unlock(*, actor: User, user_id: int) -> int:
    """Clear the failed-login count that locked the account; returns how many records went."""
    from axes.utils import reset

    with transaction.atomic():
        user = User.objects.get(pk=user_id)
        removed = reset(username=user.username)
        audit_record(
            actor=actor,
            action="account.unlock",
            object_type="user",
            object_id=user.pk,
            details={"attempt_records": removed},
        )
        return removed


def user_second_factor_reset(*, actor: User, user_id: int) -> str:
    """Remove every second factor and the password; return a new setup link token.

    For a lost phone or a suspected compromise: the old password and devices are useless from
    now on (the session auth hash changes, so open sessions end), and the person sets up anew.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.pk == actor.pk:
            raise AccountRefused(_("Ask another administrator to reset your own second factor."))
        removed = _delete_all_devices(user)
        user.set_unusable_password()
        user.save(update_fields=["password"])
        token = setup_link_issue(user=user)
        audit_record(
            actor=actor,
            action="account.second_factor_reset",
            object_type="user",
            object_id=user.pk,
            details={"devices_removed": removed},
        )
        return token


def user_setup_link_reissue(*, actor: User, user_id: int) -> str:
    """A fresh setup link for an account that never finished setting up (the old one expired)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.has_usable_password():
            raise AccountRefused(_("This account is set up; reset its second factor instead."))
        token = setup_link_issue(user=user)
        audit_record(actor=actor, action="account.setup_link", object_type="user", object_id=user.pk)
        return token


# --- The person's own account ------------------------------------------------------------------


def user_password_change(*, user: User, password: str) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(actor=user, action="account.password_change", object_type="user", object_id=user.pk)


def user_language_set(*, user: User, language: str) -> None:
    if language not in dict(settings.CONSOLE_LANGUAGES):
        raise ValidationError(_("Unknown language."))
    user.console_language = language
    user.save(update_fields=["console_language"])


# --- Second factors ------------------------------------------------------------------------------


def primary_devices(user: User) -> list:
    """Confirmed authenticator apps and security keys: what a person logs in with day to day.

    Backup codes are not counted: they run out, so they must never be the only factor left.
    """
    from django_otp_webauthn.models import WebAuthnCredential

    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *WebAuthnCredential.objects.filter(user=user, confirmed=True),
    ]


def _delete_all_devices(user: User) -> int:
    from django_otp_webauthn.models import WebAuthnCredential

    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
    return removed


def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator-app device to scan; reused until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="", confirmed=False)
    return device


def totp_device_confirm(*, user: User, device_id: int, token: str) -> bool:
    """Confirm the scanned device with one code from the app. False if the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, pk=device_id).first()
        if device is None or not device.verify_token(token):
            return False
        if not device.confirmed:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit_record(
                actor=user,
                action="account.second_factor_add",
                object_type="user",
                object_id=user.pk,
                details={"kind": "totp", "device": device.persistent_id},
            )
        return True


def second_factor_verify(*, user: User, code: str):
    """The authenticator app or backup-code device that accepts ``code``, or None.

    Rows are locked while checking, so one code cannot pass twice in parallel; django-otp's own
    throttling (growing delays after failures) and TOTP replay protection apply; a backup code
    is deleted when used.
    """
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.filter(user=user, confirmed=True).select_for_update():
                if device.verify_token(code):
                    return device
    return None


def backup_codes_regenerate(*, user: User) -> list[str]:
    """Replace the backup codes with ``BACKUP_CODE_COUNT`` new single-use ones; return them once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        audit_record(
            actor=user,
            action="account.backup_codes",
            object_type="user",
            object_id=user.pk,
            details={"count": len(codes)},
        )
        return codes


def key_name_set(*, user: User, key_id: int, name: str) -> None:
    """Name one of the user's own security keys ("blue key", "spare in the safe"); "" for none.

    Keys are registered by the browser without a name (django-otp-webauthn's script sends only
    the credential); the account page sends the name the person typed right after
    (console/js/accounts.js).
    """
    from django_otp_webauthn.models import WebAuthnCredential

    name = " ".join(name.split())[:DEVICE_NAME_MAX]
    with transaction.atomic():
        key = WebAuthnCredential.objects.select_for_update().filter(user=user, pk=key_id).first()
        if key is None:
            raise AccountRefused(_("No such device."))
        if key.name == name:
            return
        key.name = name
        key.save(update_fields=["name"])
        audit_record(
            actor=user,
            action="account.second_factor_rename",
            object_type="user",
            object_id=user.pk,
            details={"kind": "key", "device": key.persistent_id},
        )


def device_remove(*, user: User, persistent_id: str) -> None:
    """Remove one of the user's own second factors, but never the last authenticator or key."""
    from django_otp.models import Device

    with transaction.atomic():
        device = Device.from_persistent_id(persistent_id, for_verify=True)
        if device is None or device.user_id != user.pk:
            raise AccountRefused(_("No such device."))
        primaries = [d.persistent_id for d in primary_devices(user)]
        if device.persistent_id in primaries and len(primaries) == 1:
            raise AccountRefused(
                _("This is your last authenticator or security key. Add another before removing it.")
            )
        kind = type(device).__name__
        device.delete()
        audit_record(
            actor=user,
            action="account.second_factor_remove",
            object_type="user",
            object_id=user.pk,
            details={"kind": kind, "device": persistent_id},
        )


# --- Command-line and demo setups ------------------------------------------------------------------


def user_offline_setup(*, user: User, password: str) -> TOTPDevice:
    """Password and a confirmed TOTP device at once, for setups without a browser link.

    The caller shows the TOTP secret to the person (``manage.py create_reviewer --totp``).
    """
    with transaction.atomic():
        user.set_password(password)
        user.setup_nonce = ""
        user.save(update_fields=["password", "setup_nonce"])
        device = TOTPDevice.objects.create(user=user, name="", confirmed=True)
        audit_record(
            actor=None,
            action="account.offline_setup",
            object_type="user",
            object_id=user.pk,
            details={"kind": "totp", "device": device.persistent_id},
        )
        return device


def login_record(*, user: User, factor: str) -> None:
    """A completed two-step login, for the audit log (which accounts worked when)."""
    with transaction.atomic():
        audit_record(
            actor=user,
            action="console.login",
            object_type="user",
            object_id=user.pk,
            details={"factor": factor},
        )
