"""Run :func:`sanitise` in a confined child process, so a decoder bug cannot reach the keys.

Pillow, libsndfile and FFmpeg parse bytes anyone on the internet can send. The worker process that
used to call them holds the intake identity, the at-rest data keys and a database connection, so a
memory-safety bug in one of those decoders would have reached all three. :func:`sanitise_isolated`
hands each attachment to a child of its own instead:

* a fresh interpreter (``subprocess``, never ``fork``: a forked child would hold the keys in its
  memory), with an environment built from nothing (``PATH``, ``LANG``, ``PYTHONPATH``: no secret,
  no ``*_FILE`` path, no database URL), no inherited descriptors but its pipes, and ``/`` as its
  working directory;
* which, after importing its libraries and before it reads a byte of the attachment, confines
  itself (:mod:`.confine`): resource limits (address space, CPU time, no file writes, few
  descriptors, no new processes or threads, no core dump), ``no_new_privs``, a Landlock ruleset
  that grants no filesystem access at all, no TCP, and no abstract socket or signal outside the
  child (so no key file, no ``/proc/<worker>/mem``, no ptrace), and a seccomp filter that refuses
  sockets, exec, ptrace, process memory access and io_uring;
* that talks to the worker over its stdin and stdout only, in length-prefixed frames: a small JSON
  header and raw bytes. Plaintext never touches the disk. Nothing the child sends is unpickled or
  evaluated: the worker checks the header against allow-lists and the sizes against limits, and
  re-checks the bytes with cheap parsers written in Python (:mod:`.recheck`), never a decoder.

Whatever goes wrong in the child (a crash, a signal, a limit, the wall-clock timeout, output that
fails a check), the attachment comes back ``cleaned=False`` with ``sandbox_failed``: it stays
sealed for the custodian, the task does not retry, and the log says what kind of failure it was
and nothing else.

A child per attachment costs an interpreter start and the imports (benchmarks/attachment_sandbox.py).
Landlock needs Linux 5.13 (TCP rules 6.7, signal and abstract-socket scoping 6.12); on an older
kernel the child runs with what it has and the worker logs a warning once.
"""

from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from testimony.processing.dhash import difference_hash

from . import Sanitised, sanitise
from .confine import confine, landlock_abi
from .limits import SANDBOX_FAILED
from .recheck import MAX_CLEANED_BYTES, MAX_VOICE_BYTES, PARSE_ERRORS, Checked, Malformed, checked
from .sniff import AUDIO, IMAGE, OTHER, Sniffed, sniff

__all__ = ["Checked", "sanitise_isolated"]

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 180.0
"""Wall-clock time the worker waits for a child before killing it."""

PROTOCOL = 1
_FRAME = struct.Struct(">Q")
_HEADER_MAX = 4096
_CHILD_MODULE = "testimony.processing.attachments.sandbox"
_ROOT = Path(__file__).resolve().parents[3]  # the directory that holds the ``testimony`` package
_CHILD_ENVIRONMENT = {
    "PATH": "/usr/local/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "PYTHONPATH": str(_ROOT),
    # One thread each, started at import: the child may not start any after it is confined.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
}
_READ_CHUNK = 1 << 16


class SandboxFailed(Exception):
    """The child did not give a usable answer; ``cause`` is a fixed phrase, never content."""

    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


# --- the worker's side ----------------------------------------------------------------------


def sanitise_isolated(
    content: bytes,
    *,
    declared_type: str = "",
    keep_location: bool = False,
    timeout: float = TIMEOUT_SECONDS,
) -> Sanitised:
    """:func:`sanitise` in a confined child process; never raises, same result type.

    Anything the child does wrong gives ``cleaned=False, reason="sandbox_failed"`` with
    ``content`` the original, as for any refused attachment. Otherwise the result is a
    :class:`Checked`, which also carries a cleaned image's difference hash.
    """
    _warn_once_if_unconfined()
    header = {
        "v": PROTOCOL,
        "declared_type": declared_type,
        "keep_location": keep_location,
        "audio": _maybe_audio(content, declared_type),
    }
    request = frame(json.dumps(header).encode()) + frame(content)
    try:
        answer = read_response(run_child(request, timeout=timeout, limit=_response_limit()))
        return checked(*answer, original=content, declared_type=declared_type, keep_location=keep_location)
    except SandboxFailed as failure:
        cause = failure.cause
    except Malformed as malformed:
        cause = f"rejected output ({malformed.check})"
    except PARSE_ERRORS as error:
        cause = f"rejected output ({type(error).__name__})"  # a check tripped over hostile output
    # Only our own phrase: the child's output and the attachment never reach the log.
    logger.warning("Attachment sandbox failed: %s; the attachment stays sealed.", cause)
    return refused(content, declared_type)


def _maybe_audio(content: bytes, declared_type: str) -> bool:
    """Might the child need the audio decoders? Our magic-byte sniff, as the child will run it;
    unsure is yes (a child that lacks a module fails safe, see ``_no_late_imports``)."""
    try:
        return sniff(content, declared_type).kind == AUDIO
    except Exception:
        return True


def refused(content: bytes, declared_type: str) -> Sanitised:
    """The sealed result for an attachment the sandbox failed on, typed by its magic bytes."""
    try:
        sniffed = sniff(content, declared_type)  # magic bytes only: no decoder runs here
    except Exception:
        sniffed = Sniffed("application/octet-stream", OTHER)
    return Sanitised(
        content, sniffed.content_type, sniffed.kind, False, SANDBOX_FAILED, None, sniffed.content_type
    )


def _response_limit() -> int:
    return 3 * _FRAME.size + _HEADER_MAX + MAX_CLEANED_BYTES + MAX_VOICE_BYTES


def run_child(request: bytes, *, timeout: float, limit: int, module: str | None = None) -> bytes:
    """Start ``python -m module`` confined, send ``request``, return what it wrote (at most ``limit``).

    Raises :class:`SandboxFailed` when the child exits other than with 0 (a crash, a signal, a
    resource limit), writes more than ``limit`` bytes, or is not done within ``timeout`` seconds
    (it is killed).
    """
    try:
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module, no shell
            # -P: the working directory is not put on sys.path; -s, -B: no user site, no .pyc.
            [sys.executable, "-s", "-B", "-P", "-m", module or _CHILD_MODULE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # a traceback could quote the attachment's tags
            cwd="/",
            env=dict(_CHILD_ENVIRONMENT),
            close_fds=True,
        )
    except OSError as error:
        raise SandboxFailed(f"could not start the child ({type(error).__name__})") from None
    deadline = time.monotonic() + timeout
    try:
        output = _exchange(process, request, deadline=deadline, limit=limit)
        try:
            status = process.wait(timeout=max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            raise SandboxFailed("timeout") from None
    finally:
        # Also on Celery's soft time limit, raised in here: no child outlives its task.
        if process.poll() is None:
            process.kill()
            process.wait()
        for pipe in (process.stdin, process.stdout):
            if pipe is not None:
                pipe.close()
    if status < 0:
        name = signal.Signals(-status).name if -status in signal.valid_signals() else str(-status)
        raise SandboxFailed(f"killed by {name}")
    if status == LATE_IMPORT_STATUS:
        raise SandboxFailed("a module was imported after confinement (add it to sandbox.preload)")
    if status != 0:
        raise SandboxFailed(f"exit status {status}")
    return output


def _exchange(process: subprocess.Popen, request: bytes, *, deadline: float, limit: int) -> bytes:
    """Write ``request`` to the child's stdin while reading its stdout, until both are done."""
    if process.stdin is None or process.stdout is None:
        raise SandboxFailed("no pipes")
    stdin, stdout = process.stdin.fileno(), process.stdout.fileno()
    os.set_blocking(stdin, False)
    view, sent, received = memoryview(request), 0, bytearray()
    with selectors.DefaultSelector() as selector:
        selector.register(stdin, selectors.EVENT_WRITE)
        selector.register(stdout, selectors.EVENT_READ)
        while selector.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SandboxFailed("timeout")
            for key, _events in selector.select(remaining):
                if key.fd == stdin:
                    try:
                        sent += os.write(stdin, view[sent : sent + _READ_CHUNK])
                    except BlockingIOError:
                        continue
                    except BrokenPipeError:
                        sent = len(view)  # the child stopped reading: its exit status will say why
                    if sent >= len(view):
                        selector.unregister(stdin)
                        process.stdin.close()
                else:
                    chunk = os.read(stdout, _READ_CHUNK)
                    if not chunk:
                        selector.unregister(stdout)
                        continue
                    received += chunk
                    if len(received) > limit:
                        raise SandboxFailed("output over the size limit")
    return bytes(received)


def frame(payload: bytes) -> bytes:
    return _FRAME.pack(len(payload)) + payload


def read_response(response: bytes) -> tuple[dict[str, Any], bytes, bytes]:
    """The child's header, cleaned bytes and disguised voice; :class:`Malformed` if it is not
    exactly three frames with a JSON object first."""
    frames, pos = [], 0
    while pos < len(response) and len(frames) < 3:
        if pos + _FRAME.size > len(response):
            raise Malformed("frame length cut short")
        (length,) = _FRAME.unpack_from(response, pos)
        pos += _FRAME.size
        if length > len(response) - pos:
            raise Malformed("frame longer than the output")
        frames.append(response[pos : pos + length])
        pos += length
    if len(frames) != 3 or pos != len(response):
        raise Malformed("not three frames")
    if len(frames[0]) > _HEADER_MAX:
        raise Malformed("header too long")
    try:
        header = json.loads(frames[0].decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Malformed("header is not JSON") from None
    if not isinstance(header, dict):
        raise Malformed("header is not an object")
    return header, frames[1], frames[2]


_warned = False


def _warn_once_if_unconfined() -> None:
    global _warned
    if not _warned:
        _warned = True
        if landlock_abi() < 1:
            logger.warning(
                "Landlock is not available: the attachment sandbox runs without filesystem confinement."
            )


# --- the child's side -----------------------------------------------------------------------


def main() -> None:
    """The child: load everything, confine, read one attachment, sanitise it, answer, exit."""
    answer = claim_stdout()
    header = read_header(sys.stdin.buffer)  # the worker's own words; the attachment comes after
    preload(audio=header.get("audio", True))
    confine()
    sys.addaudithook(_no_late_imports)
    content = _read_frame(sys.stdin.buffer)
    result = sanitise(content, declared_type=header["declared_type"], keep_location=header["keep_location"])
    write_response(answer, result)
    os._exit(0)  # the interpreter's teardown is work nobody needs


LATE_IMPORT_STATUS = 70


def _no_late_imports(event: str, _args: object) -> None:
    """Exit with a status of its own when a module is imported after :func:`confine`.

    Confined, the child cannot read the module's file, so the decoder would fail and the
    attachment come back ``corrupt``; this makes the worker's log say the preload list is
    incomplete instead.
    """
    if event == "import":
        os._exit(LATE_IMPORT_STATUS)


def claim_stdout() -> int:
    """A private copy of stdout for the answer; fd 1 then points at stderr (/dev/null), so a
    library that prints cannot corrupt the frames."""
    answer = os.dup(1)
    os.dup2(2, 1)
    return answer


def preload(*, audio: bool = True) -> None:
    """Import now whatever the decoders would import later: once confined, no file can be opened.

    scipy's signal module (resampling a voice note) is most of the child's start-up: only when the
    worker's sniff says the attachment may be sound.
    """
    if audio:
        import scipy.signal  # noqa: F401

    import encodings.latin_1
    import encodings.utf_16  # noqa: F401
    import io
    import warnings

    import av.subtitles.stream  # noqa: F401 - PyAV imports it when a container is opened
    import mutagen
    import numpy.fft  # noqa: F401
    from PIL import Image

    Image.init()  # every format plugin (and TiffImagePlugin, for EXIF)
    mutagen.File(io.BytesIO(bytes(64)))  # imports every format module it tries, finds none
    # Nobody reads the child's warnings, and showing one would import linecache and read files.
    warnings.simplefilter("ignore")


def read_header(stream: Any) -> dict[str, Any]:
    header = json.loads(_read_frame(stream))
    if header.get("v") != PROTOCOL:
        raise SystemExit(3)
    return header


def _read_frame(stream: Any) -> bytes:
    (length,) = _FRAME.unpack(_read_exactly(stream, _FRAME.size))
    return _read_exactly(stream, length)


def _read_exactly(stream: Any, size: int) -> bytes:
    data = stream.read(size)
    if len(data) != size:
        raise SystemExit(3)  # the worker went away
    return data


def response_header(result: Sanitised) -> dict[str, Any]:
    """The header of the child's answer for ``result`` (what :func:`.recheck.checked` accepts)."""
    is_image = result.cleaned and result.kind == IMAGE
    return {
        "v": PROTOCOL,
        "kind": result.kind,
        "content_type": result.content_type,
        "source_type": result.source_type,
        "cleaned": result.cleaned,
        "reason": result.reason,
        # For duplicate suggestions; here, because the worker will not decode the image itself.
        "image_bits": difference_hash(result.content) if is_image else None,
    }


def write_response(fd: int, result: Sanitised) -> None:
    header = json.dumps(response_header(result)).encode()
    content = result.content if result.cleaned else b""  # the worker has the original already
    write_all(fd, frame(header) + frame(content) + frame(result.disguised_voice or b""))


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


if __name__ == "__main__":
    main()
