"""The console's data: processed reports and what reviewers add to them, the taxonomy, cases, jobs."""

from testimony.review.models.cases import Case, CaseReport
from testimony.review.models.counts import ReportCount
from testimony.review.models.jobs import BulkJob
from testimony.review.models.reports import Attachment, Comment, Report, ReportTag, SearchToken
from testimony.review.models.taxonomy import Tag, TaxonomyVersion

__all__ = [
    "Attachment",
    "BulkJob",
    "Case",
    "CaseReport",
    "Comment",
    "Report",
    "ReportCount",
    "ReportTag",
    "SearchToken",
    "Tag",
    "TaxonomyVersion",
]
