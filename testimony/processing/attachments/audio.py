"""Voice notes: strip every tag by decoding and re-encoding, or by neutralising MP4 boxes in place.

Tags in audio are as revealing as EXIF: ID3 frames and Vorbis comments carry phone models, app
names, recording dates, sometimes the sender's name; WAV files may have BWF originator and time
fields; MP4 from iPhones holds ISO 6709 location in its metadata boxes. Deleting known tags
leaves unknown ones, so we never edit a file's tags: Opus (Ogg or WebM) is remuxed packet by
packet into an Ogg file whose headers we write ourselves, and everything else libsndfile decodes
is re-encoded into a new Ogg file, where only what libsndfile writes (no comments for Opus,
``ENCODER=libsndfile`` for Vorbis) can be. Either way mutagen checks the result afterwards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import mutagen
import mutagen.mp4
import numpy as np
import soundfile

from . import opus
from .limits import (
    CORRUPT,
    MAX_AUDIO_SECONDS,
    MAX_CHANNELS,
    MAX_SAMPLE_RATE,
    TOO_LONG,
    UNSUPPORTED_FORMAT,
    VERIFICATION_FAILED,
    Refused,
)

OGG = "audio/ogg"
DECODABLE = frozenset({"audio/ogg", "audio/mpeg", "audio/wav", "audio/flac"})
WEBM = frozenset({"audio/webm", "audio/x-matroska"})
MP4 = frozenset({"audio/mp4", "audio/3gpp"})
_OPUS_RATES = frozenset({8000, 12000, 16000, 24000, 48000})
_ALLOWED_TAGS = frozenset({("encoder", "libsndfile")})  # libsndfile's own Vorbis comment


@dataclass(frozen=True)
class CleanAudio:
    content: bytes
    content_type: str
    samples: np.ndarray | None  # mono float32 for the voice disguise, None when we cannot decode
    rate: int = 0


class VideoNotAudio(Refused):
    """An MP4 or WebM with a video track: a video, not a voice note (kind ``other``)."""

    def __init__(self, content_type: str) -> None:
        super().__init__(UNSUPPORTED_FORMAT)
        self.content_type = content_type


def clean_audio(content: bytes, content_type: str) -> CleanAudio:
    """Return ``content`` without tags, plus its decoded samples when it could be decoded."""
    if content_type == OGG and content[28:36] == b"OpusHead":
        try:
            return _remuxed(opus.remux_ogg(content))
        except (Refused, soundfile.LibsndfileError, RuntimeError, ValueError) as error:
            if isinstance(error, Refused) and error.reason == TOO_LONG:
                raise
        # Chained, multiplexed or damaged Ogg: let libsndfile decode what it can and re-encode.
    if content_type in DECODABLE:
        return _reencode(content)
    if content_type in WEBM:
        try:
            return _remuxed(opus.remux_webm(content))
        except opus.NotAudioOnly:
            raise VideoNotAudio("video/webm") from None
    if content_type in MP4:
        return CleanAudio(neutralise_mp4(content), content_type, None)
    raise Refused(UNSUPPORTED_FORMAT)


def _remuxed(remuxed: bytes) -> CleanAudio:
    """The remux is lossless and tag-free by construction; decoding it proves it is valid."""
    samples, rate, _ = _decode(remuxed, write_to=None)
    _verify_no_tags(remuxed)
    return CleanAudio(remuxed, OGG, samples, rate)


def _reencode(content: bytes) -> CleanAudio:
    out = io.BytesIO()
    samples, rate, _ = _decode(content, write_to=out)
    encoded = out.getvalue()
    _verify_no_tags(encoded)
    return CleanAudio(encoded, OGG, samples, rate)


def _decode(content: bytes, *, write_to: io.BytesIO | None) -> tuple[np.ndarray, int, int]:
    """Decode block by block, optionally re-encoding to Ogg as we go; returns mono samples.

    Streaming keeps memory to one mono copy even for a 15-minute stereo recording. Opus is used
    for mono at a rate libopus takes (8/12/16/24/48 kHz); Vorbis otherwise, which avoids
    resampling the evidence copy and, for stereo, costs a quarter of libopus's encoding time
    (1.6 s of CPU per minute of 48 kHz stereo would break the worker's time budget).
    """
    with soundfile.SoundFile(io.BytesIO(content)) as source:
        rate, channels = source.samplerate, source.channels
        if not 0 < rate <= MAX_SAMPLE_RATE or not 0 < channels <= MAX_CHANNELS:
            raise Refused(CORRUPT)
        if source.frames > rate * MAX_AUDIO_SECONDS:
            raise Refused(TOO_LONG)
        limit = rate * MAX_AUDIO_SECONDS
        out_channels = channels if channels <= 2 else 1
        sink = None
        if write_to is not None:
            subtype = "OPUS" if rate in _OPUS_RATES and out_channels == 1 else "VORBIS"
            sink = soundfile.SoundFile(write_to, "w", rate, out_channels, format="OGG", subtype=subtype)
        mono: list[np.ndarray] = []
        total = 0
        try:
            # The frame count above is an estimate for MP3; count what is really decoded too.
            for raw in source.blocks(blocksize=rate * 10, dtype="float32", always_2d=True):
                total += raw.shape[0]
                if total > limit:
                    raise Refused(TOO_LONG)
                # A damaged MP3 can decode to NaN or huge values; neither may reach an encoder.
                block = np.nan_to_num(raw, nan=0.0, posinf=0.0, neginf=0.0)
                with np.errstate(over="ignore", invalid="ignore"):
                    down = np.clip(block.mean(axis=1, dtype=np.float32), -1.0, 1.0)
                if sink is not None:
                    write_chunked(sink, block if out_channels == channels else down)
                mono.append(down)
        finally:
            if sink is not None:
                sink.close()
    if total == 0:
        raise Refused(CORRUPT)
    return np.concatenate(mono), rate, total


def encode_ogg(samples: np.ndarray, rate: int, subtype: str) -> bytes:
    """Encode ``samples`` as Ogg (``OPUS`` or ``VORBIS``) in memory."""
    out = io.BytesIO()
    channels = samples.shape[1] if samples.ndim == 2 else 1
    with soundfile.SoundFile(out, "w", rate, channels, format="OGG", subtype=subtype) as sink:
        write_chunked(sink, samples)
    return out.getvalue()


_WRITE_CHUNK = 16_384


def write_chunked(sink: soundfile.SoundFile, samples: np.ndarray) -> None:
    """Write in small pieces: libvorbis allocas a buffer as large as one write on the C stack,
    and a single multi-second write crashes the whole worker with SIGSEGV (libsndfile #1095,
    python-soundfile #233/#426). Writes of 16k frames keep that buffer small.
    """
    for start in range(0, samples.shape[0], _WRITE_CHUNK):
        sink.write(samples[start : start + _WRITE_CHUNK])


def _verify_no_tags(encoded: bytes) -> None:
    parsed = mutagen.File(io.BytesIO(encoded))
    if parsed is None:
        raise Refused(VERIFICATION_FAILED)
    tags = parsed.tags
    found = {(key.lower(), str(value)) for key, value in tags} if tags is not None else set()
    if found - _ALLOWED_TAGS:
        raise Refused(VERIFICATION_FAILED)


# --- MP4 / M4A / 3GP -------------------------------------------------------------------------
#
# We cannot decode AAC or AMR here, so we cannot re-encode. Instead every box that is not part of
# the audio's structure is turned into a ``free`` box of the same size with its payload zeroed,
# and the creation/modification times in mvhd/tkhd/mdhd and the handler names are zeroed. Sizes
# and offsets never change, so the sample tables (stco/co64 chunk offsets) stay valid without
# being rewritten. What is kept is an allow-list: metadata in boxes we do not know is removed too.

_KEEP = {
    b"": frozenset(
        {b"ftyp", b"moov", b"mdat", b"free", b"skip", b"wide", b"moof", b"mfra", b"styp", b"sidx"}
    ),
    b"moov": frozenset({b"mvhd", b"trak", b"mvex", b"iods"}),
    b"trak": frozenset({b"tkhd", b"edts", b"mdia", b"tref"}),
    b"mdia": frozenset({b"mdhd", b"hdlr", b"minf"}),
}
_TIMESTAMPED = frozenset({b"mvhd", b"tkhd", b"mdhd"})


def neutralise_mp4(content: bytes) -> bytes:
    """Blank every non-structural box and timestamp of an MP4 audio file, in place."""
    data = bytearray(content)
    handlers: set[bytes] = set()
    _walk(data, 0, len(data), b"", handlers)
    if b"vide" in handlers:
        raise VideoNotAudio("video/mp4")
    if b"soun" not in handlers:
        raise Refused(UNSUPPORTED_FORMAT)
    cleaned = bytes(data)
    parsed = mutagen.mp4.MP4(io.BytesIO(cleaned))
    if parsed.tags:
        raise Refused(VERIFICATION_FAILED)
    if parsed.info.length > MAX_AUDIO_SECONDS:
        raise Refused(TOO_LONG)
    return cleaned


def _walk(data: bytearray, start: int, end: int, parent: bytes, handlers: set[bytes]) -> None:
    pos = start
    while pos < end:
        if end - pos < 8:
            raise Refused(CORRUPT)
        size, kind, header = int.from_bytes(data[pos : pos + 4], "big"), bytes(data[pos + 4 : pos + 8]), 8
        if size == 1:
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0 and parent == b"":
            size = end - pos  # "extends to the end of the file" (top level only)
        if size < header or pos + size > end:
            raise Refused(CORRUPT)
        body, box_end = pos + header, pos + size
        if kind not in _KEEP[parent]:
            data[pos + 4 : pos + 8] = b"free"
            data[body:box_end] = bytes(box_end - body)
        elif kind in _KEEP:
            _walk(data, body, box_end, kind, handlers)
        elif kind in _TIMESTAMPED and box_end - body >= 20:
            width = 8 if data[body] == 1 else 4
            data[body + 4 : body + 4 + 2 * width] = bytes(2 * width)
        elif kind == b"hdlr" and box_end - body >= 24:
            handlers.add(bytes(data[body + 8 : body + 12]))
            data[body + 24 : box_end] = bytes(box_end - body - 24)  # name, e.g. "Core Media Audio"
        pos = box_end
