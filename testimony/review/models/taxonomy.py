"""The taxonomy reviewers tag reports with: hierarchical, multilingual, versioned.

Every edit by an administrator bumps the version and stores a snapshot, so an export can say
which version of the taxonomy its tags come from. Tags are deactivated, never deleted, once used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Tag(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # {"en": ..., "ru": ..., and the submitter-side languages where submitters see the tag}
    labels = models.JSONField(default=dict)
    # HURIDOCS Events Standard Formats code for the act, where one exists ("" otherwise).
    huridocs_code = models.CharField(max_length=20, blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.slug

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels.get("en") or self.slug


class TaxonomyVersion(models.Model):
    number = models.PositiveIntegerField(unique=True)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    snapshot = models.JSONField()  # every tag with its parent, labels, code and state at this version

    class Meta:
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"taxonomy v{self.number}"
