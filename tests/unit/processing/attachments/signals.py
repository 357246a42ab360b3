"""Signals and encoders shared by the attachment tests; every input is synthesised, none is a file."""

from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile
from scipy.signal import lfilter

from testimony.processing.attachments import audio, sanitise

FORMANTS = ((700.0, 80.0), (1200.0, 90.0), (2600.0, 120.0))


def resonate(signal: np.ndarray, rate: int) -> np.ndarray:
    """Pass ``signal`` through three vowel-like resonances (an 'a' vowel's formants)."""
    for centre, bandwidth in FORMANTS:
        radius = np.exp(-np.pi * bandwidth / rate)
        theta = 2 * np.pi * centre / rate
        signal = lfilter([1 - radius], [1, -2 * radius * np.cos(theta), radius**2], signal)
    return signal


def voiced(seconds: float, rate: int = 48_000, f0: float = 120.0) -> np.ndarray:
    """A speech-like voiced signal: glottal harmonics with vibrato, formants, syllable-rate AM."""
    t = np.arange(int(rate * seconds)) / rate
    phase = 2 * np.pi * np.cumsum(f0 * (1 + 0.03 * np.sin(2 * np.pi * 3 * t))) / rate
    harmonics = sum(np.sin(k * phase) / k for k in range(1, 60) if k * f0 < min(7500, rate / 2 - 500))
    signal = resonate(harmonics, rate) * (0.55 + 0.45 * np.sin(2 * np.pi * 4 * t))
    return (signal / np.max(np.abs(signal)) * 0.5).astype(np.float32)


def encode(samples: np.ndarray, rate: int, fmt: str, subtype: str) -> bytes:
    out = io.BytesIO()
    channels = samples.shape[1] if samples.ndim == 2 else 1
    with soundfile.SoundFile(out, "w", rate, channels, format=fmt, subtype=subtype) as sink:
        audio.write_chunked(sink, samples)
    return out.getvalue()


def f0_of(samples: np.ndarray, rate: int) -> float:
    """Fundamental frequency by autocorrelation, searched between 60 and 400 Hz."""
    x = samples - samples.mean()
    corr = np.fft.irfft(np.abs(np.fft.rfft(x, 2 * x.size)) ** 2)[: x.size]
    low, high = int(rate / 400), int(rate / 60)
    return rate / (low + int(np.argmax(corr[low:high])))


def assert_a_minute_gives_a_minute_of_disguised_voice(content: bytes) -> None:
    """Sanitising one minute of voice cleans it and gives a disguised copy as long.

    Its CPU cost (under 2 s) is measured by ``benchmarks/component_speed.py``, not here.
    """
    result = sanitise(content)
    assert result.cleaned
    assert soundfile.info(io.BytesIO(result.disguised_voice)).duration == pytest.approx(60, rel=0.02)
