"""AMR voice notes (RFC 4867 section 5, single channel): rebuilt from their frames, nothing else.

Older Android phones and some messengers record AMR-NB (``#!AMR\\n``, 8 kHz) or AMR-WB
(``#!AMR-WB\\n``, 16 kHz) in the storage format: the magic, then 20 ms frames, each a header byte
(``P FT(4) Q P P``: padding bits that must be zero, the frame type, the quality bit) followed by
a payload whose length the frame type fixes. The format has no tags, but anything can be appended
to or hidden behind a file that players still accept. We parse the file frame by frame and write
back the magic and the frames we could parse, and nothing else: parsing stops at the first byte
that is not a valid frame header or at a frame cut short, and everything from there on is dropped.
A file with no valid frame at all is corrupt.

This removes what is outside the audio; it cannot remove data hidden inside frame payloads (any
bits are a valid payload), which only re-encoding would. That is why the disguised copy, decoded
from these frames and re-encoded, is what reviewers hear.
"""

from __future__ import annotations

from .limits import CORRUPT, MAX_AUDIO_SECONDS, TOO_LONG, VERIFICATION_FAILED, Refused

NB, WB = "audio/amr", "audio/amr-wb"
MAGIC = {NB: b"#!AMR\n", WB: b"#!AMR-WB\n"}
RATE = {NB: 8_000, WB: 16_000}

# Payload bytes after the header byte, by frame type: the speech bits of each mode rounded up to
# whole bytes (3GPP TS 26.101 table 1a for AMR, TS 26.201 table 1a for AMR-WB), SID frames, and the
# empty NO_DATA (15) and, for AMR-WB only, SPEECH_LOST (14). The remaining types (AMR 9-14, the
# EFR comfort-noise frames and reserved types; AMR-WB 10-13, reserved) have no defined size in the
# storage format, so a file using them cannot be parsed safely past that point.
_PAYLOAD = {
    NB: {0: 12, 1: 13, 2: 15, 3: 17, 4: 19, 5: 20, 6: 26, 7: 31, 8: 5, 15: 0},
    WB: {0: 17, 1: 23, 2: 32, 3: 36, 4: 40, 5: 46, 6: 50, 7: 58, 8: 60, 9: 5, 14: 0, 15: 0},
}
_MAX_FRAMES = MAX_AUDIO_SECONDS * 50  # every frame, NO_DATA included, stands for 20 ms
_PADDING_BITS = 0b1000_0011


def clean_amr(content: bytes, content_type: str) -> bytes:
    """Return the magic and the valid frames of ``content``; trailing bytes are dropped.

    ``content_type`` is ``audio/amr`` or ``audio/amr-wb`` as sniffed, so ``content`` starts with
    that magic. Raises :class:`Refused` (``corrupt``) when no frame parses, ``too_long`` past
    :data:`MAX_AUDIO_SECONDS`.
    """
    magic = MAGIC[content_type]
    if not content.startswith(magic):
        raise Refused(CORRUPT)
    end, count = _frames_end(content, content_type)
    if count == 0:
        raise Refused(CORRUPT)
    cleaned = content[:end]
    # The output must parse to its very end: nothing of what we dropped can have slipped in.
    if _frames_end(cleaned, content_type) != (len(cleaned), count):
        raise Refused(VERIFICATION_FAILED)
    return cleaned


def _frames_end(content: bytes, content_type: str) -> tuple[int, int]:
    """Offset just past the last complete, valid frame, and how many frames precede it."""
    sizes = _PAYLOAD[content_type]
    pos, count, length = len(MAGIC[content_type]), 0, len(content)
    while pos < length:
        header = content[pos]
        payload = sizes.get((header >> 3) & 0x0F)
        if header & _PADDING_BITS or payload is None or pos + 1 + payload > length:
            break  # not a frame (appended bytes, damage) or a frame cut short: the audio ends here
        pos += 1 + payload
        count += 1
        if count > _MAX_FRAMES:
            raise Refused(TOO_LONG)
    return pos, count
