"""People who work in the console, the organisations they belong to, and the caseloads they see.

A reviewer's reach is their organisation's caseloads, or only the caseloads listed on their
account when any are. Reports not yet routed to a caseload belong to the intake organisation.
Roles and what each may do are in ``permissions.py``; ``docs/permissions.md`` shows the matrix.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REVIEWER = "reviewer", _("Reviewer")
    COORDINATOR = "coordinator", _("Coordinator")
    CUSTODIAN = "custodian", _("Custodian")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")


class Organisation(models.Model):
    name = models.CharField(max_length=120, unique=True)
    # The organisation that runs the intake: reports not yet routed to a caseload are its to triage.
    receives_intake = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["receives_intake"],
                condition=models.Q(receives_intake=True),
                name="one_intake_organisation",
            ),
            # "Moscow" and "moscow" would be two organisations nobody can tell apart in a list.
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class Caseload(models.Model):
    """A named share of an organisation's reports (a region, a kind of case, a project)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="caseloads")
    name = models.CharField(max_length=120)
    # Archived: kept (reports and the audit log name it) but closed to new members; see
    # accounts.organisations.caseload_archive for when archiving is refused.
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(models.F("organisation"), Lower("name"), name="caseload_name_unique_ci")
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.name}"


def _new_pseudonym() -> str:
    return "R-" + secrets.token_hex(4)


class User(AbstractUser):
    """A console account. Email and names from AbstractUser stay unused: a login name is enough."""

    role = models.CharField(max_length=16, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    # Empty: the whole organisation. Otherwise only these caseloads (they must be the organisation's).
    caseloads = models.ManyToManyField(Caseload, blank=True, related_name="members")
    # What evidence packages and exports show instead of a name, in the chain of custody.
    pseudonym = models.CharField(max_length=12, unique=True, default=_new_pseudonym, editable=False)
    console_language = models.CharField(max_length=8, choices=settings.CONSOLE_LANGUAGES, default="en")
    # The one setup link that is valid for this account (services.setup_link_issue): opening it
    # needs this nonce, choosing a password clears it, and issuing a new link replaces it.
    setup_nonce = models.CharField(max_length=32, blank=True, default="", editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[choice.value for choice in Role]), name="user_role_valid"
            ),
            # Every role but administrator works inside an organisation: its reach is that
            # organisation's reports (review.selectors), and without one the account's scope would
            # be undefined. In the database, so no path (a service, a command, the shell) skips it;
            # full_clean and validate_constraints report it with this message.
            models.CheckConstraint(
                condition=models.Q(role=Role.ADMINISTRATOR) | models.Q(organisation__isnull=False),
                name="user_organisation_unless_administrator",
                violation_error_message=_("Every role but administrator needs an organisation."),
            ),
        ]

    def __str__(self) -> str:
        return self.username
