"""Re-encryption of every value sealed at rest under the current (first) data key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from testimony.crypto.atrest import seal, sealed_with_current_key, unseal
from testimony.crypto.keys import data_keys


@dataclass(frozen=True)
class SealedField:
    model: str
    field: str
    context: Callable[[object], str]


# Every column sealed with a data key. A new sealed column must be added here, or rotation misses it.
SEALED_FIELDS = [
    SealedField("intake.Submission", "facts_sealed", lambda row: f"submission.facts:{row.pk}"),
    SealedField("intake.Message", "body_sealed", lambda row: f"message.body:{row.pk}"),
    SealedField("review.Report", "text_sealed", lambda row: f"report.text:{row.pk}"),
    SealedField("review.Attachment", "sanitised_sealed", lambda row: f"attachment.content:{row.pk}"),
    SealedField("review.Attachment", "disguised_voice_sealed", lambda row: f"attachment.voice:{row.pk}"),
]


def rotate_all(*, batch_size: int = 500, progress: Callable[[str, int], None] | None = None) -> int:
    """Re-seal, in batches of ``batch_size`` rows each in its own transaction, all values under older keys."""
    keys = data_keys()
    total = 0
    for sealed_field in SEALED_FIELDS:
        model = apps.get_model(sealed_field.model)
        last_pk = None
        while True:
            with transaction.atomic():
                rows = model.objects.exclude(**{sealed_field.field: None}).order_by("pk")
                if last_pk is not None:
                    rows = rows.filter(pk__gt=last_pk)
                batch = list(rows.select_for_update()[:batch_size])
                if not batch:
                    break
                for row in batch:
                    value = bytes(getattr(row, sealed_field.field))
                    if not sealed_with_current_key(value, keys=keys):
                        context = sealed_field.context(row)
                        plaintext = unseal(value, context=context, keys=keys)
                        setattr(row, sealed_field.field, seal(plaintext, context=context, keys=keys))
                        row.save(update_fields=[sealed_field.field])
                        total += 1
                last_pk = batch[-1].pk
            if progress:
                progress(sealed_field.model, total)
    return total


def count_under_old_keys() -> int:
    keys = data_keys()
    count = 0
    for sealed_field in SEALED_FIELDS:
        model = apps.get_model(sealed_field.model)
        for value in model.objects.exclude(**{sealed_field.field: None}).values_list(
            sealed_field.field, flat=True
        ):
            count += not sealed_with_current_key(bytes(value), keys=keys)
    return count
