"""The real type comes from the bytes, never from what the sender declared."""

import io
import zipfile

import pytest

from testimony.processing.attachments.sniff import DOCX, sniff


def _ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = major + b"\0\0\0\0" + b"".join(compatible)
    return (8 + len(body)).to_bytes(4, "big") + b"ftyp" + body + b"\0" * 32


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


MP3_FRAME = b"\xff\xfb\x90\x64" + b"\0" * 413  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes


@pytest.mark.parametrize(
    ("content", "content_type", "kind"),
    [
        (b"\xff\xd8\xff\xe0" + b"\0" * 40, "image/jpeg", "image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "image/png", "image"),
        (b"GIF89a" + b"\0" * 40, "image/gif", "image"),
        (b"RIFF\0\0\0\0WEBPVP8 " + b"\0" * 40, "image/webp", "image"),
        (b"RIFF\0\0\0\0WAVEfmt " + b"\0" * 40, "audio/wav", "audio"),
        (_ftyp(b"heic", b"mif1", b"heic"), "image/heic", "image"),
        (_ftyp(b"mif1", b"mif1", b"heix"), "image/heic", "image"),
        (_ftyp(b"mif1", b"mif1"), "image/heif", "image"),
        (_ftyp(b"avif", b"avif", b"mif1"), "image/avif", "image"),
        (_ftyp(b"M4A ", b"M4A ", b"isom"), "audio/mp4", "audio"),
        (_ftyp(b"isom", b"isom", b"mp42"), "audio/mp4", "audio"),
        (_ftyp(b"mp42", b"mp42"), "audio/mp4", "audio"),
        (_ftyp(b"3gp4", b"3gp4"), "audio/3gpp", "audio"),
        (_ftyp(b"qt  ", b"qt  "), "video/quicktime", "other"),
        (b"%PDF-1.7\n" + b"\0" * 40, "application/pdf", "document"),
        (b"OggS\0\2" + b"\0" * 20 + b"\x01\x13OpusHead" + b"\0" * 20, "audio/ogg", "audio"),
        (b"OggS\0\2" + b"\0" * 20 + b"\x01\x1e\x01vorbis" + b"\0" * 20, "audio/ogg", "audio"),
        (b"OggS\0\2" + b"\0" * 20 + b"\x01\x2a\x80theora" + b"\0" * 20, "application/ogg", "other"),
        (b"fLaC" + b"\0" * 40, "audio/flac", "audio"),
        (b"#!AMR\n" + b"\0" * 40, "audio/amr", "audio"),
        (b"#!AMR-WB\n" + b"\0" * 40, "audio/amr-wb", "audio"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\0" * 40, "audio/webm", "audio"),
        (b"\x1a\x45\xdf\xa3\xa3\x42\x82\x88matroska" + b"\0" * 40, "audio/x-matroska", "audio"),
        (b"ID3\x04\0\0\0\0\0\x0a" + b"\0" * 10 + MP3_FRAME, "audio/mpeg", "audio"),
        (b"ID3\x04\0\0\0\0\0\x0a" + b"\0" * 10 + b"fLaC" + b"\0" * 40, "audio/flac", "audio"),
        (MP3_FRAME * 3, "audio/mpeg", "audio"),
        (b"\xff\xf1\x50\x80\x02\x1f\xfc" + b"\0" * 40, "audio/aac", "audio"),
        (_zip({"[Content_Types].xml": b"<t/>", "word/document.xml": b"<w/>"}), DOCX, "document"),
        (_zip({"other.txt": b"x"}), "application/zip", "other"),
        ("Полиция пришла утром.\n".encode(), "text/plain", "document"),
        (bytes(range(256)), "application/octet-stream", "other"),
        (b"", "application/octet-stream", "other"),
    ],
)
def test_signatures(content, content_type, kind):
    sniffed = sniff(content)
    assert (sniffed.content_type, sniffed.kind) == (content_type, kind)


def test_the_declared_type_does_not_override_the_bytes():
    assert sniff(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "image/jpeg").content_type == "image/png"
    assert sniff(b"%PDF-1.4\n", "audio/ogg").kind == "document"


def test_a_lone_mpeg_frame_header_needs_a_second_frame_or_the_declared_type():
    lone = b"\xff\xfb\x90\x64" + b"\x13" * 100
    assert sniff(lone).content_type == "application/octet-stream"
    assert sniff(lone, "audio/mpeg").content_type == "audio/mpeg"


def test_a_zip_bomb_member_is_not_decompressed_to_sniff_it():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", b"a" * 50_000_000)
    assert sniff(out.getvalue()).content_type == "application/zip"
