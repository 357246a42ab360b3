"""The disguised copy: lower pitch, formants moved on their own, same words at the same times."""

import io

import numpy as np
import pytest
import soundfile
from scipy.signal import find_peaks, welch

from testimony.processing.attachments import DISGUISED_VOICE_TYPE, sanitise, voice
from tests.unit.processing.attachments.signals import (
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
