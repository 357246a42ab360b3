import struct
import zlib

from testimony.intake.photo_metadata import strip_metadata

GPS = b"GPS-55.7558N-37.6173E"


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def _jpeg() -> bytes:
    return (
        b"\xff\xd8"
        + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + _segment(0xE1, b"Exif\x00\x00MM\x00*" + GPS)
        + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + GPS + b"</x:xmpmeta>")
        + _segment(0xED, b"Photoshop 3.0\x00" + GPS)
        + _segment(0xFE, b"comment " + GPS)
        + _segment(0xDB, b"\x00" + bytes(64))
        + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x12\x34\xff\x00\x56"
        + b"\xff\xd9"
    )


def test_jpeg_loses_exif_xmp_iptc_and_comments_but_keeps_the_image():
    cleaned, recognised = strip_metadata(_jpeg())
    assert recognised
    assert GPS not in cleaned
    assert cleaned.startswith(b"\xff\xd8\xff\xe0")
    assert _segment(0xDB, b"\x00" + bytes(64)) in cleaned
    assert cleaned.endswith(b"\x12\x34\xff\x00\x56\xff\xd9")


def test_jpeg_trailer_after_end_of_image_is_dropped():
    cleaned, _ = strip_metadata(_jpeg() + b"motion photo " + GPS)
    assert GPS not in cleaned


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_png_loses_text_and_exif_chunks():
    png = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + _chunk(b"tEXt", b"Comment\x00" + GPS)
        + _chunk(b"eXIf", b"MM\x00*" + GPS)
        + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + _chunk(b"IEND", b"")
    )
    cleaned, recognised = strip_metadata(png)
    assert recognised
    assert GPS not in cleaned
    assert b"IHDR" in cleaned
    assert b"IDAT" in cleaned


def test_damaged_or_unknown_files_come_back_unchanged():
    damaged = _jpeg()[:30]
    assert strip_metadata(damaged) == (damaged, False)
    pdf = b"%PDF-1.4 " + GPS
    assert strip_metadata(pdf) == (pdf, False)
