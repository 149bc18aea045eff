"""Files written whole or not at all: an output appears under its name only when complete, one writer
per output at a time, and what a killed run leaves behind is removed by the next.

A corpus run or an export can be killed at any moment (``kill -9``, out of memory, a machine shut
down). Each output is written under a temporary name beside it and renamed into place when complete
(a rename within a folder replaces the name at once), so the name holds the whole output or what was
there before, never a part. A lock file beside each output keeps two writers apart; the lock is the
kernel's (``flock``), released when its process dies, so it never outlives its holder. Temporary
folders carry such a lock too: a later run removes those whose owner is gone, and only those.
"""
from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["OutputBusyError", "atomic_output", "output_locks", "owned_temporary_folder", "release_folder",
           "sweep_temporary_folders"]

OWNER = ".gxtables-owner"  # the lock file inside a temporary folder: held while the folder is in use


class OutputBusyError(OSError):
    """Another writer holds the output: two exports to the same file at once."""


def _try_lock(fd: int) -> bool:
    """Take the exclusive lock of an open file without waiting; False when another process holds it."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(lock: Path) -> str:
    try:
        return lock.read_text(encoding="ascii").strip() or "?"
    except (OSError, UnicodeError):
        return "?"


def _lock_name(path: Path) -> Path:
    return path.parent / f".{path.name}.lock"


def _temporary_names(path: Path) -> Iterator[Path]:
    """The temporary files :func:`atomic_output` writes for ``path`` (by any process)."""
    prefix = f".{path.name}."
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            if entry.name.startswith(prefix) and entry.name.endswith(".tmp"):
                yield Path(entry.path)


_HELD: dict[tuple[int, str], int] = {}  # (thread, lock file) → how many times this thread took it
_HELD_GUARD = threading.Lock()


def _acquire(path: Path) -> int | None:
    """Lock ``path`` for this thread: the file descriptor of its lock file, or None when this thread
    holds it already. Raises :class:`OutputBusyError` when another writer holds it."""
    lock = _lock_name(path)
    key = (threading.get_ident(), str(lock))
    with _HELD_GUARD:
        if key in _HELD:
            _HELD[key] += 1
            return None
    while True:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)  # never through a link
        if not _try_lock(fd):
            os.close(fd)
            raise OutputBusyError(f"{path}: another export is writing it (process {_holder(lock)}); "
                                  "try again when it has ended")
        try:  # the previous holder may have removed the lock file between our open and our lock
            same = os.fstat(fd).st_ino == os.stat(lock).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    os.ftruncate(fd, 0)
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    for stale in _temporary_names(path):  # left by a writer killed half-way: we alone write this output now
        with contextlib.suppress(OSError):
            stale.unlink()
    with _HELD_GUARD:
        _HELD[key] = 1
    return fd


def _release(path: Path, fd: int | None) -> None:
    lock = _lock_name(path)
    key = (threading.get_ident(), str(lock))
    with _HELD_GUARD:
        _HELD[key] -= 1
        if _HELD[key]:
            return
        del _HELD[key]
    if fd is not None:
        with contextlib.suppress(OSError):  # removed while held: the next writer checks it locked the file it sees
            lock.unlink()
        os.close(fd)


@contextlib.contextmanager
def output_locks(paths: Iterable[str | os.PathLike]) -> Iterator[None]:
    """Hold the lock of every output in ``paths`` (a lock file ``.NAME.lock`` beside each, removed
    after). Raises :class:`OutputBusyError` at once, holding nothing, when another writer holds one.
    A thread may take the locks it holds again (an export locks its outputs before reading the
    reports, and writing them locks them again)."""
    taken: list[tuple[Path, int | None]] = []
    try:
        for path in sorted({Path(p) for p in paths}):
            taken.append((path, _acquire(path)))
        yield
    finally:
        for path, fd in reversed(taken):
            _release(path, fd)


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (POSIX; elsewhere the rename is as durable as it gets)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - a platform that cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """A temporary name beside ``path`` to write to; renamed to ``path`` when the block ends without
    an exception, removed otherwise. ``path`` itself is replaced, never written through: a symlink
    there is replaced by the file. ``durable``: flushed to the disk before the rename (an output a
    caller keeps), or not (the parts of a corpus, rewritten by a new run)."""
    final = Path(path)
    tmp = final.parent / f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    try:
        yield tmp
        if durable:
            fd = os.open(tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        os.replace(tmp, final)
        if durable:
            _fsync_folder(final.parent)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


# ----------------------------------------------------------------------------- temporary folders
def owned_temporary_folder(prefix: str) -> tuple[str, int | None]:
    """A new folder in the temporary directory and the descriptor of the lock that marks it in use.

    The lock is taken on a file of another name and renamed to :data:`OWNER` once held, so a sweep
    never sees the owner file unlocked; the descriptor is inherited by forked workers, and the lock
    lasts while any of them lives.
    """
    sweep_temporary_folders(prefix)
    folder = tempfile.mkdtemp(prefix=prefix)
    claim = os.path.join(folder, f"{OWNER}.{secrets.token_hex(4)}")
    fd = os.open(claim, os.O_RDWR | os.O_CREAT, 0o644)
    if not _try_lock(fd):  # pragma: no cover - a fresh file nobody else knows of
        os.close(fd)
        return folder, None
    os.write(fd, f"{os.getpid()}\n".encode("ascii"))
    try:
        os.replace(claim, os.path.join(folder, OWNER))
    except OSError:  # pragma: no cover - a platform that cannot rename an open file: never swept, removed at exit
        pass
    return folder, fd


def release_folder(folder: str, fd: int | None) -> None:
    """Remove a temporary folder and let go of its lock."""
    shutil.rmtree(folder, ignore_errors=True)
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


def sweep_temporary_folders(prefix: str, where: str | None = None) -> list[str]:
    """Remove the temporary folders named ``prefix…`` whose owner has died (its lock is free); a folder
    in use, or one without an owner file (being made, or made by something else), is left alone."""
    removed = []
    where = where or tempfile.gettempdir()
    with contextlib.suppress(OSError):
        for entry in os.scandir(where):
            if not entry.name.startswith(prefix) or not entry.is_dir(follow_symlinks=False):
                continue
            try:
                fd = os.open(os.path.join(entry.path, OWNER), os.O_RDWR)
            except OSError:
                continue
            try:
                if _try_lock(fd):
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed.append(entry.path)
            finally:
                os.close(fd)
    return removed
