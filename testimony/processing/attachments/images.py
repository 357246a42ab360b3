"""Photos: decode, undo the EXIF rotation, and re-encode from bare pixels.

Removing tags one by one (EXIF, XMP, IPTC, MakerNotes, MPF side images, PNG text chunks, GIF
comments, ICC description strings...) is a list that is never complete. Re-encoding from the
decoded pixel array into a brand-new image object is: nothing reaches the output that we did not
put there. The cost is one lossy generation for JPEG and lossy WebP, which reviewers do not notice
at quality 90; the sealed original stays with the custodian for forensic work.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, ImageSequence

from .limits import (
    CORRUPT,
    MAX_FRAMES,
    MAX_PIXELS,
    MAX_TOTAL_PIXELS,
    TOO_LARGE_PIXELS,
    UNSUPPORTED_FORMAT,
    VERIFICATION_FAILED,
    Refused,
)

PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "GIF"}

GPS_IFD = 0x8825
# GPS tags that say where the photo was taken (and which way the camera faced). The GPS time
# and date stamps, satellites, speed and processing method are dropped like every other timestamp.
KEPT_GPS_TAGS = frozenset({0, 1, 2, 3, 4, 5, 6, 16, 17, 18, 31})

# Pillow ``info`` keys that carry metadata; none may survive in the output.
_METADATA_KEYS = frozenset(
    {
        "xmp",
        "XML:com.adobe.xmp",
        "icc_profile",
        "comment",
        "photoshop",
        "mp",
        "mpinfo",
        "Raw profile type exif",
    }
)

LOCATION_DROPPED = "location_dropped"


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    note: str  # "" or LOCATION_DROPPED when keep_location was asked for but could not be honoured


def clean_image(content: bytes, content_type: str, *, keep_location: bool) -> CleanImage:
    """Return ``content`` re-encoded in its own format with no metadata (or only GPS, if asked)."""
    fmt = PILLOW_FORMATS.get(content_type)
    if fmt is None:
        raise Refused(UNSUPPORTED_FORMAT)
    try:
        with Image.open(io.BytesIO(content), formats=[fmt]) as image:
            _check_size(image, fmt)
            gps = _gps_of(image) if keep_location else {}
            frames, durations = _decode_frames(image, fmt)
            loop = image.info.get("loop")
    except Image.DecompressionBombError:
        raise Refused(TOO_LARGE_PIXELS) from None
    encoded, kept = _encode(frames, durations, loop, fmt, gps, lossless=_lossless_webp(content))
    _verify(encoded, fmt, frames[0].size, keep_gps=kept)
    return CleanImage(encoded, LOCATION_DROPPED if keep_location and gps and not kept else "")


def _lossless_webp(content: bytes) -> bool:
    """True if the WebP's (first) bitstream is VP8L, so we do not add lossy artefacts to it."""
    pos = 12
    for _ in range(64):
        if pos + 8 > len(content):
            break
        fourcc, size = content[pos : pos + 4], int.from_bytes(content[pos + 4 : pos + 8], "little")
        if fourcc in (b"VP8L", b"VP8 "):
            return fourcc == b"VP8L"
        # An animation frame (ANMF) holds a 16-byte frame header, then the frame's own chunks.
        pos += 8 + 16 if fourcc == b"ANMF" else 8 + size + (size & 1)
    return False


def _check_size(image: Image.Image, fmt: str) -> None:
    width, height = image.size
    frames = 1 if fmt == "JPEG" else getattr(image, "n_frames", 1)
    if width * height > MAX_PIXELS or frames > MAX_FRAMES or width * height * frames > MAX_TOTAL_PIXELS:
        raise Refused(TOO_LARGE_PIXELS)
    if width == 0 or height == 0:
        raise Refused(CORRUPT)


def _gps_of(image: Image.Image) -> dict[int, object]:
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
    except Exception:  # malformed EXIF: the location cannot be kept, the photo still can
        return {}
    return {tag: value for tag, value in gps.items() if tag in KEPT_GPS_TAGS}


def _decode_frames(image: Image.Image, fmt: str) -> tuple[list[Image.Image], list[int]]:
    """Decode every frame into a fresh image that shares nothing with the file but pixels.

    JPEG is always one frame: phones append MPF side images (depth maps, previews) with their own
    EXIF, and we drop them. Only still images are rotated; EXIF orientation on animations is rare
    and ambiguous.
    """
    if fmt == "JPEG" or getattr(image, "n_frames", 1) == 1:
        image.load()
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception:  # malformed EXIF: the photo may stay sideways, but it is still clean
            upright = image
        return [_fresh(_to_srgb(upright, image.info.get("icc_profile")), fmt)], []
    frames, durations = [], []
    for frame in ImageSequence.Iterator(image):
        frames.append(_fresh(_to_srgb(frame, image.info.get("icc_profile")), fmt))
        durations.append(int(frame.info.get("duration", 100)))
    return frames, durations


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Bake an embedded colour profile into the pixels, since the profile itself is dropped.

    Profiles carry device and vendor description strings; converting to sRGB keeps the colours
    right (a Display P3 photo would otherwise look dull) without keeping the profile.
    """
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return image


def _fresh(frame: Image.Image, fmt: str) -> Image.Image:
    """A new image built from raw pixel bytes, so no ``info`` entry can leak into the encoder."""
    has_alpha = "A" in frame.mode or "transparency" in frame.info
    if fmt == "GIF" or frame.mode in ("P", "PA"):
        frame = frame.convert("RGBA" if has_alpha or fmt == "GIF" else "RGB")
    elif fmt == "JPEG" and frame.mode not in ("L", "RGB", "CMYK"):
        frame = frame.convert("RGB")
    elif fmt == "WEBP" and frame.mode not in ("RGB", "RGBA"):
        frame = frame.convert("RGBA" if has_alpha else "RGB")
    fresh = Image.new(frame.mode, frame.size)  # empty ``info``; paste copies pixels only
    fresh.paste(frame, (0, 0))
    return fresh


def _encode(
    frames: list[Image.Image],
    durations: list[int],
    loop: object,
    fmt: str,
    gps: dict[int, object],
    *,
    lossless: bool,
) -> tuple[bytes, bool]:
    """Encode ``frames``; returns the bytes and whether the GPS IFD was written."""
    params: dict[str, object] = {}
    if fmt == "JPEG":
        params = {"quality": 90}
    elif fmt == "WEBP":
        params = {"lossless": True} if lossless else {"quality": 90}
    if len(frames) > 1:
        params |= {"save_all": True, "append_images": frames[1:], "duration": durations}
        if isinstance(loop, int):
            params["loop"] = loop
    exif = _gps_exif(gps) if gps and fmt != "GIF" else b""
    out = io.BytesIO()
    if exif:
        try:
            frames[0].save(out, format=fmt, exif=exif, **params)
            return out.getvalue(), True
        except (OSError, ValueError, TypeError, KeyError):
            out = io.BytesIO()
    frames[0].save(out, format=fmt, **params)
    return out.getvalue(), False


def _gps_exif(gps: dict[int, object]) -> bytes:
    """A minimal EXIF block: IFD0 holding nothing but the pointer to the GPS IFD."""
    exif = Image.Exif()
    exif[GPS_IFD] = gps
    try:
        return exif.tobytes()
    except (OSError, ValueError, TypeError, KeyError, struct.error):
        return b""


def _verify(encoded: bytes, fmt: str, size: tuple[int, int], *, keep_gps: bool) -> None:
    """Re-open our own output and prove it decodes and holds only what we allow."""
    with Image.open(io.BytesIO(encoded), formats=[fmt]) as check:
        check.load()
        exif = check.getexif()
        allowed = {GPS_IFD} if keep_gps else set()
        leaked = (
            check.size != size
            or set(exif) - allowed
            or set(exif.get_ifd(GPS_IFD)) - KEPT_GPS_TAGS
            or _METADATA_KEYS & set(check.info)
            or ("exif" in check.info and not keep_gps)
            or getattr(check, "text", None)
        )
    if leaked:
        raise Refused(VERIFICATION_FAILED)
