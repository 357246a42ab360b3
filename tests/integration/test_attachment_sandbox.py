"""The real worker decodes attachments in confined children that hold none of its secrets."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
import soundfile
from PIL import Image

from testimony.crypto.atrest import unseal
from testimony.crypto.padding import AttachmentPlaintext
from testimony.intake.models import Submission
from testimony.intake.services import submission_create_from_report
from testimony.review import similar
from testimony.review.models import Attachment
from tests.conftest import valid_report
from tests.integration.conftest import wait_for
from tests.unit.processing.attachments.signals import encode, voiced
from tests.unit.processing.attachments.test_images import _jpeg

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

CHILD = b"testimony.processing.attachments.sandbox"


def _children_environments(stop: threading.Event, seen: list[dict[str, str]]) -> None:
    """Read the environment of every sandbox child that appears, until ``stop``."""
    known = set()
    while not stop.is_set():
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or entry.name in known:
                continue
            try:
                if CHILD not in (entry / "cmdline").read_bytes():
                    continue
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            known.add(entry.name)
            seen.append(dict(item.split("=", 1) for item in environ.decode().split("\0") if "=" in item))
        stop.wait(0.02)


def test_the_worker_cleans_a_photo_and_a_voice_note_in_children_without_its_secrets(platform):
    photo = AttachmentPlaintext(name="IMG_0001.jpg", content_type="image/jpeg", content=_jpeg())
    note = encode(voiced(20.0, 48_000), 48_000, "FLAC", "PCM_16")
    voice = AttachmentPlaintext(name="voice.flac", content_type="audio/flac", content=note)
    stop, seen = threading.Event(), []
    watcher = threading.Thread(target=_children_environments, args=(stop, seen), daemon=True)
    watcher.start()
    try:
        created = submission_create_from_report(report=valid_report(), attachments=[photo, voice])
        wait_for(
            lambda: Submission.objects.get(id=created.submission.id).status == Submission.Status.PROCESSED,
            timeout=120,
            what="the worker to process the submission",
        )
    finally:
        stop.set()
        watcher.join(timeout=5)

    photo_row, voice_row = Attachment.objects.filter(report__submission_id=created.submission.id).order_by(
        "position"
    )
    assert (photo_row.cleaned, photo_row.flag) == (True, "")
    cleaned = unseal(bytes(photo_row.sanitised_sealed), context=f"attachment.content:{photo_row.pk}")
    assert b"SECRET" not in cleaned
    assert len(Image.open(io.BytesIO(cleaned)).getexif()) == 0
    assert photo_row.image_hash == similar.image_hash(cleaned) != ""  # from the child's bits
    assert (voice_row.cleaned, voice_row.flag, voice_row.content_type) == (True, "", "audio/ogg")
    disguised = unseal(bytes(voice_row.disguised_voice_sealed), context=f"attachment.voice:{voice_row.pk}")
    assert soundfile.info(io.BytesIO(disguised)).duration == pytest.approx(20.0, abs=0.1)

    # The worker holds the identity; the children it started for these attachments did not.
    assert len(seen) >= 2, "no sandbox child was seen"
    for environment in seen:
        assert "AGE_IDENTITY_FILE" not in environment
        assert not {"DATABASE_URL", "KEYS_DIR", "CELERY_BROKER_URL", "REDIS_URL"} & set(environment)
        assert not any(name.endswith("_FILE") for name in environment)
    logs = platform.log_text()
    assert "sandbox failed" not in logs
    assert "Landlock is not available" not in logs
