import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("testimony")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Periodic review tasks live beside the console code, not in a tasks.py of their own.
app.autodiscover_tasks(["testimony.review"], related_name="retention_tasks")
app.autodiscover_tasks(["testimony.evidence"], related_name="package_tasks")

RETENTION_INTERVAL_SECONDS = 24 * 3600
EXPORT_EXPIRY_INTERVAL_SECONDS = 600  # export links expire in hours: ten minutes late is fine
# Each run walks the whole audit log; the log page verifies only what came after the last run
# (at most audit.selectors.PAGE_VERIFY_LIMIT entries), so this bounds the page's work too.
AUDIT_VERIFY_INTERVAL_SECONDS = 6 * 3600


@app.on_after_configure.connect
def _prepare(sender: Celery, **_: object) -> None:
    from django.conf import settings

    # kombu's filesystem transport expects its folders to exist.
    for folder in (settings.CELERY_BROKER_TRANSPORT_OPTIONS or {}).values():
        if isinstance(folder, str) and folder.startswith("/"):
            Path(folder).mkdir(parents=True, exist_ok=True)
    sender.add_periodic_task(
        float(settings.SWEEP_INTERVAL_SECONDS),
        sender.signature("processing.sweep_stale"),
        name="sweep stale submissions",
        # Behind a backlog, a sweep that waited longer than one interval is redundant.
        options={"expires": float(settings.SWEEP_INTERVAL_SECONDS)},
    )
    sender.add_periodic_task(
        float(RETENTION_INTERVAL_SECONDS),
        sender.signature("review.apply_retention"),
        name="apply retention",
        # A run that waited most of a day is pointless: the next one does the same work.
        options={"expires": float(RETENTION_INTERVAL_SECONDS) / 2},
    )
    sender.add_periodic_task(
        float(EXPORT_EXPIRY_INTERVAL_SECONDS),
        sender.signature("evidence.expire_exports"),
        name="expire exports",
        # Deletes expired export files and ends jobs whose worker died; the next run catches up.
        options={"expires": float(EXPORT_EXPIRY_INTERVAL_SECONDS)},
    )
    sender.add_periodic_task(
        float(AUDIT_VERIFY_INTERVAL_SECONDS),
        sender.signature("audit.verify_chain"),
        name="verify audit chain",
        # Runs queued behind each other would walk the same log twice; the next run does it anyway.
        options={"expires": float(AUDIT_VERIFY_INTERVAL_SECONDS) / 2},
    )
