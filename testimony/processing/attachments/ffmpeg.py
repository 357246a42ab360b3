"""Decode AAC, AMR and Vorbis voice notes with FFmpeg (PyAV), in memory, behind an allow-list.

libsndfile cannot decode AAC (M4A, 3GP), AMR or Vorbis inside WebM, so for those FFmpeg does it.
FFmpeg's demuxers and decoders are a large C code base, and here they parse bytes anyone can
send, so they are handed as little as possible:

* only bytes our own sniffer already identified as that audio type, and for MP4 and WebM only
  after our own parser has read the container (the MP4 copy FFmpeg sees is the one whose metadata
  boxes are already blanked);
* the demuxer is named (``format=``), never probed, and the caller names the codecs it accepts
  and the decoder for each; a stream with any other codec is refused before a packet is decoded.
  AMR goes to the 3GPP reference decoders (``libopencore_amrnb``/``amrwb``, as in Android)
  rather than FFmpeg's own, which fails on the comfort-noise (SID) and NO_DATA frames that phones
  with discontinuous transmission write;
* FFmpeg reads from a ``BytesIO`` through Python and may not open anything else: PyAV's
  ``io_open`` hook refuses every nested open (MP4 external data references, which are off in
  FFmpeg by default anyway), so no plaintext reaches the disk and no other file is read;
* decoding stops as soon as more than :data:`MAX_AUDIO_SECONDS` has come out, or more packets
  than that could hold, and every error FFmpeg or PyAV raises becomes ``Refused(corrupt)``: the
  attachment stays sealed and the task never retries on it.

What this cannot do: a memory-safety bug in one of the allowed decoders can still take over the
process FFmpeg runs in. The allow-list keeps that surface to the mov, amr and matroska demuxers
and the aac, vorbis and opencore AMR decoders, and the worker runs all of this (Pillow and
libsndfile too) in a confined child of its own (:mod:`.sandbox`): no keys, no database, no
filesystem or network, limited memory and time. A decoder taken over there can crash the child or
spoil that one attachment's cleaned copy, which the worker re-checks without decoding it
(:mod:`.recheck`); it cannot reach the keys or other testimonies.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import av
import numpy as np

from .limits import (
    CORRUPT,
    MAX_AUDIO_SECONDS,
    MAX_CHANNELS,
    MAX_SAMPLE_RATE,
    TOO_LONG,
    UNSUPPORTED_FORMAT,
    Refused,
)

MP4 = "mov"
AMR = "amr"
MATROSKA = "matroska"

_FORMATS = frozenset({"flt", "fltp", "s16"})  # what the aac, vorbis and opencore decoders output
_AMR_RATES = {"libopencore_amrnb": 8_000, "libopencore_amrwb": 16_000}
# 2.5 ms per packet on average: AAC and AMR packets are 10 ms or more; Vorbis short blocks can be
# shorter, but a voice note is made of long ones.
_MAX_PACKETS = MAX_AUDIO_SECONDS * 400
_ERRORS = (av.FFmpegError, ValueError, RuntimeError, OSError, EOFError, IndexError, UnicodeError)


class VideoStream(Refused):
    """FFmpeg found a video stream (not a cover picture): a video, not a voice note."""

    def __init__(self) -> None:
        super().__init__(UNSUPPORTED_FORMAT)


class CodecNotAllowed(Refused):
    """The audio stream's codec is not one the caller accepts; nothing was decoded."""

    def __init__(self) -> None:
        super().__init__(UNSUPPORTED_FORMAT)


@dataclass(frozen=True)
class Source:
    rate: int
    channels: int
    blocks: Iterator[np.ndarray]
    """Float32 blocks of about ten seconds, shaped (frames, channels)."""


@contextmanager
def open_audio(content: bytes, *, container: str, decoders: Mapping[str, str]) -> Iterator[Source]:
    """Open the single audio stream of ``content`` for decoding, as :class:`Source`.

    ``container`` is the FFmpeg demuxer (:data:`MP4`, :data:`AMR`, :data:`MATROSKA`);
    ``decoders`` maps each accepted codec (by the name of FFmpeg's default decoder for it, e.g.
    ``aac``, ``amrnb``) to the decoder to use. Raises :class:`Refused`: ``corrupt`` for
    anything FFmpeg cannot read, :class:`CodecNotAllowed`, :class:`VideoStream`. Errors raised
    while the caller iterates ``blocks`` are turned into ``Refused(corrupt)`` too.
    """
    try:
        opened = av.open(
            io.BytesIO(content),
            mode="r",
            format=container,
            metadata_errors="ignore",  # we never read the metadata; a bad string must not stop us
            io_open=_refuse_nested_open,
        )
    except _ERRORS:
        raise Refused(CORRUPT) from None
    try:
        with opened:
            stream, decoder = _audio_stream(opened, decoders)
            frames = _frames(opened, stream, decoder)
            first = next(frames, None)
            if first is None:
                raise Refused(CORRUPT)
            rate, channels = first.sample_rate, first.layout.nb_channels
            if not 0 < rate <= MAX_SAMPLE_RATE or not 0 < channels <= MAX_CHANNELS:
                raise Refused(CORRUPT)
            yield Source(rate, channels, _blocks(first, frames, rate, channels))
    except _ERRORS:
        raise Refused(CORRUPT) from None


def _refuse_nested_open(url: str, flags: int, options: dict[str, Any]) -> Any:
    raise PermissionError("attachments are decoded from memory only")


def _audio_stream(opened: Any, decoders: Mapping[str, str]) -> tuple[Any, Any]:
    """The one audio stream, and a decoder context for it (the stream's own, or opencore's)."""
    if any(not stream.disposition & av.stream.Disposition.attached_pic for stream in opened.streams.video):
        raise VideoStream
    if len(opened.streams.audio) != 1:
        raise Refused(UNSUPPORTED_FORMAT)
    stream = opened.streams.audio[0]
    default = stream.codec_context
    if default is None or default.name not in decoders:
        raise CodecNotAllowed
    name = decoders[default.name]
    if name == default.name:
        return stream, default
    # The AMR reference decoders need nothing from the container but the rate, which AMR fixes.
    if stream.sample_rate != _AMR_RATES[name] or default.channels != 1:
        raise Refused(CORRUPT)
    decoder = av.CodecContext.create(name, "r")
    decoder.sample_rate, decoder.layout = stream.sample_rate, "mono"
    return stream, decoder


def _frames(opened: Any, stream: Any, decoder: Any) -> Iterator[Any]:
    for count, packet in enumerate(opened.demux(stream), start=1):
        if count > _MAX_PACKETS:
            raise Refused(TOO_LONG)  # more packets than fifteen minutes of any allowed codec
        yield from decoder.decode(packet)  # the last, empty packet flushes the decoder


def _blocks(first: Any, frames: Iterator[Any], rate: int, channels: int) -> Iterator[np.ndarray]:
    pending: list[np.ndarray] = []
    held = 0
    frame = first
    while frame is not None:
        if frame.sample_rate != rate or frame.layout.nb_channels != channels:
            raise Refused(CORRUPT)  # a mid-stream format change: not a voice note we decode
        if frame.format.name not in _FORMATS:
            raise Refused(UNSUPPORTED_FORMAT)
        samples = frame.to_ndarray()
        block = samples.T if frame.format.is_planar else samples.reshape(-1, channels)
        if block.dtype == np.int16:
            block = block / np.float32(32768)
        pending.append(np.asarray(block, dtype=np.float32))
        held += block.shape[0]
        if held >= rate * 10:
            yield np.concatenate(pending)
            pending, held = [], 0
        try:
            frame = next(frames, None)
        except _ERRORS:
            raise Refused(CORRUPT) from None
    if pending:
        yield np.concatenate(pending)
