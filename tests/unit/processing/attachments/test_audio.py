"""Voice notes come back with no tags, decodable, with a disguised copy; the rest stays sealed."""

import io
import struct

import mutagen
import mutagen.flac
import mutagen.mp4
import mutagen.oggopus
import mutagen.oggvorbis
import mutagen.wave
import numpy as np
import pytest
import soundfile
from mutagen.id3 import APIC, COMM, ID3, TDRC, TIT2, TPE1

from testimony.processing.attachments import audio, sanitise
from testimony.processing.attachments.limits import Refused
from tests.unit.processing.attachments.media import SECRET, mdat_range
from tests.unit.processing.attachments.signals import encode, voiced


def _with_tags(content: bytes, kind: type) -> bytes:
    buffer = io.BytesIO(content)
    parsed = kind(buffer)
    if parsed.tags is None:
        parsed.add_tags()
    if isinstance(parsed.tags, ID3):
        parsed.tags.add(TIT2(encoding=3, text=SECRET))
        parsed.tags.add(TPE1(encoding=3, text=SECRET + " artist"))
        parsed.tags.add(COMM(encoding=3, lang="rus", desc="", text=SECRET + " comment"))
        parsed.tags.add(TDRC(encoding=3, text="2024-05-01"))
        parsed.tags.add(APIC(encoding=3, mime="image/png", type=3, desc="", data=SECRET.encode() * 50))
    else:
        parsed.tags["title"] = SECRET
        parsed.tags["artist"] = SECRET + " artist"
        parsed.tags["comment"] = SECRET + " comment " + "x" * 100_000  # spans several Ogg pages
    buffer.seek(0)
    parsed.save(buffer)
    return buffer.getvalue()


def _mp3_with_id3(samples: np.ndarray, rate: int) -> bytes:
    content = encode(samples, rate, "MP3", "MPEG_LAYER_III")
    tags = ID3()
    tags.add(TIT2(encoding=3, text=SECRET))
    tags.add(TPE1(encoding=3, text=SECRET + " artist"))
    tags.add(COMM(encoding=3, lang="rus", desc="", text=SECRET + " comment"))
    buffer = io.BytesIO(content)
    tags.save(buffer)
    return buffer.getvalue()


def _inputs():
    note = voiced(3.0)
    return {
        "ogg-vorbis": (
            lambda: _with_tags(encode(note, 48_000, "OGG", "VORBIS"), mutagen.oggvorbis.OggVorbis)
        ),
        "ogg-opus": (lambda: _with_tags(encode(note, 48_000, "OGG", "OPUS"), mutagen.oggopus.OggOpus)),
        "mp3": (lambda: _mp3_with_id3(note, 48_000)),
        "flac": (lambda: _with_tags(encode(note, 48_000, "FLAC", "PCM_16"), mutagen.flac.FLAC)),
        "wav": (lambda: _with_tags(encode(note, 48_000, "WAV", "PCM_16"), mutagen.wave.WAVE)),
        "wav-44k-stereo": (
            lambda: _with_tags(
                encode(np.stack([voiced(3.0, 44_100)] * 2, axis=1), 44_100, "WAV", "PCM_16"),
                mutagen.wave.WAVE,
            )
        ),
    }


@pytest.mark.parametrize(
    ("name", "source_type"),
    [
        ("ogg-vorbis", "audio/ogg"),
        ("ogg-opus", "audio/ogg"),
        ("mp3", "audio/mpeg"),
        ("flac", "audio/flac"),
        ("wav", "audio/wav"),
        ("wav-44k-stereo", "audio/wav"),
    ],
)
def test_tags_are_gone_and_the_voice_note_still_plays(name, source_type):
    original = _inputs()[name]()
    assert SECRET.encode() in original

    result = sanitise(original, declared_type="audio/webm")

    assert (result.cleaned, result.reason, result.kind) == (True, "", "audio")
    assert (result.content_type, result.source_type) == ("audio/ogg", source_type)
    assert SECRET.encode() not in result.content
    assert b"2024" not in result.content
    tags = mutagen.File(io.BytesIO(result.content)).tags
    assert {key.lower() for key, _ in tags} <= {"encoder"}
    info = soundfile.info(io.BytesIO(result.content))
    assert info.duration == pytest.approx(3.0, abs=0.06)
    assert result.disguised_voice is not None
    assert SECRET.encode() not in result.disguised_voice


def test_ogg_opus_is_remuxed_without_touching_the_audio():
    original = _with_tags(encode(voiced(3.0), 48_000, "OGG", "OPUS"), mutagen.oggopus.OggOpus)
    result = sanitise(original)
    before, _ = soundfile.read(io.BytesIO(original))
    after, _ = soundfile.read(io.BytesIO(result.content))
    assert before.shape == after.shape
    assert np.array_equal(before, after)  # same packets, same end trimming: no second generation


def _box(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return struct.pack(">I", 8 + len(body)) + kind + body


def _full(kind: bytes, *parts: bytes) -> bytes:
    return _box(kind, b"\0\0\0\0", *parts)


MATRIX = struct.pack(">9I", 0x10000, 0, 0, 0, 0x10000, 0, 0, 0, 0x40000000)
CREATED = 0xE0C0FFEE  # a recording time, as a phone writes it into mvhd/tkhd/mdhd


def _mp4(handlers: tuple[bytes, ...] = (b"soun",)) -> bytes:
    """A small but well-formed M4A: AAC sample entry, one chunk in mdat, location and tags."""

    def trak(handler: bytes) -> bytes:
        tkhd = _full(b"tkhd", struct.pack(">IIIII", CREATED, CREATED, 1, 0, 3000), bytes(8))
        mdhd = _full(b"mdhd", struct.pack(">IIIIHH", CREATED, CREATED, 48000, 144000, 0x55C4, 0))
        hdlr = _full(b"hdlr", bytes(4), handler, bytes(12), b"SECRET-HANDLER\0")
        esds = _full(
            b"esds",
            bytes.fromhex("031900010004114015000000000000fa00000000fa00050211880601 02".replace(" ", "")),
        )
        entry = _box(
            b"mp4a",
            bytes(6),
            struct.pack(">H", 1),
            bytes(8),
            struct.pack(">HHHHI", 1, 16, 0, 0, 48000 << 16),
            esds,
        )
        stbl = _box(
            b"stbl",
            _full(b"stsd", struct.pack(">I", 1), entry),
            _full(b"stts", struct.pack(">III", 1, 1, 1024)),
            _full(b"stsc", struct.pack(">IIII", 1, 1, 1, 1)),
            _full(b"stsz", struct.pack(">III", 0, 1, 64)),
            _full(b"stco", struct.pack(">II", 1, 0xFFFFFFFF)),  # patched below to point into mdat
        )
        dinf = _box(b"dinf", _full(b"dref", struct.pack(">I", 1), _box(b"url ", b"\0\0\0\1")))
        minf = _box(b"minf", _full(b"smhd", bytes(4)), dinf, stbl)
        udta = _box(b"udta", _box(b"name", b"SECRET-TRACK"))
        return _box(b"trak", tkhd, _box(b"mdia", mdhd, hdlr, minf), udta)

    mvhd = _full(
        b"mvhd",
        struct.pack(">IIII", CREATED, CREATED, 1000, 3000),
        struct.pack(">IH", 0x10000, 0x100),
        bytes(10),
        MATRIX,
        bytes(24),
        struct.pack(">I", 2),
    )
    location = _box(b"\xa9xyz", struct.pack(">HH", 17, 0x15C7), b"+55.7558+037.6173/")
    moov = _box(
        b"moov",
        mvhd,
        *(trak(handler) for handler in handlers),
        _box(b"udta", location),
        _box(b"meta", b"\0\0\0\0", _box(b"keys", b"SECRET-KEYS")),
    )
    ftyp = _box(b"ftyp", b"M4A ", bytes(4), b"M4A isommp42")
    audio_payload = bytes(range(64))
    head = ftyp + moov
    offset = len(head) + 8
    head = head.replace(struct.pack(">II", 1, 0xFFFFFFFF), struct.pack(">II", 1, offset))
    content = (
        head + _box(b"mdat", audio_payload) + _box(b"uuid", b"\xbe\x7a\xcf\xcb" + bytes(12), b"SECRET-XMP")
    )
    buffer = io.BytesIO(content)
    tagged = mutagen.mp4.MP4(buffer)
    tagged.add_tags()
    tagged.tags["\xa9nam"] = [SECRET]
    tagged.tags["\xa9day"] = ["2024-05-01T10:00:00Z"]
    tagged.tags["\xa9too"] = ["SECRET-ENCODER"]
    buffer.seek(0)
    tagged.save(buffer)
    return buffer.getvalue()


def test_m4a_boxes_are_blanked_in_place_keeping_the_audio_bytes_where_they_were():
    original = _mp4()
    assert original.count(b"SECRET") >= 6
    assert mutagen.mp4.MP4(io.BytesIO(original)).tags

    cleaned = audio.neutralise_mp4(original)

    assert b"SECRET" not in cleaned
    assert b"+55.7558" not in cleaned
    assert b"2024" not in cleaned
    assert CREATED.to_bytes(4, "big") not in cleaned
    assert len(cleaned) == len(original)
    start, end = mdat_range(original)
    assert mdat_range(cleaned) == (start, end)  # chunk offsets still valid
    assert cleaned[start:end] == original[start:end]
    parsed = mutagen.mp4.MP4(io.BytesIO(cleaned))
    assert not parsed.tags
    assert parsed.info.length == pytest.approx(3.0)


def test_an_m4a_whose_aac_does_not_decode_stays_sealed():
    # The boxes above are well formed, but the "AAC" in mdat is 64 counting bytes.
    original = _mp4()
    result = sanitise(original, declared_type="audio/mpeg")
    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        False,
        "corrupt",
        "audio",
        "audio/mp4",
    )
    assert result.content == original
    assert result.disguised_voice is None


@pytest.mark.parametrize("other", [b"text", b"sbtl", b"tmcd"])
def test_mp4_with_a_track_beside_the_sound_stays_sealed(other):
    # Chapter titles or subtitles live in mdat like the audio, so blanking boxes cannot remove them.
    content = _mp4(handlers=(b"soun", other))
    with pytest.raises(Refused) as refused:
        audio.neutralise_mp4(content)
    assert refused.value.reason == "unsupported_format"
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.kind, result.content) == (
        False,
        "unsupported_format",
        "audio",
        content,
    )


def test_mp4_with_a_video_track_is_a_video_not_a_voice_note():
    content = _mp4(handlers=(b"soun", b"vide"))
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        False,
        "unsupported_format",
        "other",
        "video/mp4",
    )
    assert result.content == content


def test_notes_longer_than_fifteen_minutes_are_not_decoded():
    content = encode(np.zeros(8000 * (15 * 60 + 2), dtype=np.float32), 8000, "WAV", "PCM_U8")
    result = sanitise(content)
    assert (result.cleaned, result.reason) == (False, "too_long")


def _damaged(content: bytes) -> list[bytes]:
    cut = [content[: len(content) // 3], content[:200]]
    flipped = bytearray(content)
    flipped[60:4000:7] = bytes(len(flipped[60:4000:7]))
    return [*cut, bytes(flipped)]


@pytest.mark.parametrize("name", ["ogg-vorbis", "ogg-opus", "mp3", "flac", "wav"])
def test_damaged_voice_notes_never_raise(name):
    for content in _damaged(_inputs()[name]()):
        result = sanitise(content)
        assert result.kind == "audio"
        if result.cleaned:  # a truncated file may still decode; then it must still be clean
            assert SECRET.encode() not in result.content
        else:
            assert result.reason in {"corrupt", "unsupported_format"}
            assert result.content == content


@pytest.mark.parametrize(
    "content",
    [
        b"OggS\0\2" + bytes(20) + b"\x01\x13OpusHead" + b"\x13" * 200,
        b"RIFF\x24\0\0\0WAVEfmt " + b"\xff" * 40,
        b"fLaC" + b"\x13" * 300,
        b"ID3\x03" + bytes(50),
    ],
)
def test_garbage_behind_an_audio_signature_is_corrupt(content):
    result = sanitise(content)
    assert (result.cleaned, result.reason) == (False, "corrupt")


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"%PDF-1.7\n%SECRET\n1 0 obj<</Author(SECRET)>>endobj\n", "application/pdf"),
        ("Задержали на рынке, SECRET\n".encode(), "text/plain"),
    ],
)
def test_documents_are_returned_unchanged_for_the_custodian(content, content_type):
    result = sanitise(content)
    assert (result.content, result.content_type, result.kind, result.cleaned, result.reason) == (
        content,
        content_type,
        "document",
        False,
        "document_not_sanitised",
    )


def test_unknown_bytes_are_other_and_unsupported():
    for content in (b"", b"\x00\x01\x02\x03" * 100):
        result = sanitise(content, declared_type="image/jpeg")
        assert (result.kind, result.cleaned, result.reason) == ("other", False, "unsupported_format")
