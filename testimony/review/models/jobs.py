"""Background jobs the console starts (bulk actions), with progress the page can poll."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BulkJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=20)  # assign, tag, state, link_case
    params = models.JSONField(default=dict)  # e.g. {"state": "rejected"}; never testimony text
    # The queue filters the set was chosen by; search words sealed ("q_sealed"), like a note.
    filters = models.JSONField(default=dict)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)  # out of scope or changed meanwhile
    finished_at = models.DateTimeField(null=True, blank=True)
    # The last report id the job handled: work goes in id order, so a redelivered task resumes
    # after it instead of counting (or changing) a report twice.
    cursor = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"bulk {self.action} {self.id}"
