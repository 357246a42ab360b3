"""The worker believes nothing the sandbox child says that it can check without a decoder."""

from __future__ import annotations

import io
import struct
import zlib

import mutagen.oggvorbis
import pytest
from PIL import Image

from testimony.processing.attachments import recheck, sanitise
from testimony.processing.attachments.recheck import Malformed, checked
from testimony.processing.attachments.sandbox import response_header
from tests.unit.processing.attachments import media
from tests.unit.processing.attachments.signals import encode, voiced
from tests.unit.processing.attachments.test_audio import _with_tags
from tests.unit.processing.attachments.test_images import XMP, _exif, _jpeg, _photo


def _answer(original: bytes, declared: str = "", keep_location: bool = False):
    """What an honest child answers for ``original``: sanitise's own result, as the child frames it."""
    result = sanitise(original, declared_type=declared, keep_location=keep_location)
    content = result.content if result.cleaned else b""
    return response_header(result), content, result.disguised_voice or b""


def _check(header, content, voice, original, declared="", keep_location=False):
    return checked(
        header, content, voice, original=original, declared_type=declared, keep_location=keep_location
    )


def _save(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


@pytest.fixture(scope="module")
def photo() -> bytes:
    return _jpeg()


@pytest.fixture(scope="module")
def ogg() -> bytes:
    return _with_tags(encode(voiced(2.0), 48_000, "OGG", "VORBIS"), mutagen.oggvorbis.OggVorbis)


# --- honest answers pass --------------------------------------------------------------------


def _honest_inputs() -> dict:
    frames = [_photo().convert("P"), _photo().rotate(180).convert("P")]
    return {
        "jpeg": (_jpeg(), "", False),
        "jpeg kept location": (_jpeg(), "", True),
        "jpeg cmyk": (_save(_photo().convert("CMYK"), "JPEG"), "", False),
        "png with exif kept": (_save(_photo(), "PNG", exif=_exif()), "", True),
        "apng": (_save(_photo(), "PNG", save_all=True, append_images=[_photo().rotate(180)]), "", False),
        "webp with xmp": (_save(_photo(), "WEBP", exif=_exif(), xmp=XMP), "", True),
        "webp animated": (
            _save(_photo(), "WEBP", save_all=True, append_images=[_photo().rotate(90)]),
            "",
            False,
        ),
        "gif animated": (
            _save(frames[0], "GIF", save_all=True, append_images=frames[1:], comment=b"SECRET", loop=0),
            "",
            False,
        ),
        "ogg": (
            _with_tags(encode(voiced(2.0), 48_000, "OGG", "VORBIS"), mutagen.oggvorbis.OggVorbis),
            "",
            False,
        ),
        "m4a": (media.m4a(voiced(2.0, 16_000), 16_000), "", False),
        "amr-wb": (media.amr_wb([2] * 100) + b"SECRET", "", False),
        "pdf": (b"%PDF-1.4 SECRET", "", False),
    }


@pytest.mark.parametrize("name", list(_honest_inputs()))
def test_what_sanitise_produces_passes_the_checks(name):
    original, declared, keep = _honest_inputs()[name]
    header, content, voice = _answer(original, declared, keep)

    result = _check(header, content, voice, original, declared, keep)

    assert response_header(result) == header
    assert result.content == (content if header["cleaned"] else original)
    assert result.disguised_voice == (voice or None)
    assert result.image_bits == header["image_bits"]


# --- a lying child is caught ----------------------------------------------------------------


def test_an_image_sent_back_with_its_metadata_is_rejected(photo):
    header, _content, _voice = _answer(photo)
    with pytest.raises(Malformed, match="jpeg metadata"):
        _check(header, photo, b"", photo)


def test_gps_is_not_accepted_unless_the_sender_asked_to_keep_it(photo):
    header, content, voice = _answer(photo, keep_location=True)
    assert _check(header, content, voice, photo, keep_location=True).cleaned
    with pytest.raises(Malformed, match="jpeg metadata"):
        _check(header, content, voice, photo, keep_location=False)


def test_an_exif_block_may_hold_the_location_and_nothing_else(photo):
    header, _content, voice = _answer(photo, keep_location=True)
    exif = _exif()  # camera make, model, serial, time and GPS
    with pytest.raises(Malformed, match="exif"):
        _check(header, _save(_photo(), "JPEG", exif=exif), voice, photo, keep_location=True)


def test_an_exif_block_the_tiff_reader_cannot_read_is_rejected_not_raised(photo):
    # Pillow's TIFF reader raises SyntaxError on a bad header, quoting its first bytes: it must
    # become a refusal, not an exception that fails the whole report.
    header, content, voice = _answer(photo, keep_location=True)
    at = content.index(b"Exif\0\0") + 6
    forged = content[:at] + b"SECRETXX" + content[at + 8 :]
    with pytest.raises(Malformed, match="exif"):
        _check(header, forged, voice, photo, keep_location=True)


def test_a_jpeg_with_a_comment_or_bytes_after_its_end_is_rejected(photo):
    header, content, voice = _answer(photo)
    with pytest.raises(Malformed, match="jpeg metadata"):
        _check(header, _save(_photo(), "JPEG", comment=b"SECRET"), voice, photo)
    with pytest.raises(Malformed, match="jpeg markers"):
        _check(header, content + b"SECRET", voice, photo)
    hidden = content[:-2] + b"\xff\xe1\x00\x08SECRET\xff\xd9"  # an APP1 segment after the scan
    with pytest.raises(Malformed, match="jpeg scan"):
        _check(header, hidden, voice, photo)


def test_an_image_larger_than_the_pixel_limit_is_rejected(photo):
    header, content, voice = _answer(photo)
    sof = content.index(b"\xff\xc0")
    huge = content[: sof + 5] + struct.pack(">HH", 10_000, 10_000) + content[sof + 9 :]
    with pytest.raises(Malformed, match="image size"):
        _check(header, huge, voice, photo)


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_a_png_with_a_text_chunk_or_a_bad_checksum_is_rejected():
    original = _save(_photo(), "PNG")
    header, content, voice = _answer(original)
    iend = content.index(b"IEND") - 4
    with_text = content[:iend] + _png_chunk(b"tEXt", b"Comment\0SECRET") + content[iend:]
    with pytest.raises(Malformed, match="png metadata"):
        _check(header, with_text, voice, original)
    corrupted = bytearray(content)
    corrupted[20] ^= 0xFF  # inside IHDR: its CRC no longer matches
    with pytest.raises(Malformed, match="png chunk"):
        _check(header, bytes(corrupted), voice, original)


def test_a_webp_with_xmp_is_rejected():
    original = _save(_photo(), "WEBP", xmp=XMP)
    header, content, voice = _answer(original)
    with pytest.raises(Malformed, match="webp metadata"):
        _check(header, original, voice, original)
    assert _check(header, content, voice, original).cleaned


def test_a_gif_with_a_comment_is_rejected():
    original = _save(_photo().convert("P"), "GIF", comment=b"SECRET")
    header, _content, voice = _answer(original)
    with pytest.raises(Malformed, match="gif metadata"):
        _check(header, original, voice, original)


def test_audio_sent_back_with_its_tags_is_rejected(ogg):
    header, _content, voice = _answer(ogg)
    assert b"SECRET" in ogg
    with pytest.raises(Malformed, match="audio metadata"):
        _check(header, ogg, voice, ogg)


def test_an_m4a_or_amr_our_cleaners_would_still_change_is_rejected():
    m4a = media.m4a(voiced(2.0, 16_000), 16_000)
    header, _content, voice = _answer(m4a)
    with pytest.raises(Malformed, match="audio metadata"):
        _check(header, m4a, voice, m4a)  # the original: tags, location, timestamps
    amr = media.amr_wb([2] * 100)
    header, content, voice = _answer(amr + b"SECRET")
    with pytest.raises(Malformed, match="audio metadata"):
        _check(header, content + b"SECRET", voice, amr + b"SECRET")


def test_the_disguised_voice_must_be_tag_free_vorbis(ogg):
    header, content, voice = _answer(ogg)
    with pytest.raises(Malformed, match="disguised voice"):
        _check(header, content, ogg, ogg)  # the original voice, tags and all, as the "disguise"
    opus = encode(voiced(2.0), 48_000, "OGG", "OPUS")
    with pytest.raises(Malformed, match="disguised voice"):
        _check(header, content, opus, ogg)
    with pytest.raises(Malformed, match="audio reason"):
        _check(header, content, b"", ogg)  # no disguise, but no caveat either
    with pytest.raises(Malformed, match="image type"):
        _check(*_answer(_jpeg())[:2], voice, _jpeg())  # a voice for a photo


@pytest.mark.parametrize(
    "change",
    [
        {"extra": 1},
        {"v": 2},
        {"cleaned": "yes"},
        {"reason": None},
        {"kind": 3},
        {"content_type": "text/html"},
        {"kind": "audio"},
        {"source_type": "application/x-evil"},
    ],
)
def test_a_header_that_does_not_follow_the_allow_lists_is_rejected(photo, change):
    header, content, voice = _answer(photo)
    with pytest.raises(Malformed):
        _check(header | change, content, voice, photo)


@pytest.mark.parametrize("bits", [True, -1, 1 << 64, 1.5, "ff00"])
def test_image_bits_must_be_a_64_bit_number(photo, bits):
    header, content, voice = _answer(photo)
    assert _check(header, content, voice, photo).image_bits == header["image_bits"] is not None
    with pytest.raises(Malformed, match="image bits"):
        _check(header | {"image_bits": bits}, content, voice, photo)


def test_image_bits_come_with_cleaned_images_only(ogg):
    header, content, voice = _answer(ogg)
    with pytest.raises(Malformed, match="image bits"):
        _check(header | {"image_bits": 5}, content, voice, ogg)
    refusal = {
        "v": 1,
        "kind": "document",
        "content_type": "application/pdf",
        "source_type": "application/pdf",
    }
    refusal |= {"cleaned": False, "reason": "document_not_sanitised", "image_bits": 5}
    with pytest.raises(Malformed, match="image bits"):
        _check(refusal, b"", b"", b"%PDF-1.4")


def test_a_cleaned_answer_must_match_what_the_worker_sniffs_itself(photo):
    pdf = b"%PDF-1.4 SECRET"
    header, content, voice = _answer(photo)
    with pytest.raises(Malformed, match="source type"):
        _check(header, content, voice, pdf)  # a document the child claims was a photo


def test_a_refusal_carries_no_bytes_and_a_known_reason(photo):
    header = {"v": 1, "kind": "image", "content_type": "image/jpeg", "source_type": "image/jpeg"}
    refusal = header | {"cleaned": False, "reason": "corrupt", "image_bits": None}
    assert _check(refusal, b"", b"", photo).content == photo  # the worker's own copy
    with pytest.raises(Malformed, match="refusal"):
        _check(refusal, b"SECRET", b"", photo)
    for reason in ("", "sandbox_failed", "<script>"):
        with pytest.raises(Malformed, match="refusal"):
            _check(refusal | {"reason": reason}, b"", b"", photo)


def test_cleaned_bytes_over_the_limit_are_rejected(photo, monkeypatch):
    header, content, voice = _answer(photo)
    monkeypatch.setattr(recheck, "MAX_CLEANED_BYTES", len(content) - 1)
    with pytest.raises(Malformed, match="cleaned bytes"):
        _check(header, content, voice, photo)
