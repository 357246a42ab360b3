"""Reads for the organisation pages, and their access gates (administrators only, like accounts).

403 without ``user.manage``; 404 for an id that does not exist. Administrators manage every
organisation of the instance, as they manage every account (``selectors.access_user``), so
there is no further scope.
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from testimony.accounts.models import Caseload, Organisation, User
from testimony.accounts.permissions import require


def access_organisation(*, user: User, organisation_id, for_write: bool = False) -> Organisation:
    require(user, "user.manage")
    try:
        return Organisation.objects.get(pk=int(organisation_id))
    except (Organisation.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def access_caseload(*, user: User, caseload_id, for_write: bool = False) -> Caseload:
    require(user, "user.manage")
    try:
        return Caseload.objects.select_related("organisation").get(pk=int(caseload_id))
    except (Caseload.DoesNotExist, TypeError, ValueError):
        raise Http404 from None


def organisations_for_admin() -> QuerySet[Organisation]:
    """Every organisation, with how many accounts and open and archived caseloads it has."""
    return Organisation.objects.annotate(
        member_count=Count("members", distinct=True),
        open_caseload_count=Count("caseloads", filter=Q(caseloads__archived_at__isnull=True), distinct=True),
        archived_caseload_count=Count(
            "caseloads", filter=Q(caseloads__archived_at__isnull=False), distinct=True
        ),
    ).order_by("name")


def organisation_caseloads(organisation: Organisation) -> QuerySet[Caseload]:
    """Open caseloads first, each with its number of members and of reports routed to it.

    Counts only, never a report's content: enough to say why archiving is refused. Reports are
    counted in a subquery per caseload (the report table's caseload index answers it), not by
    a join that would multiply a large caseload's reports by its members.
    """
    # The review app's Report, reached through the relation: accounts does not import review.
    report_model = Caseload.reports.rel.related_model
    reports = (
        report_model.objects.filter(caseload=OuterRef("pk"))
        .order_by()
        .values("caseload")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return (
        Caseload.objects.filter(organisation=organisation)
        .annotate(member_count=Count("members", distinct=True), report_count=Coalesce(Subquery(reports), 0))
        .order_by(F("archived_at").asc(nulls_first=True), "name")
    )


def organisation_members(organisation: Organisation) -> QuerySet[User]:
    return User.objects.filter(organisation=organisation).prefetch_related("caseloads").order_by("username")


def organisation_candidates(organisation: Organisation) -> QuerySet[User]:
    """Accounts that could be moved into the organisation: those of any other, or of none."""
    return (
        User.objects.exclude(organisation=organisation)
        .select_related("organisation")
        .order_by("organisation__name", "username")
    )


def caseload_members(caseload: Caseload) -> QuerySet[User]:
    return caseload.members.prefetch_related("caseloads").order_by("username")


def caseload_candidates(caseload: Caseload) -> QuerySet[User]:
    """Accounts of the caseload's organisation that are not in it yet (the only ones allowed)."""
    return (
        User.objects.filter(organisation_id=caseload.organisation_id)
        .exclude(caseloads=caseload)
        .order_by("username")
    )
