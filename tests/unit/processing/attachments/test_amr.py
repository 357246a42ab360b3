"""AMR voice notes come back as the magic and their valid frames, nothing else; a disguised copy too."""

import io
import math

import av
import numpy as np
import pytest
import soundfile

from testimony.processing.attachments import amr, sanitise
from tests.unit.processing.attachments import media
from tests.unit.processing.attachments.signals import voiced

APPENDED = [
    b"TAG" + media.SECRET.encode().ljust(125, b"\0"),  # an ID3v1 tag, as some tools append
    b"ID3\x04\0\0\0\0\0\x20" + media.SECRET.encode() * 3,
    b"PK\x03\x04" + media.SECRET.encode() * 10,  # a zip appended: a polyglot
]


@pytest.fixture(scope="module")
def amr_nb() -> bytes:
    return media.amr_nb(voiced(2.0, 8_000))


def _ffmpeg_frame_sizes(content: bytes) -> list[int]:
    """Frame sizes as FFmpeg's own AMR demuxer splits ``content``."""
    with av.open(io.BytesIO(content), format="amr") as container:
        return [packet.size for packet in container.demux(container.streams.audio[0]) if packet.size]


def test_frame_sizes_are_the_speech_bits_of_each_mode_in_whole_bytes():
    assert {t: 1 + n for t, n in amr._PAYLOAD[amr.NB].items()} == {
        t: 1 + math.ceil(bits / 8) for t, bits in media.AMR_NB_BITS.items()
    }
    assert {t: 1 + n for t, n in amr._PAYLOAD[amr.WB].items()} == {
        t: 1 + math.ceil(bits / 8) for t, bits in media.AMR_WB_BITS.items()
    }


@pytest.mark.parametrize(
    ("content_type", "frame_type"),
    [(amr.NB, t) for t in sorted(amr._PAYLOAD[amr.NB])] + [(amr.WB, t) for t in sorted(amr._PAYLOAD[amr.WB])],
)
def test_our_frame_boundaries_agree_with_ffmpeg(content_type, frame_type):
    # Ten frames of one type (SID and NO_DATA included): FFmpeg splits them where we do, and
    # the decoder turns them into 200 ms of audio.
    payload = amr._PAYLOAD[content_type][frame_type]
    content = amr.MAGIC[content_type] + (bytes([frame_type << 3 | 0x04]) + b"\x55" * payload) * 10
    assert amr.clean_amr(content, content_type) == content
    assert _ffmpeg_frame_sizes(content) == [1 + payload] * 10
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.content) == (True, "", content)
    assert soundfile.info(io.BytesIO(result.disguised_voice)).duration == pytest.approx(0.2, abs=0.01)


def test_an_encoded_amr_nb_note_comes_back_frame_for_frame_with_a_disguised_copy(amr_nb):
    result = sanitise(amr_nb, declared_type="audio/amr")

    assert (result.cleaned, result.reason, result.kind) == (True, "", "audio")
    assert (result.content_type, result.source_type) == ("audio/amr", "audio/amr")
    assert result.content == amr_nb
    assert result.disguised_voice is not None


@pytest.mark.parametrize("junk", APPENDED)
def test_whatever_is_appended_to_an_amr_nb_note_is_dropped(amr_nb, junk):
    result = sanitise(amr_nb + junk)

    assert (result.cleaned, result.reason) == (True, "")
    assert result.content == amr_nb
    assert media.SECRET.encode() not in result.content


@pytest.mark.parametrize("junk", APPENDED)
def test_whatever_is_appended_to_an_amr_wb_note_is_dropped(junk):
    frames = [8] * 40 + [9] + [15] * 4 + [14] + [2] * 40 + list(range(10))
    original = media.amr_wb(frames)

    result = sanitise(original + junk)

    assert (result.cleaned, result.reason, result.content_type) == (True, "", "audio/amr-wb")
    assert result.content == original
    assert media.SECRET.encode() not in result.content
    assert result.disguised_voice is not None  # decoded by FFmpeg's amrwb decoder


def test_a_frame_cut_short_at_the_end_is_dropped(amr_nb):
    cut = amr_nb[:-5]  # the last 12.2 kbit/s frame loses 5 of its 32 bytes
    result = sanitise(cut)
    assert result.cleaned
    assert result.content == amr_nb[:-32]


@pytest.mark.parametrize(
    "content",
    [
        b"#!AMR\n",  # the magic and nothing else
        b"#!AMR\n" + b"\x3d" + bytes(31) * 20,  # a padding bit set in the first header
        b"#!AMR\n" + b"\xbc" + bytes(31) * 20,  # the leading padding bit set
        b"#!AMR\n" + b"\x4c" + bytes(40) * 20,  # frame type 9: no size in the storage format
        b"#!AMR\n" + b"\x74" + bytes(40),  # frame type 14 (SPEECH_LOST) exists only in AMR-WB
        b"#!AMR\n" + b"\x3c" + bytes(10),  # a 12.2 kbit/s frame cut short
        b"#!AMR-WB\n" + b"\x54" + bytes(60) * 20,  # frame type 10: reserved
        b"#!AMR-WB\n" + b"\x44" + bytes(59),  # a 23.85 kbit/s frame one byte short
        b"#!AMR-WB\n" + media.SECRET.encode() * 20,
    ],
)
def test_malformed_amr_is_flagged_not_raised(content):
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.kind) == (False, "corrupt", "audio")
    assert result.content == content
    assert result.disguised_voice is None


def test_amr_longer_than_fifteen_minutes_is_too_long():
    no_data = b"\x7c"  # NO_DATA frames still stand for 20 ms each
    content = b"#!AMR\n" + no_data * (15 * 60 * 50 + 1)
    result = sanitise(content)
    assert (result.cleaned, result.reason) == (False, "too_long")
    assert amr.clean_amr(content[:-1], amr.NB) == content[:-1]  # exactly fifteen minutes is allowed


def test_damaged_amr_never_raises(amr_nb):
    rng = np.random.default_rng(11)
    for _ in range(40):
        damaged = bytearray(amr_nb)
        for at in rng.integers(6, len(damaged), 8):
            damaged[at] = int(rng.integers(0, 256))
        result = sanitise(bytes(damaged))
        assert result.kind == "audio"
        if result.cleaned:
            assert amr.clean_amr(result.content, amr.NB) == result.content
            assert bytes(damaged).startswith(result.content)
        else:
            assert result.reason == "corrupt"
