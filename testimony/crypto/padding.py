"""Size buckets for everything encrypted, so a ciphertext's length says little about its content.

Lengths are rounded up with Padmé (Nikitin et al., "Reducing Metadata Leakage from Encrypted
Files and Communication with PURBs", PETS 2019): at most 12 % overhead, and a length leaks
O(log log n) bits. The browser does the same (frontend/src/padding.js); both must agree.

A report is UTF-8 JSON followed by spaces (JSON allows trailing white space). An attachment is a
container: magic, a JSON header (name, type, size), the file, then zero bytes.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass

REPORT_MIN_BYTES = 4096
ATTACHMENT_MIN_BYTES = 64 * 1024
ATTACHMENT_MAGIC = b"TSTA1\n"
_HEADER_LEN = struct.Struct(">I")
_MAX_HEADER_BYTES = 4096


class PaddingError(ValueError):
    """The plaintext is not in the padded form this platform produces."""


def padme(length: int) -> int:
    if length < 2:
        return length
    exponent = length.bit_length() - 1
    size_bits = exponent.bit_length()
    last_bits = exponent - size_bits
    mask = (1 << last_bits) - 1
    return (length + mask) & ~mask


def bucket(length: int, minimum: int) -> int:
    return padme(max(length, minimum))


def is_bucket_size(length: int, minimum: int) -> bool:
    return length >= minimum and padme(length) == length


def pad_report(report: dict) -> bytes:
    body = json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return body + b" " * (bucket(len(body), REPORT_MIN_BYTES) - len(body))


def unpad_report(plaintext: bytes) -> dict:
    if not is_bucket_size(len(plaintext), REPORT_MIN_BYTES):
        raise PaddingError("report is not padded to a bucket size")
    try:
        report = json.loads(plaintext.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise PaddingError("report is not UTF-8 JSON") from None
    if not isinstance(report, dict):
        raise PaddingError("report is not a JSON object")
    return report


@dataclass(frozen=True)
class AttachmentPlaintext:
    name: str
    content_type: str
    content: bytes


def pack_attachment(item: AttachmentPlaintext) -> bytes:
    header = json.dumps(
        {"name": item.name, "type": item.content_type, "size": len(item.content)},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    body = ATTACHMENT_MAGIC + _HEADER_LEN.pack(len(header)) + header + item.content
    return body + bytes(bucket(len(body), ATTACHMENT_MIN_BYTES) - len(body))


def unpack_attachment(plaintext: bytes) -> AttachmentPlaintext:
    if not is_bucket_size(len(plaintext), ATTACHMENT_MIN_BYTES):
        raise PaddingError("attachment is not padded to a bucket size")
    if not plaintext.startswith(ATTACHMENT_MAGIC):
        raise PaddingError("attachment container has no magic")
    offset = len(ATTACHMENT_MAGIC)
    (header_len,) = _HEADER_LEN.unpack_from(plaintext, offset)
    offset += _HEADER_LEN.size
    if header_len > _MAX_HEADER_BYTES or offset + header_len > len(plaintext):
        raise PaddingError("attachment header is too long")
    try:
        header = json.loads(plaintext[offset : offset + header_len].decode("utf-8"))
        name, content_type, size = str(header["name"]), str(header["type"]), int(header["size"])
    except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        raise PaddingError("attachment header is malformed") from None
    offset += header_len
    if size < 0 or offset + size > len(plaintext):
        raise PaddingError("attachment size does not fit its container")
    return AttachmentPlaintext(
        name=name, content_type=content_type, content=plaintext[offset : offset + size]
    )
