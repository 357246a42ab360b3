"""Photos come back re-encoded from pixels: upright, and with no metadata unless GPS is kept."""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo
from PIL.TiffImagePlugin import IFDRational

from testimony.processing.attachments import sanitise

GPS, MODEL, MAKE, ORIENTATION, DATETIME, SERIAL_IFD = 0x8825, 0x0110, 0x010F, 0x0112, 0x0132, 0x8769
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>SECRET-XMP</rdf:Description></x:xmpmeta>'


def _photo(width: int = 64, height: int = 32) -> Image.Image:
    """Red, with a green strip on the left edge, so rotation can be seen in the pixels."""
    image = Image.new("RGB", (width, height), (200, 20, 20))
    image.paste((20, 200, 20), (0, 0, 16, height))
    return image


def _exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[MAKE] = "SECRET-MAKER"
    exif[MODEL] = "SECRET-MODEL"
    exif[ORIENTATION] = orientation
    exif[DATETIME] = "2024:05:01 10:00:00"
    exif[SERIAL_IFD] = {0xA431: "SECRET-SERIAL", 0x9003: "2024:05:01 10:00:00"}
    exif[GPS] = {
        1: "N",
        2: (IFDRational(55, 1), IFDRational(45, 1), IFDRational(1234, 100)),
        3: "E",
        4: (IFDRational(37, 1), IFDRational(37, 1), IFDRational(0, 1)),
        7: (IFDRational(10, 1), IFDRational(0, 1), IFDRational(0, 1)),
        29: "2024:05:01",
    }
    return exif


def _jpeg(**extra) -> bytes:
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    _photo().save(out, "JPEG", exif=_exif(), icc_profile=icc, comment=b"SECRET-COMMENT", xmp=XMP, **extra)
    return out.getvalue()


def _open(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def test_jpeg_loses_camera_gps_and_time_and_is_turned_upright():
    original = _jpeg()
    assert original.count(b"SECRET") >= 5  # the test input really carries the metadata

    result = sanitise(original, declared_type="image/jpeg")

    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        True,
        "",
        "image",
        "image/jpeg",
    )
    assert b"SECRET" not in result.content
    assert b"2024:05:01" not in result.content
    image = _open(result.content)
    assert len(image.getexif()) == 0
    assert not {"icc_profile", "comment", "xmp", "exif"} & set(image.info)
    # Orientation 6 means "rotate 90 degrees clockwise to view": the left strip is now on top.
    assert image.size == (32, 64)
    assert image.getpixel((16, 4))[1] > 150
    assert image.getpixel((16, 60))[0] > 150
    assert result.disguised_voice is None


def test_keep_location_keeps_only_where_the_photo_was_taken():
    result = sanitise(_jpeg(), keep_location=True)

    assert result.cleaned
    assert b"SECRET" not in result.content
    exif = _open(result.content).getexif()
    assert set(exif) == {GPS}
    gps = exif.get_ifd(GPS)
    assert gps[1] == "N"
    assert [float(v) for v in gps[2]] == pytest.approx([55, 45, 12.34])
    assert [float(v) for v in gps[4]] == pytest.approx([37, 37, 0])
    assert 7 not in gps  # GPS time stamp
    assert 29 not in gps  # GPS date stamp
    assert _open(result.content).size == (32, 64)


def test_keep_location_without_gps_writes_no_exif_at_all():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[MODEL] = "SECRET-MODEL"
    _photo().save(out, "JPEG", exif=exif)
    result = sanitise(out.getvalue(), keep_location=True)
    assert result.cleaned
    assert len(_open(result.content).getexif()) == 0


def test_png_text_chunks_and_exif_go_and_the_pixels_stay_exact():
    info = PngInfo()
    info.add_text("Author", "SECRET-AUTHOR")
    info.add_itxt("Description", "SECRET-ITXT", lang="ru")
    info.add_text("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    _photo().save(out, "PNG", pnginfo=info, exif=_exif(orientation=1))

    result = sanitise(out.getvalue())

    assert (result.cleaned, result.content_type) == (True, "image/png")
    assert b"SECRET" not in result.content
    image = _open(result.content)
    assert image.format == "PNG"
    assert not image.text
    assert len(image.getexif()) == 0
    assert image.tobytes() == _photo().tobytes()  # PNG stays lossless


def test_png_with_alpha_and_palette_survives():
    out = io.BytesIO()
    Image.new("RGBA", (10, 10), (1, 2, 3, 100)).save(out, "PNG")
    assert _open(sanitise(out.getvalue()).content).getpixel((5, 5)) == (1, 2, 3, 100)
    out = io.BytesIO()
    _photo().convert("P").save(out, "PNG", transparency=0)
    assert sanitise(out.getvalue()).cleaned


def test_webp_exif_and_xmp_go():
    out = io.BytesIO()
    _photo().save(out, "WEBP", exif=_exif(), xmp=XMP, quality=90)
    assert b"SECRET" in out.getvalue()

    result = sanitise(out.getvalue())

    assert (result.cleaned, result.content_type) == (True, "image/webp")
    assert b"SECRET" not in result.content
    assert _open(result.content).size == (32, 64)
    assert len(_open(result.content).getexif()) == 0


def test_lossless_webp_stays_lossless():
    out = io.BytesIO()
    _photo().save(out, "WEBP", lossless=True, exif=_exif(orientation=1))
    result = sanitise(out.getvalue())
    assert _open(result.content).convert("RGB").tobytes() == _photo().tobytes()


def test_gif_comment_goes_and_animation_frames_survive():
    frames = [
        _photo(),
        Image.new("RGB", (64, 32), (20, 20, 200)),
        Image.new("RGB", (64, 32), (250, 250, 250)),
    ]
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=150, loop=0, comment=b"SECRET-C"
    )
    assert b"SECRET" in out.getvalue()

    result = sanitise(out.getvalue())

    assert (result.cleaned, result.content_type) == (True, "image/gif")
    assert b"SECRET" not in result.content
    image = _open(result.content)
    assert image.n_frames == 3
    assert "comment" not in image.info


def _png_header_only(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk + b"\0\0\0\0IEND\xae\x42\x60\x82"


@pytest.mark.parametrize("side", [8_000, 100_000])  # 64 MP (under Pillow's own limit), 10 GP
def test_decompression_bombs_are_refused_before_decoding(side):
    content = _png_header_only(side, side)
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.kind) == (False, "too_large_pixels", "image")
    assert result.content == content


@pytest.mark.parametrize(
    "content",
    [
        b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x13\x37" * 200,
        _jpeg()[:300],
        b"\x89PNG\r\n\x1a\n" + b"garbage" * 50,
        b"GIF89a\xff\xff\xff\xff" + b"\x00" * 30,
        b"RIFF\x10\0\0\0WEBPVP8 \x04\0\0\0abcd",
    ],
)
def test_corrupt_images_stay_sealed_and_do_not_raise(content):
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.kind) == (False, "corrupt", "image")
    assert result.content == content


@pytest.mark.parametrize(
    ("brands", "content_type"),
    [(b"heic\0\0\0\0mif1heic", "image/heic"), (b"mif1\0\0\0\0mif1heix", "image/heic")],
)
def test_heic_cannot_be_decoded_here_so_it_stays_sealed(brands, content_type):
    content = (8 + len(brands)).to_bytes(4, "big") + b"ftyp" + brands + b"\0\0\0\x10meta" + b"SECRET-GPS"
    result = sanitise(content, declared_type="image/jpeg")
    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        False,
        "unsupported_format",
        "image",
        content_type,
    )
    assert result.content == content
