"""Processed reports: what reviewers work on. The worker writes the analysis; the console the review.

Free text (the redacted account, with the positions of placeholders and places; comments) is
sealed with a data key. The structured, coarse fields stay in clear because the queue filters and
the aggregates are computed in the database; none of them points at a person.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from testimony.intake.choices import KINDS
from testimony.intake.models import Submission

# One bit per perpetrator code for Report.perpetrator_mask, in this fixed order: bit i is
# 1 << i. The order never changes (stored masks depend on it); a new code takes the next bit.
PERPETRATOR_BITS = (
    "police",
    "migration_service",
    "rosgvardia",
    "fsb",
    "military_recruiters",
    "detention_staff",
    "employer",
    "other",
    "unknown",
)


def perpetrator_mask(codes) -> int:
    """The bitmask of a list of perpetrator codes (codes without a bit are left out)."""
    return sum(1 << PERPETRATOR_BITS.index(code) for code in set(codes or ()) if code in PERPETRATOR_BITS)


class PerpetratorMaskField(models.IntegerField):
    """Always the mask of the row's ``perpetrators``, computed as the row is written.

    ``pre_save`` runs for ``save()`` and for ``bulk_create`` (the demo and benchmark seeders), so
    no writer can store a list without its mask. A queryset ``.update(perpetrators=...)`` bypasses
    it: pass ``perpetrator_mask=perpetrator_mask(codes)`` along. Deconstructs as a plain
    IntegerField: the column is the same, so migrations need not know this class.
    """

    def pre_save(self, model_instance, add):
        value = perpetrator_mask(model_instance.perpetrators)
        setattr(model_instance, self.attname, value)
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.IntegerField", args, kwargs


class ReviewState(models.TextChoices):
    NEW = "new", _("New")
    IN_REVIEW = "in_review", _("In review")
    NEEDS_INFO = "needs_info", _("Needs information")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    DUPLICATE = "duplicate", _("Duplicate")


class Report(models.Model):
    submission = models.OneToOneField(
        Submission, on_delete=models.CASCADE, primary_key=True, related_name="report"
    )
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=20)
    event_month = models.CharField(max_length=7)  # YYYY-MM: the day, if given, stays in the sealed text
    country = models.CharField(max_length=8)
    place = models.CharField(max_length=20, blank=True, default="")
    perpetrators = models.JSONField(default=list)
    # The same codes as a bitmask (PERPETRATOR_BITS), computed from them whenever the row is
    # written (PerpetratorMaskField.pre_save; save() adds it to update_fields): the aggregates
    # group by this integer from a narrow index instead of unnesting JSON on every report.
    perpetrator_mask = PerpetratorMaskField(default=0)
    # For aggregates (evidence): the GeoNames admin-1 id of the region the events happened in
    # ("RU.48"), from the place picked on the form or else the first place found in the text;
    # "" when neither names one. And the submitter's citizenship, if they gave it (a code of
    # intake.choices.COUNTRIES). Both are coarse by construction.
    region = models.CharField(max_length=20, blank=True, default="")
    nationality = models.CharField(max_length=8, blank=True, default="")
    # Sealed (crypto.atrest, context "report.text:<submission id>"): JSON with redacted_text,
    # redacted place_details, and redactions and places as offsets into the redacted text.
    text_sealed = models.BinaryField()
    places = models.JSONField(default=list)  # coarse: name, country, admin1, lat, lon, precision
    suggested_tags = models.JSONField(default=list)
    redaction_counts = models.JSONField(default=dict)
    analysis_version = models.CharField(max_length=20)

    # Copies the worker writes with the analysis, so that the queue sorts and filters on this
    # table's indexes without a join: the submission's day, and whether attachment rows exist.
    received_on = models.DateField(null=True, db_index=True)
    has_attachments = models.BooleanField(default=False)
    # --- Review (the console writes these; the worker never touches them) ---
    state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.NEW)
    caseload = models.ForeignKey(
        "accounts.Caseload", null=True, blank=True, on_delete=models.PROTECT, related_name="reports"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned"
    )
    # Soft lock: who has the report open for editing, until when. Others see it and may take over.
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    locked_until = models.DateTimeField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    # Sealed (context "report.note:<id>"): the note required by some transitions (reject, duplicate).
    state_note_sealed = models.BinaryField(null=True, blank=True)
    # Exact-duplicate detection: keyed hash of the normalised text (crypto.keys.derived_key).
    text_fingerprint = models.CharField(max_length=64, blank=True, default="", db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["state", "-received_on"], name="report_queue"),
            models.Index(fields=["assignee", "state"], name="report_assignee"),
            models.Index(fields=["caseload", "state", "-received_on"], name="report_caseload_queue"),
            # The queue's order and keyset pagination: newest first, the id breaking ties.
            models.Index(fields=["-received_on", "-submission"], name="report_queue_keyset"),
            # Aggregates (evidence.aggregates) over the reports in some states: every column they
            # group or filter by is in these indexes, so PostgreSQL counts from an index alone
            # (index-only scan), never reading the wide rows. The first is narrow, for counts by
            # region, kind, month, perpetrator (by mask)... and ranges of months; the second, in
            # report id order, for a merge join with the tags (tag tables and tag filters).
            models.Index(
                fields=["state", "event_month"],
                include=["region", "kind", "country", "nationality", "caseload", "perpetrator_mask"],
                name="report_evidence",
            ),
            models.Index(
                fields=["state", "submission"],
                include=[
                    "event_month",
                    "region",
                    "kind",
                    "country",
                    "nationality",
                    "caseload",
                    "perpetrator_mask",
                ],
                name="report_evidence_by_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=[choice.value for choice in ReviewState]),
                name="report_state_valid",
            )
        ]

    def __str__(self) -> str:
        return f"report {self.submission_id}"

    def save(self, *args, update_fields=None, **kwargs):
        # Every save that writes the perpetrators writes their mask too (the worker's
        # update_or_create and the console's correction pass update_fields).
        if update_fields is not None and "perpetrators" in update_fields:
            update_fields = {*update_fields, "perpetrator_mask"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def kind_label(self) -> str:
        """What happened, in words: ``kind`` holds the submitter's code (``intake.choices.KINDS``)."""
        return dict(KINDS).get(self.kind, self.kind)


class ReportTag(models.Model):
    """A taxonomy tag on a report: accepted by a reviewer, or a suggestion they rejected."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="tags")
    tag = models.ForeignKey("review.Tag", on_delete=models.PROTECT, related_name="report_tags")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "tag"], name="report_tag_unique")]
        indexes = [
            models.Index(fields=["tag", "status"], name="report_tag_filter"),
            # Counting accepted tags (evidence.aggregates): in report id order, merged with the
            # reports' index of the same order.
            models.Index(
                fields=["report", "tag"], condition=models.Q(status="accepted"), name="report_tag_accepted"
            ),
            # Filtering by a tag (evidence.aggregates): the report ids of a few tags, from the
            # index alone.
            models.Index(
                fields=["tag", "report"],
                condition=models.Q(status="accepted"),
                name="report_tag_accepted_by_tag",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tag_id} on {self.report_id}"


class Comment(models.Model):
    """An internal comment by a reviewer; replies point at the comment they answer."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    body_sealed = models.BinaryField()  # context "comment.body:<id>"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.report_id}"


class SearchToken(models.Model):
    """Blind index for searching the sealed text: a keyed hash of each normalised word, not the word."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="search_tokens")
    token = models.BinaryField(max_length=16)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["token", "report"], name="search_token_unique")]

    def __str__(self) -> str:
        return f"search token of {self.report_id}"


class Attachment(models.Model):
    """An attachment after the worker cleaned it; the sealed original stays in intake.Upload."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=12)
    content_type = models.CharField(max_length=100)
    cleaned = models.BooleanField()
    # A code such as "unsupported_format": set when the file could not be cleaned and stays sealed
    # for the custodian.
    flag = models.CharField(max_length=40, blank=True, default="")
    sanitised_sealed = models.BinaryField(null=True, blank=True)  # context "attachment.content:<id>"
    disguised_voice_sealed = models.BinaryField(null=True, blank=True)  # context "attachment.voice:<id>"
    # For duplicate detection: keyed hash of the cleaned bytes, and a perceptual hash of an image.
    content_fingerprint = models.CharField(max_length=64, blank=True, default="", db_index=True)
    image_hash = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="attachment_position_unique")
        ]

    def __str__(self) -> str:
        return f"attachment {self.position} of {self.report_id}"
