"""Key management commands: init_keys and rotate_data_key."""

import base64
import json
import os
import stat

import pytest
from django.core.management import CommandError, call_command

from testimony.crypto.atrest import seal, sealed_with_current_key, unseal
from testimony.crypto.keys import KeyFiles


def test_init_keys_creates_every_key_with_mode_0600(tmp_path):
    call_command("init_keys", "--keys-dir", str(tmp_path / "keys"))
    files = KeyFiles(tmp_path / "keys")
    for path in files.all():
        assert path.exists(), path.name
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    assert files.recipient.read_text().startswith("age1")
    assert len(base64.b64decode(files.data_keys.read_text().strip())) == 32
    assert b"PRIVATE KEY" in files.signing_key.read_bytes()


def test_init_keys_refuses_to_overwrite(tmp_path):
    call_command("init_keys", "--keys-dir", str(tmp_path))
    before = (tmp_path / "data_keys").read_bytes()
    with pytest.raises(CommandError, match="Refusing to overwrite"):
        call_command("init_keys", "--keys-dir", str(tmp_path))
    assert (tmp_path / "data_keys").read_bytes() == before


def test_init_keys_can_wrap_the_identity_with_a_passphrase(tmp_path, settings):
    import pyrage

    settings.AGE_IDENTITY_PASSPHRASE = "a long enough passphrase"
    call_command("init_keys", "--keys-dir", str(tmp_path), "--passphrase")
    wrapped = (tmp_path / "intake_identity.age").read_bytes()
    assert wrapped.startswith(b"age-encryption.org/v1\n")
    assert b"AGE-SECRET-KEY" not in wrapped
    assert b"AGE-SECRET-KEY" in pyrage.passphrase.decrypt(wrapped, "a long enough passphrase")


@pytest.mark.django_db
def test_rotate_data_key_re_encrypts_everything_in_batches(settings, capsys):
    from testimony.intake.models import Submission
    from testimony.intake.services import submission_create_from_report
    from tests.conftest import valid_report

    old_key = settings.DATA_KEYS[0]
    ids = []
    for _ in range(5):
        submission = submission_create_from_report(report=valid_report(), attachments=[]).submission
        facts = json.dumps({"kind": "raid"}).encode()
        Submission.objects.filter(id=submission.id).update(
            facts_sealed=seal(facts, context=f"submission.facts:{submission.id}")
        )
        ids.append(submission.id)
    new_key = base64.b64encode(os.urandom(32)).decode()
    settings.DATA_KEYS = [new_key, old_key]

    call_command("rotate_data_key", "--batch-size", "2")

    assert "5 values" in capsys.readouterr().out
    settings.DATA_KEYS = [new_key]  # the old key is gone, and everything still opens
    for submission in Submission.objects.filter(id__in=ids):
        value = bytes(submission.facts_sealed)
        assert sealed_with_current_key(value)
        assert json.loads(unseal(value, context=f"submission.facts:{submission.id}")) == {"kind": "raid"}


def test_rotate_data_key_prints_a_new_key(capsys):
    call_command("rotate_data_key", "--new-key")
    assert len(base64.b64decode(capsys.readouterr().out.strip())) == 32
