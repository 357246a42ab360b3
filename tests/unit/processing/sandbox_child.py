"""A sandbox child for tests: the real ``sandbox.main`` with a stand-in for the decoders.

Run by the tests as ``python -m tests.unit.processing.sandbox_child`` (``sandbox._CHILD_MODULE``
patched). Everything up to the decoding is the production child's: stdout claimed, modules
preloaded, :func:`sandbox.confine`, the late-import hook, the request read from stdin. Then the
attachment's declared type picks what the "decoder" does:

``test/report``  the child's view of its confinement, as JSON in the cleaned-content frame
                 (the attachment's content is the path of a file it must fail to read);
``test/abort``   crash (SIGABRT), as a decoder with a memory-safety bug might;
``test/hang``    sleep for ever; ``test/spin`` burn CPU for ever;
``test/import``  import a module nobody preloaded;
``test/lie``     claim the attachment (a photo with GPS) is cleaned and send it back untouched;
``test/garbage`` answer with bytes that are no frames; ``test/flood`` with a megabyte of them.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import socket
import sys
import time
from pathlib import Path

from testimony.processing.attachments import Sanitised, sandbox

_mode = ""


def _report(path: str) -> dict:
    libc = ctypes.CDLL(None, use_errno=True)
    open_fds = {}
    for fd in range(64):
        with contextlib.suppress(OSError):
            open_fds[fd] = os.fstat(fd).st_mode
    attempts = {}

    def attempt(name, action):
        try:
            action()
            attempts[name] = "allowed"
        except OSError as error:
            attempts[name] = type(error).__name__

    attempt("read secret file", lambda: Path(path).read_bytes())
    attempt("write a file", lambda: Path(path).with_name("written-by-child").write_bytes(b""))
    attempt("list the root directory", lambda: os.listdir("/"))
    attempt("read the worker's environment", lambda: Path(f"/proc/{os.getppid()}/environ").read_bytes())
    attempt("open a socket", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM).close())
    attempt("open a unix socket", lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM).close())
    attempt("run a program", lambda: os.waitpid(os.posix_spawn("/bin/true", ["/bin/true"], {}), 0))
    ptrace = libc.ptrace(16, os.getppid(), None, None)  # PTRACE_ATTACH to the worker
    return {
        "environment": dict(os.environ),
        "cwd": os.getcwd(),
        "ppid": os.getppid(),
        "rlimits": {
            name: resource.getrlimit(getattr(resource, name))
            for name in (
                "RLIMIT_AS",
                "RLIMIT_CPU",
                "RLIMIT_FSIZE",
                "RLIMIT_NOFILE",
                "RLIMIT_NPROC",
                "RLIMIT_CORE",
            )
        },
        "no_new_privs": libc.prctl(39, 0, 0, 0, 0),  # PR_GET_NO_NEW_PRIVS
        "seccomp": libc.prctl(21, 0, 0, 0, 0),  # PR_GET_SECCOMP: 2 for a filter
        "open_fds": open_fds,
        "attempts": attempts,
        "ptrace_attach": ptrace,
        "modules": sorted(name for name in sys.modules if name.split(".")[0] in {"django", "config"}),
    }


def _decoder(content: bytes, *, declared_type: str = "", keep_location: bool = False) -> Sanitised:
    global _mode
    _mode = declared_type
    if declared_type == "test/report":
        report = json.dumps(_report(content.decode())).encode()
        return Sanitised(report, "image/jpeg", "image", True, "", None, "image/jpeg")
    if declared_type == "test/abort":
        os.abort()
    if declared_type == "test/hang":
        time.sleep(3600)
    if declared_type == "test/spin":
        while True:
            pass
    if declared_type == "test/import":
        import xml.dom.minidom  # noqa: F401
    if declared_type == "test/lie":
        return Sanitised(content, "image/jpeg", "image", True, "", None, "image/jpeg")
    return Sanitised(
        content,
        "application/octet-stream",
        "other",
        False,
        "unsupported_format",
        None,
        "application/octet-stream",
    )


def _write_response(fd: int, result: Sanitised) -> None:
    if _mode == "test/garbage":
        sandbox.write_all(fd, b"\x80\x04\x95 not a frame, and certainly no pickle")
    elif _mode == "test/flood":
        sandbox.write_all(fd, b"\0" * 1024 * 1024)
    else:
        real_write_response(fd, result)


real_write_response = sandbox.write_response

if __name__ == "__main__":  # only in the child: imported anywhere else, this patches nothing
    sandbox.sanitise = _decoder
    sandbox.write_response = _write_response
    sandbox.main()
