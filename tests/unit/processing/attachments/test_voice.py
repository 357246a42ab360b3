"""The disguised copy: lower pitch, formants moved on their own, same words at the same times."""

import io

import numpy as np
import pytest
import soundfile
from scipy.signal import find_peaks, lfilter, welch

from testimony.processing.attachments import DISGUISED_VOICE_TYPE, sanitise, voice
from tests.unit.processing.attachments.signals import (
    FORMANTS,
    assert_a_minute_gives_a_minute_of_disguised_voice,
    encode,
    f0_of,
    resonate,
    voiced,
)


def _disguised(result) -> tuple[np.ndarray, int]:
    samples, rate = soundfile.read(io.BytesIO(result.disguised_voice), dtype="float32")
    return samples, rate


def _contour(samples: np.ndarray, rate: int) -> np.ndarray:
    """Loudness every 20 ms: where the syllables are."""
    hop = rate // 50
    frames = samples[: samples.size // hop * hop].reshape(-1, hop)
    return np.sqrt((frames**2).mean(axis=1))


def test_the_disguised_voice_is_lower_as_long_and_not_the_original():
    note = voiced(3.0, 48_000, f0=120.0)
    result = sanitise(encode(note, 48_000, "OGG", "VORBIS"))

    assert DISGUISED_VOICE_TYPE == "audio/ogg"
    samples, rate = _disguised(result)
    assert rate == voice.RATE
    assert samples.ndim == 1
    assert samples.size / rate == pytest.approx(3.0, rel=0.02)
    original = voice.to_mono_16k(note, 48_000)
    assert f0_of(original, rate) == pytest.approx(120, rel=0.03)
    # 3 to 4.5 semitones down: 120 Hz becomes 92-101 Hz.
    assert 88 < f0_of(samples, rate) < 103
    n = min(samples.size, original.size)
    assert abs(np.corrcoef(samples[:n], original[:n])[0, 1]) < 0.5


def test_syllables_stay_where_they_were():
    rate = voice.RATE
    t = np.arange(rate * 4) / rate
    gate = (np.sin(2 * np.pi * 1.5 * t) > 0.3).astype(np.float32)  # bursts with silences between
    note = voiced(4.0, rate) * gate
    out = voice.disguise(note, voice.Disguise(semitones=-4.0, formant_ratio=1.12))
    assert out.size == note.size
    assert np.corrcoef(_contour(note, rate), _contour(out, rate))[0, 1] > 0.9


def _first_formant(samples: np.ndarray, rate: int) -> float:
    freqs, power = welch(samples, rate, nperseg=1024)
    level = 10 * np.log10(power + 1e-20)
    peaks, _ = find_peaks(level, prominence=3)
    return float(freqs[peaks[0]])


def test_formants_move_independently_of_the_pitch():
    rate = voice.RATE
    noise = np.random.default_rng(7).standard_normal(rate * 4)
    vowel = resonate(noise, rate)  # white noise through the formants: an envelope with no pitch
    vowel = (vowel / np.abs(vowel).max() * 0.5).astype(np.float32)
    assert _first_formant(vowel, rate) == pytest.approx(700, rel=0.05)

    raised = voice.disguise(vowel, voice.Disguise(semitones=-4.0, formant_ratio=1.12))
    kept = voice.disguise(vowel, voice.Disguise(semitones=-4.0, formant_ratio=1.0))

    # Resampling alone would put F1 at 700 * 0.79 = 556 Hz, whatever the formant ratio.
    assert _first_formant(raised, rate) == pytest.approx(700 * 1.12, rel=0.08)
    assert _first_formant(kept, rate) == pytest.approx(700, rel=0.08)


def _low_voice_with_narrow_formants(rate: int, roll_off: float) -> np.ndarray:
    """A 100 Hz voice whose harmonics fall steeply (1/k**roll_off) through formants 30 Hz wide:
    deep valleys between them, few harmonics on each."""
    t = np.arange(rate * 3) / rate
    phase = 2 * np.pi * np.cumsum(100.0 * (1 + 0.03 * np.sin(2 * np.pi * 3 * t))) / rate
    signal = sum(np.sin(k * phase) / k**roll_off for k in range(1, 75))
    for centre, _bandwidth in FORMANTS:
        radius = np.exp(-np.pi * 30.0 / rate)
        signal = lfilter(
            [1 - radius], [1, -2 * radius * np.cos(2 * np.pi * centre / rate), radius**2], signal
        )
    return (signal / np.abs(signal).max() * 0.5).astype(np.float32)


_GRID = np.geomspace(300, 4000, 300)
_STEP = np.log(_GRID[1] / _GRID[0])


def _envelope_shift(before: np.ndarray, after: np.ndarray, rate: int) -> float:
    """The frequency factor (0.7-1.4) that best maps the long-term spectrum before onto the one
    after: how far the formants moved. Welch spectra of 16 ms frames blur the harmonics; this is
    not the disguise's own (LPC) envelope, which would agree with the disguise by construction."""

    def level(x: np.ndarray) -> np.ndarray:
        freqs, power = welch(x, rate, nperseg=256)
        return np.interp(_GRID, freqs, 10 * np.log10(power + 1e-20))

    a, b = level(before), level(after)

    def match(shift: int) -> float:
        lo, hi = max(0, -shift), min(a.size, b.size - shift)
        return np.corrcoef(a[lo:hi], b[lo + shift : hi + shift])[0, 1]

    shifts = range(int(np.log(0.7) / _STEP), int(np.log(1.4) / _STEP) + 1)
    return float(np.exp(max(shifts, key=match) * _STEP))


@pytest.mark.parametrize("roll_off", [1.4, 2.0])
def test_the_formants_of_a_low_voice_move_too(roll_off):
    # With an LPC of order 18 and the envelope correction within +-18 dB, the 1.4 voice's formants
    # went where resampling put them (x0.79) whatever was asked; with either change alone, the
    # formants asked to stay (x1.0) still went down (x0.79-0.81). The 2.0 voice's formants asked
    # to stay went down (x0.77) until the envelope was fitted to the pre-emphasised spectrum.
    rate = voice.RATE
    note = _low_voice_with_narrow_formants(rate, roll_off)
    raised = voice.disguise(note, voice.Disguise(semitones=-4.5, formant_ratio=1.15))
    kept = voice.disguise(note, voice.Disguise(semitones=-4.5, formant_ratio=1.0))
    assert _envelope_shift(note, raised, rate) == pytest.approx(1.15, rel=0.06)
    assert _envelope_shift(note, kept, rate) == pytest.approx(1.0, abs=0.03)


def test_the_disguise_is_drawn_at_random_within_intelligible_bounds():
    draws = [voice.random_disguise() for _ in range(50)]
    assert all(-4.5 <= d.semitones <= -3.0 and 1.08 <= d.formant_ratio <= 1.15 for d in draws)
    assert len({d.semitones for d in draws}) > 1


@pytest.mark.parametrize("samples", [np.zeros(0), np.zeros(100), np.zeros(16_000), np.full(16_000, 0.9)])
def test_silence_and_tiny_inputs_give_finite_output_of_the_same_length(samples):
    out = voice.disguise(samples.astype(np.float32), voice.Disguise(-3.5, 1.1))
    assert out.size == samples.size
    assert np.all(np.isfinite(out))
    assert np.all(np.abs(out) <= 1.0)


@pytest.mark.parametrize(("fmt", "subtype"), [("OGG", "OPUS"), ("WAV", "PCM_16")])
def test_a_minute_of_voice_gives_a_minute_of_disguised_voice(fmt, subtype):
    # Ogg/Opus is remuxed; mono 48 kHz WAV is re-encoded with libopus, the slowest mono path.
    assert_a_minute_gives_a_minute_of_disguised_voice(
        encode(np.tile(voiced(3.0, 48_000), 20), 48_000, fmt, subtype)
    )
