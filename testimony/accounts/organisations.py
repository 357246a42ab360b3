"""Every write to organisations, caseloads and who belongs to them: the console's organisation
pages, and the commands that set up accounts (``*_ensure`` for ``create_reviewer``).

Each service is keyword-only, runs in one transaction and writes its audit entry in it. The
rules held here, whatever the caller:

- Names are unique within their parent, regardless of case: organisations within the instance,
  caseloads within their organisation (database constraints guard it; ``NameTaken`` says so).
- A caseload belongs to one organisation for good: nothing here moves it, so reports routed to
  it and accounts limited to it never cross into another organisation.
- An account is put only into caseloads of its own organisation, and never into an archived one.
- Archiving is refused while the caseload still routes reports or limits accounts. Moving the
  reports is routing (``report.assign``, a coordinator's work), which administrators may not
  do; and taking the caseload away from an account limited to it alone would widen that
  account to the whole organisation. So nothing is moved or widened silently: the page says
  what is left in the caseload and who must act.
- Taking an account out of its last caseload is refused for reviewers for the same reason (an
  empty list means the whole organisation); the account page changes scope deliberately.

Names are typed by a person, so the audit log holds them sealed (``sealed_detail``); scope
changes of an account are written as ``services.user_update`` writes them
(``account.scope_change``, ``before``/``after`` from ``services.user_scope``), so one filter
finds them all.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from testimony.accounts.models import Caseload, Organisation, Role, User
from testimony.accounts.services import user_scope
from testimony.audit.services import audit_record, sealed_detail

NAME_MAX_LENGTH = 120  # the models' max_length
# Joiners are part of correct spelling in Persian and other scripts; other format characters
# (bidirectional overrides, zero-width spaces) only disguise a name as another one.
_ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}


class OrganisationRefused(Exception):
    """The change breaks a rule of this module; the message says which and what to do instead."""


class NameTaken(ValidationError):
    pass


def clean_name(value: str) -> str:
    """The name as it is stored: spaces collapsed; refused if empty, too long, or disguised."""
    name = " ".join(str(value).split())
    if not name:
        raise ValidationError(_("Enter a name."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(_("At most %(limit)d characters, please.") % {"limit": NAME_MAX_LENGTH})
    for character in name:
        category = unicodedata.category(character)
        if category == "Cc" or (category == "Cf" and character not in _ALLOWED_FORMAT_CHARACTERS):
            raise ValidationError(_("Names cannot contain control or invisible formatting characters."))
    return name


def _name_context(kind: str, pk: int) -> str:
    return f"audit.{kind}_name:{pk}"


def _save_named(instance, *, taken: str, update_fields: list[str] | None = None) -> None:
    """Save; the name constraint's refusal becomes ``NameTaken(taken)``.

    The inner atomic block is a savepoint, so the caller's transaction stays usable.
    """
    try:
        with transaction.atomic():
            if update_fields is None:
                instance.save(force_insert=True)
            else:
                instance.save(update_fields=update_fields)
    except IntegrityError:
        raise NameTaken(taken) from None


# --- Organisations ----------------------------------------------------------------------------------


def organisation_create(*, actor: User | None, name: str, receives_intake: bool = False) -> Organisation:
    """A new organisation. The console never makes one receive intake (that decides who sees
    every unrouted report, so it stays a deliberate command-line setting: ``organisation_ensure``
    for ``load_demo_accounts``)."""
    name = clean_name(name)
    with transaction.atomic():
        organisation = Organisation(name=name, receives_intake=receives_intake)
        _save_named(organisation, taken=_("An organisation with this name exists."))
        audit_record(
            actor=actor,
            action="organisation.create",
            object_type="organisation",
            object_id=organisation.pk,
            details={
                "receives_intake": receives_intake,
                "name": sealed_detail(name, context=_name_context("organisation", organisation.pk)),
            },
        )
        return organisation


def organisation_ensure(*, name: str, receives_intake: bool = False) -> Organisation:
    """The organisation of that name whatever its case, created if missing (for commands, not the
    console); ``receives_intake`` applies only to one created here."""
    name = clean_name(name)
    with transaction.atomic():
        existing = Organisation.objects.filter(name__iexact=name).first()
        if existing is not None:
            return existing
        return organisation_create(actor=None, name=name, receives_intake=receives_intake)


def organisation_rename(*, actor: User, organisation_id: int, name: str) -> Organisation:
    name = clean_name(name)
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation_id)
        before = organisation.name
        if name == before:
            return organisation
        organisation.name = name
        _save_named(organisation, taken=_("An organisation with this name exists."), update_fields=["name"])
        context = _name_context("organisation", organisation.pk)
        audit_record(
            actor=actor,
            action="organisation.rename",
            object_type="organisation",
            object_id=organisation.pk,
            details={
                "before": sealed_detail(before, context=context),
                "after": sealed_detail(name, context=context),
            },
        )
        return organisation


# --- Caseloads ----------------------------------------------------------------------------------------


def caseload_create(*, actor: User | None, organisation_id: int, name: str) -> Caseload:
    name = clean_name(name)
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=organisation_id)
        caseload = Caseload(organisation=organisation, name=name)
        _save_named(caseload, taken=_("This organisation already has a caseload with this name."))
        audit_record(
            actor=actor,
            action="caseload.create",
            object_type="caseload",
            object_id=caseload.pk,
            details={
                "organisation": organisation.pk,
                "name": sealed_detail(name, context=_name_context("caseload", caseload.pk)),
            },
        )
        return caseload


def caseload_ensure(*, organisation: Organisation, name: str) -> Caseload:
    """The organisation's caseload of that name whatever its case, created if missing (for
    commands); archived ones included (``services.user_create`` then refuses to put anyone in it)."""
    name = clean_name(name)
    with transaction.atomic():
        existing = Caseload.objects.filter(organisation=organisation, name__iexact=name).first()
        if existing is not None:
            return existing
        return caseload_create(actor=None, organisation_id=organisation.pk, name=name)


def caseload_rename(*, actor: User, caseload_id: int, name: str) -> Caseload:
    """A new name; the organisation stays (a caseload never moves to another one)."""
    name = clean_name(name)
    with transaction.atomic():
        caseload = Caseload.objects.select_for_update().get(pk=caseload_id)
        before = caseload.name
        if name == before:
            return caseload
        caseload.name = name
        _save_named(
            caseload,
            taken=_("This organisation already has a caseload with this name."),
            update_fields=["name"],
        )
        context = _name_context("caseload", caseload.pk)
        audit_record(
            actor=actor,
            action="caseload.rename",
            object_type="caseload",
            object_id=caseload.pk,
            details={
                "organisation": caseload.organisation_id,
                "before": sealed_detail(before, context=context),
                "after": sealed_detail(name, context=context),
            },
        )
        return caseload


def caseload_archive(*, actor: User, caseload_id: int) -> Caseload:
    """Close the caseload to new members. Refused while it routes reports or limits accounts.

    The caseload row is locked first, as ``caseload_member_add`` does, so an account cannot be
    put into it while it is being archived.
    """
    with transaction.atomic():
        caseload = Caseload.objects.select_for_update().get(pk=caseload_id)
        if caseload.archived_at is not None:
            return caseload
        reports = caseload.reports.count()
        if reports:
            raise OrganisationRefused(
                ngettext(
                    "This caseload still routes %(count)d report. A coordinator must route it to "
                    "another caseload first; archiving never moves or drops reports.",
                    "This caseload still routes %(count)d reports. A coordinator must route them to "
                    "another caseload first; archiving never moves or drops reports.",
                    reports,
                )
                % {"count": reports}
            )
        members = caseload.members.count()
        if members:
            raise OrganisationRefused(
                ngettext(
                    "%(count)d account is still limited to this caseload. Take it out of it first, "
                    "so that nobody's reach changes without you deciding it.",
                    "%(count)d accounts are still limited to this caseload. Take them out of it "
                    "first, so that nobody's reach changes without you deciding it.",
                    members,
                )
                % {"count": members}
            )
        caseload.archived_at = timezone.now()
        caseload.save(update_fields=["archived_at"])
        audit_record(
            actor=actor,
            action="caseload.archive",
            object_type="caseload",
            object_id=caseload.pk,
            details={"organisation": caseload.organisation_id},
        )
        return caseload


def caseload_reopen(*, actor: User, caseload_id: int) -> Caseload:
    with transaction.atomic():
        caseload = Caseload.objects.select_for_update().get(pk=caseload_id)
        if caseload.archived_at is None:
            return caseload
        caseload.archived_at = None
        caseload.save(update_fields=["archived_at"])
        audit_record(
            actor=actor,
            action="caseload.reopen",
            object_type="caseload",
            object_id=caseload.pk,
            details={"organisation": caseload.organisation_id},
        )
        return caseload


# --- Who belongs where ----------------------------------------------------------------------------------


def _audit_scope_change(*, actor: User, user: User, before: dict) -> None:
    audit_record(
        actor=actor,
        action="account.scope_change",
        object_type="user",
        object_id=user.pk,
        details={"before": before, "after": user_scope(user)},
    )


def organisation_member_add(*, actor: User, organisation_id: int, user_id: int) -> User:
    """Move the account into this organisation.

    Its caseloads belong to the organisation it leaves, so they are taken away (the audit row
    lists them): the account then has the new organisation's whole reach until it is put into
    caseloads there.
    """
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=organisation_id)
        user = User.objects.select_for_update().get(pk=user_id)
        if user.organisation_id == organisation.pk:
            return user
        before = user_scope(user)
        user.organisation = organisation
        user.save(update_fields=["organisation"])
        user.caseloads.clear()
        _audit_scope_change(actor=actor, user=user, before=before)
        return user


def caseload_member_add(*, actor: User, caseload_id: int, user_id: int) -> User:
    """Put the account into the caseload: only an account of the caseload's organisation, and
    only while the caseload is open."""
    with transaction.atomic():
        caseload = Caseload.objects.select_for_update().get(pk=caseload_id)
        user = User.objects.select_for_update().get(pk=user_id)
        if caseload.archived_at is not None:
            raise OrganisationRefused(_("This caseload is archived: reopen it before putting anyone in it."))
        if user.organisation_id != caseload.organisation_id:
            raise OrganisationRefused(
                _("%(user)s is not in this caseload's organisation; move the account there first.")
                % {"user": user.username}
            )
        if user.caseloads.filter(pk=caseload.pk).exists():
            return user
        before = user_scope(user)
        user.caseloads.add(caseload)
        _audit_scope_change(actor=actor, user=user, before=before)
        return user


def caseload_member_remove(*, actor: User, caseload_id: int, user_id: int) -> User:
    """Take the account out of the caseload, unless that would widen a reviewer's reach."""
    with transaction.atomic():
        caseload = Caseload.objects.select_for_update().get(pk=caseload_id)
        user = User.objects.select_for_update().get(pk=user_id)
        listed = list(user.caseloads.values_list("pk", flat=True))
        if caseload.pk not in listed:
            return user
        # Only reviewers are limited by their caseloads (review.selectors._report_scope), so only
        # for them does an empty list mean more: the whole organisation.
        if user.role == Role.REVIEWER and listed == [caseload.pk]:
            raise OrganisationRefused(
                _(
                    "This is the only caseload %(user)s is limited to: taking it away would let them "
                    "see the whole organisation. Put them into another caseload first, or change "
                    "their scope on the account page."
                )
                % {"user": user.username}
            )
        before = user_scope(user)
        user.caseloads.remove(caseload)
        _audit_scope_change(actor=actor, user=user, before=before)
        return user
