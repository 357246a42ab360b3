"""Checking an evidence package: every file against the signed manifest, the signature, the timestamp.

Pure Python, no Django: ``manage.py verify_evidence`` prints what ``verify_package`` finds, and a
reader without this platform can run the same checks with ``sha256sum`` and ``openssl`` alone
(README, "Checking an evidence package with standard tools"). The package is read in memory,
never extracted, so a hostile archive cannot write anywhere.

The layout (``packages.py`` writes it):

- ``manifest.json``: every other file with its SHA-256 and size, and what the package documents;
  ``manifest.sig``: Ed25519 over the exact bytes of ``manifest.json`` (``openssl pkeyutl -rawin``);
  ``manifest.tsr``: optional RFC 3161 timestamp of ``manifest.json``. These three are the only
  members the manifest does not list.
- ``SHA256SUMS``: the same hashes in ``sha256sum -c`` format; its own hash is in the manifest
  (``files`` and the top-level ``sha256sums``), so the signature covers it.
- ``signing_key.pem``: the public key, for convenience only: trust comes from comparing its
  fingerprint (SHA-256 of the DER SubjectPublicKeyInfo) with one published out of band.
- ``tsa_ca.pem``: the time-stamping authority's CA, when one is configured (same caveat).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "testimony-evidence-package/1"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"
TIMESTAMP = "manifest.tsr"
PUBLIC_KEY = "signing_key.pem"
SUMS = "SHA256SUMS"
TSA_CA = "tsa_ca.pem"
README = "README.txt"
# Members the manifest cannot list: itself, and what is made from it after it is written.
UNLISTED = frozenset({MANIFEST, SIGNATURE, TIMESTAMP})
_CHUNK = 1 << 20


def public_key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """SHA-256 (hex) of the DER SubjectPublicKeyInfo: ``openssl pkey -pubin -outform DER | sha256sum``."""
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM; ValueError otherwise."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def sha256sums_text(entries: list[dict]) -> bytes:
    """``sha256sum -c`` input: one ``<hex>  <path>`` line per entry (two spaces: binary-safe text mode)."""
    return "".join(f"{entry['sha256']}  {entry['path']}\n" for entry in entries).encode("utf-8")


def safe_member_path(path: str) -> bool:
    """Relative, forward slashes, no ``..``, nothing a careless unzip could write outside its folder."""
    if not path or "\\" in path or "\x00" in path or path.startswith("/"):
        return False
    parts = PurePosixPath(path).parts
    return all(part not in ("", ".", "..") for part in parts) and ":" not in parts[0]


@dataclass
class PackageCheck:
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files_checked: int = 0
    fingerprint: str = ""
    key_source: str = ""  # "given" (--public-key) or "package" (signing_key.pem)
    signature_valid: bool = False
    timestamp_time: str = ""  # ISO 8601 UTC, when a timestamp verified
    manifest: dict | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_package(
    source: str | Path | BinaryIO,
    *,
    public_key_pem: bytes | None = None,
    tsa_ca_pem: bytes | None = None,
) -> PackageCheck:
    """Check a package; every problem found is listed (the check goes on after the first).

    ``public_key_pem``: the key to check the signature with (else the package's own
    ``signing_key.pem``, noted as such). ``tsa_ca_pem``: the CA to check a timestamp with (else
    the package's ``tsa_ca.pem``). A timestamp that is present but cannot be checked is a problem.
    """
    check = PackageCheck()
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        check.problems.append(f"not a readable ZIP file ({type(error).__name__})")
        return check
    with archive:
        _verify_archive(archive, check, public_key_pem=public_key_pem, tsa_ca_pem=tsa_ca_pem)
    return check


def _read(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):  # absent, or corrupt (CRC, compression)
        return None


def _verify_archive(archive, check: PackageCheck, *, public_key_pem, tsa_ca_pem) -> None:
    names = [info.filename for info in archive.infolist()]
    members = set(names)
    for name in sorted({name for name in names if names.count(name) > 1}):
        check.problems.append(f"{name}: appears more than once in the archive")

    manifest_bytes = _read(archive, MANIFEST)
    if manifest_bytes is None:
        check.problems.append(f"{MANIFEST} is missing or unreadable")
        return
    _verify_signature(archive, check, manifest_bytes, public_key_pem)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError
    except (UnicodeDecodeError, ValueError):
        check.problems.append(f"{MANIFEST} is not a manifest (not JSON with a list of files)")
        return
    check.manifest = manifest
    if manifest.get("format") != FORMAT:
        check.problems.append(f"{MANIFEST}: unknown format {str(manifest.get('format'))[:60]!r}")
    listed = _verify_files(archive, check, manifest["files"], members)
    for name in sorted(members - set(listed) - UNLISTED):
        check.problems.append(f"{name}: in the archive but not in the manifest")
    _verify_key_record(check, manifest)
    _verify_sums(archive, check, manifest)
    _verify_timestamp(archive, check, manifest_bytes, members, tsa_ca_pem)


def _verify_signature(archive, check: PackageCheck, manifest_bytes: bytes, public_key_pem) -> None:
    shipped = _read(archive, PUBLIC_KEY)
    try:
        if public_key_pem is not None:
            key = load_public_key(public_key_pem)
            check.key_source = "given"
            if shipped is not None:
                try:
                    if public_key_fingerprint(load_public_key(shipped)) != public_key_fingerprint(key):
                        check.problems.append(f"{PUBLIC_KEY} in the package is not the key you gave")
                except ValueError:
                    check.problems.append(f"{PUBLIC_KEY} in the package is not an Ed25519 public key")
        elif shipped is not None:
            key = load_public_key(shipped)
            check.key_source = "package"
        else:
            check.problems.append(f"no public key: {PUBLIC_KEY} is missing and none was given")
            return
    except ValueError:
        check.problems.append("the public key is not an Ed25519 public key in PEM")
        return
    check.fingerprint = public_key_fingerprint(key)
    signature = _read(archive, SIGNATURE)
    if signature is None:
        check.problems.append(f"{SIGNATURE} is missing or unreadable")
        return
    try:
        key.verify(signature, manifest_bytes)
    except InvalidSignature:
        check.problems.append(f"{SIGNATURE} is not a valid signature of {MANIFEST} by this key")
        return
    check.signature_valid = True


def _verify_files(archive, check: PackageCheck, entries: list, members: set[str]) -> list[str]:
    listed: list[str] = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            check.problems.append(f"{MANIFEST}: a file entry without a path")
            continue
        path = entry["path"]
        listed.append(path)
        if not safe_member_path(path) or path in UNLISTED:
            check.problems.append(f"{path[:120]!r}: not a path a package may hold")
            continue
        if path not in members:
            check.problems.append(f"{path}: listed in the manifest but missing")
            continue
        digest, size = hashlib.sha256(), 0
        try:
            with archive.open(path) as member:
                while chunk := member.read(_CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
        except (zipfile.BadZipFile, OSError, ValueError):
            check.problems.append(f"{path}: cannot be read from the archive (corrupt)")
            continue
        if size != entry.get("size"):
            check.problems.append(f"{path}: size {size}, the manifest says {entry.get('size')}")
        if digest.hexdigest() != entry.get("sha256"):
            check.problems.append(f"{path}: SHA-256 does not match the manifest")
        check.files_checked += 1
    for path in sorted({path for path in listed if listed.count(path) > 1}):
        check.problems.append(f"{path}: listed more than once in the manifest")
    return listed


def _verify_key_record(check: PackageCheck, manifest: dict) -> None:
    recorded = (manifest.get("signing_key") or {}).get("fingerprint_sha256")
    if check.fingerprint and recorded != check.fingerprint:
        check.problems.append("the manifest names another signing key than the one that checked it")


def _verify_sums(archive, check: PackageCheck, manifest: dict) -> None:
    sums = _read(archive, SUMS)
    if sums is None:
        check.problems.append(f"{SUMS} is missing or unreadable")
        return
    if manifest.get("sha256sums") != hashlib.sha256(sums).hexdigest():
        check.problems.append(f"{SUMS} does not match the hash the manifest gives for it")
    expected = sha256sums_text([entry for entry in manifest["files"] if entry.get("path") != SUMS])
    if sums != expected:
        check.problems.append(f"{SUMS} does not list the manifest's files and hashes")


def _verify_timestamp(
    archive, check: PackageCheck, manifest_bytes: bytes, members: set[str], tsa_ca_pem
) -> None:
    from testimony.evidence.timestamp import TimestampError, timestamp_verify

    if TIMESTAMP not in members:
        check.notes.append("no timestamp in the package (manifest.tsr)")
        return
    token = _read(archive, TIMESTAMP) or b""
    ca = tsa_ca_pem if tsa_ca_pem is not None else _read(archive, TSA_CA)
    if ca is None:
        check.problems.append(f"{TIMESTAMP} cannot be checked: give the authority's CA (--tsa-ca)")
        return
    if tsa_ca_pem is None:
        check.notes.append(f"timestamp checked against the package's own {TSA_CA}")
    try:
        stamp = timestamp_verify(token, manifest_bytes, ca_pem=ca)
    except TimestampError as error:
        check.problems.append(f"{TIMESTAMP}: {error}")
        return
    check.timestamp_time = stamp.time.strftime("%Y-%m-%dT%H:%M:%SZ")
    check.notes.append(f"timestamped {check.timestamp_time} by {stamp.authority or 'the authority'}")
