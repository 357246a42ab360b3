"""WebM from browsers' MediaRecorder, and Ogg/Opus, remuxed packet for packet into a clean Ogg."""

import io
import itertools
import struct

import numpy as np
import pytest
import soundfile

from testimony.processing.attachments import opus, sanitise
from tests.unit.processing.attachments.signals import encode, voiced

UNKNOWN_SIZE = b"\x01\xff\xff\xff\xff\xff\xff\xff"  # what Chrome writes for Segment and Cluster


def _ogg_packets(data: bytes) -> list[bytes]:
    packets, partial, pos = [], b"", 0
    while pos < len(data):
        count = data[pos + 26]
        lacing, body = data[pos + 27 : pos + 27 + count], pos + 27 + count
        for value in lacing:
            partial += data[body : body + value]
            body += value
            if value < 255:
                packets.append(partial)
                partial = b""
        pos = body
    return packets


def _size(n: int) -> bytes:
    return b"\x01" + n.to_bytes(7, "big")


def _el(element: bytes, payload: bytes) -> bytes:
    return element + _size(len(payload)) + payload


def _uint(element: bytes, value: int) -> bytes:
    return _el(element, value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def _block(packets: list[bytes], timecode: int, lacing: str) -> bytes:
    header = b"\x81" + struct.pack(">h", timecode)
    if len(packets) == 1 or lacing == "none":
        return b"".join(_el(b"\xa3", header + b"\x80" + p) for p in packets)
    if lacing == "xiph":
        sizes = b"".join(b"\xff" * (len(p) // 255) + bytes([len(p) % 255]) for p in packets[:-1])
        flags = 0x82
    else:  # EBML lacing: first size, then two-byte signed differences
        sizes = (0x4000 | len(packets[0])).to_bytes(2, "big")
        for before, after in itertools.pairwise(packets[:-1]):
            sizes += (0x4000 | ((1 << 13) - 1 + len(after) - len(before))).to_bytes(2, "big")
        flags = 0x86
    return _el(b"\xa3", header + bytes([flags, len(packets) - 1]) + sizes + b"".join(packets))


def _webm(ogg: bytes, *, lacing: str = "none", video: bool = False, codec: bytes = b"A_OPUS") -> bytes:
    """A WebM shaped like Chrome's: unknown-size Segment and Clusters, SimpleBlocks, then Tags."""
    packets = _ogg_packets(ogg)
    head, audio = packets[0], packets[2:]
    ebml = _el(
        b"\x1a\x45\xdf\xa3",
        _uint(b"\x42\x86", 1) + _uint(b"\x42\xf7", 1) + _uint(b"\x42\xf2", 4) + _uint(b"\x42\xf3", 8)
        + _el(b"\x42\x82", b"webm") + _uint(b"\x42\x87", 4) + _uint(b"\x42\x85", 2),
    )  # fmt: skip
    info = _el(b"\x15\x49\xa9\x66", _uint(b"\x2a\xd7\xb1", 1_000_000) + _el(b"\x57\x41", b"SECRET-APP"))
    track = (
        _uint(b"\xd7", 1) + _uint(b"\x73\xc5", 0x5EC7E7) + _uint(b"\x83", 2) + _el(b"\x86", codec)
        + _el(b"\x63\xa2", head + b"SECRET-PRIVATE")
        + _el(b"\xe1", _el(b"\xb5", struct.pack(">f", 48000.0)) + _uint(b"\x9f", 1))
    )  # fmt: skip
    tracks = _el(b"\xae", track)
    if video:
        tracks += _el(b"\xae", _uint(b"\xd7", 2) + _uint(b"\x83", 1) + _el(b"\x86", b"V_VP8"))
    clusters = b""
    for first in range(0, len(audio), 50):
        chunk = audio[first : first + 50]
        blocks = b"".join(_block(chunk[i : i + 3], i * 20, lacing) for i in range(0, len(chunk), 3))
        clusters += b"\x1f\x43\xb6\x75" + UNKNOWN_SIZE + _uint(b"\xe7", first * 20) + blocks
    tag = _el(b"\x67\xc8", _el(b"\x45\xa3", b"TITLE") + _el(b"\x44\x87", b"SECRET-TAG"))
    tags = _el(b"\x12\x54\xc3\x67", _el(b"\x73\x73", tag))
    segment = info + _el(b"\x16\x54\xae\x6b", tracks) + clusters + tags
    return ebml + b"\x18\x53\x80\x67" + UNKNOWN_SIZE + segment


@pytest.fixture(scope="module")
def ogg_opus() -> bytes:
    return encode(voiced(3.0, 48_000), 48_000, "OGG", "OPUS")


@pytest.mark.parametrize("lacing", ["none", "xiph", "ebml"])
def test_browser_webm_becomes_clean_ogg_opus_with_the_very_same_audio(ogg_opus, lacing):
    webm = _webm(ogg_opus, lacing=lacing)
    assert webm.count(b"SECRET") == 3

    result = sanitise(webm, declared_type="audio/webm;codecs=opus")

    assert (result.cleaned, result.reason, result.kind) == (True, "", "audio")
    assert (result.content_type, result.source_type) == ("audio/ogg", "audio/webm")
    assert b"SECRET" not in result.content
    reference, _ = soundfile.read(io.BytesIO(ogg_opus))
    remuxed, rate = soundfile.read(io.BytesIO(result.content))
    assert rate == 48_000
    # WebM carries no end-trim position, so up to one packet of decoder padding remains at the end.
    assert 0 <= remuxed.size - reference.size <= 960
    assert np.array_equal(remuxed[: reference.size], reference)
    assert result.disguised_voice is not None


def test_a_recording_cut_off_mid_cluster_keeps_what_was_recorded(ogg_opus):
    result = sanitise(_webm(ogg_opus)[:-3000])
    assert result.cleaned
    assert 2.0 < soundfile.info(io.BytesIO(result.content)).duration < 3.0


def test_webm_with_video_is_a_video(ogg_opus):
    result = sanitise(_webm(ogg_opus, video=True))
    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        False,
        "unsupported_format",
        "other",
        "video/webm",
    )


def test_webm_with_another_codec_is_not_supported(ogg_opus):
    result = sanitise(_webm(ogg_opus, codec=b"A_AAC"))
    assert (result.cleaned, result.reason) == (False, "unsupported_format")


def test_webm_that_says_vorbis_but_holds_opus_packets_is_corrupt(ogg_opus):
    # Vorbis in WebM goes to FFmpeg (test_decoded_voice.py), which cannot read these headers.
    content = _webm(ogg_opus, codec=b"A_VORBIS")
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.content) == (False, "corrupt", content)


@pytest.mark.parametrize("damage", ["garbage-after-header", "zero-id", "flipped"])
def test_damaged_webm_never_raises(ogg_opus, damage):
    webm = _webm(ogg_opus)
    if damage == "garbage-after-header":
        content = webm[:60] + np.random.default_rng(1).bytes(2000)
    elif damage == "zero-id":
        content = webm[:200] + b"\x00" + webm[201:]
    else:
        content = bytearray(webm)
        for i in range(300, len(content), 97):
            content[i] ^= 0xFF
        content = bytes(content)
    result = sanitise(content)
    assert result.kind == "audio"
    assert result.cleaned or result.reason in {"corrupt", "unsupported_format"}
    assert b"SECRET" not in result.content or not result.cleaned


def _reference_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) & 0xFFFFFFFF if crc & 0x80000000 else (crc << 1) & 0xFFFFFFFF
    return crc


def test_ogg_crc_matches_the_bitwise_definition_and_libogg(ogg_opus):
    sample = np.random.default_rng(3).bytes(1000)
    assert opus.ogg_crc(sample) == _reference_crc(sample)
    assert opus.ogg_crc(b"") == 0
    page_end = 27 + ogg_opus[26] + sum(ogg_opus[27 : 27 + ogg_opus[26]])
    page = bytearray(ogg_opus[:page_end])
    written = struct.unpack_from("<I", page, 22)[0]
    page[22:26] = bytes(4)
    assert opus.ogg_crc(bytes(page)) == written
