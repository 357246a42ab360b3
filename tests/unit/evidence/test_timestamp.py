"""RFC 3161 client against a local ``openssl ts`` authority: request, verify, and what fails."""

from __future__ import annotations

import subprocess

import pytest

from testimony.evidence.timestamp import TimestampError, timestamp_request, timestamp_verify
from tests.unit.evidence.local_tsa import down_url, make_authority, running_tsa

DATA = b'{"files": [], "format": "testimony-evidence-package/1"}\n'


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with running_tsa(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


def test_a_stamp_verifies_with_this_module_and_with_openssl(tsa, tmp_path):
    # given / when
    token = timestamp_request(DATA, url=tsa.url)
    stamp = timestamp_verify(token, DATA, ca_pem=tsa.ca_file.read_bytes())
    # then
    assert stamp.time.tzinfo is not None
    assert "Test TSA" in stamp.authority
    assert len(tsa.requests) >= 1
    (tmp_path / "manifest.json").write_bytes(DATA)
    (tmp_path / "manifest.tsr").write_bytes(token)
    done = subprocess.run(
        ["openssl", "ts", "-verify", "-data", "manifest.json", "-in", "manifest.tsr",
         "-CAfile", str(tsa.ca_file)],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Verification: OK" in done.stdout


def test_the_request_carries_only_a_hash_of_the_data(tsa):
    secret = b"Farhod told us about the raid " * 10
    timestamp_request(secret, url=tsa.url)
    assert b"Farhod" not in tsa.requests[-1]


def test_a_stamp_of_other_data_does_not_verify(tsa):
    token = timestamp_request(DATA, url=tsa.url)
    with pytest.raises(TimestampError):
        timestamp_verify(token, DATA + b" ", ca_pem=tsa.ca_file.read_bytes())


def test_a_stamp_from_an_authority_under_another_ca_does_not_verify(tsa, tmp_path):
    token = timestamp_request(DATA, url=tsa.url)
    make_authority(tmp_path / "other", name="Other TSA")
    with pytest.raises(TimestampError):
        timestamp_verify(token, DATA, ca_pem=(tmp_path / "other" / "ca.pem").read_bytes())


@pytest.mark.parametrize("position", [0, 200, -1])
def test_a_flipped_byte_in_the_token_is_detected(tsa, position):
    token = bytearray(timestamp_request(DATA, url=tsa.url))
    token[position] ^= 0x01
    with pytest.raises(TimestampError):
        timestamp_verify(bytes(token), DATA, ca_pem=tsa.ca_file.read_bytes())


def test_an_authority_that_is_down_is_an_error_not_a_hang():
    with pytest.raises(TimestampError, match="could not be reached"):
        timestamp_request(DATA, url=down_url(), timeout=5)


def test_only_http_urls_are_asked():
    with pytest.raises(TimestampError):
        timestamp_request(DATA, url="file:///etc/passwd")


def test_a_changed_copy_of_the_ca_carried_in_the_token_is_detected(tsa):
    # The authority carries its root in the token; the signer's chain check does not need that
    # copy, so only the check of carried certificates can see a byte changed there.
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    token = timestamp_request(DATA, url=tsa.url)
    root = x509.load_pem_x509_certificate(tsa.ca_file.read_bytes()).public_bytes(serialization.Encoding.DER)
    at = token.find(root)
    assert at > 0, "the local authority should carry its root"
    for offset in (40, len(root) // 2, len(root) - 5):  # in the name, the key, the signature
        changed = bytearray(token)
        changed[at + offset] ^= 0x01
        with pytest.raises(TimestampError):
            timestamp_verify(bytes(changed), DATA, ca_pem=tsa.ca_file.read_bytes())
