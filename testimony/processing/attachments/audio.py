"""Voice notes: strip every tag by remuxing, re-encoding, rebuilding or neutralising in place.

Tags in audio are as revealing as EXIF: ID3 frames and Vorbis comments carry phone models, app
names, recording dates, sometimes the sender's name; WAV files may have BWF originator and time
fields; MP4 from iPhones holds ISO 6709 location in its metadata boxes. Deleting known tags
leaves unknown ones, so we never edit a file's tags:

* Opus (Ogg or WebM) is remuxed packet by packet into an Ogg file whose headers we write
  ourselves (:mod:`.opus`);
* everything libsndfile decodes (MP3, WAV, FLAC, Ogg/Vorbis), and Vorbis in WebM (decoded by
  FFmpeg, :mod:`.ffmpeg`), is re-encoded into a new Ogg file, where only what libsndfile writes
  (no comments for Opus, ``ENCODER=libsndfile`` for Vorbis) can be;
* AMR is rebuilt from its parsed frames, the magic and nothing else (:mod:`.amr`);
* MP4 (M4A, 3GP) keeps its audio bytes in place and every box that is not structure is blanked.

Either way the result is checked afterwards (mutagen for Ogg and MP4, a re-parse for AMR). Every
voice note is then decoded to samples for the disguised copy: by libsndfile, or, for AAC and AMR
(in MP4, 3GP or AMR files) and WebM/Vorbis, by FFmpeg from the cleaned bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass

import mutagen
import mutagen.mp4
import numpy as np
import soundfile

from . import amr, ffmpeg, opus
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
AMR = frozenset({amr.NB, amr.WB})
# The codecs FFmpeg may decode on each path (named by FFmpeg's default decoder for them) and the
# decoder used for each; AMR goes to the 3GPP reference decoders (see ffmpeg.py). For MP4, the
# sample entries our own parser must find before FFmpeg sees the file.
_NB_DECODER = {"amrnb": "libopencore_amrnb"}
_WB_DECODER = {"amrwb": "libopencore_amrwb"}
_MP4_DECODERS = {"aac": "aac", **_NB_DECODER, **_WB_DECODER}
_MP4_ENTRIES = frozenset({b"mp4a", b"samr", b"sawb"})
_AMR_DECODERS = {amr.NB: _NB_DECODER, amr.WB: _WB_DECODER}
_WEBM_DECODERS = {"vorbis": "vorbis"}
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
        except opus.NotOpus as other:
            if other.codec != "A_VORBIS":
                raise Refused(UNSUPPORTED_FORMAT) from None
        return _reencode_webm_vorbis(content)
    if content_type in MP4:
        return _neutralised_mp4(content, content_type)
    if content_type in AMR:
        return _rebuilt_amr(content, content_type)
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


def _reencode_webm_vorbis(content: bytes) -> CleanAudio:
    """WebM/Vorbis (older browsers' and apps' recorders): decoded by FFmpeg, re-encoded like FLAC."""
    out = io.BytesIO()
    with _video_is_video("video/webm"):
        samples, rate, _ = _decode_ffmpeg(
            content, container=ffmpeg.MATROSKA, decoders=_WEBM_DECODERS, write_to=out
        )
    encoded = out.getvalue()
    _verify_no_tags(encoded)
    return CleanAudio(encoded, OGG, samples, rate)


def _neutralised_mp4(content: bytes, content_type: str) -> CleanAudio:
    """Tags blanked in place; then, if every track is AAC or AMR, FFmpeg decodes the blanked copy.

    Any other codec (ALAC, MP3 in MP4...) is never handed to FFmpeg: the file is still clean,
    it just gets no disguised copy. A decoding error seals the file (``corrupt``).
    """
    cleaned = neutralise_mp4(content)
    entries = _sample_entries(cleaned)
    if not entries or not entries <= _MP4_ENTRIES:
        return CleanAudio(cleaned, content_type, None)
    try:
        with _video_is_video("video/mp4"):
            samples, rate, _ = _decode_ffmpeg(
                cleaned, container=ffmpeg.MP4, decoders=_MP4_DECODERS, write_to=None
            )
    except ffmpeg.CodecNotAllowed:
        return CleanAudio(cleaned, content_type, None)
    return CleanAudio(cleaned, content_type, samples, rate)


def _rebuilt_amr(content: bytes, content_type: str) -> CleanAudio:
    """The magic and the valid frames (:mod:`.amr`), decoded by FFmpeg for the disguise."""
    cleaned = amr.clean_amr(content, content_type)
    samples, rate, _ = _decode_ffmpeg(
        cleaned, container=ffmpeg.AMR, decoders=_AMR_DECODERS[content_type], write_to=None
    )
    return CleanAudio(cleaned, content_type, samples, rate)


@contextmanager
def _video_is_video(content_type: str) -> Iterator[None]:
    """A video stream our own parser missed but FFmpeg found still makes the file a video."""
    try:
        yield
    except ffmpeg.VideoStream:
        raise VideoNotAudio(content_type) from None


def _decode(content: bytes, *, write_to: io.BytesIO | None) -> tuple[np.ndarray, int, int]:
    """Decode with libsndfile block by block, optionally re-encoding to Ogg as we go."""
    with soundfile.SoundFile(io.BytesIO(content)) as source:
        rate, channels = source.samplerate, source.channels
        if not 0 < rate <= MAX_SAMPLE_RATE or not 0 < channels <= MAX_CHANNELS:
            raise Refused(CORRUPT)
        if source.frames > rate * MAX_AUDIO_SECONDS:
            raise Refused(TOO_LONG)
        # The frame count above is an estimate for MP3; _collect counts what is really decoded.
        blocks = source.blocks(blocksize=rate * 10, dtype="float32", always_2d=True)
        return _collect(blocks, rate, channels, write_to=write_to)


def _decode_ffmpeg(
    content: bytes, *, container: str, decoders: Mapping[str, str], write_to: io.BytesIO | None
) -> tuple[np.ndarray, int, int]:
    """Decode with FFmpeg (:mod:`.ffmpeg`), the same way as :func:`_decode`."""
    with ffmpeg.open_audio(content, container=container, decoders=decoders) as source:
        return _collect(source.blocks, source.rate, source.channels, write_to=write_to)


def _collect(
    blocks: Iterable[np.ndarray], rate: int, channels: int, *, write_to: io.BytesIO | None
) -> tuple[np.ndarray, int, int]:
    """Mono samples of ``blocks`` (float32, shaped (frames, channels)), optionally re-encoded.

    Streaming keeps memory to one mono copy even for a 15-minute stereo recording, and decoding
    stops as soon as the note is longer than :data:`MAX_AUDIO_SECONDS`. Opus is used for mono at
    a rate libopus takes (8/12/16/24/48 kHz); Vorbis otherwise, which avoids resampling the
    evidence copy and, for stereo, costs a quarter of libopus's encoding time (1.6 s of CPU per
    minute of 48 kHz stereo would break the worker's time budget).
    """
    limit = rate * MAX_AUDIO_SECONDS
    out_channels = channels if channels <= 2 else 1
    sink = None
    if write_to is not None:
        subtype = "OPUS" if rate in _OPUS_RATES and out_channels == 1 else "VORBIS"
        sink = soundfile.SoundFile(write_to, "w", rate, out_channels, format="OGG", subtype=subtype)
    mono: list[np.ndarray] = []
    total = 0
    try:
        for raw in blocks:
            total += raw.shape[0]
            if total > limit:
                raise Refused(TOO_LONG)
            # A damaged file can decode to NaN or huge values; neither may reach an encoder.
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
    if parsed is None or not only_encoder_tag(parsed):
        raise Refused(VERIFICATION_FAILED)


def only_encoder_tag(parsed: mutagen.FileType) -> bool:
    """Whether a file mutagen parsed holds no tag but libsndfile's own encoder comment (also what
    the worker requires of the sandbox's Ogg, ``recheck``)."""
    tags = parsed.tags
    found = {(key.lower(), str(value)) for key, value in tags} if tags is not None else set()
    return not found - _ALLOWED_TAGS


# --- MP4 / M4A / 3GP -------------------------------------------------------------------------
#
# The evidence copy is not re-encoded: a second lossy AAC or AMR generation would cost quality, and
# FFmpeg only decodes here, it never writes what reviewers get. Instead every box that is not part of
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
    if handlers != {b"soun"}:
        # No sound, or a text, subtitle, timecode or hint track beside it: those tracks' samples
        # sit in mdat, which we keep as it is (chapter titles would survive), so it stays sealed.
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


_SAMPLE_TABLE_PATH = (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsd")


def _sample_entries(data: bytes) -> set[bytes]:
    """The sample entry types (``mp4a``, ``samr``...) of every track, from our own box parse."""
    found: set[bytes] = set()
    _entries_below(data, 0, len(data), 0, found)
    return found


def _entries_below(data: bytes, start: int, end: int, depth: int, found: set[bytes]) -> None:
    for kind, body, box_end in _boxes(data, start, end):
        if kind != _SAMPLE_TABLE_PATH[depth]:
            continue
        if depth + 1 < len(_SAMPLE_TABLE_PATH):
            _entries_below(data, body, box_end, depth + 1, found)
        else:  # stsd: version and flags, entry count, then the entries as boxes
            for entry, _, _ in _boxes(data, body + 8, box_end):
                found.add(entry)


def _boxes(data: bytes, start: int, end: int) -> Iterator[tuple[bytes, int, int]]:
    pos = start
    while pos < end:
        if end - pos < 8:
            raise Refused(CORRUPT)
        size, kind, header = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8], 8
        if size == 1:
            size, header = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise Refused(CORRUPT)
        yield kind, pos + header, pos + size
        pos += size
