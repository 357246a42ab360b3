"""What decoding attachments in a confined child costs, and how much memory the child needs.

    .venv/bin/python benchmarks/attachment_sandbox.py [--repeat 5]
    .venv/bin/python benchmarks/attachment_sandbox.py --peaks

By default: for a few everyday attachments (a 1 MP and a 12 MP photo with EXIF and GPS, a
30-second AAC voice note from an iPhone, a 30-second Ogg/Opus from a browser) the median wall time
of ``sanitise`` in this process and of ``sanitise_isolated`` (a child per attachment), the CPU the
child used, and the bare cost of a child (an attachment it refuses at once).

``--peaks``: the largest inputs the limits allow (50 MP stills, an animation of 100 MP in all,
fifteen-minute voice notes), each sanitised once in a plain child that reports its peak address
space (VmPeak, what RLIMIT_AS limits) and resident memory, and once through the sandbox, to check
that ``confine.MEMORY_LIMIT`` and ``CPU_SECONDS`` leave room for them.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from PIL import Image, ImageCms  # noqa: E402

from testimony.processing.attachments import confine, sandbox, sanitise  # noqa: E402
from tests.unit.processing.attachments import media  # noqa: E402
from tests.unit.processing.attachments.signals import encode, voiced  # noqa: E402
from tests.unit.processing.attachments.test_images import _exif  # noqa: E402


def _photo(width: int, height: int, *, noise: bool = True, mode: str = "RGB") -> Image.Image:
    """A gradient with sensor-like noise, so the JPEG is as large as a phone's."""
    x = np.linspace(0, 255, width, dtype=np.float32)[None, :]
    y = np.linspace(0, 255, height, dtype=np.float32)[:, None]
    base = (x + y) / 2
    channels = [base, np.broadcast_to(x, base.shape), np.broadcast_to(y, base.shape)]
    if mode == "RGBA":
        channels.append(np.full(base.shape, 200, dtype=np.float32))
    pixels = np.stack(channels, axis=-1)
    if noise:
        pixels = pixels + np.random.default_rng(1).normal(0, 6, pixels.shape).astype(np.float32)
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode)


def _jpeg(image: Image.Image, **extra: object) -> bytes:
    out = io.BytesIO()
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(out, "JPEG", quality=90, exif=_exif(), icc_profile=icc, **extra)
    return out.getvalue()


def _encoded(image: Image.Image, fmt: str, **params: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _speech(seconds: float, rate: int, channels: int = 1) -> np.ndarray:
    """``seconds`` of speech-like signal: three seconds of it, repeated."""
    piece = voiced(3.0, rate)
    mono = np.tile(piece, int(np.ceil(seconds / 3.0)))[: int(seconds * rate)]
    return mono if channels == 1 else np.stack([mono] * channels, axis=1)


def everyday() -> dict[str, tuple[bytes, str]]:
    return {
        "photo 1 MP, EXIF+GPS": (_jpeg(_photo(1200, 900)), "image/jpeg"),
        "photo 12 MP, EXIF+GPS": (_jpeg(_photo(4000, 3000)), "image/jpeg"),
        "voice 30 s AAC (M4A)": (media.m4a(_speech(30, 44_100), 44_100), "audio/mp4"),
        "voice 30 s Ogg/Opus": (encode(_speech(30, 48_000), 48_000, "OGG", "OPUS"), "audio/ogg"),
    }


def largest() -> dict[str, tuple[bytes, str]]:
    gif_frames = [_photo(1000, 1000, noise=False).rotate(n * 3.6).convert("P") for n in range(100)]
    gif = io.BytesIO()
    gif_frames[0].save(gif, "GIF", save_all=True, append_images=gif_frames[1:], duration=40, loop=0)
    return {
        "JPEG 50 MP, rotated, ICC": (_jpeg(_photo(8660, 5773, noise=False)), "image/jpeg"),
        "PNG 50 MP RGBA": (_encoded(_photo(7071, 7071, noise=False, mode="RGBA"), "PNG"), "image/png"),
        "WebP 50 MP": (_encoded(_photo(8660, 5773, noise=False), "WEBP", quality=80), "image/webp"),
        "WebP 50 MP lossless RGBA": (
            _encoded(_photo(8660, 5773, noise=False, mode="RGBA"), "WEBP", lossless=True),
            "image/webp",
        ),
        "GIF 100 frames x 1 MP": (gif.getvalue(), "image/gif"),
        "FLAC 15 min 48 kHz stereo": (encode(_speech(895, 48_000, 2), 48_000, "FLAC", "PCM_16"), ""),
        "M4A/AAC 15 min 48 kHz stereo": (
            media.mux_audio("ipod", "aac", _speech(895, 48_000), 48_000, layout="stereo"),
            "audio/mp4",
        ),
        "FLAC 15 min 192 kHz 8 ch, silent": (
            encode(np.zeros((895 * 192_000, 8), dtype=np.float32), 192_000, "FLAC", "PCM_16"),
            "",
        ),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_everyday(repeat: int) -> None:
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} on {os.cpu_count()} cores")
    inputs = everyday()
    sanitise(inputs["photo 1 MP, EXIF+GPS"][0])  # warm this process's decoders
    empty_wall, empty_cpu = [], []
    for _ in range(repeat):
        cpu, start = _children_cpu(), time.perf_counter()
        result = sandbox.sanitise_isolated(b"\0" * 64)
        empty_wall.append(time.perf_counter() - start)
        empty_cpu.append(_children_cpu() - cpu)
        assert result.reason == "unsupported_format", result.reason
    print(
        f"{'a child that refuses at once':34} {'':>9} sandbox {statistics.median(empty_wall) * 1000:6.0f} ms"
        f"  child CPU {statistics.median(empty_cpu) * 1000:5.0f} ms"
    )
    for name, (content, declared) in inputs.items():
        inline, isolated, child_cpu = [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            expected = sanitise(content, declared_type=declared, keep_location=True)
            inline.append(time.perf_counter() - start)
            cpu, start = _children_cpu(), time.perf_counter()
            result = sandbox.sanitise_isolated(content, declared_type=declared, keep_location=True)
            isolated.append(time.perf_counter() - start)
            child_cpu.append(_children_cpu() - cpu)
            assert (result.cleaned, result.reason) == (expected.cleaned, expected.reason), result.reason
        a, b = statistics.median(inline), statistics.median(isolated)
        print(
            f"{name:34} in-process {a * 1000:6.0f} ms  sandbox {b * 1000:6.0f} ms"
            f"  (+{(b - a) * 1000:4.0f} ms)  child CPU {statistics.median(child_cpu) * 1000:5.0f} ms"
            f"  {len(content) / 1e6:5.1f} MB"
        )


_MEASURE = """
import json, sys, time
from testimony.processing.attachments import sanitise
content = sys.stdin.buffer.read()
start = time.process_time()
result = sanitise(content, declared_type=sys.argv[1], keep_location=True)
cpu = time.process_time() - start
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
kb = lambda key: int(status[key].split()[0])
print(json.dumps({"peak": kb("VmPeak"), "hwm": kb("VmHWM"), "cpu": cpu,
                  "cleaned": result.cleaned, "reason": result.reason}))
"""


def run_peaks() -> None:
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"limits: address space {confine.MEMORY_LIMIT / 2**30:.1f} GiB, CPU {confine.CPU_SECONDS} s")
    for name, (content, declared) in largest().items():
        measured = subprocess.run(
            [sys.executable, "-s", "-B", "-c", _MEASURE, declared],
            input=content,
            capture_output=True,
            env=dict(sandbox._CHILD_ENVIRONMENT),
            check=True,
        )
        plain = json.loads(measured.stdout)
        start = time.perf_counter()
        result = sandbox.sanitise_isolated(content, declared_type=declared, keep_location=True)
        wall = time.perf_counter() - start
        print(
            f"{name:34} {len(content) / 1e6:6.1f} MB  VmPeak {plain['peak'] / 2**20:4.2f} GiB"
            f"  peak RSS {plain['hwm'] / 2**20:4.2f} GiB  CPU {plain['cpu']:5.1f} s"
            f"  -> {plain['cleaned']}/{plain['reason'] or '-'};"
            f" sandbox {result.cleaned}/{result.reason or '-'} in {wall:5.1f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peaks", action="store_true")
    args = parser.parse_args()
    if args.peaks:
        run_peaks()
    else:
        run_everyday(args.repeat)


if __name__ == "__main__":
    main()
