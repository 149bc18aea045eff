"""Reading report files: bytes in any common encoding → text, with clear errors for the caller's mistakes."""
from __future__ import annotations

import codecs
import glob
import os
import queue
import stat
import threading
from pathlib import Path

__all__ = ["MAX_BYTES", "READ_TIMEOUT", "ReadError", "decode_bytes", "read_bytes", "read_text"]

MAX_BYTES = 20 * 1024 * 1024  # far larger than any report; larger inputs are refused, not read whole

# The most frequent characters of Chinese administrative text, in both scripts: a decoding that
# yields many of them is the right one (a wrong one yields rare or private-use characters).
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"
    "行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其"
    "些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又么利比或但质气第向道命此变条只没结解问意建月"
    "公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知"
    "较将组见计别手角期根论运农指几九区强放决西被干做必战先回则任取据处府息报告申请县镇乡街道局委办况依规章收费复议诉讼"
    "這個國們來時說會對動發過後種麼經學實現機當點業還應開與關從於裡們沒問題準確務員縣鎮鄉辦況規費復議訴訟報請資處權"
)


class ReadError(ValueError):
    """A file that cannot be read as a report text (unreadable, not a file, binary, undecodable, empty, too large)."""


# Leading bytes of the binary formats reports are also published in: extract their text first.
_MAGIC = ((b"%PDF-", "a PDF file"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
          (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an MS Office file (.doc/.xls)"), (b"\x89PNG", "a PNG image"),
          (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"), (b"\x1f\x8b", "a gzip file"),
          (b"{\\rtf", "an RTF file"), (b"\x7fELF", "an executable"), (b"MZ", "an executable"))
_CONTROL = frozenset(chr(c) for c in [*range(0, 9), 11, *range(14, 32), 127])  # never in text (\f and \r are)


def _binary_kind(data: bytes) -> str | None:
    """What a file is when its first bytes give away a binary format."""
    return next((what for magic, what in _MAGIC if data.startswith(magic)), None)


def _check_text(text: str, name: str) -> str:
    """Text full of control characters is a binary file that happened to decode."""
    sample = text[:100_000]
    if "\x00" in sample or sum(c in _CONTROL for c in sample) > max(len(sample) // 100, 2):
        raise ReadError(f"{name}: a binary file, not report text")
    return text


def _mixed(data: bytes, name: str) -> None:
    """Raise when some lines are UTF-8 and others are not: a file pasted together from two encodings."""
    good: list[int] = []
    bad: list[int] = []
    good_bytes = bad_bytes = 0
    for i, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        try:
            decoded = line.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(i)
            bad_bytes += len(line)
            continue
        if any(ord(c) >= 0x800 for c in decoded):  # a CJK-range character: not a chance byte pair
            good.append(i)
            good_bytes += len(line)
    total = good_bytes + bad_bytes
    if len(good) >= 2 and bad and min(good_bytes, bad_bytes) >= 0.05 * total:
        raise ReadError(f"{name}: mixed encodings — {len(good)} line(s) are UTF-8 (first: line {good[0]}), "
                        f"{len(bad)} are not (first: line {bad[0]})")


def _utf32(data: bytes) -> bool:
    """UTF-32 text: its byte-order mark, or (without one) two NULs in every four bytes at the same places
    (the high half of every character of the Basic Multilingual Plane), which a file of NULs is not."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return True
    head = data[:4096]
    if len(head) < 8 or len(head) % 4 or not head.strip(b"\x00"):
        return False
    return head[2::4].count(0) == head[3::4].count(0) == len(head) // 4 or \
        head[0::4].count(0) == head[1::4].count(0) == len(head) // 4


def _score(text: str) -> float:
    han = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"]
    if not han:
        return 0.5 if text.isprintable() or "\n" in text else 0.0
    return sum(c in _COMMON for c in han) / len(han)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5.

    Raises :class:`ReadError` naming ``name`` when no encoding fits.
    """
    if kind := _binary_kind(data):
        raise ReadError(f"{name}: {kind}, not report text (extract its text first)")
    if _utf32(data):
        raise ReadError(f"{name}: UTF-32 text, which gxtables does not read (save it as UTF-8)")
    utf8_bom = data.startswith(codecs.BOM_UTF8)
    if utf8_bom:  # declared UTF-8: read as UTF-8 (a cut last character dropped) or refused, never guessed
        data = data[3:]
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if not utf8_bom and data.startswith(bom):
            try:
                return _check_text(data[2:].decode(enc), name)
            except UnicodeDecodeError as exc:
                raise ReadError(f"{name}: starts like UTF-16 but is not valid UTF-16 ({exc.reason})") from exc
    if not utf8_bom and len(data) >= 4 and data.count(0) > len(data) // 4:
        # UTF-16 without a BOM: every other byte of ASCII is a NUL
        even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
        enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            return _check_text(data.decode(enc), name)
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: a binary file, not report text") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            # UTF-8 cut short in the middle of a character (a truncated download): drop the stray bytes
            return _check_text(data[: exc.start].decode("utf-8"), name)
        _mixed(data, name)
        if utf8_bom:
            raise ReadError(f"{name}: starts with a UTF-8 byte-order mark but is not valid UTF-8 "
                            f"(byte 0x{data[exc.start]:02x} at offset {exc.start + 3}: {exc.reason})") from None
    else:
        return _check_text(text, name)
    best: tuple[float, str] | None = None
    for enc in ("gb18030", "big5"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, text)
    if best is None or best[0] < 0.2:
        raise ReadError(f"{name}: not text in UTF-8, UTF-16, GB18030/GBK or Big5 (mixed or unknown encoding)")
    return _check_text(best[1], name)


def read_bytes(path: str | os.PathLike, max_bytes: int = MAX_BYTES, timeout: float | None = None) -> bytes:
    """The bytes of a report file; raises an exception naming the file when it cannot be read.

    Only regular files are opened (a FIFO or a device would block or never end), never a pseudo-file
    of the kernel (/proc, /sys: they block, never end or change as they are read), and at most
    ``max_bytes`` + 1 bytes are read, whatever the file claims its size is (0 for no limit). The file
    is read by a thread of its own: when it has not been read within ``timeout`` seconds (default
    :data:`READ_TIMEOUT`; 0 for no deadline, reading in the calling thread) — a network file system
    that stopped answering — the caller gets a :class:`ReadError` and goes on.
    Raises FileNotFoundError, IsADirectoryError or :class:`ReadError` (an empty or blank file too).
    """
    p = Path(path)
    timeout = READ_TIMEOUT if timeout is None else timeout
    if not timeout:
        return _read_now(p, max_bytes, threading.Event())
    return _reader().run(p, max_bytes, timeout)


READ_TIMEOUT = 60.0  # seconds one file may take to be read: far beyond any disk, a guard against one that hangs
PSEUDO_ROOTS = ("/proc/", "/sys/")  # the kernel's pseudo-file systems, wherever a link or a folder leads there
_CHUNK = 1 << 20  # bytes read at a time, so that a read given up on stops soon


class _Reader:
    """A thread that makes the system calls of reading files, so that the caller can stop waiting for one
    that hangs (a link to a pseudo-file that got past the checks, a network file system that does not
    answer). One per calling thread and process; a reader that was given up on is replaced."""

    def __init__(self) -> None:
        self.pid = os.getpid()
        self.jobs: queue.SimpleQueue = queue.SimpleQueue()
        threading.Thread(target=self._serve, name="gxtables-reader", daemon=True).start()

    def _serve(self) -> None:
        while True:
            path, max_bytes, stop, box, done = self.jobs.get()
            try:
                box.append((True, _read_now(path, max_bytes, stop)))
            except BaseException as exc:  # handed to the caller, raised there
                box.append((False, exc))
            done.set()

    def run(self, path: Path, max_bytes: int, timeout: float) -> bytes:
        stop, box, done = threading.Event(), [], threading.Event()
        self.jobs.put((path, max_bytes, stop, box, done))
        if not done.wait(timeout):
            stop.set()  # a read that is only slow stops at its next chunk
            _local.reader = None  # this thread may never come back: the next file gets a new one
            raise ReadError(f"{path}: not read within {timeout:g} s (a file system that does not answer, "
                            "or a file that never ends)")
        ok, value = box[0]
        if ok:
            return value
        raise value


_local = threading.local()


def _reader() -> _Reader:
    reader = getattr(_local, "reader", None)
    if reader is None or reader.pid != os.getpid():  # none yet, given up on, or inherited through fork
        reader = _local.reader = _Reader()
    return reader


def _pseudo_file(p: Path, st: os.stat_result) -> str | None:
    """Why a regular file is a pseudo-file of the kernel, or None: it lives under /proc or /sys (whatever
    link or folder leads there), or it has no size on a file system with no storage (proc, sysfs,
    cgroup…, mounted anywhere), where a file's size says nothing of what reading it gives."""
    real = os.path.realpath(p)
    if real.startswith(PSEUDO_ROOTS):
        return f"a pseudo-file of the kernel ({real}), not a report"
    if st.st_size == 0 and hasattr(os, "statvfs"):
        try:
            storage = os.statvfs(p).f_blocks
        except OSError:
            return None
        if storage == 0:
            return "a pseudo-file (no size, on a file system without storage), not a report"
    return None


def _folder(p: Path) -> str:
    """Why a folder named where a file was expected is not read (a corpus run meets the folders it
    could not walk: links to folders, folders it may not list)."""
    if p.is_symlink():
        return (f"a link to the folder {os.path.realpath(p)}, not followed when a folder is walked; "
                "name that folder to read the reports in it")
    try:
        with os.scandir(p):
            pass
    except OSError as exc:
        return f"a folder that cannot be listed ({exc.strerror or exc})"
    return "is a folder; name the report files in it"


def _read_now(p: Path, max_bytes: int, stop: threading.Event) -> bytes:
    """The checks and reading of :func:`read_bytes`, in the thread that makes the system calls."""
    try:
        st = p.stat()
    except FileNotFoundError:
        pattern = ", and no file matches it as a pattern" if glob.has_magic(str(p)) else ""
        raise FileNotFoundError(f"{p}: no such file{pattern}") from None
    except OSError as exc:
        raise ReadError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    if stat.S_ISDIR(st.st_mode):
        raise IsADirectoryError(f"{p}: {_folder(p)}")
    if not stat.S_ISREG(st.st_mode):
        raise ReadError(f"{p}: not a regular file (a pipe, socket or device)")
    if why := _pseudo_file(p, st):
        raise ReadError(f"{p}: {why}")
    if max_bytes and st.st_size > max_bytes:
        raise ReadError(f"{p}: {st.st_size:,} bytes, larger than the {max_bytes:,}-byte limit for one report")
    try:
        # non-blocking: what was swapped for a FIFO since the check neither blocks the open nor a read
        flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        fd = os.open(p, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ReadError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    try:
        now = os.fstat(fd)
        if not stat.S_ISREG(now.st_mode) or (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            raise ReadError(f"{p}: changed while opened (no longer the regular file checked)")
        data = _read_fd(fd, max_bytes, stop)
    except BlockingIOError:
        raise ReadError(f"{p}: would wait for data to arrive (not a file's content), not a report") from None
    except OSError as exc:
        raise ReadError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if stop.is_set():
        raise ReadError(f"{p}: reading was given up on")
    if max_bytes and len(data) > max_bytes:
        raise ReadError(f"{p}: more than the {max_bytes:,}-byte limit for one report")
    if not data.strip():
        raise ReadError(f"{p}: empty file" if not data else f"{p}: holds only blank space")
    return data


def _read_fd(fd: int, max_bytes: int, stop: threading.Event) -> bytes:
    """At most ``max_bytes`` + 1 bytes of an open file (all of it when 0), chunk by chunk until ``stop``."""
    chunks: list[bytes] = []
    got = 0
    while not stop.is_set() and (not max_bytes or got <= max_bytes):
        chunk = os.read(fd, _CHUNK if not max_bytes else min(_CHUNK, max_bytes + 1 - got))
        if not chunk:
            break
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def read_text(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> str:
    """The text of a report file; raises an exception naming the file when it cannot be read.

    Only regular files are opened (a FIFO or a device would block or never end), and at most
    ``max_bytes`` + 1 bytes are read, whatever the file claims its size is (0 for no limit).
    Raises FileNotFoundError, IsADirectoryError or :class:`ReadError`; nothing is executed or written.
    """
    p = Path(path)
    text = decode_bytes(read_bytes(p, max_bytes), str(p))
    if not text.strip():
        raise ReadError(f"{p}: holds only blank space")
    return text
