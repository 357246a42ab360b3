"""Processed reports: what reviewers work on. Written by the worker, never by the web process.

Free text (the redacted account, with the positions of placeholders and places) is sealed with a
data key. The structured, coarse fields stay in clear because the queue filters and the
aggregates are computed in the database; none of them points at a person.
"""

from __future__ import annotations

from django.db import models

from testimony.intake.models import Submission


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
    # Sealed (crypto.atrest, context "report.text:<submission id>"): JSON with redacted_text,
    # redacted place_details, and redactions and places as offsets into the redacted text.
    text_sealed = models.BinaryField()
    places = models.JSONField(default=list)  # coarse: name, country, admin1, lat, lon, precision
    suggested_tags = models.JSONField(default=list)
    redaction_counts = models.JSONField(default=dict)
    analysis_version = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"report {self.submission_id}"


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

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "position"], name="attachment_position_unique")
        ]

    def __str__(self) -> str:
        return f"attachment {self.position} of {self.report_id}"
