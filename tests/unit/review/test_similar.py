"""Duplicate and related suggestions: keyed fingerprints from the worker, exact and near matches, scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import io

import pytest
from PIL import Image, ImageDraw

from testimony.crypto import padding
from testimony.review import similar
from testimony.review.models import Attachment, Report

pytestmark = pytest.mark.django_db

RAID = (
    "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве. Проверяли патенты, "
    "всех без патента посадили в автобус и увезли в отдел, там держали до вечера без воды."
)
RAID_RETOLD = (
    "Сегодня утром [PERSON 2] видел, как ОМОН задержал людей на рынке в Москве. Проверяли патенты, "
    "всех без патента посадили в автобус и увезли в отдел."
)
UNRELATED = "В ЦВСИГ в Москве нас кормили только хлебом, врача не было две недели, спали на полу."


def picture(seed: int = 0, size: int = 96) -> Image.Image:
    image = Image.new("RGB", (size, size), (240, 240, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10 + seed, 10, 50 + seed, 60), fill=(20, 20, 160))
    draw.ellipse((55, 40 + seed, 90, 80 + seed), fill=(170, 30, 30))
    return image


def encoded(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def with_fingerprints(
    report: Report, *, text: str | None = None, images: list[bytes] = (), files: list[bytes] = ()
):
    """Set what the worker would have computed for a report made by ``report_factory``."""
    if text is not None:
        report.text_fingerprint = similar.text_fingerprint(text)
        report.save(update_fields=["text_fingerprint"])
    for position, content in enumerate([*images, *files]):
        is_image = position < len(images)
        Attachment.objects.create(
            report=report,
            position=position,
            kind="image" if is_image else "document",
            content_type="image/png" if is_image else "application/pdf",
            cleaned=is_image,
            content_fingerprint=similar.content_fingerprint(content),
            image_hash=similar.image_hash(content) if is_image else "",
        )
    return report


# --- Fingerprints ---------------------------------------------------------------------------


def test_text_fingerprint_is_keyed_and_ignores_case_and_spacing():
    text = "ОМОН   задержал людей\nна рынке"
    fingerprint = similar.text_fingerprint(text)
    assert fingerprint == similar.text_fingerprint("омон задержал людей на рынке ")
    assert fingerprint != similar.text_fingerprint("ОМОН задержал людей на стройке")
    # A thief with the database but not the key cannot confirm a text by hashing it.
    plain = similar.normalise_text(text).encode()
    assert fingerprint not in {hashlib.sha256(plain).hexdigest(), hashlib.sha256(text.encode()).hexdigest()}
    assert similar.text_fingerprint("  ") == ""


def test_image_hash_is_near_for_the_same_picture_and_far_for_another():
    original = similar.image_hash(encoded(picture()))
    recompressed = similar.image_hash(encoded(picture().resize((80, 80)), "JPEG", quality=60))
    other = similar.image_hash(
        encoded(Image.new("RGB", (96, 96), (0, 0, 0)).rotate(45, fillcolor=(255, 255, 0)))
    )
    assert len(original) == 16
    assert similar.hamming(original, recompressed) <= similar.IMAGE_DISTANCE
    assert similar.hamming(original, other) > similar.IMAGE_DISTANCE
    assert similar.image_hash(b"not an image") == ""


def test_the_worker_stores_keyed_fingerprints_of_text_and_attachments():
    from testimony.intake.services import submission_create_from_report
    from testimony.processing import tasks
    from tests.conftest import valid_report

    photo = encoded(picture(), "JPEG", quality=90)
    created = []
    for _ in range(2):
        submission = submission_create_from_report(
            report=valid_report(),
            attachments=[padding.AttachmentPlaintext(name="p.jpg", content_type="image/jpeg", content=photo)],
        ).submission
        assert tasks.process_submission(submission_id=str(submission.id)) == "processed"
        created.append(Report.objects.get(pk=submission.id))
    first, second = created
    assert len(first.text_fingerprint) == 64
    assert first.text_fingerprint == second.text_fingerprint  # the same account, twice
    a, b = first.attachments.get(), second.attachments.get()
    assert a.kind == "image"
    assert len(a.content_fingerprint) == 64
    assert len(a.image_hash) == 16
    assert a.content_fingerprint == b.content_fingerprint
    # Keyed: not the plain hash of the bytes the worker sealed, nor of what was sent.
    assert a.content_fingerprint != hashlib.sha256(photo).hexdigest()


# --- Suggestions ----------------------------------------------------------------------------


def ids(suggestions) -> dict:
    return {s.report_id: s for s in suggestions}


def test_exact_suggestions_by_same_text_and_same_attachment(personas, caseloads, report_factory):
    user = personas["reviewer"]
    report = with_fingerprints(
        report_factory(text=RAID, caseload=caseloads["moscow"]), text=RAID, files=[b"%PDF-1 act"]
    )
    same_text = with_fingerprints(report_factory(text=RAID, caseload=caseloads["detention"]), text=RAID)
    same_file = with_fingerprints(
        report_factory(text=UNRELATED, places=[], received_on=dt.date(2020, 1, 1)),
        text=UNRELATED,
        files=[b"%PDF-1 act"],
    )
    unrelated = with_fingerprints(report_factory(text=UNRELATED, places=[]), text=UNRELATED)

    found = ids(similar.suggest_similar(user=user, report=report))

    assert found[same_text.pk].kind == "exact"
    assert "Same text" in found[same_text.pk].reasons
    assert found[same_file.pk].kind == "exact"
    assert "Same attachment" in found[same_file.pk].reasons
    assert unrelated.pk not in found
    assert report.pk not in found


def test_near_suggestion_by_place_date_and_similar_text(personas, report_factory):
    user = personas["reviewer"]
    day = dt.date(2025, 3, 10)
    report = with_fingerprints(report_factory(text=RAID, received_on=day), text=RAID)
    retold = with_fingerprints(
        report_factory(text=RAID_RETOLD, received_on=day + dt.timedelta(days=20)), text=RAID_RETOLD
    )
    other_event = with_fingerprints(report_factory(text=UNRELATED, received_on=day), text=UNRELATED)
    months_later = with_fingerprints(
        report_factory(text=RAID_RETOLD, received_on=day + dt.timedelta(days=120)), text=RAID_RETOLD
    )
    elsewhere = report_factory(
        text=RAID_RETOLD.replace("Москве", "Казани"),
        received_on=day,
        places=[
            {
                "start": 0,
                "end": 1,
                "text": "x",
                "name": "Kazan",
                "country": "RU",
                "admin1": "Tatarstan",
                "lat": 55.79,
                "lon": 49.12,
                "precision": "city",
            }
        ],
    )

    found = ids(similar.suggest_similar(user=user, report=report))

    assert set(found) == {retold.pk}
    suggestion = found[retold.pk]
    assert suggestion.kind == "near"
    assert any(reason.startswith("Similar text") for reason in suggestion.reasons)
    assert "Same city: Moscow" in suggestion.reasons
    assert 0 < suggestion.score < 1
    assert other_event.pk not in found
    assert months_later.pk not in found
    assert elsewhere.pk not in found


def test_near_suggestion_by_similar_photo(personas, report_factory):
    user = personas["reviewer"]
    photo = encoded(picture())
    report = with_fingerprints(report_factory(text=RAID), text=RAID, images=[photo])
    same_scene = with_fingerprints(
        report_factory(text=UNRELATED),
        text=UNRELATED,
        images=[encoded(picture(seed=1).resize((120, 120)), "JPEG", quality=50)],
    )
    different = with_fingerprints(
        report_factory(text=UNRELATED + " Ещё."),
        text=UNRELATED + " Ещё.",
        images=[encoded(Image.new("RGB", (64, 64), (0, 90, 0)).rotate(30, fillcolor=(255, 255, 255)))],
    )

    found = ids(similar.suggest_similar(user=user, report=report))

    assert "Similar photo" in found[same_scene.pk].reasons
    assert found[same_scene.pk].kind == "near"
    assert different.pk not in found


def test_reports_outside_the_users_scope_are_never_suggested(personas, caseloads, report_factory):
    limited = personas["reviewer_detention_only"]
    report = with_fingerprints(
        report_factory(text=RAID, caseload=caseloads["detention"]), text=RAID, files=[b"doc"]
    )
    outside_exact = with_fingerprints(
        report_factory(text=RAID, caseload=caseloads["moscow"]), text=RAID, files=[b"doc"]
    )
    outside_near = with_fingerprints(
        report_factory(text=RAID_RETOLD, caseload=caseloads["moscow"]), text=RAID_RETOLD
    )
    inside = with_fingerprints(
        report_factory(text=RAID_RETOLD, caseload=caseloads["detention"]), text=RAID_RETOLD
    )

    found = ids(similar.suggest_similar(user=limited, report=report))

    assert set(found) == {inside.pk}
    assert outside_exact.pk not in found
    assert outside_near.pk not in found
    # The whole organisation's reviewer sees all three.
    assert set(ids(similar.suggest_similar(user=personas["reviewer"], report=report))) == {
        outside_exact.pk,
        outside_near.pk,
        inside.pk,
    }


def test_only_a_bounded_candidate_set_is_decrypted(personas, report_factory, monkeypatch):
    user = personas["reviewer"]
    report = report_factory(text=RAID)
    for _ in range(similar.MAX_CANDIDATES + 10):
        report_factory(text=RAID_RETOLD)
    opened = []
    real = similar._redacted_text
    monkeypatch.setattr(similar, "_redacted_text", lambda row: opened.append(row.pk) or real(row))

    similar.suggest_similar(user=user, report=report, limit=5)

    assert len(opened) <= similar.MAX_CANDIDATES + 1  # the candidates and the report itself
