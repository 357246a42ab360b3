"""What an attachment really is, read from its first bytes.

The sender's declared type is attacker-controlled and browsers guess it from the file name, so
every decision (which decoder runs, what the reviewer is shown) is made from magic bytes. The
declared type only confirms the one weak signature we accept (a bare MPEG audio frame sync).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

IMAGE, AUDIO, DOCUMENT, OTHER = "image", "audio", "document", "other"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2"}
_M4A_BRANDS = {
    b"M4A ",
    b"M4B ",
    b"M4P ",
    b"isom",
    b"iso2",
    b"iso4",
    b"iso5",
    b"iso6",
    b"mp41",
    b"mp42",
    b"dash",
}
_3GP_BRANDS = {b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gr6", b"3gs6", b"3g2a", b"3g2b", b"3g2c"}

# MPEG audio bitrates in kbit/s, indexed [mpeg1?][layer 1..3][index 1..14].
_BITRATES = {
    (True, 1): (32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {0b11: (44100, 48000, 32000), 0b10: (22050, 24000, 16000), 0b00: (11025, 12000, 8000)}


@dataclass(frozen=True)
class Sniffed:
    content_type: str
    kind: str


def sniff(content: bytes, declared_type: str = "") -> Sniffed:
    """Classify ``content`` by its signature; unknown binary is ``application/octet-stream``."""
    head = content[:64]
    if head.startswith(b"\xff\xd8\xff"):
        return Sniffed("image/jpeg", IMAGE)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed("image/png", IMAGE)
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return Sniffed("image/gif", IMAGE)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Sniffed("image/webp", IMAGE)
    if head[:4] in (b"RIFF", b"RF64") and head[8:12] == b"WAVE":
        return Sniffed("audio/wav", AUDIO)
    if head[4:8] == b"ftyp":
        return _sniff_isobmff(content)
    if head.startswith(b"%PDF-"):
        return Sniffed("application/pdf", DOCUMENT)
    if head.startswith(b"OggS"):
        return _sniff_ogg(head)
    if head.startswith(b"fLaC"):
        return Sniffed("audio/flac", AUDIO)
    if head.startswith(b"#!AMR-WB\n"):
        return Sniffed("audio/amr-wb", AUDIO)
    if head.startswith(b"#!AMR\n"):
        return Sniffed("audio/amr", AUDIO)
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return Sniffed("audio/webm" if b"webm" in content[:256] else "audio/x-matroska", AUDIO)
    if head.startswith(b"ID3"):
        return _sniff_after_id3(content)
    if _is_adts(head):
        return Sniffed("audio/aac", AUDIO)
    declared = declared_type.split(";")[0].strip().lower()
    if _mpeg_frame_length(head) is not None and (
        declared in ("audio/mpeg", "audio/mp3") or _two_mpeg_frames(content)
    ):
        return Sniffed("audio/mpeg", AUDIO)
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(content)
    if _is_text(content):
        return Sniffed("text/plain", DOCUMENT)
    return Sniffed("application/octet-stream", OTHER)


def _sniff_isobmff(content: bytes) -> Sniffed:
    size = int.from_bytes(content[:4], "big")
    brands = {content[8:12]}
    end = min(max(size, 16), 4096, len(content))
    brands.update(content[i : i + 4] for i in range(16, end - 3, 4))
    if b"avif" in brands or b"avis" in brands:
        return Sniffed("image/avif", IMAGE)
    if brands & _HEIF_BRANDS:
        return Sniffed("image/heic" if brands & {b"heic", b"heix", b"heim", b"heis"} else "image/heif", IMAGE)
    if content[8:12] == b"qt  ":
        return Sniffed("video/quicktime", OTHER)
    if brands & _3GP_BRANDS:
        return Sniffed("audio/3gpp", AUDIO)
    if brands & _M4A_BRANDS:
        return Sniffed("audio/mp4", AUDIO)
    return Sniffed("application/octet-stream", OTHER)


def _sniff_ogg(head: bytes) -> Sniffed:
    # The first page holds exactly one packet: the codec's identification header.
    segments = head[26] if len(head) > 26 else 0
    packet = head[27 + segments :]
    if packet.startswith((b"OpusHead", b"\x01vorbis", b"\x7fFLAC", b"Speex   ")):
        return Sniffed("audio/ogg", AUDIO)
    return Sniffed("application/ogg", OTHER)


def _sniff_after_id3(content: bytes) -> Sniffed:
    # ID3v2 size is "syncsafe": four bytes of seven bits each.
    if len(content) < 10:
        return Sniffed("application/octet-stream", OTHER)
    size = 10 + sum((byte & 0x7F) << (7 * (3 - i)) for i, byte in enumerate(content[6:10]))
    if content[5] & 0x10:
        size += 10  # footer
    rest = content[size : size + 64]
    if rest.startswith(b"fLaC"):
        return Sniffed("audio/flac", AUDIO)
    if _is_adts(rest):
        return Sniffed("audio/aac", AUDIO)
    return Sniffed("audio/mpeg", AUDIO)


def _is_adts(head: bytes) -> bool:
    return len(head) >= 7 and head[0] == 0xFF and head[1] & 0xF6 == 0xF0


def _mpeg_frame_length(head: bytes) -> int | None:
    """Length of the MPEG audio frame starting at ``head``, or None if it is not a valid header."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer_bits = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate_index, rate_index, padding = head[2] >> 4, (head[2] >> 2) & 3, (head[2] >> 1) & 1
    if version == 0b01 or layer_bits == 0 or bitrate_index in (0, 15) or rate_index == 3:
        return None
    layer = 4 - layer_bits
    bitrate = _BITRATES[(version == 0b11, layer)][bitrate_index - 1] * 1000
    rate = _SAMPLE_RATES[version][rate_index]
    if layer == 1:
        return (12 * bitrate // rate + padding) * 4
    if layer == 3 and version != 0b11:
        return 72 * bitrate // rate + padding
    return 144 * bitrate // rate + padding


def _two_mpeg_frames(content: bytes) -> bool:
    first = _mpeg_frame_length(content[:4])
    return first is not None and _mpeg_frame_length(content[first : first + 4]) is not None


def _sniff_zip(content: bytes) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "word/document.xml" in names:
                return Sniffed(DOCX, DOCUMENT)
            if "mimetype" in names:
                with archive.open("mimetype") as member:  # read a prefix only: members may be bombs
                    if member.read(len(ODT) + 1) == ODT.encode():
                        return Sniffed(ODT, DOCUMENT)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError, KeyError):
        pass
    return Sniffed("application/zip", OTHER)


def _is_text(content: bytes) -> bool:
    sample = content[:8192]
    if not sample:
        return False
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sample's end is still text.
        if error.start < len(sample) - 3:
            return False
        text = sample[: error.start].decode("utf-8")
    return all(ch.isprintable() or ch in "\t\n\r\f" for ch in text)
