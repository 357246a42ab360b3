"""What the page's code encrypts, pyrage and the stock `age` command decrypt."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from testimony.crypto import age, padding
from testimony.crypto.keys import load_intake_identity

ROOT = Path(__file__).resolve().parents[3]
SAMPLE = ROOT / "frontend" / "scripts" / "encrypt-sample.mjs"

needs_node = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "frontend" / "node_modules").exists(),
    reason="needs Node and `cd frontend && npm ci`",
)


@pytest.fixture
def page_encrypted(tmp_path):
    source = tmp_path / "voice-note.ogg"
    source.write_bytes(b"OggS\x00\x02" + bytes(range(256)) * 400)
    target = tmp_path / "voice-note.ogg.age"
    subprocess.run(
        ["node", str(SAMPLE), settings.AGE_RECIPIENT, str(source), str(target), "--type", "audio/ogg"],
        check=True,
        capture_output=True,
    )
    return source.read_bytes(), target


@needs_node
def test_pyrage_decrypts_what_the_page_encrypts(page_encrypted):
    original, target = page_encrypted
    ciphertext = target.read_bytes()
    age.check_envelope(ciphertext, minimum_plaintext=padding.ATTACHMENT_MIN_BYTES, maximum_bytes=10**8)
    item = padding.unpack_attachment(age.decrypt(ciphertext, load_intake_identity()))
    assert item.content == original
    assert item.content_type == "audio/ogg"


@needs_node
@pytest.mark.skipif(shutil.which("age") is None, reason="needs the stock age command (apt install age)")
def test_stock_age_decrypts_what_the_page_encrypts(page_encrypted):
    original, target = page_encrypted
    result = subprocess.run(
        ["age", "-d", "-i", settings.AGE_IDENTITY_FILE, str(target)], check=True, capture_output=True
    )
    assert padding.unpack_attachment(result.stdout).content == original
