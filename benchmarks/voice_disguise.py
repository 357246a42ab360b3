"""What the voice disguise does to real speech: pitch, formants and timing, measured.

The unit tests check the disguise on synthetic vowels. This takes speech (espeak-ng's, in the
voices and languages given, or WAV files), disguises it with a fixed setting at each end of the
range ``voice.random_disguise`` draws from, and prints per clip:

* the median pitch before and after, and the shift in semitones (asked vs measured);
* the factor by which the spectral envelope (the formants) moved (asked vs measured);
* how well the loudness contours line up (syllables where they were): correlation, 0-1;

and writes a spectrogram of each clip before and after (PNG) to look at. Speech synthesis is
not a person's voice, and no figure here says how recognisable a speaker stays.

    .venv/bin/python benchmarks/voice_disguise.py [--out var/voice_disguise] [file.wav ...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image
from scipy.linalg import solve_toeplitz

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from testimony.processing.attachments import voice  # noqa: E402

RATE = voice.RATE
FRAME, HOP = 640, 160  # 40 ms frames every 10 ms
SETTINGS = (
    voice.Disguise(semitones=-3.0, formant_ratio=1.08),
    voice.Disguise(semitones=-4.5, formant_ratio=1.15),
)
SPEECH = (
    ("en", "The police came to the hostel at night and took our passports away."),
    ("en+f3", "They said we must sign the contract or we will be sent home."),
    ("ru", "Ночью полиция пришла в общежитие и забрала у нас паспорта."),
    ("ru+f2", "Нам сказали подписать контракт, иначе нас депортируют."),
)


def frames(x: np.ndarray) -> np.ndarray:
    count = max(0, (x.size - FRAME) // HOP + 1)
    return np.stack([x[i * HOP : i * HOP + FRAME] for i in range(count)]) if count else np.zeros((0, FRAME))


def voiced_f0(x: np.ndarray) -> np.ndarray:
    """Pitch of each clearly voiced frame (normalised autocorrelation peak above 0.5, 60-400 Hz)."""
    out = []
    low, high = RATE // 400, RATE // 60
    for frame in frames(x):
        frame = frame - frame.mean()
        energy = float(frame @ frame)
        if energy < 1e-4:
            continue
        corr = np.correlate(frame, frame, "full")[FRAME - 1 :] / energy
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.5:
            out.append(RATE / lag)
    return np.array(out)


# The measure's own envelope (order 16, pre-emphasis, no lag window), not ``voice._lpc_log_envelope``:
# that is the envelope the disguise moves, so measured with it the move would look right by construction.
_ORDER = 16
_GRID = np.geomspace(250, 4000, 400)
_STEP = np.log(_GRID[1] / _GRID[0])
_SHIFTS = range(int(np.log(0.7) / _STEP), int(np.log(1.4) / _STEP) + 1)


def envelopes(x: np.ndarray) -> np.ndarray:
    """Each frame's all-pole (LPC, order 16) log envelope on a log-frequency grid, 250-4000 Hz:
    the resonances (formants) without the harmonics (the pitch)."""
    emphasised = np.append(x[0], x[1:] - 0.9 * x[:-1]).astype(np.float64)
    out = []
    for frame in frames(emphasised) * np.hamming(FRAME):
        r = np.correlate(frame, frame, "full")[FRAME - 1 : FRAME + _ORDER]
        if r[0] < 1e-6:
            out.append(np.full(_GRID.size, np.nan))
            continue
        a = solve_toeplitz(r[:_ORDER] * (1 + 1e-4 * (np.arange(_ORDER) == 0)), r[1:])
        response = np.abs(np.fft.rfft(np.concatenate(([1.0], -a)), 4096))
        out.append(np.interp(_GRID, np.fft.rfftfreq(4096, 1 / RATE), -np.log(response + 1e-9)))
    return np.array(out)


def formant_ratio(before: np.ndarray, after: np.ndarray, loud: np.ndarray) -> float:
    """Median over loud frames of the frequency factor (0.7-1.4) that best maps a frame's envelope
    before onto the same moment's envelope after (timing is kept, so frames correspond)."""
    ratios = []
    for a, b in zip(before[loud], after[loud], strict=False):
        if np.isnan(a).any() or np.isnan(b).any():
            continue
        scores = []
        for shift in _SHIFTS:
            lo, hi = max(0, -shift), min(a.size, b.size - shift)
            scores.append(np.corrcoef(a[lo:hi], b[lo + shift : hi + shift])[0, 1])
        ratios.append(np.exp(_SHIFTS[int(np.argmax(scores))] * _STEP))
    return float(np.median(ratios))


def loud_frames(x: np.ndarray) -> np.ndarray:
    energy = np.array([float(f @ f) for f in frames(x)])
    return energy > np.percentile(energy, 50)


def contour_match(a: np.ndarray, b: np.ndarray) -> float:
    n = min(a.size, b.size) // HOP
    la = np.sqrt((a[: n * HOP].reshape(n, HOP) ** 2).mean(axis=1))
    lb = np.sqrt((b[: n * HOP].reshape(n, HOP) ** 2).mean(axis=1))
    return float(np.corrcoef(la, lb)[0, 1])


def spectrogram(x: np.ndarray) -> Image.Image:
    """0-4 kHz, 60 dB range, low frequencies at the bottom."""
    spec = np.abs(np.fft.rfft(frames(x) * np.hanning(FRAME), axis=1))[:, : FRAME * 4000 // RATE]
    db = 20 * np.log10(spec + 1e-9)
    db = np.clip((db - db.max() + 60) / 60, 0, 1)
    return Image.fromarray((255 * (1 - db.T[::-1])).astype(np.uint8)).resize((db.shape[0] * 2, 320))


def speak(voice_name: str, text: str, folder: Path) -> np.ndarray:
    path = folder / "speech.wav"
    subprocess.run(["espeak-ng", "-v", voice_name, "-s", "150", "-w", str(path), text], check=True)
    samples, rate = soundfile.read(path, dtype="float32")
    return voice.to_mono_16k(samples, rate)


def report(name: str, x: np.ndarray, out: Path) -> None:
    f0 = float(np.median(voiced_f0(x)))
    env, loud = envelopes(x), loud_frames(x)
    images = [spectrogram(x)]
    print(f"\n{name}: {x.size / RATE:.1f} s, median pitch {f0:.0f} Hz")
    print("  asked: semitones, formants   measured: pitch Hz (semitones), formants   timing match")
    for setting in SETTINGS:
        y = voice.disguise(x, setting)
        g0 = float(np.median(voiced_f0(y)))
        after = envelopes(y)
        count = min(len(after), len(env))
        moved = formant_ratio(env[:count], after[:count], loud[:count])
        print(
            f"  {setting.semitones:+.1f}, x{setting.formant_ratio:.2f}{'':17}"
            f"{g0:5.0f} ({12 * np.log2(g0 / f0):+.1f}), x{moved:.2f}"
            f"{'':10}{contour_match(x, y):.2f}"
        )
        images.append(spectrogram(y))
    sheet = Image.new("L", (max(i.width for i in images), sum(i.height + 8 for i in images)), 255)
    top = 0
    for image in images:
        sheet.paste(image, (0, top))
        top += image.height + 8
    sheet.save(out / f"{name}.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wav", nargs="*", type=Path, help="speech to use instead of espeak-ng's")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "voice_disguise")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print("spectrograms (original, then each setting):", args.out)
    for path in args.wav:
        samples, rate = soundfile.read(path, dtype="float32")
        report(path.stem, voice.to_mono_16k(samples, rate), args.out)
    if not args.wav:
        if not shutil.which("espeak-ng"):
            sys.exit("espeak-ng is not installed (apt install espeak-ng), and no WAV file was given")
        with tempfile.TemporaryDirectory() as folder:
            for voice_name, text in SPEECH:
                report(voice_name.replace("+", "_"), speak(voice_name, text, Path(folder)), args.out)


if __name__ == "__main__":
    main()
