"""Remove hidden metadata (Exif with GPS, XMP, IPTC, comments) from JPEG and PNG in memory.

The page does this in the browser before encrypting (frontend/src/strip.js); this is the same for
the form without JavaScript, run on the plaintext in memory just before server-side encryption.
Pixels are not re-encoded. Anything not recognised is returned unchanged (the worker's sanitiser
handles other formats), so a damaged file is never lost.
"""

from __future__ import annotations

import struct

_JPEG_KEEP_APP = {0xE0, 0xE2, 0xEE}  # JFIF, ICC colour profile, Adobe colour transform
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_DROP = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}


def strip_metadata(data: bytes) -> tuple[bytes, bool]:
    """Return (cleaned bytes, whether the format was recognised and cleaned)."""
    try:
        if data.startswith(b"\xff\xd8"):
            return _strip_jpeg(data), True
        if data.startswith(_PNG_SIGNATURE):
            return _strip_png(data), True
    except (ValueError, struct.error):
        pass
    return data, False


def _strip_jpeg(data: bytes) -> bytes:
    out = bytearray(data[:2])
    offset = 2
    while offset + 4 <= len(data):
        if data[offset] != 0xFF:
            raise ValueError("not at a JPEG marker")
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker == 0xDA:  # start of scan: the rest is image data up to the end-of-image marker
            end = data.rfind(b"\xff\xd9")
            if end < offset:
                raise ValueError("no end of image")
            # Bytes after EOI are appended previews or motion video, with their own Exif: dropped.
            out += data[offset : end + 2]
            return bytes(out)
        (length,) = struct.unpack_from(">H", data, offset + 2)
        if length < 2 or offset + 2 + length > len(data):
            raise ValueError("segment runs past the end")
        segment = data[offset : offset + 2 + length]
        is_app = 0xE0 <= marker <= 0xEF
        if not (is_app and marker not in _JPEG_KEEP_APP) and marker != 0xFE:  # 0xFE: comment
            out += segment
        offset += 2 + length
    raise ValueError("no image data")


def _strip_png(data: bytes) -> bytes:
    out = bytearray(_PNG_SIGNATURE)
    offset = len(_PNG_SIGNATURE)
    while offset + 12 <= len(data):
        (length,) = struct.unpack_from(">I", data, offset)
        kind = data[offset + 4 : offset + 8]
        end = offset + 12 + length
        if end > len(data):
            raise ValueError("chunk runs past the end")
        if kind not in _PNG_DROP:
            out += data[offset:end]
        offset = end
        if kind == b"IEND":
            return bytes(out)
    raise ValueError("no IEND chunk")
