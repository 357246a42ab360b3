"""The queue's filters: parsed from a GET form, applied as one plain function over a queryset.

The same ``QueueFilters`` value is stored on a ``BulkJob`` (``to_json``) and applied again by the
worker with the job creator's scope, and exports can reuse it, so a filter means the same thing
everywhere. Place and suggested-tag filters look inside the JSON lists on ``Report``: on
PostgreSQL with ``@>`` (GIN-indexed, migration 0003), on SQLite with ``json_each``; both match
exactly, so the same filter gives the same set on either database.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import asdict, dataclass, fields

from django import forms
from django.conf import settings
from django.db.models import BooleanField, Count, Exists, F, Func, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from testimony.accounts.models import Caseload, Role
from testimony.crypto.atrest import seal_text, unseal_text
from testimony.intake.choices import KINDS
from testimony.review.labels import LANGUAGE_NAMES
from testimony.review.models import ReportTag, Tag
from testimony.review.models.reports import ReviewState
from testimony.review.search import search_filter
from testimony.review.selectors import report_counts_in_scope, reports_in_scope
from testimony.review.services.report_counts import report_counts_compact

# A report is in one of the submitter-side languages: the intake's own, named in settings.
LANGUAGES = settings.LANGUAGES
ASSIGNEE_ME = "me"
ASSIGNEE_NONE = "none"
CASELOAD_NONE = "none"  # the caseload filter's value for reports not routed to any caseload
MAX_SELECTED = 500  # rows one can tick: more than the queue shows in ten pages


@dataclass(frozen=True)
class QueueFilters:
    state: str = ""
    kind: str = ""
    tag: str = ""  # a tag slug: accepted on the report, or suggested and not rejected
    place: str = ""  # a place name, region (admin1) or country code from Report.places
    received_from: dt.date | None = None
    received_to: dt.date | None = None
    language: str = ""
    assignee: str = ""  # "", "me", "none" or a user id
    caseload: str = ""  # "", "none" (unrouted) or a caseload id
    attachments: str = ""  # "", "yes", "no"
    q: str = ""  # words to search for in the redacted text
    ids: tuple[str, ...] = ()  # rows ticked in the queue, for a bulk action on a selection

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    def to_json(self) -> dict:
        data = asdict(self)
        for name in ("received_from", "received_to"):
            data[name] = data[name].isoformat() if data[name] else None
        data["ids"] = list(self.ids)
        return {key: value for key, value in data.items() if value}

    @classmethod
    def from_json(cls, data: dict) -> QueueFilters:
        known = {f.name for f in fields(cls)}
        values = {key: value for key, value in data.items() if key in known}
        for name in ("received_from", "received_to"):
            if values.get(name):
                values[name] = dt.date.fromisoformat(values[name])
        values["ids"] = tuple(str(value) for value in values.get("ids", ()))
        return cls(**values)

    def to_sealed_json(self, *, context: str) -> dict:
        """``to_json`` for a stored job: the search words, typed by a person, sealed under ``context``."""
        data = self.to_json()
        if self.q:
            data["q_sealed"] = seal_text(data.pop("q"), context=context)
        return data

    @classmethod
    def from_sealed_json(cls, data: dict, *, context: str) -> QueueFilters:
        data = dict(data)
        sealed = data.pop("q_sealed", None)
        if sealed:
            data["q"] = unseal_text(sealed, context=context)
        return cls.from_json(data)

    def to_query(self) -> dict:
        """As GET parameters, for links that keep the filters (a selection is not kept)."""
        return {key: str(value) for key, value in self.to_json().items() if key != "ids"}


def caseload_choices(user) -> list[tuple[str, str]]:
    """The caseload filter's choices: what ``user``'s scope can hold (``selectors._report_scope``).

    A reviewer limited to caseloads is offered only those; everyone else their organisation's open
    caseloads (an archived one holds no report: archiving is refused while it routes any), and
    "unrouted" when their organisation receives intake. Filtering outside the scope would match
    nothing anyway; this keeps other caseloads' names off a limited reviewer's page.
    """
    organisation = getattr(user, "organisation", None)
    if organisation is None:
        return []
    if user.role == Role.REVIEWER:
        own = list(user.caseloads.order_by("name").values_list("pk", "name"))
        if own:
            return [(str(pk), name) for pk, name in own]
    caseloads = Caseload.objects.filter(organisation=organisation, archived_at__isnull=True).order_by("name")
    unrouted = [(CASELOAD_NONE, _("Unrouted (no caseload)"))] if organisation.receives_intake else []
    return [*unrouted, *((str(pk), name) for pk, name in caseloads.values_list("pk", "name"))]


class QueueFilterForm(forms.Form):
    """Input shape only; an invalid field is dropped (and shown as an error), the rest still apply."""

    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *ReviewState.choices]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any")), *KINDS])
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    place = forms.CharField(label=_("Place"), required=False, max_length=100)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput({"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received to"), required=False, widget=forms.DateInput({"type": "date"})
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        # Named in the console's language, as the queue's rows name them (review.labels).
        choices=[("", _("Any")), *((code, LANGUAGE_NAMES.get(code, name)) for code, name in LANGUAGES)],
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    caseload = forms.ChoiceField(label=_("Caseload"), required=False)
    attachments = forms.ChoiceField(
        label=_("Attachments"),
        required=False,
        choices=[("", _("Any")), ("yes", _("With attachments")), ("no", _("Without"))],
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=200, widget=forms.TextInput({"type": "search"})
    )

    def __init__(self, *args, user, assignees=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("Any"))] + [
            (tag.slug, tag.label(getattr(user, "console_language", "en")))
            for tag in Tag.objects.filter(active=True).only("slug", "labels")
        ]
        self.fields["assignee"].choices = [
            ("", _("Anyone")),
            (ASSIGNEE_ME, _("Me")),
            (ASSIGNEE_NONE, _("Unassigned")),
            *[(str(person.pk), person.username) for person in assignees],
        ]
        self.fields["caseload"].choices = [("", _("Any")), *caseload_choices(user)]

    def filters(self) -> QueueFilters:
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        if "place" in data:
            data["place"] = data["place"].strip()
        if "q" in data:
            data["q"] = data["q"].strip()
        return QueueFilters(**data)


class JsonListContains(Func):
    """True if a JSON list column holds ``value`` (a string), or an object with ``key`` equal to it.

    Portable: PostgreSQL ``@>`` (uses a GIN index), SQLite ``json_each``. ``keys`` are tried in
    turn (OR). The column is compiled through Django, so table aliases stay right in subqueries.
    """

    output_field = BooleanField()

    def __init__(self, column: str, *, values: list[str], keys: tuple[str, ...] = ()):
        super().__init__(F(column))
        if not all(key.isidentifier() for key in keys):
            raise ValueError("JSON keys must be identifiers: they are written into the SQL")
        self.values = list(values)
        self.keys = keys

    def as_sql(self, compiler, connection, **extra):  # SQLite (and any other json_each database)
        column, params = compiler.compile(self.source_expressions[0])
        marks = ", ".join(["%s"] * len(self.values))
        if self.keys:
            tests = " OR ".join(f"json_extract(value, '$.{key}') IN ({marks})" for key in self.keys)
            values = self.values * len(self.keys)
        else:
            tests, values = f"value IN ({marks})", self.values
        # Only the compiled column and the code's own key names are in the string; values are params.
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE {tests})", [*params, *values]  # noqa: S608

    def as_postgresql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if self.keys:
            probes = [[{key: value}] for key in self.keys for value in self.values]
        else:
            probes = [[value] for value in self.values]
        sql = " OR ".join([f"{column} @> %s::jsonb"] * len(probes))
        return f"({sql})", [*params, *(json.dumps(probe, ensure_ascii=False) for probe in probes)]


def _place_values(place: str) -> list[str]:
    """Spellings to try: as typed, and title case (names in the gazetteer are "Saint Petersburg")."""
    return list(dict.fromkeys([place, place.title(), place.upper()]))


def queue_filter(queryset: QuerySet, *, filters: QueueFilters, user) -> QuerySet:
    """Narrow ``queryset`` (already scoped to what ``user`` may see) by ``filters``."""
    f = filters
    if f.state:
        queryset = queryset.filter(state=f.state)
    if f.kind:
        queryset = queryset.filter(kind=f.kind)
    if f.language:
        queryset = queryset.filter(language=f.language)
    if f.received_from:
        queryset = queryset.filter(received_on__gte=f.received_from)
    if f.received_to:
        queryset = queryset.filter(received_on__lte=f.received_to)
    if f.attachments:
        queryset = queryset.filter(has_attachments=(f.attachments == "yes"))
    if f.assignee == ASSIGNEE_ME:
        queryset = queryset.filter(assignee_id=user.pk)
    elif f.assignee == ASSIGNEE_NONE:
        queryset = queryset.filter(assignee__isnull=True)
    elif f.assignee:
        queryset = queryset.filter(assignee_id=int(f.assignee)) if f.assignee.isdigit() else queryset.none()
    if f.caseload == CASELOAD_NONE:
        queryset = queryset.filter(caseload__isnull=True)
    elif f.caseload:
        queryset = queryset.filter(caseload_id=int(f.caseload)) if f.caseload.isdigit() else queryset.none()
    if f.tag:
        accepted = ReportTag.objects.filter(
            report=OuterRef("pk"), tag__slug=f.tag, status=ReportTag.Status.ACCEPTED
        )
        rejected = ReportTag.objects.filter(
            report=OuterRef("pk"), tag__slug=f.tag, status=ReportTag.Status.REJECTED
        )
        suggested = JsonListContains("suggested_tags", values=[f.tag])
        queryset = queryset.filter(Q(Exists(accepted)) | (Q(suggested) & ~Q(Exists(rejected))))
    if f.place:
        queryset = queryset.filter(
            JsonListContains("places", values=_place_values(f.place), keys=("name", "admin1", "country"))
        )
    if f.ids:
        queryset = queryset.filter(pk__in=_valid_ids(f.ids))
    if f.q:
        queryset = search_filter(queryset, f.q)
    return queryset


def _valid_ids(ids) -> list[uuid.UUID]:
    valid = []
    for value in list(ids)[:MAX_SELECTED]:
        try:
            valid.append(uuid.UUID(str(value)))
        except ValueError:
            continue
    return valid


# --- Reads for the queue page -----------------------------------------------------------------

PAGE_SIZE = 50
# Count rows (deltas) in a user's scope above which reading them folds them up: reading a
# thousand rows costs about a millisecond, folding them a few.
COMPACT_ABOVE = 1000
OPEN_STATES = (ReviewState.NEW, ReviewState.IN_REVIEW, ReviewState.NEEDS_INFO)
_ROW_FIELDS = (
    "submission_id",
    "language",
    "kind",
    "places",
    "suggested_tags",
    "received_on",
    "has_attachments",
    "state",
    "assignee_id",
    "assignee__username",
    "locked_by_id",
    "locked_by__username",
    "locked_until",
    "caseload_id",
)


@dataclass(frozen=True)
class QueueSummary:
    by_state: list[tuple[str, str, int]]  # (state, label, count), every state, in order
    assigned_to_me: int  # open reports (new, in review, needs information) assigned to the user
    unassigned_new: int


def queue_summary(user) -> QueueSummary:
    """What needs attention in the user's scope, from the counts the database keeps (``ReportCount``).

    A few rows per caseload, state and assignee instead of a scan of every report in scope
    (which cost about 40 ms for 100,000 reports on PostgreSQL, and grew with them). The rows
    are deltas the triggers add; once there are many, they are folded up here, after reading.
    """
    rows = (
        report_counts_in_scope(user)
        .order_by()
        .values_list("state", "assignee_id")
        .annotate(total=Sum("n"), parts=Count("pk"))
    )
    by_state = dict.fromkeys(ReviewState.values, 0)
    mine = unassigned_new = parts = 0
    for state, assignee_id, total, count in rows:
        parts += count
        by_state[state] = by_state.get(state, 0) + total
        if assignee_id == user.pk and state in OPEN_STATES:
            mine += total
        if assignee_id is None and state == ReviewState.NEW:
            unassigned_new += total
    if parts > COMPACT_ABOVE:
        report_counts_compact()
    return QueueSummary(
        by_state=[(state, label, by_state[state]) for state, label in ReviewState.choices],
        assigned_to_me=mine,
        unassigned_new=unassigned_new,
    )


def encode_cursor(received_on: dt.date | None, pk) -> str:
    return f"{received_on.isoformat() if received_on else ''}_{uuid.UUID(str(pk)).hex}"


def decode_cursor(value: str) -> tuple[dt.date, uuid.UUID] | None:
    try:
        day, pk = value.split("_", 1)
        return dt.date.fromisoformat(day), uuid.UUID(pk)
    except ValueError:
        return None


@dataclass(frozen=True)
class QueuePage:
    rows: list  # Report instances with only the row's fields, accepted and rejected tags prefetched
    next_cursor: str | None


def queue_page(*, user, filters: QueueFilters, after: str = "", size: int | None = None) -> QueuePage:
    """One page of the filtered queue, newest first, by keyset (no OFFSET, no total COUNT).

    The order (received_on, id) is served by the ``report_queue_keyset`` index, so each page is
    an index range scan whatever its depth. Precondition: processed reports have ``received_on``
    (the worker copies it from the submission, where it is required).
    """
    from django.db.models import Prefetch

    size = size or PAGE_SIZE
    queryset = queue_filter(reports_in_scope(user), filters=filters, user=user)
    cursor = decode_cursor(after) if after else None
    if cursor:
        day, pk = cursor
        # The first condition is implied by the second; it is there because PostgreSQL can start
        # the index scan at it, where the OR alone is a filter on every row from the newest on
        # (page 1000 read 50,000 index entries and their rows to skip them).
        queryset = queryset.filter(received_on__lte=day).filter(
            Q(received_on__lt=day) | Q(received_on=day, pk__lt=pk)
        )
    tags = ReportTag.objects.select_related("tag").only("report_id", "status", "tag__slug", "tag__labels")
    rows = list(
        queryset.select_related("assignee", "locked_by")
        .only(*_ROW_FIELDS)
        .prefetch_related(Prefetch("tags", queryset=tags))
        .order_by("-received_on", "-pk")[: size + 1]
    )
    next_cursor = encode_cursor(rows[size - 1].received_on, rows[size - 1].pk) if len(rows) > size else None
    return QueuePage(rows=rows[:size], next_cursor=next_cursor)
