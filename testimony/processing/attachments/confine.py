"""How the attachment sandbox's child confines itself before it reads an attachment.

Everything here is irreversible for the process that calls it, and is called by the child only
(:func:`.sandbox.main`), after its imports: from then on it can compute and use the pipes it was
given, and do little else.

* resource limits: address space, CPU time, no file writes, few descriptors, no new process or
  thread (RLIMIT_NPROC, which does not bind root), no core dump;
* ``no_new_privs``, and death with the worker's pool process (``PR_SET_PDEATHSIG``);
* Landlock (Linux 5.13+), a ruleset with no rule: no file of any kind can be opened, read,
  written or executed, no TCP port bound or connected (6.7+), no signal and no abstract Unix
  socket outside the child (6.12+); and, from the first version, no ptrace of a process outside
  it, so ``/proc/<worker>/mem`` is out of reach as well as the key files;
* seccomp, a small deny-list on top (x86_64 and aarch64): sockets of any family (a database's
  Unix socket is a file Landlock does not cover), exec, ptrace, other processes' memory, io_uring
  (which can open sockets without socket(2)), bpf, perf, userfaultfd, keyrings, namespaces, mount.
"""

from __future__ import annotations

import ctypes
import os
import platform
import resource
import signal
import sys

MEMORY_LIMIT = 3 * 1024**3
"""Address space of the child. Measured peaks (benchmarks/attachment_sandbox.py --peaks): a 50 MP
JPEG 1.1 GiB, an animation of 100 MP in all 0.9 GiB, fifteen minutes of 48 kHz stereo 1.0 GiB,
a 50 MP lossless WebP with alpha 2.3 GiB (3.4 GiB for pure noise, which cannot fit in an upload:
it comes back ``corrupt`` or ``sandbox_failed``, sealed)."""
CPU_SECONDS = 120
"""CPU time of the child; the longest voice notes measured cost 10-20 s."""
MAX_OPEN_FILES = 16


_PR_SET_PDEATHSIG = 1
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2

_LANDLOCK_CREATE_RULESET, _LANDLOCK_RESTRICT_SELF = 444, 446  # the same on every architecture
_LANDLOCK_CREATE_RULESET_VERSION = 1
# Filesystem rights known to each Landlock ABI (1: 13 rights; 2: REFER; 3: TRUNCATE; 5: IOCTL_DEV).
_LANDLOCK_FS = {1: (1 << 13) - 1, 2: (1 << 14) - 1, 3: (1 << 15) - 1, 5: (1 << 16) - 1}
_LANDLOCK_NET_TCP = 0b11  # BIND_TCP, CONNECT_TCP (ABI 4)
_LANDLOCK_SCOPES = 0b11  # ABSTRACT_UNIX_SOCKET, SIGNAL (ABI 6)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def landlock_abi() -> int:
    """The kernel's Landlock ABI version, 0 when it has none (or a seccomp profile hides it)."""
    if sys.platform != "linux":
        return 0
    version = _libc().syscall(
        _LANDLOCK_CREATE_RULESET, None, ctypes.c_size_t(0), _LANDLOCK_CREATE_RULESET_VERSION
    )
    return max(version, 0)


def confine() -> None:
    """Limit what this process can do from now on; nothing here can be undone by it."""
    limits = {
        resource.RLIMIT_AS: MEMORY_LIMIT,
        resource.RLIMIT_CPU: CPU_SECONDS,
        resource.RLIMIT_FSIZE: 0,
        resource.RLIMIT_NOFILE: MAX_OPEN_FILES,
        resource.RLIMIT_NPROC: 0,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in limits.items():
        # CPU: SIGXCPU at the soft limit kills the child; the hard limit (SIGKILL) is the backstop.
        hard = value + 5 if which == resource.RLIMIT_CPU else value
        resource.setrlimit(which, (value, hard))
    if sys.platform != "linux":
        return
    libc = _libc()
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)  # killed with the worker's pool process
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_NO_NEW_PRIVS")
    _landlock(libc)
    _seccomp(libc)


def _landlock(libc: ctypes.CDLL) -> None:
    abi = landlock_abi()
    if abi < 1:
        return  # an old kernel: the worker warns (sandbox._warn_once_if_unconfined)
    attr = _RulesetAttr(
        handled_access_fs=_LANDLOCK_FS[max(v for v in _LANDLOCK_FS if v <= abi)],
        handled_access_net=_LANDLOCK_NET_TCP if abi >= 4 else 0,
        scoped=_LANDLOCK_SCOPES if abi >= 6 else 0,
    )
    # No rule is added: every handled access is denied, everywhere.
    ruleset = libc.syscall(
        _LANDLOCK_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(ctypes.sizeof(attr)), 0
    )
    if ruleset < 0:
        raise OSError(ctypes.get_errno(), "landlock_create_ruleset")
    try:
        if libc.syscall(_LANDLOCK_RESTRICT_SELF, ruleset, 0) != 0:
            raise OSError(ctypes.get_errno(), "landlock_restrict_self")
    finally:
        os.close(ruleset)


# Seccomp: syscalls the child never needs and a compromised child would want. Landlock already
# stops files, TCP and ptrace; this adds sockets of every family (a database's Unix socket), exec,
# reading another process's memory, and io_uring (which can open sockets without socket(2)).
_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_ARCHITECTURES = ("x86_64", "aarch64")
_DENIED = {  # name: (x86_64, aarch64)
    "socket": (41, 198),
    "connect": (42, 203),
    "execve": (59, 221),
    "execveat": (322, 281),
    "ptrace": (101, 117),
    "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    "pidfd_getfd": (438, 438),
    "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426),
    "io_uring_register": (427, 427),
    "bpf": (321, 280),
    "perf_event_open": (298, 241),
    "userfaultfd": (323, 282),
    "keyctl": (250, 219),
    "add_key": (248, 217),
    "request_key": (249, 218),
    "unshare": (272, 97),
    "setns": (308, 268),
    "mount": (165, 40),
    "kcmp": (312, 272),
}
DENIED_SYSCALLS = {
    machine: tuple(numbers[index] for numbers in _DENIED.values())
    for index, machine in enumerate(_ARCHITECTURES)
}
_X32_SYSCALL_BIT = 0x40000000
_BPF_LD_W_ABS, _BPF_JEQ_K, _BPF_JGE_K, _BPF_RET_K = 0x20, 0x15, 0x35, 0x06
_SECCOMP_RET_ALLOW, _SECCOMP_RET_ERRNO, _SECCOMP_RET_KILL_PROCESS = 0x7FFF0000, 0x00050000, 0x80000000
_EPERM = 1


class _SockFilter(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_uint16),
        ("jt", ctypes.c_uint8),
        ("jf", ctypes.c_uint8),
        ("k", ctypes.c_uint32),
    ]


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_uint16), ("filter", ctypes.POINTER(_SockFilter))]


def seccomp_program(machine: str) -> list[tuple[int, int, int, int]]:
    """The BPF program: kill on a foreign architecture (i386 calls on x86_64), EPERM for the
    denied calls (and every x32 call), allow the rest."""
    denied = DENIED_SYSCALLS[machine]
    checks: list[tuple[int, int]] = [(_BPF_JEQ_K, nr) for nr in denied]
    if machine == "x86_64":
        checks.insert(0, (_BPF_JGE_K, _X32_SYSCALL_BIT))
    # Layout: load arch, check arch, load nr, checks..., allow, errno, kill.
    allow_at = 3 + len(checks)
    errno_at, kill_at = allow_at + 1, allow_at + 2
    program = [
        (_BPF_LD_W_ABS, 0, 0, 4),
        (_BPF_JEQ_K, 0, kill_at - 2, _AUDIT_ARCH[machine]),
        (_BPF_LD_W_ABS, 0, 0, 0),
    ]
    for index, (code, value) in enumerate(checks, start=3):
        program.append((code, errno_at - index - 1, 0, value))
    program += [
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ALLOW),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_ERRNO | _EPERM),
        (_BPF_RET_K, 0, 0, _SECCOMP_RET_KILL_PROCESS),
    ]
    return program


def _seccomp(libc: ctypes.CDLL) -> None:
    machine = platform.machine()
    if machine not in DENIED_SYSCALLS:
        return
    program = seccomp_program(machine)
    filters = (_SockFilter * len(program))(*(_SockFilter(*instruction) for instruction in program))
    fprog = _SockFprog(len(program), filters)
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "PR_SET_SECCOMP")
