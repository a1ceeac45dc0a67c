"""Confining a query worker, so that a query the guard missed still cannot reach anything.

Once a worker holds its dataset it needs no network, no new files and no new programs:

- **seccomp** (libseccomp through ``pyseccomp``): ``socket`` for any family but a local
  (Unix) one fails with EACCES, and so do ``io_uring_setup`` (a way around the socket
  rule), ``execve`` and ``execveat``.  The engine's SERVICE client can open no connection,
  and resolves no name (DNS needs a UDP socket).
- **Landlock** (through ``landlock``): files may be read only under the given directories (the
  store, and Python's own installation for modules imported late); nothing may be written,
  created, removed or executed anywhere.
- a **memory ceiling** (``RLIMIT_DATA``): the worker's private memory may grow by at most
  ``memory_bytes`` beyond what it holds once the dataset is loaded; past it an allocation
  fails and the worker stops (the engine aborts the process).

Each is applied where the kernel offers it; ``confine`` says which were.
"""

from __future__ import annotations

import errno
import os
import resource
import socket
import sys

import graph

MEMORY_EXIT_SIGNAL = 6  # SIGABRT: how the engine ends a process whose allocation failed


def data_bytes() -> int:
    """The private (data) memory this process holds now, as RLIMIT_DATA counts it."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmData:"):
                return int(line.split()[1]) * 1024
    return 0


def _seccomp() -> None:
    import pyseccomp as seccomp  # imported before any confinement (it looks for libseccomp)

    refuse = seccomp.ERRNO(errno.EACCES)
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    rules.add_rule(refuse, "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    for call in ("io_uring_setup", "execve", "execveat"):
        rules.add_rule(refuse, call)
    rules.load()


def _landlock(readable: list[str]) -> None:
    from landlock import FSAccess, Ruleset, landlock_abi_version

    handled = FSAccess.all()
    if landlock_abi_version() < 3:
        handled &= ~FSAccess.TRUNCATE
    if landlock_abi_version() < 2:
        handled &= ~FSAccess.REFER
    rules = Ruleset(restrict_rules=handled)
    for path in readable:
        if os.path.exists(path):
            rules.allow(
                path, rules=(FSAccess.READ_FILE | FSAccess.READ_DIR) if os.path.isdir(path) else FSAccess.READ_FILE
            )
    rules.apply()


def confine(readable: list[str], memory_bytes: int | None, isolate: bool = True) -> list[str]:
    """Confine this process for good; returns the names of the confinements that hold.  With
    ``isolate`` false only the memory ceiling is set (a worker that talks to a remote engine needs
    the network and the system's certificates)."""
    applied = []
    for module in ("pyseccomp", "landlock"):  # loaded while files can still be read
        try:
            __import__(module)
        except (ImportError, OSError):
            pass
    if memory_bytes:
        ceiling = data_bytes() + memory_bytes
        try:
            resource.setrlimit(resource.RLIMIT_DATA, (ceiling, ceiling))
            applied.append("memory")
        except (ValueError, OSError):
            pass
    if not isolate:
        return applied
    python = {
        os.path.realpath(p)
        for p in (
            sys.prefix,
            sys.base_prefix,
            sys.exec_prefix,
            os.path.dirname(os.path.abspath(__file__)),
            os.path.dirname(os.path.abspath(graph.__file__)),
        )
    }
    for name, apply in (
        ("files", lambda: _landlock([*readable, *python, "/dev/null", "/dev/urandom"])),
        ("network", _seccomp),
    ):
        try:
            apply()
            applied.append(name)
        except (ImportError, OSError, RuntimeError, ValueError, AttributeError):
            pass  # not offered by this kernel or machine: the worker runs without it (and says so)
    return applied
