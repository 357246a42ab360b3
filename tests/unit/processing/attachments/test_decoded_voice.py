"""Voice notes only FFmpeg decodes (AAC, AMR, WebM/Vorbis): cleaned, disguised; hostile ones stay sealed."""

import io
import struct

import av
import mutagen
import mutagen.mp4
import numpy as np
import pytest
import soundfile

from testimony.processing.attachments import audio, ffmpeg, sanitise, voice
from tests.unit.processing.attachments import media
from tests.unit.processing.attachments.signals import (
    assert_a_minute_gives_a_minute_of_disguised_voice,
    f0_of,
    voiced,
)

SECRET = media.SECRET.encode()


@pytest.fixture(scope="module")
def m4a() -> bytes:
    return media.m4a(voiced(3.0, 16_000), 16_000)


def _notes():
    return {
        "m4a-aac": (lambda: media.m4a(voiced(3.0, 16_000), 16_000), 16_000, "audio/mp4"),
        "m4a-aac-48k": (lambda: media.m4a(voiced(3.0, 48_000), 48_000), 48_000, "audio/mp4"),
        "3gp-amr-nb": (lambda: media.three_gp_amr(voiced(3.0, 8_000)), 8_000, "audio/3gpp"),
        "amr-nb": (lambda: media.amr_nb(voiced(3.0, 8_000)), 8_000, "audio/amr"),
        "webm-vorbis": (lambda: media.webm_vorbis(voiced(3.0, 48_000), 48_000), 48_000, "audio/webm"),
    }


@pytest.mark.parametrize("name", list(_notes()))
def test_the_disguised_copy_is_lower_as_long_and_not_the_original(name):
    make, rate, source_type = _notes()[name]
    original = voice.to_mono_16k(voiced(3.0, rate), rate)  # what was encoded, at 16 kHz
    assert f0_of(original, voice.RATE) == pytest.approx(120, rel=0.03)

    result = sanitise(make())

    assert (result.cleaned, result.reason, result.kind) == (True, "", "audio")
    assert result.source_type == source_type
    samples, disguised_rate = soundfile.read(io.BytesIO(result.disguised_voice), dtype="float32")
    assert disguised_rate == voice.RATE
    assert samples.size / disguised_rate == pytest.approx(3.0, abs=0.1)
    # The same measurement as test_voice.py: 3 to 4.5 semitones down puts 120 Hz at 92-101 Hz.
    assert 88 < f0_of(samples, disguised_rate) < 103
    n = min(samples.size, original.size)
    assert abs(np.corrcoef(samples[:n], original[:n])[0, 1]) < 0.5


def test_m4a_loses_its_title_date_and_location_and_keeps_its_aac_in_place(m4a):
    tags = mutagen.mp4.MP4(io.BytesIO(m4a)).tags
    assert tags["\xa9nam"] == [media.SECRET]
    assert tags["\xa9xyz"] == [media.LOCATION]

    result = sanitise(m4a, declared_type="audio/mp4")

    assert (result.cleaned, result.reason, result.content_type) == (True, "", "audio/mp4")
    for secret in (SECRET, media.LOCATION.encode(), b"2024-05-01", b"Lavf"):
        assert secret in m4a
        assert secret not in result.content
    assert not mutagen.mp4.MP4(io.BytesIO(result.content)).tags
    start, end = media.mdat_range(m4a)
    assert result.content[start:end] == m4a[start:end]  # the AAC itself is untouched


def test_webm_vorbis_is_reencoded_to_ogg_without_its_tags():
    content = media.webm_vorbis(voiced(3.0, 48_000), 48_000)
    assert SECRET in content

    result = sanitise(content, declared_type="audio/webm")

    assert (result.cleaned, result.reason, result.content_type) == (True, "", "audio/ogg")
    assert SECRET not in result.content
    assert {key.lower() for key, _ in mutagen.File(io.BytesIO(result.content)).tags} <= {"encoder"}
    info = soundfile.info(io.BytesIO(result.content))
    assert (info.samplerate, info.channels) == (48_000, 2)
    assert info.duration == pytest.approx(3.0, abs=0.06)


def _corrupted(m4a: bytes) -> dict[str, bytes]:
    start, end = media.mdat_range(m4a)
    noise = bytearray(m4a)
    noise[start:end] = np.random.default_rng(1).bytes(end - start)
    zeros = m4a[:start] + bytes(end - start) + m4a[end:]
    return {"aac-noise": bytes(noise), "aac-zeros": zeros}


@pytest.mark.parametrize("damage", ["aac-noise", "aac-zeros"])
def test_an_m4a_whose_audio_is_corrupt_is_flagged_not_raised(m4a, damage):
    content = _corrupted(m4a)[damage]
    audio.neutralise_mp4(content)  # the boxes are fine: it is FFmpeg that must refuse

    result = sanitise(content)

    assert (result.cleaned, result.reason, result.kind) == (False, "corrupt", "audio")
    assert result.content == content
    assert result.disguised_voice is None


@pytest.mark.parametrize("keep", [0.3, 0.5, 0.9, 0.99])
def test_a_truncated_m4a_is_flagged_not_raised(m4a, keep):
    content = m4a[: int(len(m4a) * keep)]
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.content) == (False, "corrupt", content)


def test_damaged_voice_notes_never_raise():
    rng = np.random.default_rng(3)
    for name, (make, _, _) in _notes().items():
        content = make()
        for _ in range(15):
            damaged = bytearray(content)
            for at in rng.integers(0, len(damaged), 6):
                damaged[at] ^= int(rng.integers(1, 256))
            result = sanitise(bytes(damaged))
            if result.cleaned:
                assert SECRET not in result.content, name
            else:
                assert result.reason in {"corrupt", "unsupported_format", "verification_failed"}, name
                assert result.content == bytes(damaged)


def test_a_video_that_claims_to_be_audio_mp4_goes_the_video_path():
    content = media.mp4_video_with_sound(voiced(1.0, 16_000), 16_000)
    with av.open(io.BytesIO(content)) as container:
        assert container.streams.video
        assert container.streams.audio

    result = sanitise(content, declared_type="audio/mp4")

    assert (result.cleaned, result.reason, result.kind, result.content_type) == (
        False,
        "unsupported_format",
        "other",
        "video/mp4",
    )
    assert result.content == content
    assert result.disguised_voice is None


def test_ffmpeg_refuses_a_video_stream_even_when_our_own_parser_missed_it():
    content = media.mp4_video_with_sound(voiced(1.0, 16_000), 16_000)
    with (
        pytest.raises(ffmpeg.VideoStream),
        ffmpeg.open_audio(content, container=ffmpeg.MP4, decoders={"aac": "aac"}),
    ):
        pass


def test_a_codec_outside_the_allow_list_is_never_decoded(m4a, monkeypatch):
    decoded = []
    monkeypatch.setattr(ffmpeg, "_frames", lambda *args: decoded.append(args) or iter(()))
    with (
        pytest.raises(ffmpeg.CodecNotAllowed),
        ffmpeg.open_audio(m4a, container=ffmpeg.MP4, decoders={"amrnb": "libopencore_amrnb"}),
    ):
        pass
    assert decoded == []


def test_mp3_inside_mp4_is_cleaned_but_not_handed_to_an_unlisted_decoder():
    content = media.m4a(voiced(3.0, 48_000), 48_000, codec="mp3", fmt="mp4")
    result = sanitise(content)
    assert (result.cleaned, result.reason, result.content_type) == (True, "voice_not_disguised", "audio/mp4")
    assert SECRET not in result.content
    assert result.disguised_voice is None


def test_alac_in_m4a_never_reaches_ffmpeg(monkeypatch):
    content = media.m4a(voiced(1.0, 16_000), 16_000, codec="alac")

    def refuse(*args, **kwargs):
        raise AssertionError("FFmpeg was given a codec our own parser had not allowed")

    monkeypatch.setattr(av, "open", refuse)
    result = sanitise(content)
    assert (result.cleaned, result.reason) == (True, "voice_not_disguised")
    assert SECRET not in result.content


def test_decoding_stops_past_the_limit_even_when_the_header_lies(m4a, monkeypatch):
    # The track header claims half a second; the samples hold three.
    at = m4a.index(b"mdhd") + 4
    timescale = struct.unpack_from(">I", m4a, at + 12)[0]
    lying = bytearray(m4a)
    struct.pack_into(">I", lying, at + 16, timescale // 2)
    lying = bytes(lying)
    monkeypatch.setattr(audio, "MAX_AUDIO_SECONDS", 2)
    audio.neutralise_mp4(lying)  # passes the header check: the cap must come from decoding

    result = sanitise(lying)

    assert (result.cleaned, result.reason, result.content) == (False, "too_long", lying)


def test_ffmpeg_is_given_memory_not_a_file(m4a, monkeypatch):
    opened = []
    real_open = av.open

    def spy(file, *args, **kwargs):
        opened.append((type(file), kwargs.get("format"), kwargs.get("io_open")))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(av, "open", spy)
    assert sanitise(m4a).cleaned
    assert opened == [(io.BytesIO, "mov", ffmpeg._refuse_nested_open)]
    with pytest.raises(PermissionError):
        ffmpeg._refuse_nested_open("file:///etc/passwd", 0, {})


@pytest.mark.parametrize("name", ["m4a-aac-48k", "amr-nb", "webm-vorbis"])
def test_a_minute_decoded_by_ffmpeg_gives_a_minute_of_disguised_voice(name):
    _, rate, _ = _notes()[name]
    minute = {
        "m4a-aac-48k": lambda: media.m4a(np.tile(voiced(3.0, rate), 20), rate),
        "amr-nb": lambda: media.amr_nb(np.tile(voiced(3.0, rate), 20)),
        "webm-vorbis": lambda: media.webm_vorbis(np.tile(voiced(3.0, rate), 20), rate),
    }[name]()
    assert_a_minute_gives_a_minute_of_disguised_voice(minute)
