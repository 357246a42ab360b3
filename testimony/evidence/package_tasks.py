"""The worker's side of evidence packages: ids only, late acknowledgement, safe to run twice."""

from __future__ import annotations

from uuid import UUID

from celery import shared_task

from testimony.evidence.tasks import EvidenceJobTask
from testimony.processing.failures import scrubbed_failures


@shared_task(
    name="evidence.build_package",
    base=EvidenceJobTask,
    acks_late=True,
    # No automatic retry: a claimed job is "running", and a rerun would find nothing to claim.
    soft_time_limit=3600,
    time_limit=3660,
)
@scrubbed_failures()
def build_package(*, job_id: str) -> str:
    from testimony.evidence.services.packages import package_build

    return package_build(job_id=UUID(job_id))
