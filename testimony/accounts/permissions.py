"""The permission matrix: which role may do what. The one place it is written.

Views ask ``require(user, action)``; access gates (``review.selectors.access_*``) add the
object's scope (organisation and caseload). ``docs/permissions.md`` is checked against this
table by a test, and the access-matrix test walks every console URL against it.

No role sees everything: administrators manage accounts, the taxonomy and the audit log but
read no testimony; only custodians open sealed originals, and each opening is audited.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from testimony.accounts.models import Role

R, C, K, A, ADMIN = Role.REVIEWER, Role.COORDINATOR, Role.CUSTODIAN, Role.ANALYST, Role.ADMINISTRATOR

PERMISSIONS: dict[str, frozenset[str]] = {
    # The queue and reports in the user's scope.
    "report.view": frozenset({R, C, K}),
    "report.edit": frozenset({R, C}),  # state, redactions, places, tags, comments, fields
    "report.claim": frozenset({R, C}),  # assign to oneself, take the soft lock
    "report.assign": frozenset({C}),  # assign to someone else, route to a caseload
    "report.bulk": frozenset({C}),  # bulk actions over a filtered set
    "report.message": frozenset({R, C}),  # write to the submitter
    "report.open_original": frozenset({K}),  # decrypt the sealed original, with a reason
    # Cases.
    "case.view": frozenset({R, C, K, A}),
    "case.edit": frozenset({R, C}),
    # Evidence (issue 5): aggregates, exports and packages.
    "evidence.view": frozenset({C, A}),
    "evidence.export": frozenset({C, A}),  # CSV/XLSX/…; their text columns need report.view too
    # Signed packages carry the redacted testimony of a case's reports by design (for courts and
    # UN mechanisms), so an analyst reads redacted text through one; every build and download
    # is audited. Separate from evidence.export so that the two can be granted apart.
    "evidence.package": frozenset({C, A}),
    "partner.manage": frozenset({C}),  # issue and revoke the partner API's tokens
    # Administration.
    "taxonomy.view": frozenset({R, C, K, A, ADMIN}),
    "taxonomy.edit": frozenset({ADMIN}),
    "audit.view": frozenset({ADMIN}),
    "user.manage": frozenset({ADMIN}),
}


def can(user, action: str) -> bool:
    """True if the user's role allows the action. Unknown actions are an error, not a refusal."""
    allowed = PERMISSIONS[action]
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "role", None) in allowed


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)
