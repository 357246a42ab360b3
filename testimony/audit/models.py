"""The audit log: append-only and hash-chained, so that an edited, deleted or reordered entry shows.

Each entry's ``digest`` is an HMAC (key derived from the pepper, see ``chain.py``) over the
previous digest and the entry's fields, so someone who can write to the database but does not
hold the key cannot rewrite history and recompute the chain. On PostgreSQL a trigger also
refuses UPDATE, DELETE and TRUNCATE on the table. Details never hold testimony text.
"""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    seq = models.PositiveBigIntegerField(unique=True)
    at = models.DateTimeField()
    # Not a foreign key: the log must not change, or refuse a change, when an account is removed.
    actor_id = models.PositiveBigIntegerField(null=True, blank=True)
    actor = models.CharField(max_length=150, blank=True, default="")  # login name then; "system" for tasks
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=30, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    details = models.JSONField(default=dict)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "seq"], name="audit_object"),
            models.Index(fields=["action", "seq"], name="audit_action"),
            models.Index(fields=["actor_id", "seq"], name="audit_actor"),
        ]

    def __str__(self) -> str:
        return f"audit {self.seq} {self.action}"
