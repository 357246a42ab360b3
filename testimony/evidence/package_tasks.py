"""The worker's side of evidence packages: ids only, late acknowledgement, safe to run twice."""

from __future__ import annotations

from uuid import UUID

from celery import Task, shared_task

from testimony.evidence.jobs import FAILED_UNEXPECTED, job_mark_failed
from testimony.processing.failures import scrubbed_failures


class PackageTask(Task):
    """A build that crashes ends visibly ``failed`` on its page, not ``running`` for ever."""

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        job_id = kwargs.get("job_id")
        if job_id:
            job_mark_failed(job_id=UUID(job_id), reason=FAILED_UNEXPECTED)


@shared_task(
    name="evidence.build_package",
    base=PackageTask,
    acks_late=True,
    # No automatic retry: a claimed job is "running", and a rerun would find nothing to claim.
    soft_time_limit=3600,
    time_limit=3660,
)
@scrubbed_failures()
def build_package(*, job_id: str) -> str:
    from testimony.evidence.services.packages import package_build

    return package_build(job_id=UUID(job_id))
