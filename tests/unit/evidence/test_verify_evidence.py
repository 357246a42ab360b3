"""``manage.py verify_evidence``: a clear report, and a non-zero exit on any problem."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.unit.evidence.local_tsa import running_tsa

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def _pem(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with running_tsa(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


@pytest.fixture
def package(tmp_path, personas, report_factory, caseloads, tsa):
    """A stamped package of one report, on disk: (path, signing key)."""
    from testimony.evidence.packages import write_package

    key = Ed25519PrivateKey.generate()
    report = report_factory(caseload=caseloads["moscow"])
    path = tmp_path / "package.zip"
    with path.open("wb") as out:
        write_package(
            out,
            reports=[report],
            requested_by=personas["analyst"],
            signing_key=key,
            tsa_url=tsa.url,
            tsa_ca_pem=tsa.ca_file.read_bytes(),
        )
    (tmp_path / "published.pem").write_bytes(_pem(key))
    return path, key


def _verify(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify_evidence", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_good_package_passes_and_the_report_says_what_was_checked(package, tsa):
    path, _key = package
    out, _err = _verify(path, "--public-key", path.parent / "published.pem", "--tsa-ca", tsa.ca_file)
    assert "Signature over manifest.json: valid" in out
    # testimony.html and .txt, signing_key.pem, tsa_ca.pem, README.txt, SHA256SUMS
    assert "Files checked against the manifest: 6" in out
    assert "timestamped" in out
    assert "Result: OK" in out


def test_without_the_published_key_the_report_says_to_compare_the_fingerprint(package, tsa):
    path, _key = package
    out, _err = _verify(path, "--tsa-ca", tsa.ca_file)
    assert "compare with the fingerprint the organisation published" in out
    assert "Result: OK" in out


def test_another_published_key_fails(package, tmp_path):
    path, _key = package
    (tmp_path / "other.pem").write_bytes(_pem(Ed25519PrivateKey.generate()))
    with pytest.raises(CommandError, match="does not verify"):
        _verify(path, "--public-key", tmp_path / "other.pem")


def test_a_changed_file_is_named_in_the_report(package, tmp_path):
    path, _key = package
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    text = next(name for name in members if name.endswith("testimony.txt"))
    members[text] = members[text].replace("ОМОН".encode(), "полиция".encode())
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("verify_evidence", str(tampered), stdout=io.StringIO(), stderr=err)
    assert f"{text}: SHA-256 does not match the manifest" in err.getvalue()


def test_not_a_zip_fails_cleanly(tmp_path):
    junk = tmp_path / "junk.zip"
    junk.write_bytes(b"not a zip")
    with pytest.raises(CommandError):
        _verify(junk)


def test_the_command_line_exits_non_zero_on_a_problem_and_zero_when_clean(package, tmp_path, tsa):
    path, _key = package
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"}
    command = [sys.executable, "manage.py", "verify_evidence", "--tsa-ca", str(tsa.ca_file)]
    good = subprocess.run([*command, str(path)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert good.returncode == 0, good.stderr
    data = bytearray(path.read_bytes())
    sig_at = data.find(b"manifest.sig")  # the member's local header; its 64 bytes follow the name
    data[sig_at + len(b"manifest.sig") + 10] ^= 0x01
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bytes(data))
    bad = subprocess.run([*command, str(broken)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "Problems" in bad.stderr
