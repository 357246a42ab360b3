"""Attachments are decoded in a confined child: no key, no file, no socket, and no trust in its answer."""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import time
from pathlib import Path

import pytest
import soundfile
from celery.exceptions import SoftTimeLimitExceeded
from PIL import Image

from testimony.crypto.atrest import unseal
from testimony.crypto.padding import AttachmentPlaintext
from testimony.intake.services import submission_create_from_report
from testimony.processing import tasks
from testimony.processing.attachments import confine, sandbox, sanitise
from testimony.processing.dhash import difference_hash
from testimony.review import similar
from testimony.review.models import Attachment
from tests.conftest import valid_report
from tests.unit.processing.attachments import media
from tests.unit.processing.attachments.signals import encode, f0_of, voiced
from tests.unit.processing.attachments.test_images import GPS, _jpeg

TEST_CHILD = "tests.unit.processing.sandbox_child"
MARKER = b"SANDBOX-PLAINTEXT-7f3a"
SECRETS = {
    "DATA_KEYS": "c2VjcmV0LWRhdGEta2V5",
    "AGE_IDENTITY_FILE": "/keys/intake_identity.age",
    "AGE_IDENTITY_PASSPHRASE": "secret-passphrase",
    "DJANGO_SECRET_KEY": "secret-django-key",
    "RECEIPT_PEPPER_FILE": "/keys/receipt_pepper",
    "DATABASE_URL": "postgres://worker:secret-password@db/testimony",
    "REDIS_URL": "redis://:secret@redis/1",
}


def _request(declared_type: str, content: bytes) -> bytes:
    header = {"v": sandbox.PROTOCOL, "declared_type": declared_type, "keep_location": False}
    return sandbox.frame(json.dumps(header).encode()) + sandbox.frame(content)


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "data_keys"
    path.write_text("secret-data-key\n")
    return path


@pytest.fixture(scope="module")
def child_view(secret_file) -> dict:
    """What a child sees of itself once confined, started by a worker that holds secrets."""
    kept, theirs = socket.socketpair()  # a worker's database connection, say
    theirs.set_inheritable(True)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in SECRETS.items():
                patch.setenv(name, value)
            response = sandbox.run_child(
                _request("test/report", str(secret_file).encode()),
                timeout=60,
                limit=1 << 20,
                module=TEST_CHILD,
            )
    finally:
        kept.close()
        theirs.close()
    _header, content, _voice = sandbox.read_response(response)
    return json.loads(content)


def test_the_child_environment_holds_no_secret(child_view):
    environment = child_view["environment"]
    assert set(environment) == set(sandbox._CHILD_ENVIRONMENT)
    assert not any(name.endswith("_FILE") for name in environment)
    for value in SECRETS.values():
        assert value not in json.dumps(environment)
    assert child_view["modules"] == []  # no Django settings were loaded (they read the key files)


def test_the_child_is_limited_before_it_reads_the_attachment(child_view):
    limits = child_view["rlimits"]
    assert limits["RLIMIT_AS"] == [confine.MEMORY_LIMIT, confine.MEMORY_LIMIT]
    assert limits["RLIMIT_CPU"][0] == confine.CPU_SECONDS
    assert limits["RLIMIT_FSIZE"] == [0, 0]
    assert limits["RLIMIT_NOFILE"] == [confine.MAX_OPEN_FILES, confine.MAX_OPEN_FILES]
    assert limits["RLIMIT_NPROC"] == [0, 0]
    assert limits["RLIMIT_CORE"] == [0, 0]
    assert child_view["no_new_privs"] == 1


def test_the_child_inherits_no_descriptor_but_its_pipes(child_view):
    fds = {int(fd): mode for fd, mode in child_view["open_fds"].items()}
    assert set(fds) <= {0, 1, 2, 3}  # stdin, stdout, stderr (/dev/null) and the answer's copy
    assert not any(stat.S_ISSOCK(mode) for mode in fds.values())


def test_the_child_works_in_the_root_directory_not_the_project(child_view):
    assert child_view["cwd"] == "/"


@pytest.mark.skipif(confine.landlock_abi() < 1, reason="this kernel has no Landlock")
def test_the_child_cannot_read_key_files_or_the_worker(child_view):
    attempts = child_view["attempts"]
    for attempt in (
        "read secret file",
        "write a file",
        "list the root directory",
        "read the worker's environment",
    ):
        assert attempts[attempt] == "PermissionError", attempt
    assert child_view["ptrace_attach"] == -1


@pytest.mark.skipif(
    os.uname().machine not in confine.DENIED_SYSCALLS, reason="no seccomp filter for this architecture"
)
def test_the_child_cannot_open_sockets_or_run_programs(child_view):
    assert child_view["seccomp"] == 2
    attempts = child_view["attempts"]
    for attempt in ("open a socket", "open a unix socket", "run a program"):
        assert attempts[attempt] == "PermissionError", attempt


def test_the_seccomp_program_jumps_to_its_verdicts():
    program = confine.seccomp_program("x86_64")
    allow, errno, kill = len(program) - 3, len(program) - 2, len(program) - 1
    assert program[allow][3] == confine._SECCOMP_RET_ALLOW
    assert program[1][1] == 0
    assert 1 + 1 + program[1][2] == kill  # another architecture: killed
    for index in range(3, allow):
        _code, true, false, _k = program[index]
        assert (index + 1 + true, false) == (errno, 0)
    denied = {instruction[3] for instruction in program[3:allow]}
    assert {41, 42, 59, 101, 0x40000000} <= denied  # socket, connect, execve, ptrace, x32


# --- failures: the attachment stays sealed, the log holds no plaintext ----------------------


@pytest.fixture
def test_child(monkeypatch):
    monkeypatch.setattr(sandbox, "_CHILD_MODULE", TEST_CHILD)


def _original() -> bytes:
    return b"\xff\xd8\xff\xe0" + MARKER * 50


def _assert_sealed(result, original: bytes) -> None:
    assert (result.cleaned, result.reason) == (False, "sandbox_failed")
    assert result.content == original
    assert (result.kind, result.content_type, result.disguised_voice) == ("image", "image/jpeg", None)


def _assert_logged(caplog, phrase: str) -> None:
    messages = [record.getMessage() for record in caplog.records]
    assert any("sandbox failed" in message and phrase in message for message in messages), messages
    assert MARKER.decode() not in caplog.text
    assert all(record.exc_info is None for record in caplog.records)


def _sandbox_children() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if TEST_CHILD.encode() in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except (OSError, ValueError):
            pass
    return found


def test_a_decoder_that_crashes_leaves_the_attachment_sealed(test_child, caplog):
    original = _original()
    result = sandbox.sanitise_isolated(original, declared_type="test/abort")
    _assert_sealed(result, original)
    _assert_logged(caplog, "SIGABRT")


@pytest.mark.parametrize("mode", ["test/hang", "test/spin"])
def test_a_decoder_that_never_finishes_is_killed_at_the_timeout(test_child, caplog, mode):
    original = _original()
    started = time.monotonic()
    result = sandbox.sanitise_isolated(original, declared_type=mode, timeout=4)
    assert time.monotonic() - started < 30  # killed, not waited for
    _assert_sealed(result, original)
    _assert_logged(caplog, "timeout")
    assert _sandbox_children() == []


def test_the_task_time_limit_is_not_swallowed_and_the_child_dies_with_it(test_child, monkeypatch):
    def time_is_up(process, request, **kwargs):
        assert process.poll() is None  # the child is running
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(sandbox, "_exchange", time_is_up)
    with pytest.raises(SoftTimeLimitExceeded):
        sandbox.sanitise_isolated(_original(), declared_type="test/hang")
    assert _sandbox_children() == []


def test_a_module_imported_after_confinement_is_named_as_the_cause(test_child, caplog):
    result = sandbox.sanitise_isolated(_original(), declared_type="test/import")
    _assert_sealed(result, _original())
    _assert_logged(caplog, "preload")


def test_output_that_is_not_frames_is_rejected(test_child, caplog):
    result = sandbox.sanitise_isolated(_original(), declared_type="test/garbage")
    _assert_sealed(result, _original())
    _assert_logged(caplog, "rejected output")


def test_output_over_the_limit_is_cut_off(test_child, caplog, monkeypatch):
    monkeypatch.setattr(sandbox, "_response_limit", lambda: 64 * 1024)
    result = sandbox.sanitise_isolated(_original(), declared_type="test/flood")
    _assert_sealed(result, _original())
    _assert_logged(caplog, "size limit")


def test_a_child_that_sends_the_photo_back_untouched_is_not_believed(test_child, caplog):
    photo = _jpeg()  # EXIF with GPS, camera serial, XMP, a comment
    result = sandbox.sanitise_isolated(photo, declared_type="test/lie")
    assert (result.cleaned, result.reason, result.content) == (False, "sandbox_failed", photo)
    _assert_logged(caplog, "rejected output (jpeg metadata)")


def test_an_answer_a_check_trips_over_leaves_the_attachment_sealed_and_its_bytes_unlogged(
    monkeypatch, caplog
):
    photo = _jpeg()
    honest = sanitise(photo, keep_location=True)
    at = honest.content.index(b"Exif\0\0") + 6
    forged = honest.content[:at] + MARKER[:8] + honest.content[at + 8 :]  # no TIFF header
    answer = sandbox.frame(json.dumps(sandbox.response_header(honest)).encode())
    answer += sandbox.frame(forged) + sandbox.frame(b"")
    monkeypatch.setattr(sandbox, "run_child", lambda *args, **kwargs: answer)

    result = sandbox.sanitise_isolated(photo, declared_type="image/jpeg", keep_location=True)

    assert (result.cleaned, result.reason, result.content) == (False, "sandbox_failed", photo)
    _assert_logged(caplog, "rejected output (exif)")
    assert MARKER[:8].decode() not in caplog.text


def test_a_failed_attachment_is_recorded_sealed_and_the_submission_is_not_retried(test_child, db):
    photo = AttachmentPlaintext(name="photo.jpg", content_type="test/abort", content=_original())
    created = submission_create_from_report(report=valid_report(), attachments=[photo])

    assert tasks.process_submission(submission_id=str(created.submission.id)) == "processed"

    attachment = Attachment.objects.get(report__submission=created.submission)
    assert (attachment.cleaned, attachment.flag) == (False, "sandbox_failed")
    assert attachment.sanitised_sealed is None
    assert attachment.disguised_voice_sealed is None


def test_the_worker_cleans_attachments_in_the_sandbox_and_opens_no_image_itself(db, settings, monkeypatch):
    settings.ATTACHMENT_SANDBOX = True
    children = []
    real = sandbox.run_child
    monkeypatch.setattr(sandbox, "run_child", lambda *a, **k: children.append(1) or real(*a, **k))
    # Not even the cleaned copy: the child's answer may be hostile, and the hash comes as bits.
    monkeypatch.setattr(Image, "open", lambda *a, **k: pytest.fail("the worker decoded an image"))
    photo = AttachmentPlaintext(name="photo.jpg", content_type="image/jpeg", content=_jpeg())
    created = submission_create_from_report(report=valid_report(), attachments=[photo])

    tasks.process_submission(submission_id=str(created.submission.id))

    monkeypatch.undo()
    attachment = Attachment.objects.get(report__submission=created.submission)
    assert children == [1]
    assert (attachment.cleaned, attachment.flag, attachment.content_type) == (True, "", "image/jpeg")
    cleaned = unseal(bytes(attachment.sanitised_sealed), context=f"attachment.content:{attachment.pk}")
    assert b"SECRET" not in cleaned
    assert len(Image.open(io.BytesIO(cleaned)).getexif()) == 0
    assert attachment.image_hash == similar.image_hash(cleaned) != ""


def test_with_the_sandbox_off_the_worker_decodes_in_process(db, settings, monkeypatch):
    settings.ATTACHMENT_SANDBOX = False
    monkeypatch.setattr(sandbox, "run_child", lambda *a, **k: pytest.fail("a child was started"))
    photo = AttachmentPlaintext(name="photo.jpg", content_type="image/jpeg", content=_jpeg())
    created = submission_create_from_report(report=valid_report(), attachments=[photo])

    tasks.process_submission(submission_id=str(created.submission.id))

    assert Attachment.objects.get(report__submission=created.submission).cleaned


# --- real attachments through the real child ------------------------------------------------


@pytest.mark.parametrize("keep_location", [False, True])
def test_a_photo_with_gps_comes_out_of_the_sandbox_clean(keep_location):
    photo = _jpeg()
    result = sandbox.sanitise_isolated(photo, declared_type="image/jpeg", keep_location=keep_location)

    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        True,
        "",
        "image",
        "image/jpeg",
    )
    assert b"SECRET" not in result.content
    exif = Image.open(io.BytesIO(result.content)).getexif()
    assert set(exif) == ({GPS} if keep_location else set())
    # The same bytes as the in-process function: the child runs the very same code.
    assert result.content == sanitise(photo, declared_type="image/jpeg", keep_location=keep_location).content
    assert result.image_bits == difference_hash(result.content) is not None


def test_a_voice_note_comes_out_of_the_sandbox_clean_and_disguised():
    note = media.m4a(voiced(3.0, 16_000), 16_000)  # AAC, decoded by FFmpeg in the child
    assert media.SECRET.encode() in note

    result = sandbox.sanitise_isolated(note, declared_type="audio/mp4")

    assert (result.cleaned, result.reason, result.content_type) == (True, "", "audio/mp4")
    for secret in (media.SECRET.encode(), media.LOCATION.encode()):
        assert secret not in result.content
    samples, rate = soundfile.read(io.BytesIO(result.disguised_voice), dtype="float32")
    assert samples.size / rate == pytest.approx(3.0, abs=0.1)
    assert 88 < f0_of(samples, rate) < 103  # lower than the 120 Hz voice, as in process


def _formats() -> dict:
    note = voiced(2.0, 48_000)
    png = io.BytesIO()
    Image.new("RGBA", (40, 30), (10, 200, 30, 128)).save(png, "PNG")
    webp = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 200, 30)).save(webp, "WEBP", lossless=True)
    frames = [Image.new("P", (40, 30), n) for n in (1, 2)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:], comment=b"SECRET", loop=0)
    return {
        "png": (png.getvalue(), ""),
        "webp": (webp.getvalue(), ""),
        "gif": (gif.getvalue(), ""),
        "ogg-opus": (encode(note, 48_000, "OGG", "OPUS"), ""),
        "mp3": (encode(note, 48_000, "MP3", "MPEG_LAYER_III"), "audio/mpeg"),
        "amr-nb": (media.amr_nb(voiced(2.0, 8_000)), ""),
        "webm-vorbis": (media.webm_vorbis(note, 48_000), ""),
        "m4a-alac": (media.m4a(voiced(1.0, 16_000), 16_000, codec="alac"), ""),
        "video": (media.mp4_video_with_sound(voiced(1.0, 16_000), 16_000), ""),
        "pdf": (b"%PDF-1.4 " + MARKER, ""),
    }


@pytest.mark.parametrize("name", list(_formats()))
def test_every_decoder_path_gives_the_same_result_in_the_sandbox(name):
    content, declared = _formats()[name]
    expected = sanitise(content, declared_type=declared)

    result = sandbox.sanitise_isolated(content, declared_type=declared)

    described = (result.cleaned, result.reason, result.kind, result.content_type, result.source_type)
    assert described == (
        expected.cleaned,
        expected.reason,
        expected.kind,
        expected.content_type,
        expected.source_type,
    )
    assert (result.disguised_voice is None) == (expected.disguised_voice is None)
    if not result.cleaned:
        assert result.content == content


def test_only_sound_makes_the_child_load_the_audio_resampler():
    """The worker's sniff tells the child whether to load scipy.signal (most of its start-up)."""
    import numpy as np

    tone = np.sin(np.linspace(0, 440 * 2 * np.pi, 16_000)).astype(np.float32)
    assert sandbox._maybe_audio(media.m4a(tone, 16_000), "audio/mp4") is True
    assert sandbox._maybe_audio(_jpeg(), "image/jpeg") is False
    assert sandbox._maybe_audio(b"%PDF-1.7 not a picture", "application/pdf") is False
