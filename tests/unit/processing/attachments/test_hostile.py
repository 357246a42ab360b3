"""Whatever arrives, sanitise returns a result: it never raises and never writes a file."""

import builtins
import io
import os
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from testimony.processing.attachments import Sanitised, sanitise
from tests.unit.processing.attachments import media
from tests.unit.processing.attachments.signals import encode, voiced

SIGNATURES = [
    b"\xff\xd8\xff\xe0",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
    b"GIF89a",
    b"RIFF\x00\x01\x00\x00WEBPVP8 ",
    b"RIFF\x00\x01\x00\x00WAVEfmt ",
    b"OggS\x00\x02" + bytes(20) + b"\x01\x13OpusHead",
    b"OggS\x00\x02" + bytes(20) + b"\x01\x1e\x01vorbis",
    b"fLaC",
    b"ID3\x04\x00\x00\x00\x00\x00\x00",
    b"\xff\xfb\x90\x64",
    b"\x1a\x45\xdf\xa3",
    b"\x1a\x45\xdf\xa3\x84\x42\x82\x84webm\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff",
    b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A isom",
    b"#!AMR\n",
    b"#!AMR\n\x3c",
    b"#!AMR-WB\n\x44",
    b"\x00\x00\x00\x14ftyp3gp4\x00\x00\x00\x003gp4",
    b"%PDF-1.4",
    b"PK\x03\x04",
    b"",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.sampled_from(SIGNATURES),
    tail=st.binary(max_size=3000),
    declared=st.sampled_from(["", "audio/mpeg"]),
)
def test_random_bytes_behind_any_signature_never_raise(prefix, tail, declared):
    content = prefix + tail
    result = sanitise(content, declared_type=declared)
    assert isinstance(result, Sanitised)
    assert result.kind in {"image", "audio", "document", "other"}
    if not result.cleaned:
        assert result.reason
        assert result.content == content
        assert result.disguised_voice is None


def _samples() -> list[bytes]:
    image = io.BytesIO()
    Image.new("RGB", (20, 10)).save(image, "JPEG")
    note = voiced(1.0, 16_000)
    return [
        image.getvalue(),
        encode(note, 16_000, "OGG", "OPUS"),
        encode(note, 16_000, "WAV", "PCM_16"),
        media.m4a(note, 16_000),  # the FFmpeg paths: PyAV reads through Python, never a path
        media.amr_nb(voiced(1.0, 8_000)),
        media.webm_vorbis(voiced(1.0, 48_000), 48_000),
    ]


def test_nothing_is_written_to_disk(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"sanitise tried to open a file: {args!r}")

    samples = _samples()
    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    for content in samples:
        result = sanitise(content)
        assert result.cleaned, result.reason


def test_the_result_is_immutable():
    result = sanitise(b"%PDF-1.4\n")
    with pytest.raises(AttributeError):
        result.cleaned = True  # type: ignore[misc]


def test_the_result_never_shows_the_testimony_in_logs():
    content = "Меня избили в отделе, SECRET\n".encode()
    assert "SECRET" not in repr(sanitise(content))
