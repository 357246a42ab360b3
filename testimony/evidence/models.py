"""What the evidence side keeps: export jobs (files and packages) and partner API tokens.

Export files hold only what the destination's field rules allow, are written under a temporary
name and renamed when complete, and are deleted when their download link expires.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Destination(models.TextChoices):
    """Who an output is for; decides the disclosure-control threshold and the fields allowed."""

    INTERNAL = "internal", _("Our organisation")
    PARTNER = "partner", _("A partner organisation")
    PUBLIC = "public", _("Publication")


class ExportJob(models.Model):
    class Level(models.TextChoices):
        REPORTS = "reports", _("One row per report")
        CASES = "cases", _("One row per case")
        AGGREGATE = "aggregate", _("Aggregated counts")
        PACKAGE = "package", _("Signed evidence package")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"
        JSON = "json", "JSON"
        GEOJSON = "geojson", "GeoJSON"
        HXL = "hxl", _("HXL-tagged CSV")
        ZIP = "zip", _("ZIP (evidence package)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    destination = models.CharField(max_length=10, choices=Destination.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    format = models.CharField(max_length=10, choices=Format.choices)
    # What was asked: the queue's filters (review.filters.QueueFilters.to_json), and for
    # aggregates the dimensions; for a package the case or the selected report ids.
    parameters = models.JSONField(default=dict)
    # What was applied, recorded with the output: k, coarsening, field set, taxonomy version.
    disclosure = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveBigIntegerField(default=0)
    rows_total = models.PositiveBigIntegerField(null=True, blank=True)
    # The finished file, relative to settings.EVIDENCE_EXPORT_DIR; its size and SHA-256.
    file_name = models.CharField(max_length=200, blank=True, default="")
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, default="")
    failure_reason = models.CharField(max_length=40, blank=True, default="")  # a code, never data
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="export_expiry")]

    def __str__(self) -> str:
        return f"export {self.id} ({self.level}, {self.format})"


class PartnerToken(models.Model):
    """A partner organisation's key to the read-only API: scoped, expiring, revocable.

    Only a SHA-256 of the token is stored; the token is shown once, when it is created.
    ``organisation`` is whose data the token reads; ``partner`` names who holds it.
    """

    class Scope(models.TextChoices):
        AGGREGATES = "aggregates:read", _("Aggregated counts")
        CASES = "cases:read", _("Cases (redacted)")

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    partner = models.CharField(max_length=120)
    prefix = models.CharField(max_length=12)  # the token's first characters, to tell tokens apart
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_on = models.DateField(null=True, blank=True)  # a day, like everything else here

    def __str__(self) -> str:
        return f"token {self.prefix}… for {self.partner}"
