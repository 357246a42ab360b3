import shutil
import subprocess

import pyrage
import pytest

from testimony.crypto import age, padding
from testimony.crypto.keys import IdentityUnavailable, load_intake_identity


def _padded_report_ciphertext(report):
    return age.encrypt_to_intake(padding.pad_report(report))


def test_intake_ciphertext_opens_with_the_identity(report):
    ciphertext = _padded_report_ciphertext(report)
    assert ciphertext.startswith(b"age-encryption.org/v1\n")
    assert padding.unpad_report(age.decrypt(ciphertext, load_intake_identity())) == report


def test_envelope_check_accepts_whole_padded_files(report):
    ciphertext = _padded_report_ciphertext(report)
    size = age.check_envelope(ciphertext, minimum_plaintext=padding.REPORT_MIN_BYTES, maximum_bytes=10**6)
    assert size == padding.REPORT_MIN_BYTES


@pytest.mark.parametrize("cut", [1, 16, 100, 3000])
def test_envelope_check_catches_truncation(report, cut):
    ciphertext = _padded_report_ciphertext(report)
    with pytest.raises(age.MalformedCiphertext):
        age.check_envelope(ciphertext[:-cut], minimum_plaintext=padding.REPORT_MIN_BYTES, maximum_bytes=10**6)


def test_envelope_check_refuses_unpadded_plaintext():
    ciphertext = age.encrypt_to_intake(b'{"v":1}')
    with pytest.raises(age.MalformedCiphertext):
        age.check_envelope(ciphertext, minimum_plaintext=padding.REPORT_MIN_BYTES, maximum_bytes=10**6)


@pytest.mark.parametrize(
    "blob",
    [b"", b"hello", b"age-encryption.org/v1\n", b"age-encryption.org/v1\n-> scrypt abc 10\nxyz\n--- abc\n"],
)
def test_envelope_check_refuses_non_age_bytes(blob):
    with pytest.raises(age.MalformedCiphertext):
        age.check_envelope(blob, minimum_plaintext=padding.REPORT_MIN_BYTES, maximum_bytes=10**6)


@pytest.mark.parametrize(
    ("plaintext_size", "expected"),
    [(0, 0), (1, 1), (65536, 65536), (65537, 65537), (200_000, 200_000)],
)
def test_plaintext_length_inverts_age_payload_sizes(plaintext_size, expected):
    identity = pyrage.x25519.Identity.generate()
    ciphertext = pyrage.encrypt(b"x" * plaintext_size, [identity.to_public()])
    header_end = ciphertext.index(b"\n---") + 1
    header_end = ciphertext.index(b"\n", header_end) + 1
    assert age.plaintext_length(len(ciphertext) - header_end) == expected


def test_web_process_without_identity_cannot_decrypt(settings, report):
    # given a process configured like the web: recipient only
    settings.AGE_IDENTITY_FILE = None
    load_intake_identity.cache_clear()
    ciphertext = _padded_report_ciphertext(report)
    # then it can encrypt but has no way to decrypt
    try:
        with pytest.raises(IdentityUnavailable):
            load_intake_identity()
    finally:
        load_intake_identity.cache_clear()
    assert ciphertext.startswith(age.AGE_MAGIC)


def test_passphrase_wrapped_identity_loads(settings, tmp_path, report):
    identity = pyrage.x25519.Identity.generate()
    wrapped = tmp_path / "identity.age"
    wrapped.write_bytes(pyrage.passphrase.encrypt(f"{identity}\n".encode(), "correct horse battery"))
    settings.AGE_IDENTITY_FILE = str(wrapped)
    settings.AGE_IDENTITY_PASSPHRASE = "correct horse battery"
    load_intake_identity.cache_clear()
    try:
        assert str(load_intake_identity()) == str(identity)
        settings.AGE_IDENTITY_PASSPHRASE = None
        load_intake_identity.cache_clear()
        with pytest.raises(IdentityUnavailable):
            load_intake_identity()
    finally:
        load_intake_identity.cache_clear()


@pytest.mark.skipif(
    shutil.which("age") is None, reason="the stock age command is not installed (apt install age)"
)
def test_stock_age_command_decrypts_server_ciphertext(settings, tmp_path, report):
    ciphertext = _padded_report_ciphertext(report)
    (tmp_path / "report.age").write_bytes(ciphertext)
    result = subprocess.run(
        ["age", "-d", "-i", settings.AGE_IDENTITY_FILE, str(tmp_path / "report.age")],
        capture_output=True,
        check=True,
    )
    assert padding.unpad_report(result.stdout) == report
