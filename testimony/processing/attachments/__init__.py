"""Make an attachment safe for reviewers: no identifying metadata, and a disguised voice.

Migrants send photos, documents and voice notes of police abuse. The files themselves can give
them away: EXIF GPS and camera serial numbers in photos, phone and app tags and timestamps in
audio, and above all their own voice. Before any reviewer sees an attachment the worker calls
:func:`sanitise`, which

* decides what the bytes really are from magic bytes (never the sender's declared type);
* re-encodes images, and audio that libsndfile decodes (MP3, WAV, FLAC, Ogg/Vorbis) or that
  FFmpeg decodes from WebM/Vorbis, from decoded pixels/samples, so no metadata can survive;
  remuxes Opus (Ogg, WebM) into headers we write; rebuilds AMR from its parsed frames; blanks
  every non-structural box of MP4/M4A/3GP in place; and checks the output to prove it;
* makes a pitch- and formant-shifted copy of every voice note it can decode (all of the above:
  AAC and AMR in MP4/3GP, AMR files and WebM/Vorbis are decoded by FFmpeg through PyAV, behind
  the allow-list in :mod:`.ffmpeg`), which is what reviewers hear by default;
* never raises: anything it cannot do safely comes back ``cleaned=False`` with a reason, and the
  original stays sealed for the custodian.

Everything happens in memory (nothing touches the disk) and without Django, so the Celery task
can call it on decrypted bytes and discard them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import audio, images, voice
from .limits import (
    CORRUPT,
    DOCUMENT_NOT_SANITISED,
    TOO_LARGE_PIXELS,
    TOO_LONG,
    UNSUPPORTED_FORMAT,
    VERIFICATION_FAILED,
    Refused,
)
from .sniff import AUDIO, DOCUMENT, IMAGE, OTHER, Sniffed, sniff

VOICE_NOT_DISGUISED = "voice_not_disguised"
LOCATION_DROPPED = images.LOCATION_DROPPED
DISGUISED_VOICE_TYPE = "audio/ogg"
"""Content type of :attr:`Sanitised.disguised_voice` (Ogg/Vorbis, mono, 16 kHz)."""

__all__ = [
    "CORRUPT",
    "DISGUISED_VOICE_TYPE",
    "DOCUMENT_NOT_SANITISED",
    "LOCATION_DROPPED",
    "TOO_LARGE_PIXELS",
    "TOO_LONG",
    "UNSUPPORTED_FORMAT",
    "VERIFICATION_FAILED",
    "VOICE_NOT_DISGUISED",
    "Sanitised",
    "sanitise",
]


@dataclass(frozen=True)
class Sanitised:
    """The outcome for one attachment.

    ``cleaned=False`` means the bytes in ``content`` are the original, untouched: the attachment
    must stay sealed for the custodian and be flagged with ``reason``, one of
    ``unsupported_format`` (HEIC, raw ADTS AAC, video, an MP4 with a chapter, subtitle or other
    track beside its sound, WebM with a codec other than Opus or Vorbis, unknown),
    ``document_not_sanitised`` (PDF, DOCX, ODT, text), ``corrupt`` (a parser or decoder failed,
    FFmpeg included, or an AMR file has no valid frame), ``too_large_pixels`` (over 50 MP),
    ``too_long`` (over 15 minutes, by the header or by what was decoded),
    ``verification_failed`` (our own output still held metadata; should never happen) or, from
    ``sandbox.sanitise_isolated`` only, ``sandbox_failed`` (the confined child crashed, hit a
    limit or the timeout, or answered something the worker's checks rejected).

    ``cleaned=True`` with a non-empty ``reason`` is a caveat the task should surface:
    ``voice_not_disguised`` (tags removed, but the codec is not one we decode: an MP4 with ALAC
    or MP3 inside, so there is no copy reviewers may hear by default) or ``location_dropped``
    (``keep_location`` was asked for but the GPS block could not be written).
    """

    content: bytes = field(repr=False)  # never in logs: it is the testimony itself
    """Cleaned bytes (re-encoded image or audio), or the original when ``cleaned`` is False."""
    content_type: str
    """Type of ``content`` sniffed from bytes; re-encoded or remuxed audio is ``audio/ogg`` whatever
    came in; MP4 and 3GP stay ``audio/mp4``/``audio/3gpp`` and AMR ``audio/amr``/``audio/amr-wb``."""
    kind: str
    """``image``, ``audio``, ``document`` or ``other``."""
    cleaned: bool
    reason: str
    disguised_voice: bytes | None = field(repr=False)
    """Ogg/Vorbis of the disguised voice, for audio we could decode; what reviewers hear."""
    source_type: str = ""
    """Type of the original bytes as sniffed (e.g. ``audio/mpeg`` for an MP3 re-encoded to Ogg)."""


def sanitise(content: bytes, *, declared_type: str = "", keep_location: bool = False) -> Sanitised:
    """Strip identifying metadata from ``content`` and disguise voices; never raises.

    ``declared_type`` is what the sender's browser claimed; it is only used to confirm an MP3
    that has no ID3 header. ``keep_location`` is the sender's consent to keep a photo's GPS
    position (and nothing else) for the evidence.
    """
    try:
        sniffed = sniff(content, declared_type)
    except Exception:
        sniffed = Sniffed("application/octet-stream", OTHER)
    if sniffed.kind == DOCUMENT:
        return _sealed(content, sniffed, DOCUMENT_NOT_SANITISED)
    try:
        if sniffed.kind == IMAGE:
            return _image(content, sniffed, keep_location=keep_location)
        if sniffed.kind == AUDIO:
            return _audio(content, sniffed)
    except audio.VideoNotAudio as video:
        return _sealed(content, Sniffed(video.content_type, OTHER), video.reason)
    except Refused as refusal:
        return _sealed(content, sniffed, refusal.reason)
    except Exception:  # hostile or broken input: whatever the decoder raised, keep it sealed
        return _sealed(content, sniffed, CORRUPT)
    return _sealed(content, sniffed, UNSUPPORTED_FORMAT)


def _image(content: bytes, sniffed: Sniffed, *, keep_location: bool) -> Sanitised:
    clean = images.clean_image(content, sniffed.content_type, keep_location=keep_location)
    return Sanitised(clean.content, sniffed.content_type, IMAGE, True, clean.note, None, sniffed.content_type)


def _audio(content: bytes, sniffed: Sniffed) -> Sanitised:
    clean = audio.clean_audio(content, sniffed.content_type)
    disguised = _disguise(clean.samples, clean.rate) if clean.samples is not None else None
    reason = "" if disguised is not None else VOICE_NOT_DISGUISED
    return Sanitised(clean.content, clean.content_type, AUDIO, True, reason, disguised, sniffed.content_type)


def _disguise(samples: np.ndarray, rate: int) -> bytes | None:
    """Disguised Ogg/Vorbis of ``samples``; None if it fails (the clean copy is still good)."""
    try:
        mono = voice.to_mono_16k(samples, rate)
        disguised = voice.disguise(mono, voice.random_disguise())
        # Vorbis: a third of libopus's encoding time at 16 kHz, and speech sounds the same.
        return audio.encode_ogg(disguised, voice.RATE, "VORBIS")
    except Exception:
        return None


def _sealed(content: bytes, sniffed: Sniffed, reason: str) -> Sanitised:
    return Sanitised(content, sniffed.content_type, sniffed.kind, False, reason, None, sniffed.content_type)
