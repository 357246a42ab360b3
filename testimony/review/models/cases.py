"""Cases: one incident or pattern, documented by several reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Case(models.Model):
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="cases")
    title = models.CharField(max_length=200)
    date_from = models.DateField(null=True, blank=True)
    date_to = models.DateField(null=True, blank=True)
    # Coarse, like Report.places: {"name","country","admin1","lat","lon","precision"}.
    place = models.JSONField(default=dict, blank=True)
    kinds = models.ManyToManyField("review.Tag", blank=True, related_name="cases")
    perpetrator_types = models.JSONField(default=list, blank=True)  # slugs, as Report.perpetrators
    units = models.CharField(max_length=300, blank=True, default="")  # e.g. "ОМОН, УВМ ГУ МВД"
    people_affected = models.PositiveIntegerField(null=True, blank=True)
    summary_sealed = models.BinaryField(null=True, blank=True)  # context "case.summary:<id>"
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_from__isnull=True)
                | models.Q(date_to__isnull=True)
                | models.Q(date_from__lte=models.F("date_to")),
                name="case_dates_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class CaseReport(models.Model):
    class Relation(models.TextChoices):
        VICTIM = "victim", _("Victim")
        WITNESS = "witness", _("Witness")
        RELATIVE = "relative", _("Relative")
        CASEWORKER = "caseworker", _("Caseworker")

    class Reliability(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")
        UNKNOWN = "unknown", _("Not assessed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    report = models.ForeignKey("review.Report", on_delete=models.CASCADE, related_name="case_links")
    relation = models.CharField(max_length=12, choices=Relation.choices, default=Relation.VICTIM)
    reliability = models.CharField(max_length=8, choices=Reliability.choices, default=Reliability.UNKNOWN)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "report"], name="case_report_unique")]

    def __str__(self) -> str:
        return f"{self.report_id} in case {self.case_id}"
