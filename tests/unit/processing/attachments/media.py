"""Voice notes in the containers FFmpeg decodes for us, encoded in memory with PyAV (no files)."""

from __future__ import annotations

import io
import math
import struct

import av
import mutagen.mp4
import numpy as np

SECRET = "SECRET-TAG"
LOCATION = "+55.7558+037.6173/"  # ISO 6709, as an iPhone writes it into ©xyz

# Payload bytes per frame type (speech bits rounded up), from 3GPP TS 26.101 / 26.201 directly.
AMR_NB_BITS = {0: 95, 1: 103, 2: 118, 3: 134, 4: 148, 5: 159, 6: 204, 7: 244, 8: 39, 15: 0}
AMR_WB_BITS = {0: 132, 1: 177, 2: 253, 3: 285, 4: 317, 5: 365, 6: 397, 7: 461, 8: 477, 9: 40, 14: 0, 15: 0}


def mux_audio(
    fmt: str,
    codec: str,
    samples: np.ndarray,
    rate: int,
    *,
    layout: str = "mono",
    bit_rate: int | None = None,
    options: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
) -> bytes:
    """``samples`` (mono float32) encoded with FFmpeg's ``codec`` into a ``fmt`` file in memory."""
    buffer = io.BytesIO()
    channels = 2 if layout == "stereo" else 1
    planar = np.ascontiguousarray(np.stack([samples.astype(np.float32)] * channels))
    with av.open(buffer, "w", format=fmt) as container:
        container.metadata.update(metadata or {})
        stream = container.add_stream(codec, rate=rate, layout=layout, options=options or {})
        if bit_rate:
            stream.codec_context.bit_rate = bit_rate
        step = stream.codec_context.frame_size or 1024
        for start in range(0, samples.size, step):
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(planar[:, start : start + step]), format="fltp", layout=layout
            )
            frame.sample_rate, frame.pts = rate, start
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))
    return buffer.getvalue()


def m4a(samples: np.ndarray, rate: int, codec: str = "aac", fmt: str = "ipod") -> bytes:
    """An M4A (AAC by default) with a title, a date and an iPhone-style ©xyz location in ilst."""
    content = mux_audio(fmt, codec, samples, rate)
    buffer = io.BytesIO(content)
    tagged = mutagen.mp4.MP4(buffer)
    if tagged.tags is None:
        tagged.add_tags()
    tagged.tags["\xa9nam"] = [SECRET]
    tagged.tags["\xa9day"] = ["2024-05-01T10:00:00Z"]
    tagged.tags["\xa9xyz"] = [LOCATION]
    buffer.seek(0)
    tagged.save(buffer)
    return buffer.getvalue()


def three_gp_amr(samples: np.ndarray) -> bytes:
    """A 3GP holding AMR-NB at 12.2 kbit/s (what older Android recorders write)."""
    return mux_audio("3gp", "libopencore_amrnb", samples, 8_000, bit_rate=12_200)


def amr_nb(samples: np.ndarray) -> bytes:
    """An AMR-NB storage-format file (``#!AMR\\n``) at 12.2 kbit/s."""
    return mux_audio("amr", "libopencore_amrnb", samples, 8_000, bit_rate=12_200)


def amr_wb(frame_types: list[int], seed: int = 5) -> bytes:
    """An AMR-WB file built by hand (no encoder in the wheel): random payloads of the right size."""
    rng = np.random.default_rng(seed)
    frames = b""
    for frame_type in frame_types:
        header = bytes([(frame_type << 3) | 0x04])  # Q=1: a good frame
        frames += header + rng.bytes(math.ceil(AMR_WB_BITS[frame_type] / 8))
    return b"#!AMR-WB\n" + frames


def webm_vorbis(samples: np.ndarray, rate: int) -> bytes:
    """Stereo Vorbis in WebM with a title tag (FFmpeg's own Vorbis encoder only writes stereo)."""
    return mux_audio(
        "webm",
        "vorbis",
        samples,
        rate,
        layout="stereo",
        options={"strict": "experimental"},
        metadata={"title": SECRET},
    )


def mp4_video_with_sound(samples: np.ndarray, rate: int) -> bytes:
    """A real MP4 video (MPEG-4 part 2 frames) with an AAC sound track."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as container:
        video = container.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = container.add_stream("aac", rate=rate, layout="mono")
        for index in range(10):
            picture = av.VideoFrame.from_ndarray(np.full((48, 64, 3), index * 20, np.uint8), format="rgb24")
            picture.pts = index
            container.mux(video.encode(picture))
        container.mux(video.encode(None))
        for start in range(0, samples.size, 1024):
            frame = av.AudioFrame.from_ndarray(
                samples[None, start : start + 1024].astype(np.float32), format="fltp", layout="mono"
            )
            frame.sample_rate, frame.pts = rate, start
            container.mux(sound.encode(frame))
        container.mux(sound.encode(None))
    return buffer.getvalue()


def mdat_range(content: bytes) -> tuple[int, int]:
    """Start and end of the payload of the top-level ``mdat`` box."""
    pos = 0
    while pos < len(content):
        size, kind = struct.unpack_from(">I4s", content, pos)
        if kind == b"mdat":
            return pos + 8, pos + size
        pos += size
    raise ValueError("no mdat")
