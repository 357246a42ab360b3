"""Opus voice notes remuxed, losslessly, into a fresh Ogg/Opus file that we write ourselves.

Two sources: WebM (Matroska) with Opus, as browsers' MediaRecorder writes it, and Ogg/Opus as
WhatsApp and Telegram send it. libsndfile cannot read WebM, and we keep FFmpeg for the codecs
nothing else decodes (Vorbis in WebM is decoded by :mod:`.ffmpeg` and re-encoded), but the
Opus packets inside are exactly what an Ogg/Opus file carries. Copying them out loses nothing
(no second lossy generation, no encoder time), and because we write every header ourselves
(OpusHead rebuilt from parsed fields, OpusTags with no comments), nothing from the original
container - Vorbis comments and cover art, WebM Tags, Attachments, Chapters, muxing-app strings,
stray CodecPrivate bytes - can reach the output.

The WebM parser is a flat scan: it steps into the few master elements it needs (Segment, Cluster,
Tracks, TrackEntry, Audio, BlockGroup) and skips everything else by size. That handles Chrome's
unknown-size Segment and Clusters without tracking element ends. A recording cut off mid-cluster
(tab closed) keeps the packets read so far.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field

from .limits import CORRUPT, MAX_AUDIO_SECONDS, TOO_LONG, UNSUPPORTED_FORMAT, Refused

_EBML, _DOCTYPE = 0x1A45DFA3, 0x4282
_SEGMENT, _CLUSTER, _TRACKS, _TRACK_ENTRY, _AUDIO, _BLOCK_GROUP = (
    0x18538067,
    0x1F43B675,
    0x1654AE6B,
    0xAE,
    0xE1,
    0xA0,
)
_DESCEND = frozenset({_SEGMENT, _CLUSTER, _TRACKS, _TRACK_ENTRY, _AUDIO, _BLOCK_GROUP})
_TRACK_NUMBER, _TRACK_TYPE, _CODEC_ID, _CODEC_PRIVATE = 0xD7, 0x83, 0x86, 0x63A2
_CODEC_DELAY, _CHANNELS, _SAMPLING_FREQUENCY, _CONTENT_ENCODINGS = 0x56AA, 0x9F, 0xB5, 0x6D80
_SIMPLE_BLOCK, _BLOCK, _DISCARD_PADDING = 0xA3, 0xA1, 0x75A2
_VIDEO_TRACK, _AUDIO_TRACK = 1, 2

_OPUS_RATE = 48_000
_MAX_PACKET_SAMPLES = 5760  # 120 ms, the longest Opus packet
_MAX_SEGMENTS = 255
_VENDOR = b"testimony"


@dataclass
class _Track:
    number: int = 0
    type: int = 0
    codec: str = ""
    private: bytes = b""
    codec_delay_ns: int = 0
    channels: int = 1
    sampling_frequency: float = 48_000.0
    encoded: bool = False


@dataclass
class _Scan:
    tracks: list[_Track] = field(default_factory=list)
    packets: list[tuple[int, bytes]] = field(default_factory=list)  # (track number, Opus packet)
    discard_padding: tuple[int, int] = (0, 0)  # (packets before it, nanoseconds): end trimming
    doctype: str = ""


class NotAudioOnly(Refused):
    """The WebM holds video: it is a video recording, not a voice note."""

    def __init__(self) -> None:
        super().__init__(UNSUPPORTED_FORMAT)


class NotOpus(Refused):
    """The WebM holds one plain audio track, but not Opus (``codec`` is its CodecID)."""

    def __init__(self, codec: str) -> None:
        super().__init__(UNSUPPORTED_FORMAT)
        self.codec = codec


def remux_ogg(content: bytes) -> bytes:
    """Return a tag-free Ogg/Opus file carrying the audio packets of Ogg/Opus ``content``.

    Only a single logical stream is accepted (chained or multiplexed Ogg is refused, and the
    caller falls back to decoding and re-encoding). The last page's granule position is carried
    over, so the decoder trims the end exactly as the original asked.
    """
    packets, final_granule = _ogg_packets(content)
    if len(packets) < 3 or packets[1][:8] != b"OpusTags":
        raise Refused(CORRUPT)
    head = _opus_head(_Track(private=packets[0]))
    audio = packets[2:]
    total = sum(map(_samples, audio))
    return _ogg_opus(head, audio, trim=max(total - final_granule, 0) if final_granule >= 0 else 0)


def _ogg_packets(data: bytes) -> tuple[list[bytes], int]:
    """Packets of a single-stream Ogg file, and the last granule position seen (-1 if none)."""
    packets: list[bytes] = []
    partial: list[bytes] = []
    serial, granule, pos = None, -1, 0
    while pos < len(data):
        if data[pos : pos + 4] != b"OggS" or len(data) - pos < 27:
            raise Refused(CORRUPT)
        version, flags, page_granule, page_serial, _, _, count = struct.unpack_from("<BBqIIIB", data, pos + 4)
        if serial is None:
            serial = page_serial
        elif flags & 0x02:
            raise Refused(UNSUPPORTED_FORMAT)  # a second stream begins: chained Ogg
        if version != 0 or page_serial != serial or (partial and not flags & 0x01):
            raise Refused(UNSUPPORTED_FORMAT if page_serial != serial else CORRUPT)
        lacing = data[pos + 27 : pos + 27 + count]
        body = pos + 27 + count
        if len(lacing) < count or body + sum(lacing) > len(data):
            raise Refused(CORRUPT)
        for value in lacing:
            partial.append(data[body : body + value])
            body += value
            if value < 255:
                packets.append(b"".join(partial))
                partial = []
        if page_granule != -1:
            granule = page_granule
        if len(packets) > MAX_AUDIO_SECONDS * 400:
            raise Refused(TOO_LONG)
        pos = body
    return packets, granule


def remux_webm(content: bytes) -> bytes:
    """Return an Ogg/Opus file carrying the Opus packets of ``content`` (WebM/Matroska)."""
    scan = _scan(content)
    if scan.doctype not in ("webm", "matroska"):
        raise Refused(CORRUPT)
    if any(track.type == _VIDEO_TRACK for track in scan.tracks):
        raise NotAudioOnly
    audio = [track for track in scan.tracks if track.type == _AUDIO_TRACK]
    if len(audio) != 1 or audio[0].encoded:
        raise Refused(UNSUPPORTED_FORMAT)
    if audio[0].codec != "A_OPUS":
        raise NotOpus(audio[0].codec)
    track = audio[0]
    packets = [packet for number, packet in scan.packets if number == track.number]
    if not packets:
        raise Refused(CORRUPT)
    after, padding_ns = scan.discard_padding
    trim = padding_ns * _OPUS_RATE // 1_000_000_000 if after == len(scan.packets) else 0
    return _ogg_opus(_opus_head(track), packets, trim=trim)


def _scan(data: bytes) -> _Scan:
    scan = _Scan()
    pos, end = 0, len(data)
    track: _Track | None = None
    while pos < end:
        try:
            element, pos = _vint(data, pos, keep_marker=True)
            size, pos = _vint(data, pos, keep_marker=False)
        except IndexError:
            break  # cut off inside an element header: keep what we have
        if element in _DESCEND:
            if element == _TRACK_ENTRY:
                track = _Track()
                scan.tracks.append(track)
            continue
        if size is None:
            raise Refused(CORRUPT)  # only masters we step into may have unknown size
        body, pos = data[pos : pos + size], pos + size
        if len(body) < size:
            break  # a recording cut off mid-element: keep the packets before it
        if element == _EBML:
            scan.doctype = _string(_child(body, _DOCTYPE))
        elif element in (_SIMPLE_BLOCK, _BLOCK):
            scan.packets.extend(_block_frames(body))
        elif element == _DISCARD_PADDING:
            scan.discard_padding = (len(scan.packets), max(0, _int(body, signed=True)))
        elif track is not None:
            _track_field(track, element, body)
        if len(scan.packets) > MAX_AUDIO_SECONDS * 400:  # 2.5 ms is the shortest Opus frame
            raise Refused(TOO_LONG)
    return scan


def _track_field(track: _Track, element: int, body: bytes) -> None:
    if element == _TRACK_NUMBER:
        track.number = _int(body)
    elif element == _TRACK_TYPE:
        track.type = _int(body)
    elif element == _CODEC_ID:
        track.codec = _string(body)
    elif element == _CODEC_PRIVATE:
        track.private = body
    elif element == _CODEC_DELAY:
        track.codec_delay_ns = _int(body)
    elif element == _CHANNELS:
        track.channels = _int(body)
    elif element == _SAMPLING_FREQUENCY and len(body) in (4, 8):
        track.sampling_frequency = struct.unpack(">f" if len(body) == 4 else ">d", body)[0]
    elif element == _CONTENT_ENCODINGS:
        track.encoded = True  # compressed or encrypted frames: not plain Opus packets


def _vint(data: bytes, pos: int, *, keep_marker: bool) -> tuple[int | None, int]:
    """Read an EBML variable-length integer; ``None`` for the all-ones "unknown size"."""
    first = data[pos]
    if first == 0:
        raise Refused(CORRUPT)
    length = 9 - first.bit_length()
    if pos + length > len(data):
        raise IndexError
    value = int.from_bytes(data[pos : pos + length], "big")
    if keep_marker:
        return value, pos + length
    value &= (1 << (7 * length)) - 1
    return (None if value == (1 << (7 * length)) - 1 else value), pos + length


def _child(body: bytes, wanted: int) -> bytes:
    pos = 0
    while pos < len(body):
        element, pos = _vint(body, pos, keep_marker=True)
        size, pos = _vint(body, pos, keep_marker=False)
        if size is None:
            raise Refused(CORRUPT)
        if element == wanted:
            return body[pos : pos + size]
        pos += size
    return b""


def _int(body: bytes, *, signed: bool = False) -> int:
    if len(body) > 8:
        raise Refused(CORRUPT)
    return int.from_bytes(body, "big", signed=signed)


def _string(body: bytes) -> str:
    return body.split(b"\0", 1)[0].decode("ascii", "replace")


def _block_frames(body: bytes) -> list[tuple[int, bytes]]:
    """Frames of a SimpleBlock or Block, undoing Xiph, fixed-size or EBML lacing."""
    number, pos = _vint(body, 0, keep_marker=False)
    if number is None or pos + 3 > len(body):
        raise Refused(CORRUPT)
    flags = body[pos + 2]
    pos += 3
    lacing = (flags >> 1) & 3
    if lacing == 0:
        return [(number, body[pos:])]
    count = body[pos] + 1
    pos += 1
    sizes: list[int] = []
    if lacing == 1:  # Xiph: each size is a run of 255s plus a final byte
        for _ in range(count - 1):
            size = 0
            while True:
                byte = body[pos]
                pos += 1
                size += byte
                if byte != 255:
                    break
            sizes.append(size)
    elif lacing == 3:  # EBML: first size plain, the rest as signed differences
        first, pos = _vint(body, pos, keep_marker=False)
        if first is None:
            raise Refused(CORRUPT)
        sizes.append(first)
        for _ in range(count - 2):
            start = pos
            raw, pos = _vint(body, pos, keep_marker=False)
            length = pos - start
            if raw is None:
                raise Refused(CORRUPT)
            sizes.append(sizes[-1] + raw - ((1 << (7 * length - 1)) - 1))
    else:  # fixed: equal sizes
        if (len(body) - pos) % count:
            raise Refused(CORRUPT)
        sizes = [(len(body) - pos) // count] * (count - 1)
    frames = []
    for size in sizes:
        if size < 0 or pos + size > len(body):
            raise Refused(CORRUPT)
        frames.append((number, body[pos : pos + size]))
        pos += size
    frames.append((number, body[pos:]))
    return frames


def _opus_head(track: _Track) -> bytes:
    """A fresh OpusHead (RFC 7845 section 5.1) from the fields the decoder needs, nothing else."""
    private = track.private
    if private[:8] == b"OpusHead" and len(private) >= 19:
        channels, pre_skip, input_rate, gain, family = struct.unpack_from("<BHIhB", private, 9)
        mapping = private[19 : 21 + channels] if family else b""
        if family and len(mapping) != 2 + channels:
            raise Refused(CORRUPT)
    else:
        channels, family, mapping, gain = track.channels, 0, b"", 0
        pre_skip = track.codec_delay_ns * _OPUS_RATE // 1_000_000_000 or 312
        input_rate = int(track.sampling_frequency)
    if not 1 <= channels <= (2 if family == 0 else 8):
        raise Refused(UNSUPPORTED_FORMAT)
    return b"OpusHead" + struct.pack("<BBHIhB", 1, channels, pre_skip, input_rate, gain, family) + mapping


def _samples(packet: bytes) -> int:
    """Duration of an Opus packet in 48 kHz samples, from its TOC byte (RFC 6716 section 3.1)."""
    if not packet:
        return 0  # an empty packet is a dropped frame; it carries no audio
    config, code = packet[0] >> 3, packet[0] & 3
    if config < 12:
        frame = (480, 960, 1920, 2880)[config & 3]
    elif config < 16:
        frame = (480, 960)[config & 1]
    else:
        frame = (120, 240, 480, 960)[config & 3]
    if code == 0:
        count = 1
    elif code in (1, 2):
        count = 2
    elif len(packet) < 2:
        raise Refused(CORRUPT)
    else:
        count = packet[1] & 0x3F
    total = frame * count
    if count == 0 or total > _MAX_PACKET_SAMPLES:
        raise Refused(CORRUPT)
    return total


def _ogg_opus(head: bytes, packets: list[bytes], *, trim: int) -> bytes:
    serial = 0x7E571A0  # fixed: the stream's serial number must not identify anything either
    tags = b"OpusTags" + struct.pack("<I", len(_VENDOR)) + _VENDOR + struct.pack("<I", 0)
    pages = [_page(serial, 0, 0, 0x02, [head]), _page(serial, 1, 0, 0x00, [tags])]
    granule, page_granule, sequence, segments = 0, 0, 2, 0
    pending: list[bytes] = []
    last = len(packets) - 1
    for index, packet in enumerate(packets):
        granule += _samples(packet)
        needed = len(packet) // 255 + 1
        if needed > _MAX_SEGMENTS:
            raise Refused(CORRUPT)
        if segments + needed > _MAX_SEGMENTS:
            pages.append(_page(serial, sequence, page_granule, 0, pending))
            sequence, pending, segments = sequence + 1, [], 0
        pending.append(packet)
        segments += needed
        page_granule = granule
        if index == last:
            final = max(granule - trim, 0)
            pages.append(_page(serial, sequence, final, 0x04, pending))
        elif sum(map(len, pending)) >= 4096:
            pages.append(_page(serial, sequence, granule, 0, pending))
            sequence, pending, segments = sequence + 1, [], 0
    if granule > MAX_AUDIO_SECONDS * _OPUS_RATE:
        raise Refused(TOO_LONG)
    return b"".join(pages)


def _page(serial: int, sequence: int, granule: int, flags: int, packets: list[bytes]) -> bytes:
    lacing = bytearray()
    for packet in packets:
        lacing += b"\xff" * (len(packet) // 255) + bytes([len(packet) % 255])
    header = struct.pack("<4sBBqIIIB", b"OggS", 0, flags, granule, serial, sequence, 0, len(lacing))
    page = bytearray(header + lacing + b"".join(packets))
    page[22:26] = struct.pack("<I", ogg_crc(bytes(page)))
    return bytes(page)


_REVERSED_BITS = bytes(int(f"{byte:08b}"[::-1], 2) for byte in range(256))


def ogg_crc(data: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, MSB-first, no reflection, init 0, no final xor).

    zlib implements the reflected form of the same polynomial in C; feeding it bit-reversed bytes
    and reversing the result gives Ogg's value without a per-byte Python loop.
    """
    reflected = zlib.crc32(data.translate(_REVERSED_BITS), 0xFFFFFFFF) ^ 0xFFFFFFFF
    return int(f"{reflected:032b}"[::-1], 2)
