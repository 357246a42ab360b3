"""Signed evidence packages: contents, verification (ours and standard tools), tampering, scope, jobs."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import shutil
import subprocess
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.urls import reverse

from testimony.evidence.verify import verify_package
from tests.unit.evidence.local_tsa import down_url, running_tsa

pytestmark = pytest.mark.django_db

NAME_LATIN = "Farhod Karimov"
NAME_CYRILLIC = "Фарход Каримов"
LOGIN = "zarina.login"
ORIGINAL_VOICE = b"OggS-ORIGINAL-VOICE-OF-THE-SUBMITTER"
DISGUISED_VOICE = b"OggS-disguised-voice"
IMAGE = b"\xff\xd8\xff\xe0cleaned-image\xff\xd9"
CHUNKS = [b"age-encryption.org/v1\n-> X25519 chunk one ", b"chunk two", b" chunk three"]
CREATED = dt.datetime(2026, 5, 4, 10, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def tsa(tmp_path_factory):
    with running_tsa(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


def _write_private_key(path, key: Ed25519PrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


@pytest.fixture
def signing_key(tmp_path, settings):
    key = Ed25519PrivateKey.generate()
    path = tmp_path / "signing_ed25519.pem"
    _write_private_key(path, key)
    settings.SIGNING_KEY_FILE = path
    settings.EVIDENCE_EXPORT_DIR = tmp_path / "exports"
    settings.EVIDENCE_TSA_URL = None
    settings.EVIDENCE_TSA_CA_FILE = None
    return key


def _redacted_report(report_factory, caseload, *, language="ru", text=None):
    """A report whose original named someone; the sealed payload keeps the name, as the worker's does."""
    text = (
        text or "Утром [PERSON 1] видел, как ОМОН задержал людей на рынке в Москве. <script>alert(1)</script>"
    )
    start = text.find("[PERSON 1]")
    redactions = [
        {
            "start": start,
            "end": start + 10,
            "label": "PERSON",
            "placeholder": "[PERSON 1]",
            "original": NAME_CYRILLIC,
        }
    ]
    return report_factory(text=text, redactions=redactions, caseload=caseload, language=language)


@pytest.fixture
def world(personas, caseloads, report_factory, organisation):
    from testimony.accounts.models import User
    from testimony.crypto.atrest import seal
    from testimony.intake.models import Upload, UploadChunk
    from testimony.review.models import Attachment, Case, CaseReport, Comment
    from testimony.review.services.states import report_change_state

    first = _redacted_report(report_factory, caseloads["moscow"])
    second = _redacted_report(
        report_factory, caseloads["detention"], language="uz", text="Men [PERSON 1] bilan edim."
    )
    # Retention destroyed the second one's sealed original (a case holds it now).
    second.submission.original_destroyed_on = dt.date(2026, 3, 1)
    second.submission.report_ciphertext = b""
    second.submission.save(update_fields=["original_destroyed_on", "report_ciphertext"])

    upload = Upload.objects.create(
        token_hash="x" * 64, size=sum(map(len, CHUNKS)), received=sum(map(len, CHUNKS)),
        submission=first.submission, position=0, created_on=dt.date.today(),
    )  # fmt: skip
    for index, data in enumerate(CHUNKS):
        UploadChunk.objects.create(upload=upload, index=index, data=data)

    image = Attachment.objects.create(
        report=first, position=0, kind="image", content_type="image/jpeg", cleaned=True
    )
    image.sanitised_sealed = seal(IMAGE, context=f"attachment.content:{image.pk}")
    image.save(update_fields=["sanitised_sealed"])
    voice = Attachment.objects.create(
        report=first, position=1, kind="audio", content_type="audio/ogg", cleaned=True
    )
    voice.sanitised_sealed = seal(ORIGINAL_VOICE, context=f"attachment.content:{voice.pk}")
    voice.disguised_voice_sealed = seal(DISGUISED_VOICE, context=f"attachment.voice:{voice.pk}")
    voice.save(update_fields=["sanitised_sealed", "disguised_voice_sealed"])
    Attachment.objects.create(
        report=first, position=2, kind="document", content_type="application/pdf", cleaned=False,
        flag="document_not_sanitised",
    )  # fmt: skip
    # Things a package must never carry: a comment naming the person, and a reviewer's login name.
    comment = Comment.objects.create(report=first, author=personas["reviewer"], body_sealed=b"")
    comment.body_sealed = seal(f"Called {NAME_LATIN}".encode(), context=f"comment.body:{comment.pk}")
    comment.save(update_fields=["body_sealed"])
    handler = User.objects.create(username=LOGIN, role="coordinator", organisation=organisation)
    report_change_state(user=handler, report_id=first.pk, state="in_review")

    case = Case.objects.create(organisation=organisation, title="Raid at the market", units="ОМОН")
    CaseReport.objects.create(case=case, report=first, relation="witness", reliability="high")
    CaseReport.objects.create(case=case, report=second)
    return {"case": case, "first": first, "second": second, "handler": handler, "upload_chunks": CHUNKS}


def _build(world, user, *, tsa_url=None, tsa_ca_pem=None, created_at=CREATED) -> bytes:
    from testimony.evidence import packages

    rows, links, left_out = packages.package_contents(user=user, case=world["case"])
    out = io.BytesIO()
    packages.write_package(
        out,
        reports=rows,
        links=links,
        case=world["case"],
        requested_by=user,
        signing_key=packages.load_configured_signing_key(),
        tsa_url=tsa_url,
        tsa_ca_pem=tsa_ca_pem,
        created_at=created_at,
        left_out=left_out,
    )
    return out.getvalue()


_CACHE: dict[str, object] = {}


@pytest.fixture
def stamped(world, personas, signing_key, tsa):
    """A package of the case, timestamped by the local authority: (bytes, public key PEM, CA PEM)."""
    if "stamped" not in _CACHE:
        data = _build(world, personas["coordinator"], tsa_url=tsa.url, tsa_ca_pem=tsa.ca_file.read_bytes())
        public = signing_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        _CACHE["stamped"] = (data, public, tsa.ca_file.read_bytes(), world["first"].pk, world["second"].pk)
    return _CACHE["stamped"]


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _manifest(data: bytes) -> dict:
    return json.loads(_members(data)["manifest.json"])


# --- contents --------------------------------------------------------------------------------------


def test_a_package_verifies(stamped):
    data, public, ca, *_ = stamped
    check = verify_package(io.BytesIO(data), public_key_pem=public, tsa_ca_pem=ca)
    assert check.problems == []
    assert check.signature_valid
    assert check.timestamp_time
    assert check.files_checked == len(_manifest(data)["files"])


def test_every_member_but_the_manifest_its_signature_and_stamp_is_listed(stamped):
    data, *_ = stamped
    listed = {entry["path"] for entry in _manifest(data)["files"]}
    assert set(_members(data)) - listed == {"manifest.json", "manifest.sig", "manifest.tsr"}


def test_per_report_html_and_text_in_the_original_language(stamped):
    data, _public, _ca, first, second = stamped
    members = _members(data)
    html = members[f"reports/{first}/testimony.html"].decode()
    assert '<html lang="ru">' in html
    assert "[PERSON 1]" in html
    # Escaped, and nothing loaded from anywhere.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    assert "http://" not in html
    assert "https://" not in html
    assert "src=" not in html
    assert '<html lang="uz">' in members[f"reports/{second}/testimony.html"].decode()
    text = members[f"reports/{first}/testimony.txt"].decode()
    assert text.startswith("Утром [PERSON 1] видел")


def test_no_unredacted_text_and_no_login_name_in_any_member(stamped):
    data, *_ = stamped
    for name, content in _members(data).items():
        for secret in (NAME_LATIN, NAME_CYRILLIC, "Фарход", LOGIN):
            assert secret.encode() not in content, f"{secret} in {name}"
            assert json.dumps(secret).encode() not in content, f"{secret} (escaped) in {name}"


def test_audio_only_as_the_disguised_voice_and_unsanitised_files_withheld(stamped):
    data, _public, _ca, first, _second = stamped
    members = _members(data)
    assert all(ORIGINAL_VOICE not in content for content in members.values())
    assert members[f"reports/{first}/attachments/2-disguised-voice.ogg"] == DISGUISED_VOICE
    assert members[f"reports/{first}/attachments/1.jpg"] == IMAGE
    record = next(r for r in _manifest(data)["reports"] if r["id"] == str(first))
    by_position = {item["position"]: item for item in record["attachments"]}
    assert by_position[3]["file"] is None
    assert by_position[3]["treatment"].startswith("withheld")
    assert "disguised" in by_position[2]["treatment"]


def test_manifest_records_originals_custody_case_and_creation(world, personas, signing_key):
    data = _build(world, personas["coordinator"])
    first, second = world["first"].pk, world["second"].pk
    manifest = _manifest(data)
    records = {r["id"]: r for r in manifest["reports"]}
    chunks = b"".join(world["upload_chunks"])
    original = records[str(first)]["original"]
    assert (
        original["report_ciphertext"]["sha256"] == hashlib.sha256(b"age-encryption.org/v1 (test)").hexdigest()
    )
    assert original["uploads"] == [
        {"position": 1, "sha256": hashlib.sha256(chunks).hexdigest(), "size": len(chunks)}
    ]
    assert records[str(second)]["original"]["report_ciphertext"] == {"destroyed_on": "2026-03-01"}
    assert records[str(first)]["received_on"] == world["first"].received_on.isoformat()
    assert records[str(first)]["processing"]["analysis_version"] == "1"
    assert (records[str(first)]["relation"], records[str(first)]["reliability"]) == ("witness", "high")
    custody = records[str(first)]["custody"]
    assert {"on": custody[0]["on"], "by": world["handler"].pseudonym, "action": "report.state"} in custody
    assert manifest["case"]["units"] == "ОМОН"
    assert manifest["created"] == {"at": "2026-05-04T10:30:00Z", "by": personas["coordinator"].pseudonym}
    assert manifest["platform"]["version"]
    der = signing_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert manifest["signing_key"]["fingerprint_sha256"] == hashlib.sha256(der).hexdigest()


def test_the_same_content_gives_the_same_bytes(world, personas, signing_key):
    assert _build(world, personas["coordinator"]) == _build(world, personas["coordinator"])


# --- standard tools --------------------------------------------------------------------------------


def _run(args, cwd):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


def _sh(command: str, cwd):
    """A README one-liner, run as a reader would paste it into bash."""
    return _run(["bash", "-c", command], cwd)


def _unzip(data: bytes, folder):
    (folder / "package.zip").write_bytes(data)
    target = folder / "package"
    if shutil.which("unzip"):
        assert _run(["unzip", "-q", "package.zip", "-d", "package"], folder).returncode == 0
    else:
        zipfile.ZipFile(folder / "package.zip").extractall(target)
    return target


def test_the_readme_commands_check_the_package_with_sha256sum_and_openssl(stamped, tmp_path):
    data, _public, _ca, *_ = stamped
    folder = _unzip(data, tmp_path)
    signature = _run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signing_key.pem", "-rawin",
         "-in", "manifest.json", "-sigfile", "manifest.sig"], folder,
    )  # fmt: skip
    assert signature.returncode == 0, signature
    assert "Signature Verified Successfully" in signature.stdout
    sums = _run(["sha256sum", "-c", "SHA256SUMS"], folder)
    assert sums.returncode == 0, sums.stdout + sums.stderr
    assert sums.stdout.count(": OK") == len(_manifest(data)["files"]) - 1
    link = _sh(
        'grep -q "\\"sha256sums\\": \\"$(sha256sum SHA256SUMS | cut -c1-64)\\"" manifest.json',
        folder,
    )
    assert link.returncode == 0
    stamp = _run(
        [
            "openssl",
            "ts",
            "-verify",
            "-data",
            "manifest.json",
            "-in",
            "manifest.tsr",
            "-CAfile",
            "tsa_ca.pem",
        ],
        folder,
    )
    assert stamp.returncode == 0, stamp
    assert "Verification: OK" in stamp.stdout
    fingerprint = _sh("openssl pkey -pubin -in signing_key.pem -outform DER | sha256sum", folder)
    assert fingerprint.stdout.split()[0] == _manifest(data)["signing_key"]["fingerprint_sha256"]
    # The README inside the package says the same.
    assert _manifest(data)["signing_key"]["fingerprint_sha256"] in (folder / "README.txt").read_text()


def test_standard_tools_see_a_changed_file_and_a_changed_manifest(stamped, tmp_path):
    data, _public, _ca, first, _second = stamped
    folder = _unzip(data, tmp_path)
    text = folder / "reports" / str(first) / "testimony.txt"
    text.write_bytes(text.read_bytes().replace("ОМОН".encode(), "ОМ0Н".encode()))
    assert _run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], folder).returncode != 0
    # A forger who also rewrites SHA256SUMS passes `sha256sum -c`, but not the link to the signed manifest.
    rewritten = _sh(
        "sha256sum $(cut -c67- SHA256SUMS) > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS", folder
    )
    assert rewritten.returncode == 0
    assert _run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], folder).returncode == 0
    link = _sh('grep -q "\\"sha256sums\\": \\"$(sha256sum SHA256SUMS | cut -c1-64)\\"" manifest.json', folder)
    assert link.returncode != 0
    manifest = folder / "manifest.json"
    manifest.write_bytes(manifest.read_bytes().replace(b'"witness"', b'"victim"'))
    signature = _run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "signing_key.pem", "-rawin",
         "-in", "manifest.json", "-sigfile", "manifest.sig"], folder,
    )  # fmt: skip
    assert signature.returncode != 0


# --- tampering -------------------------------------------------------------------------------------

# Every kind of member a package holds; the first test below fails if a new kind appears.
ROLES = {
    "html": lambda name: name.endswith("/testimony.html"),
    "text": lambda name: name.endswith("/testimony.txt"),
    "image": lambda name: name.endswith("/attachments/1.jpg"),
    "voice": lambda name: name.endswith("-disguised-voice.ogg"),
    "sums": lambda name: name == "SHA256SUMS",
    "public_key": lambda name: name == "signing_key.pem",
    "readme": lambda name: name == "README.txt",
    "tsa_ca": lambda name: name == "tsa_ca.pem",
    "manifest": lambda name: name == "manifest.json",
    "signature": lambda name: name == "manifest.sig",
    "timestamp": lambda name: name == "manifest.tsr",
}


def _rezip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_the_roles_cover_every_member(stamped):
    data, *_ = stamped
    for name in _members(data):
        assert any(match(name) for match in ROLES.values()), f"no tampering test covers {name}"


@pytest.mark.parametrize("position", ["first", "middle", "last"])
@pytest.mark.parametrize("role", sorted(ROLES))
def test_a_flipped_byte_anywhere_is_detected(stamped, role, position):
    data, public, ca, *_ = stamped
    members = _members(data)
    for name in [name for name in members if ROLES[role](name)]:
        content = bytearray(members[name])
        index = {"first": 0, "middle": len(content) // 2, "last": len(content) - 1}[position]
        content[index] ^= 0x01
        tampered = _rezip({**members, name: bytes(content)})
        # Checked with the keys the reader trusts, and with only what the package ships.
        for key, authority in ((public, ca), (None, None)):
            check = verify_package(io.BytesIO(tampered), public_key_pem=key, tsa_ca_pem=authority)
            assert not check.ok, f"flipped byte {index} of {name} went unnoticed"


def test_a_missing_or_an_extra_file_is_detected(stamped):
    data, public, ca, first, _second = stamped
    members = _members(data)
    missing = {name: content for name, content in members.items() if not name.endswith("1.jpg")}
    check = verify_package(io.BytesIO(_rezip(missing)), public_key_pem=public, tsa_ca_pem=ca)
    assert any("missing" in problem for problem in check.problems)
    extra = {**members, f"reports/{first}/attachments/4.jpg": b"planted"}
    check = verify_package(io.BytesIO(_rezip(extra)), public_key_pem=public, tsa_ca_pem=ca)
    assert any("not in the manifest" in problem for problem in check.problems)


def test_a_package_signed_by_another_key_is_refused_with_the_published_key(
    stamped, world, personas, tmp_path, settings
):
    _data, public, _ca, *_ = stamped
    path = tmp_path / "other.pem"
    _write_private_key(path, Ed25519PrivateKey.generate())
    settings.SIGNING_KEY_FILE = path
    forged = _build(world, personas["coordinator"])
    assert verify_package(io.BytesIO(forged)).ok  # self-consistent...
    assert not verify_package(io.BytesIO(forged), public_key_pem=public).ok  # ...but not by the published key


# --- requests, scope, jobs -------------------------------------------------------------------------


def test_building_runs_as_a_background_job_enqueued_on_commit(
    world, personas, signing_key, console_client, django_capture_on_commit_callbacks
):
    from testimony.audit.models import AuditEntry
    from testimony.evidence.jobs import job_file
    from testimony.evidence.models import ExportJob

    client = console_client(personas["coordinator"])
    url = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    job = ExportJob.objects.get()
    assert (job.level, job.format, job.status) == ("package", "zip", "queued")
    assert response.status_code == 302
    assert str(job.pk) in response["Location"]
    assert len(callbacks) == 1
    entry = AuditEntry.objects.get(action="evidence.package")
    assert (entry.object_type, entry.object_id, entry.actor_id) == (
        "case",
        str(world["case"].pk),
        personas["coordinator"].pk,
    )

    callbacks[0]()  # the worker (eager in unit tests)

    job.refresh_from_db()
    assert job.status == "done", job.failure_reason
    assert job.rows_done == job.rows_total == 2
    assert job.disclosure["timestamp"] == "not_configured"
    path = job_file(job)
    assert verify_package(path).ok
    assert hashlib.sha256(path.read_bytes()).hexdigest() == job.sha256
    assert AuditEntry.objects.filter(action="evidence.package_built", details__sha256=job.sha256).exists()
    page = client.get(reverse("console:evidence_package", kwargs={"package_id": job.pk}))
    assert page.status_code == 200
    assert "No time-stamping authority is configured" in page.content.decode()
    # The download goes through the packages' own signed link, and serves this very file.
    link = re.search(r'href="(/console/evidence/packages/download/[^"]+)"', page.content.decode())
    assert link, "no download link on the finished package's page"
    download = client.get(link.group(1))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == job.sha256


def test_a_tsa_that_is_down_still_gives_a_package_and_the_job_says_so(
    django_capture_on_commit_callbacks, world, personas, signing_key, settings, console_client
):
    from testimony.evidence.jobs import job_file
    from testimony.evidence.models import ExportJob

    settings.EVIDENCE_TSA_URL = down_url()
    client = console_client(personas["analyst"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk}))
    job = ExportJob.objects.get()
    assert job.status == "done"
    assert job.disclosure["timestamp"] == "unavailable"
    assert "manifest.tsr" not in zipfile.ZipFile(job_file(job)).namelist()
    page = client.get(reverse("console:evidence_package", kwargs={"package_id": job.pk})).content.decode()
    assert "did not answer" in page


def test_with_a_tsa_the_job_stamps_the_package(
    django_capture_on_commit_callbacks, world, personas, signing_key, settings, tsa, console_client
):
    from testimony.evidence.jobs import job_file
    from testimony.evidence.models import ExportJob

    settings.EVIDENCE_TSA_URL = tsa.url
    settings.EVIDENCE_TSA_CA_FILE = str(tsa.ca_file)
    with django_capture_on_commit_callbacks(execute=True):
        console_client(personas["coordinator"]).post(
            reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
        )
    job = ExportJob.objects.get()
    assert job.disclosure["timestamp"] == "stamped"
    check = verify_package(job_file(job), tsa_ca_pem=tsa.ca_file.read_bytes())
    assert check.ok
    assert check.timestamp_time


def test_a_stamp_that_does_not_check_against_the_ca_is_left_out_and_the_result_says_invalid(
    world, personas, signing_key, tsa, tmp_path
):
    from testimony.evidence import packages
    from tests.unit.evidence.local_tsa import make_authority

    make_authority(tmp_path / "other", name="Other TSA")
    rows, links, _left_out = packages.package_contents(user=personas["coordinator"], case=world["case"])
    out = io.BytesIO()
    result = packages.write_package(
        out,
        reports=rows,
        links=links,
        case=world["case"],
        requested_by=personas["coordinator"],
        signing_key=signing_key,
        tsa_url=tsa.url,
        tsa_ca_pem=(tmp_path / "other" / "ca.pem").read_bytes(),
    )
    assert result.timestamp == packages.STAMP_INVALID
    assert result.timestamp_problem.startswith("the timestamp does not verify")
    assert "manifest.tsr" not in _members(out.getvalue())


def test_the_manifest_names_the_authority_without_its_credentials(world, personas, signing_key):
    url = down_url()
    with_credentials = url.replace("://", "://user:secret@") + "?key=secret"
    data = _build(world, personas["coordinator"], tsa_url=with_credentials)
    assert _manifest(data)["timestamp_authority"] == url
    assert not any(b"secret" in content for content in _members(data).values())


def test_a_user_outside_the_case_scope_cannot_build_a_package(world, personas, signing_key, console_client):
    from testimony.accounts.models import Organisation, User
    from testimony.evidence.models import ExportJob

    partner = Organisation.objects.get(name="Partner organisation")
    outsider = User.objects.create(username="partner_analyst", role="analyst", organisation=partner)
    url = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    assert console_client(outsider).post(url).status_code == 404
    # A reviewer may see the case but not export it.
    assert console_client(personas["reviewer"]).post(url).status_code == 403
    assert not ExportJob.objects.exists()


def test_a_selection_with_a_report_out_of_scope_is_refused_whole(
    django_capture_on_commit_callbacks, world, personas, signing_key, console_client, report_factory
):
    from testimony.accounts.models import Caseload, Organisation
    from testimony.evidence.models import ExportJob

    partner = Organisation.objects.get(name="Partner organisation")
    elsewhere = report_factory(caseload=Caseload.objects.create(organisation=partner, name="Theirs"))
    client = console_client(personas["coordinator"])
    url = reverse("console:evidence_package_new")
    ids = f"{world['first'].pk} {elsewhere.pk}"
    assert client.post(url, {"report_ids": ids}).status_code == 404
    assert not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"report_ids": str(world["first"].pk)})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.parameters == {"reports": [str(world["first"].pk)]}
    assert job.status == "done"


def test_another_organisations_package_page_is_not_found(
    django_capture_on_commit_callbacks, world, personas, signing_key, console_client
):
    from testimony.accounts.models import Organisation, User
    from testimony.evidence.models import ExportJob

    with django_capture_on_commit_callbacks(execute=True):
        console_client(personas["coordinator"]).post(
            reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
        )
    job = ExportJob.objects.get()
    partner = Organisation.objects.get(name="Partner organisation")
    outsider = User.objects.create(username="partner_coordinator", role="coordinator", organisation=partner)
    url = reverse("console:evidence_package", kwargs={"package_id": job.pk})
    assert console_client(outsider).get(url).status_code == 404


def test_without_a_signing_key_the_job_fails_with_a_reason(
    django_capture_on_commit_callbacks, world, personas, signing_key, settings, tmp_path, console_client
):
    from testimony.evidence.models import ExportJob

    settings.SIGNING_KEY_FILE = tmp_path / "absent.pem"
    with django_capture_on_commit_callbacks(execute=True):
        console_client(personas["coordinator"]).post(
            reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
        )
    job = ExportJob.objects.get()
    assert (job.status, job.failure_reason) == ("failed", "no_signing_key")


def test_the_case_page_offers_the_package_to_those_who_may_build_it(world, personas, console_client):
    url = reverse("console:case", kwargs={"case_id": world["case"].pk})
    build = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    assert build in console_client(personas["coordinator"]).get(url).content.decode()
    assert build not in console_client(personas["reviewer"]).get(url).content.decode()
    # The confirmation page says what the package will hold, and builds on POST.
    page = console_client(personas["analyst"]).get(build).content.decode()
    assert "The package of this case will hold 2 reports." in page
    assert f'action="{build}"' in page


def test_the_benchmark_command_builds_and_verifies_a_package(db):
    out = io.StringIO()
    call_command("bench_evidence_package", "--reports", "3", stdout=out)
    assert "Built a package of 3 reports" in out.getvalue()
    assert "verified in" in out.getvalue()


def test_a_crash_while_building_fails_the_job_and_leaves_no_partial_file(
    world, personas, signing_key, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from testimony.evidence import packages
    from testimony.evidence.package_tasks import build_package
    from testimony.evidence.services.packages import package_request

    def explode(*_args, **_kwargs):
        raise RuntimeError(f"{NAME_LATIN} must not reach a log")

    monkeypatch.setattr(packages, "write_package", explode)
    with django_capture_on_commit_callbacks(execute=False):
        job = package_request(user=personas["coordinator"], case=world["case"])
    from testimony.processing.failures import TaskCrashed

    with pytest.raises(TaskCrashed) as raised:
        build_package.apply(kwargs={"job_id": str(job.pk)})
    assert NAME_LATIN not in repr(raised.value)  # scrubbed: the class name only
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == ("failed", "unexpected_error")
    assert list((settings.EVIDENCE_EXPORT_DIR).glob("*")) == []
    # A second delivery of the same task finds nothing to claim.
    assert build_package.apply(kwargs={"job_id": str(job.pk)}).result == "skipped"


def test_linked_reports_outside_the_requesters_scope_are_left_out_and_counted(
    world, personas, signing_key, console_client, report_factory, django_capture_on_commit_callbacks
):
    from testimony.accounts.models import Caseload, Organisation
    from testimony.evidence.jobs import job_file
    from testimony.evidence.models import ExportJob
    from testimony.review.models import CaseReport

    partner = Organisation.objects.get(name="Partner organisation")
    theirs = report_factory(caseload=Caseload.objects.create(organisation=partner, name="Theirs"))
    CaseReport.objects.create(case=world["case"], report=theirs)
    client = console_client(personas["coordinator"])
    url = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    page = client.get(url).content.decode()
    assert "will hold 2 reports" in page
    assert "1 more linked report is outside your scope" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = ExportJob.objects.get()
    manifest = json.loads(zipfile.ZipFile(job_file(job)).read("manifest.json"))
    assert manifest["reports_outside_scope"] == 1
    assert str(theirs.pk) not in {record["id"] for record in manifest["reports"]}
    assert job.disclosure["left_out"] == 1


def test_a_package_stopped_by_its_time_limit_is_marked_timed_out(
    world, personas, signing_key, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # given a package job whose build runs into the task's soft time limit
    from celery.exceptions import SoftTimeLimitExceeded

    from testimony.evidence import jobs, packages
    from testimony.evidence.package_tasks import build_package
    from testimony.evidence.services.packages import package_request
    from testimony.processing.failures import TaskCrashed

    def too_slow(*_args, **_kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr(packages, "write_package", too_slow)
    with django_capture_on_commit_callbacks(execute=False):
        job = package_request(user=personas["coordinator"], case=world["case"])
    # when the worker runs it (body, scrubbing and on_failure, as Celery calls them)
    with pytest.raises(TaskCrashed, match="SoftTimeLimitExceeded"):
        build_package.apply(kwargs={"job_id": str(job.pk)})
    # then the job says so, in words the page can show, and nothing was kept
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == ("failed", jobs.FAILED_TIMEOUT)
    assert packages.failure_label(job.failure_reason)
    assert list(settings.EVIDENCE_EXPORT_DIR.glob("*")) == []


# --- who may build and download (evidence.package, docs/permissions.md "Evidence packages") -------


def _built_package(world, user, django_capture_on_commit_callbacks):
    from testimony.evidence.services.packages import package_request

    with django_capture_on_commit_callbacks(execute=True):
        job = package_request(user=user, case=world["case"])
    job.refresh_from_db()
    assert job.status == "done", job.failure_reason
    return job


def _package_link(job) -> str:
    from testimony.evidence.jobs import download_token

    return reverse("console:evidence_package_download", kwargs={"token": download_token(job)})


@pytest.mark.parametrize("role", ["coordinator", "analyst"])
def test_roles_with_the_package_permission_build_and_download_a_package(
    role, world, personas, signing_key, console_client, django_capture_on_commit_callbacks
):
    from testimony.audit.models import AuditEntry
    from testimony.evidence.models import ExportJob

    client = console_client(personas[role])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk}))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == "done", job.failure_reason
    download = client.get(_package_link(job))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == job.sha256
    # Each download is on the record, with what left.
    entry = AuditEntry.objects.get(action="evidence.download", object_id=str(job.pk))
    assert entry.actor_id == personas[role].pk
    assert (entry.details["level"], entry.details["sha256"]) == ("package", job.sha256)


def test_a_bad_or_expired_package_link_says_so_on_the_packages_page(
    world, personas, signing_key, console_client, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from testimony.audit.models import AuditEntry
    from testimony.evidence.models import ExportJob

    job = _built_package(world, personas["coordinator"], django_capture_on_commit_callbacks)
    client = console_client(personas["coordinator"])
    package_page = reverse("console:evidence_package", kwargs={"package_id": job.pk})
    # A link that is not one: gone, pointing at building a package (no job to name).
    forged = client.get(reverse("console:evidence_package_download", kwargs={"token": "not-a-token"}))
    assert forged.status_code == 410
    assert "Build the package again" in forged.content.decode()
    assert package_page not in forged.content.decode()
    # The package's time is up: gone, with a way back to its page.
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    expired = client.get(_package_link(job))
    assert expired.status_code == 410
    assert package_page in expired.content.decode()
    assert not AuditEntry.objects.filter(action="evidence.download").exists()


@pytest.mark.parametrize("role", ["reviewer", "custodian", "administrator"])
def test_roles_without_the_package_permission_can_neither_build_nor_download(
    role, world, personas, signing_key, console_client, django_capture_on_commit_callbacks
):
    from testimony.audit.models import AuditEntry
    from testimony.evidence.jobs import download_token
    from testimony.evidence.models import ExportJob

    job = _built_package(world, personas["coordinator"], django_capture_on_commit_callbacks)
    client = console_client(personas[role])
    build_case = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    assert client.get(build_case).status_code == 403
    assert client.post(build_case).status_code == 403
    build_selection = reverse("console:evidence_package_new")
    assert client.post(build_selection, {"report_ids": str(world["first"].pk)}).status_code == 403
    assert client.get(reverse("console:evidence_package", kwargs={"package_id": job.pk})).status_code == 403
    assert client.get(_package_link(job)).status_code == 403
    # Nor through the exports' download view, which these roles may not use at all (for those who
    # may, it refuses packages: test_the_exports_download_view_does_not_serve_a_package).
    export_link = reverse("console:evidence_export_download", kwargs={"token": download_token(job)})
    assert client.get(export_link).status_code == 403
    assert ExportJob.objects.count() == 1
    assert not AuditEntry.objects.filter(action="evidence.download").exists()


def test_the_exports_download_view_does_not_serve_a_package(
    world, personas, signing_key, console_client, django_capture_on_commit_callbacks
):
    from testimony.evidence.jobs import download_token

    # given a finished package and a coordinator, who may export and build packages
    job = _built_package(world, personas["coordinator"], django_capture_on_commit_callbacks)
    client = console_client(personas["coordinator"])
    # when the package's token is used on the exports' path, then it is not found there
    url = reverse("console:evidence_export_download", kwargs={"token": download_token(job)})
    assert client.get(url).status_code == 404
    assert client.get(_package_link(job)).status_code == 200


def test_the_package_permission_not_the_export_one_decides(
    world, personas, signing_key, console_client, monkeypatch, django_capture_on_commit_callbacks
):
    from testimony.accounts.models import Role
    from testimony.accounts.permissions import PERMISSIONS, can
    from testimony.evidence.models import ExportJob

    job = _built_package(world, personas["analyst"], django_capture_on_commit_callbacks)
    # given analysts who may still export but no longer build packages
    monkeypatch.setitem(PERMISSIONS, "evidence.package", frozenset({Role.COORDINATOR}))
    analyst = personas["analyst"]
    assert can(analyst, "evidence.export")
    client = console_client(analyst)
    # then every package view refuses them
    build = reverse("console:evidence_package_case", kwargs={"case_id": world["case"].pk})
    assert client.post(build).status_code == 403
    assert client.get(reverse("console:evidence_package", kwargs={"package_id": job.pk})).status_code == 403
    assert client.get(_package_link(job)).status_code == 403
    assert ExportJob.objects.count() == 1
    # and the case page no longer offers the package
    case_page = client.get(reverse("console:case", kwargs={"case_id": world["case"].pk})).content.decode()
    assert build not in case_page


def test_the_worker_refuses_a_job_whose_requester_lost_the_permission(
    world, personas, signing_key, settings, django_capture_on_commit_callbacks
):
    from testimony.audit.models import AuditEntry
    from testimony.evidence.models import ExportJob
    from testimony.evidence.package_tasks import build_package
    from testimony.evidence.packages import failure_label
    from testimony.evidence.services.packages import package_request

    # given a package asked for by an analyst, who is then made a reviewer before it runs
    analyst = personas["analyst"]
    with django_capture_on_commit_callbacks(execute=False):
        job = package_request(user=analyst, case=world["case"])
    analyst.role = "reviewer"
    analyst.save(update_fields=["role"])
    # when the worker takes the job
    build_package.apply(kwargs={"job_id": str(job.pk)})
    # then it is refused, with words for the page, and nothing was written or signed
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == (ExportJob.Status.FAILED, "refused")
    assert failure_label(job.failure_reason)
    assert not list(settings.EVIDENCE_EXPORT_DIR.glob("*"))
    assert not AuditEntry.objects.filter(action="evidence.package_built").exists()


def test_the_worker_refuses_a_job_when_the_role_loses_the_package_permission(
    world, personas, signing_key, monkeypatch, django_capture_on_commit_callbacks
):
    from testimony.accounts.models import Role
    from testimony.accounts.permissions import PERMISSIONS
    from testimony.evidence.package_tasks import build_package
    from testimony.evidence.services.packages import package_request

    with django_capture_on_commit_callbacks(execute=False):
        job = package_request(user=personas["analyst"], case=world["case"])
    # The matrix changes (an upgrade) while the job waits; evidence.export is untouched.
    monkeypatch.setitem(PERMISSIONS, "evidence.package", frozenset({Role.COORDINATOR}))
    build_package.apply(kwargs={"job_id": str(job.pk)})
    job.refresh_from_db()
    assert (job.status, job.failure_reason) == ("failed", "refused")
