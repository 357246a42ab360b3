"""Partner API tokens: issue, revoke, note the day of use; and the reads the console and API need.

A token is ``tpk_`` and 43 url-safe characters (32 random bytes). Only its SHA-256 is stored,
with its first characters (``prefix``) so that people can tell tokens apart in the console and
in the audit log; the plaintext is returned once, by ``partner_token_create``, and never again.

A token reads the data of the organisation that issued it, as that organisation's analysts see
it for evidence (``token_principal``), and only what its scopes allow. The reads live here
beside the writes because the evidence app has no selectors module of its own yet.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from testimony.accounts.models import Organisation, Role
from testimony.accounts.permissions import can
from testimony.audit.services import audit_record
from testimony.evidence import fields
from testimony.evidence.models import PartnerToken
from testimony.review.models import Case, CaseReport, ReportTag, TaxonomyVersion
from testimony.review.selectors import cases_in_scope

TOKEN_PREFIX = "tpk_"  # noqa: S105 (a marker that says what a string is, not a secret)
TOKEN_BYTES = 32
PREFIX_LENGTH = 12  # "tpk_" and 8 random characters (48 bits): enough to tell tokens apart
MAX_DAYS = 366  # a token that never expires is a token nobody remembers to revoke
SCOPES = tuple(PartnerToken.Scope.values)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _validate(*, partner: str, scopes: list[str], expires_at: dt.datetime) -> tuple[str, list[str]]:
    partner = " ".join(partner.split())
    if not partner:
        raise ValidationError(_("Name the partner organisation that will hold the token."))
    if len(partner) > PartnerToken._meta.get_field("partner").max_length:
        raise ValidationError(_("The partner's name is too long."))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValidationError(_("Choose at least one scope from the list."))
    if timezone.is_naive(expires_at):
        raise ValueError("expires_at must be an aware datetime")
    now = timezone.now()
    if expires_at <= now:
        raise ValidationError(_("The expiry must be in the future."))
    if expires_at > now + dt.timedelta(days=MAX_DAYS):
        raise ValidationError(_("A token may be valid for at most %(days)d days.") % {"days": MAX_DAYS})
    # In the order of the list, each once: what the console shows and the audit row records.
    return partner, [scope for scope in SCOPES if scope in scopes]


def partner_token_create(
    *,
    user,
    partner: str,
    scopes: list[str],
    expires_at: dt.datetime,
    organisation: Organisation | None = None,
) -> tuple[PartnerToken, str]:
    """Issue a token reading ``user``'s organisation; return it with its plaintext (shown once).

    ``organisation`` is for the command line, where there is no user (``user=None``); from the
    console the token always reads the issuing coordinator's own organisation.
    """
    if user is not None:
        if not can(user, "partner.manage") or user.organisation_id is None:
            raise PermissionError("partner.manage")
        organisation = user.organisation
    if organisation is None:
        raise ValueError("a token needs the organisation whose data it reads")
    partner, scopes = _validate(partner=partner, scopes=scopes, expires_at=expires_at)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        token = PartnerToken.objects.create(
            organisation=organisation,
            partner=partner,
            prefix=plaintext[:PREFIX_LENGTH],
            token_hash=token_hash(plaintext),
            scopes=scopes,
            created_by=user,
            expires_at=expires_at,
        )
        audit_record(
            actor=user,
            action="partner_token.create",
            object_type="partner_token",
            object_id=token.pk,
            details={
                "organisation": organisation.pk,
                "prefix": token.prefix,
                "scopes": scopes,
                "expires_on": expires_at.date().isoformat(),
            },
        )
    return token, plaintext


def partner_token_revoke(*, user, token_id: int) -> PartnerToken:
    """Revoke a token of the user's organisation (404 for any other); revoking twice changes nothing."""
    with transaction.atomic():
        token = access_partner_token(user=user, token_id=token_id, lock=True)
        if token.revoked_at is not None:
            return token
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=user,
            action="partner_token.revoke",
            object_type="partner_token",
            object_id=token.pk,
            details={"organisation": token.organisation_id, "prefix": token.prefix},
        )
    return token


def partner_token_touch(*, token: PartnerToken, today: dt.date | None = None) -> None:
    """Note the day a token was used: at most one write per token per day, and only the day."""
    today = today or timezone.localdate()
    if token.last_used_on == today:
        return
    PartnerToken.objects.filter(pk=token.pk).exclude(last_used_on=today).update(last_used_on=today)
    token.last_used_on = today


# --- Reads ---------------------------------------------------------------------------------------


def partner_tokens_for(user) -> QuerySet[PartnerToken]:
    """The tokens the user's organisation issued, newest first; none without ``partner.manage``."""
    if not can(user, "partner.manage") or getattr(user, "organisation_id", None) is None:
        return PartnerToken.objects.none()
    return PartnerToken.objects.filter(organisation_id=user.organisation_id).order_by("-created_at", "-pk")


def access_partner_token(*, user, token_id, lock: bool = False) -> PartnerToken:
    tokens = partner_tokens_for(user)
    if lock:
        tokens = tokens.select_for_update()
    try:
        return tokens.get(pk=token_id)
    except (PartnerToken.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class TokenRefused(Exception):
    """Why a presented token does not open the API; ``code`` is what the API answers."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def token_check(plaintext: str, *, now: dt.datetime | None = None) -> PartnerToken:
    """The live token with this plaintext, or ``TokenRefused`` ("unknown", "revoked", "expired")."""
    if not plaintext.startswith(TOKEN_PREFIX) or len(plaintext) > 100:
        raise TokenRefused("unknown")
    try:
        token = PartnerToken.objects.select_related("organisation").get(token_hash=token_hash(plaintext))
    except PartnerToken.DoesNotExist:
        raise TokenRefused("unknown") from None
    if token.revoked_at is not None:
        raise TokenRefused("revoked")
    if token.expires_at <= (now or timezone.now()):
        raise TokenRefused("expired")
    return token


@dataclass(frozen=True)
class TokenPrincipal:
    """Who a token acts as: its organisation, with an analyst's reach over evidence.

    The API reads through the console's own scope functions (``reports_in_scope``,
    ``cases_in_scope`` with ``evidence.view``), so a token sees what that organisation's
    analysts see and nothing more; its scopes then narrow it per endpoint. It is no account:
    no id, and a name that says which token it is (the audit log's actor).
    """

    token: PartnerToken

    is_authenticated = True
    is_active = True
    is_anonymous = False
    pk = None
    id = None
    role = Role.ANALYST

    @property
    def organisation_id(self) -> int:
        return self.token.organisation_id

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation

    @property
    def username(self) -> str:
        return f"partner-token:{self.token.pk}"

    def is_verified(self) -> bool:  # the console's test; a token never opens the console
        return False


def token_principal(token: PartnerToken) -> TokenPrincipal:
    return TokenPrincipal(token=token)


def partner_cases(*, principal: TokenPrincipal, filters: dict) -> QuerySet[Case]:
    """The token organisation's cases (as its analysts see them for evidence), filtered.

    ``filters`` is ``serializers.CaseFiltersInput``'s validated data: ``month_from`` and
    ``month_to`` keep cases whose period overlaps those months (cases without dates are left
    out once either is given); ``country``, ``region`` and ``tag`` keep cases whose own place
    or kinds match or that have a report that does (a tag with its sub-tags, an accepted tag on
    a report); ``kind`` keeps cases with a report of that kind.
    """
    cases = cases_in_scope(principal, action="evidence.view")
    links = CaseReport.objects.filter(case=OuterRef("pk"))
    if filters.get("month_from") or filters.get("month_to"):
        cases = cases.annotate(
            _begins=Coalesce(F("date_from"), F("date_to")), _ends=Coalesce(F("date_to"), F("date_from"))
        ).filter(_begins__isnull=False)
        if filters.get("month_from"):
            cases = cases.filter(_ends__gte=_month_start(filters["month_from"]))
        if filters.get("month_to"):
            cases = cases.filter(_begins__lte=_month_end(filters["month_to"]))
    if filters.get("country"):
        country = filters["country"]
        cases = cases.filter(Q(place__country=country) | Q(Exists(links.filter(report__country=country))))
    if filters.get("region"):
        region = filters["region"]
        matches = Q(Exists(links.filter(report__region=region)))
        # A case's place keeps its region's English name (see fields._case_region), not the id.
        name = fields.region_points().get(region, ("",))[0]
        if name:
            matches |= Q(place__country=region.split(".", 1)[0], place__admin1=name) & ~Q(
                place__precision="country"
            )
        cases = cases.filter(matches)
    if filters.get("kind"):
        cases = cases.filter(Exists(links.filter(report__kind=filters["kind"])))
    if filters.get("tag"):
        # The tag or one of its sub-tags, as the aggregates' tag filter counts them.
        slug = filters["tag"]
        tagged = Case.kinds.through.objects.filter(
            Q(tag__slug=slug) | Q(tag__parent__slug=slug), case=OuterRef("pk")
        )
        accepted = ReportTag.objects.filter(
            Q(tag__slug=slug) | Q(tag__parent__slug=slug),
            report__case_links__case=OuterRef("pk"),
            status=ReportTag.Status.ACCEPTED,
        )
        cases = cases.filter(Q(Exists(tagged)) | Q(Exists(accepted)))
    return cases.annotate(report_count=Count("links", distinct=True)).prefetch_related("kinds")


def _month_start(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, 1)


def _month_end(month: str) -> dt.date:
    year, number = (int(part) for part in month.split("-"))
    return dt.date(year, number, calendar.monthrange(year, number)[1])


def partner_case_context() -> fields.ExportContext:
    """What every case row of one API response shares (the taxonomy version of its tags)."""
    version = TaxonomyVersion.objects.order_by("-number").values_list("number", flat=True).first()
    return fields.ExportContext(destination=fields.PARTNER, taxonomy_version=version)


def partner_case_row(case: Case, context: fields.ExportContext) -> dict:
    """One case as a partner receives it: the partner case fields of ``evidence.fields`` only.

    ``case`` comes from ``partner_cases`` (``report_count`` annotated, kinds prefetched).
    """
    source = {
        "pk": case.pk,
        "place": case.place,
        "date_from": case.date_from,
        "date_to": case.date_to,
        "perpetrator_types": case.perpetrator_types,
        "people_affected": case.people_affected,
        "created_at": case.created_at,
        "report_count": case.report_count,
        **fields.tag_entries([(tag.slug, tag.huridocs_code) for tag in case.kinds.all()]),
    }
    return fields.row_from(partner_case_fields(), source, context)


def partner_case_fields() -> tuple[fields.Field, ...]:
    """The partner field set of a case: the exports' rule, so API and files cannot differ."""
    return fields.fields_for(level=fields.CASES, destination=fields.PARTNER)
