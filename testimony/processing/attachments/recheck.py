"""What the worker checks in the sandbox's answer before it trusts it, without decoding anything.

The child (:mod:`.sandbox`) may have been taken over by the very attachment it decoded, so its
answer is data from an attacker until checked. Re-decoding it here would bring the decoders back
into the worker, which is what the sandbox exists to avoid; so the worker repeats only the checks
that need no decoder:

* the header: exactly the expected keys, of the expected types, every value from an allow-list,
  and consistent (a cleaned image keeps its format; cleaned audio is Ogg, or MP4/3GP/AMR as it came;
  a disguised voice exactly when there is no caveat; a 64-bit difference hash for cleaned images
  only, which the worker keys instead of decoding the image to compute it);
* what was cleaned: the worker's own sniff of the original (magic bytes) must agree with the
  child's, and the cleaned bytes must be of the type the child claims, within the size limits;
* metadata, with parsers written in Python: images are walked segment by segment, chunk by chunk
  or block by block (JPEG, PNG, WebP, GIF) and may hold nothing but image data (and the GPS block,
  if the sender asked to keep it); the pixel dimensions in the headers must be within
  :data:`MAX_PIXELS`; Ogg must have no tags but libsndfile's encoder string (mutagen); MP4, 3GP
  and AMR must come out unchanged from our own cleaners (:func:`audio.neutralise_mp4`,
  :func:`amr.clean_amr`), which is to say there was nothing left to remove.

A child that was taken over can still send back any image or sound that passes these checks, and
any difference hash, in place of the real ones: it can spoil that one attachment's cleaned copy
(which reviewers' browsers then open, under the console's CSP), and reach nothing else.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from dataclasses import dataclass
from typing import Any

import mutagen
import mutagen.oggopus
import mutagen.oggvorbis
from PIL import Image

from . import DISGUISED_VOICE_TYPE, LOCATION_DROPPED, VOICE_NOT_DISGUISED, Sanitised, audio
from . import amr as amr_files
from .images import GPS_IFD, KEPT_GPS_TAGS
from .limits import (
    CORRUPT,
    DOCUMENT_NOT_SANITISED,
    MAX_FRAMES,
    MAX_PIXELS,
    TOO_LARGE_PIXELS,
    TOO_LONG,
    UNSUPPORTED_FORMAT,
    VERIFICATION_FAILED,
    Refused,
)
from .sniff import AUDIO, DOCUMENT, DOCX, IMAGE, ODT, OTHER, sniff

MAX_CLEANED_BYTES = 256 * 1024 * 1024
"""Largest cleaned copy accepted: a 50 MP photo of fine detail, re-encoded, stays well below it."""
MAX_VOICE_BYTES = 32 * 1024 * 1024
"""Largest disguised voice: fifteen minutes of 16 kHz mono Vorbis is a few megabytes."""

# Every type sniff() or the audio path can report, with its kind.
KIND_OF = {
    **dict.fromkeys(
        ("image/jpeg", "image/png", "image/gif", "image/webp", "image/avif", "image/heic", "image/heif"),
        IMAGE,
    ),
    **dict.fromkeys(
        (
            "audio/wav",
            "audio/mp4",
            "audio/3gpp",
            "audio/ogg",
            "audio/flac",
            "audio/amr",
            "audio/amr-wb",
            "audio/webm",
            "audio/x-matroska",
            "audio/aac",
            "audio/mpeg",
        ),
        AUDIO,
    ),
    **dict.fromkeys(("application/pdf", DOCX, ODT, "text/plain"), DOCUMENT),
    **dict.fromkeys(
        (
            "application/octet-stream",
            "application/ogg",
            "application/zip",
            "video/quicktime",
            "video/mp4",
            "video/webm",
        ),
        OTHER,
    ),
}
REFUSALS = frozenset(
    {UNSUPPORTED_FORMAT, CORRUPT, TOO_LARGE_PIXELS, TOO_LONG, DOCUMENT_NOT_SANITISED, VERIFICATION_FAILED}
)
# What the Python parsers below may raise on hostile bytes. Deliberately not ``Exception``: the
# Celery time limit arrives as an exception too, and must not be taken for a bad answer.
PARSE_ERRORS = (
    SyntaxError,  # Pillow's "not a TIFF file" (an EXIF block's header), quoting the bytes it read
    ValueError,
    LookupError,
    TypeError,
    ArithmeticError,
    AttributeError,
    RecursionError,
    struct.error,
    OSError,
    mutagen.MutagenError,
)
_KEYS = frozenset({"v", "kind", "content_type", "source_type", "cleaned", "reason", "image_bits"})
_SAME_TYPE_AUDIO = audio.MP4 | audio.AMR  # cleaned in place or rebuilt; everything else becomes Ogg


@dataclass(frozen=True)
class Checked(Sanitised):
    """The child's result once it passed the checks."""

    image_bits: int | None = None
    """The cleaned image's difference hash, unkeyed (``processing.dhash``), computed by the child:
    the worker keys it (``review.similar.keyed_image_hash``) and never decodes the image itself."""


class Malformed(Exception):
    """The child's answer failed a check; ``check`` names which (a fixed phrase, no content)."""

    def __init__(self, check: str) -> None:
        super().__init__(check)
        self.check = check


def checked(
    header: dict[str, Any],
    content: bytes,
    voice: bytes,
    *,
    original: bytes,
    declared_type: str,
    keep_location: bool,
) -> Checked:
    """The result the child's answer stands for, or :class:`Malformed`."""
    if set(header) != _KEYS or type(header["v"]) is not int or header["v"] != 1:
        raise Malformed("header keys")
    kind, content_type, source_type = header["kind"], header["content_type"], header["source_type"]
    cleaned, reason, bits = header["cleaned"], header["reason"], header["image_bits"]
    if not (isinstance(cleaned, bool) and isinstance(reason, str)):
        raise Malformed("header types")
    if bits is not None and not (type(bits) is int and 0 <= bits < 1 << 64 and cleaned and kind == IMAGE):
        raise Malformed("image bits")
    if not all(isinstance(value, str) for value in (kind, content_type, source_type)):
        raise Malformed("header types")
    if KIND_OF.get(content_type) != kind or source_type not in KIND_OF:
        raise Malformed("content type")
    if not cleaned:
        if content or voice or reason not in REFUSALS or source_type != content_type:
            raise Malformed("refusal")
        return Checked(original, content_type, kind, False, reason, None, source_type)
    sniffed = sniff(original, declared_type)
    if (source_type, kind) != (sniffed.content_type, sniffed.kind):
        raise Malformed("source type")
    if not 0 < len(content) <= MAX_CLEANED_BYTES or sniff(content).content_type != content_type:
        raise Malformed("cleaned bytes")
    if kind == IMAGE:
        _check_image(content, content_type, source_type, reason, voice, keep_location=keep_location)
    elif kind == AUDIO:
        _check_audio(content, content_type, source_type, reason, voice)
    else:
        raise Malformed("cleaned kind")
    return Checked(content, content_type, kind, True, reason, voice or None, source_type, bits)


# --- images ---------------------------------------------------------------------------------


def _check_image(
    content: bytes, content_type: str, source_type: str, reason: str, voice: bytes, *, keep_location: bool
) -> None:
    if content_type != source_type or voice:
        raise Malformed("image type")
    if reason not in ({"", LOCATION_DROPPED} if keep_location else {""}):
        raise Malformed("image reason")
    walk = {"image/jpeg": _jpeg, "image/png": _png, "image/webp": _webp, "image/gif": _gif}.get(content_type)
    if walk is None:
        raise Malformed("image type")
    try:
        width, height = walk(content, keep_location and reason == "")
    except PARSE_ERRORS:
        raise Malformed("image structure") from None
    if not (width > 0 and height > 0 and width * height <= MAX_PIXELS):
        raise Malformed("image size")


def _gps_only(exif_block: bytes) -> None:
    """An EXIF block may hold the GPS position and nothing else (images.KEPT_GPS_TAGS)."""
    exif = Image.Exif()  # TiffImagePlugin's IFD reader: Python, no decoder
    try:
        exif.load(exif_block)
        gps = exif.get_ifd(GPS_IFD)
    except PARSE_ERRORS:
        raise Malformed("exif") from None
    if set(exif) - {GPS_IFD} or set(gps) - KEPT_GPS_TAGS:
        raise Malformed("exif")


_JPEG_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_TABLES = frozenset({0xC4, 0xDB, 0xDD})  # DHT, DQT, DRI
# After the scan only stuffed bytes (FF 00) and restart markers may follow an FF, up to the EOI.
_JPEG_MARKER_IN_SCAN = re.compile(rb"\xff(?![\x00\xd0-\xd7])")


def _jpeg(data: bytes, allow_gps: bool) -> tuple[int, int]:
    """Baseline JPEG as libjpeg writes it: JFIF or Adobe APP segments, tables, one frame, one
    scan, EOI at the very end; an Exif APP1 only for a kept location."""
    if not data.startswith(b"\xff\xd8") or not data.endswith(b"\xff\xd9"):
        raise Malformed("jpeg markers")
    pos, size = 2, None
    while True:
        if data[pos] != 0xFF:
            raise Malformed("jpeg markers")
        marker = data[pos + 1]
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        segment = data[pos + 4 : pos + 2 + length]
        if length < 2 or len(segment) != length - 2:
            raise Malformed("jpeg markers")
        if marker == 0xDA:  # start of scan: entropy-coded data up to the EOI
            if size is None or _JPEG_MARKER_IN_SCAN.search(data, pos + 2 + length, len(data) - 2):
                raise Malformed("jpeg scan")
            return size
        if marker in _JPEG_SOF:
            if size is not None:
                raise Malformed("jpeg frames")
            size = (int.from_bytes(segment[3:5], "big"), int.from_bytes(segment[1:3], "big"))
        elif marker == 0xE0 and segment.startswith(b"JFIF\0"):
            pass
        elif marker == 0xEE and segment.startswith(b"Adobe"):
            pass  # colour transform flags, written for CMYK
        elif marker == 0xE1 and allow_gps and segment.startswith(b"Exif\0\0"):
            _gps_only(segment)
        elif marker not in _JPEG_TABLES:
            raise Malformed("jpeg metadata")
        pos += 2 + length


_PNG_CHUNKS = frozenset({b"IHDR", b"PLTE", b"tRNS", b"IDAT", b"IEND", b"acTL", b"fcTL", b"fdAT"})


def _png(data: bytes, allow_gps: bool) -> tuple[int, int]:
    """Image chunks only (APNG's included), each with a valid CRC, IHDR first, IEND last; an
    eXIf chunk only for a kept location."""
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise Malformed("png signature")
    pos, size, kinds = 8, (0, 0), []
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        crc = data[pos + 8 + length : pos + 12 + length]
        if len(body) != length or len(crc) != 4 or zlib.crc32(kind + body) != int.from_bytes(crc, "big"):
            raise Malformed("png chunk")
        if kind == b"eXIf" and allow_gps:
            _gps_only(body)
        elif kind not in _PNG_CHUNKS:
            raise Malformed("png metadata")
        if kind == b"IHDR":
            size = (int.from_bytes(body[0:4], "big"), int.from_bytes(body[4:8], "big"))
        kinds.append(kind)
        pos += 12 + length
    if not kinds or kinds[0] != b"IHDR" or kinds[-1] != b"IEND" or kinds.count(b"IEND") != 1:
        raise Malformed("png chunks")
    return size


_WEBP_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"VP8X", b"ALPH", b"ANIM", b"ANMF"})
_WEBP_FRAME_CHUNKS = frozenset({b"VP8 ", b"VP8L", b"ALPH"})


def _webp(data: bytes, allow_gps: bool) -> tuple[int, int]:
    """RIFF of image chunks (animation frames looked into); an EXIF chunk only for a kept location."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or int.from_bytes(data[4:8], "little") != len(data) - 8:
        raise Malformed("webp header")
    size = None
    for kind, body in _riff_chunks(data, 12, len(data)):
        if kind == b"EXIF" and allow_gps:
            _gps_only(body)
        elif kind not in _WEBP_CHUNKS or (kind == b"ANMF" and not _frame_is_bare(body)):
            raise Malformed("webp metadata")
        if size is None:
            size = _webp_size(kind, body)
    if size is None:
        raise Malformed("webp chunks")
    return size


def _frame_is_bare(body: bytes) -> bool:
    """An animation frame: a 16-byte frame header, then image chunks only."""
    return all(inner in _WEBP_FRAME_CHUNKS for inner, _ in _riff_chunks(body, 16, len(body)))


def _riff_chunks(data: bytes, start: int, end: int) -> list[tuple[bytes, bytes]]:
    chunks, pos = [], start
    while pos < end:
        kind, length = data[pos : pos + 4], int.from_bytes(data[pos + 4 : pos + 8], "little")
        body = data[pos + 8 : pos + 8 + length]
        if len(kind) != 4 or len(body) != length or pos + 8 + length + (length & 1) > end:
            raise Malformed("riff chunk")
        chunks.append((kind, body))
        pos += 8 + length + (length & 1)
    return chunks


def _webp_size(kind: bytes, body: bytes) -> tuple[int, int] | None:
    if kind == b"VP8X":
        return 1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little")
    if kind == b"VP8L":
        if body[0] != 0x2F:
            raise Malformed("webp lossless")
        bits = int.from_bytes(body[1:5], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if kind == b"VP8 ":
        if body[3:6] != b"\x9d\x01\x2a":
            raise Malformed("webp lossy")
        return int.from_bytes(body[6:8], "little") & 0x3FFF, int.from_bytes(body[8:10], "little") & 0x3FFF
    return None


_GIF_APPLICATIONS = frozenset({b"NETSCAPE2.0", b"ANIMEXTS1.0"})  # the loop count


def _gif(data: bytes, allow_gps: bool) -> tuple[int, int]:
    """Header, frames, graphic control and loop extensions, the trailer at the very end: no
    comment, no plain text, no other application extension."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise Malformed("gif header")
    size = (int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
    pos, frames = 13 + _colour_table(data[10]), 0
    while True:
        block = data[pos]
        if block == 0x3B:
            if pos + 1 != len(data):
                raise Malformed("gif trailer")
            return size
        if block == 0x21:
            label = data[pos + 1]
            if label == 0xFF and data[pos + 2] == 11 and data[pos + 3 : pos + 14] in _GIF_APPLICATIONS:
                pos = _skip_sub_blocks(data, pos + 14)
            elif label == 0xF9:
                pos = _skip_sub_blocks(data, pos + 2)
            else:
                raise Malformed("gif metadata")
        elif block == 0x2C:
            frames += 1
            if frames > MAX_FRAMES:
                raise Malformed("gif frames")
            pos = _skip_sub_blocks(data, pos + 10 + _colour_table(data[pos + 9]) + 1)
        else:
            raise Malformed("gif block")


def _colour_table(flags: int) -> int:
    return 3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0


def _skip_sub_blocks(data: bytes, pos: int) -> int:
    while (length := data[pos]) != 0:
        pos += 1 + length
    if pos >= len(data):
        raise Malformed("gif sub-block")
    return pos + 1


# --- audio ----------------------------------------------------------------------------------


def _check_audio(content: bytes, content_type: str, source_type: str, reason: str, voice: bytes) -> None:
    expected = source_type if source_type in _SAME_TYPE_AUDIO else audio.OGG
    if content_type != expected:
        raise Malformed("audio type")
    if reason not in ("", VOICE_NOT_DISGUISED) or bool(voice) != (reason == ""):
        raise Malformed("audio reason")
    try:
        if content_type in audio.MP4:
            unchanged = audio.neutralise_mp4(content) == content
        elif content_type in audio.AMR:
            unchanged = amr_files.clean_amr(content, content_type) == content
        else:
            unchanged = _ogg_without_tags(content)
    except (Refused, *PARSE_ERRORS):
        unchanged = False
    if not unchanged:
        raise Malformed("audio metadata")
    if voice and not (
        len(voice) <= MAX_VOICE_BYTES
        and sniff(voice).content_type == DISGUISED_VOICE_TYPE
        and voice[28:35] == b"\x01vorbis"
        and _ogg_without_tags(voice)
    ):
        raise Malformed("disguised voice")


def _ogg_without_tags(content: bytes) -> bool:
    """mutagen (Python) reads the Ogg headers and comments; no tag but libsndfile's may be there."""
    try:
        parsed = mutagen.File(io.BytesIO(content))
    except PARSE_ERRORS:
        return False
    if not isinstance(parsed, (mutagen.oggvorbis.OggVorbis, mutagen.oggopus.OggOpus)):
        return False
    return audio.only_encoder_tag(parsed)
