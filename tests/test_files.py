"""Reading files: every kind of bad file gives one clear exception naming it, and reading has no side effects."""
from __future__ import annotations

import os
import socket

import pytest

import gxtables
from gxtables.io import MAX_BYTES, ReadError, decode_bytes, read_text

REPORT = "某某县人民政府\n2023年政府信息公开工作年度报告\n一、总体情况\n本年度收到申请3件。\n"


def _raises(path, exc=ReadError, words: str = ""):
    with pytest.raises(exc) as info:
        gxtables.read(path)
    assert str(path) in str(info.value)
    assert words in str(info.value)
    return info.value


def test_missing_file(tmp_path):
    _raises(tmp_path / "nope.txt", FileNotFoundError, "no such file")


def test_broken_symlink(tmp_path):
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "gone.txt")
    _raises(link, FileNotFoundError)


def test_directory(tmp_path):
    _raises(tmp_path, IsADirectoryError, "folder")


def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # opening it would wait for a writer for ever
    _raises(fifo, ReadError, "not a regular file")


def test_socket_is_refused(tmp_path):
    path = tmp_path / "s.sock"
    sock = socket.socket(socket.AF_UNIX)
    try:
        sock.bind(str(path))
        _raises(path, ReadError, "not a regular file")
    finally:
        sock.close()


def test_unreadable_file(tmp_path, monkeypatch):
    """Tests run as root, who can read any file: a refused open is simulated."""
    path = tmp_path / "locked.txt"
    path.write_text(REPORT, encoding="utf-8")
    real_open = os.open

    def refuse(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    _raises(path, ReadError, "Permission denied")


@pytest.mark.parametrize("target", ["/proc/kmsg", "/proc/self/status", "/sys/kernel/mm/transparent_hugepage/enabled"])
def test_links_to_pseudo_files_are_refused_without_reading(tmp_path, monkeypatch, target):
    """/proc/kmsg is a 'regular file' of size 0 whose read waits for the kernel's next message."""
    if not os.path.exists(target):
        pytest.skip(f"{target} is not on this system")
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    real_open = os.open
    monkeypatch.setattr(os, "open", lambda f, *a, **k: pytest.fail("opened") if "report" in str(f) or
                        str(f) == target else real_open(f, *a, **k))
    _raises(link, ReadError, "pseudo-file")
    folder = tmp_path / "via"
    folder.symlink_to(os.path.dirname(target))  # a link to the folder, then the file's own name
    _raises(folder / os.path.basename(target), ReadError, "pseudo-file")


def test_an_empty_file_on_a_file_system_without_storage_is_a_pseudo_file(tmp_path, monkeypatch):
    """proc, sysfs or cgroup mounted elsewhere than /proc and /sys: a file of size 0 that holds text."""
    path = tmp_path / "r.txt"
    path.write_bytes(b"")
    _raises(path, ReadError, "empty file")

    def no_storage(p):
        return os.statvfs_result((4096, 4096, 0, 0, 0, 0, 0, 0, 0, 255))

    monkeypatch.setattr(os, "statvfs", no_storage)
    _raises(path, ReadError, "pseudo-file")


def test_a_read_that_hangs_is_given_up_on(tmp_path, monkeypatch):
    """A file system that stops answering: the caller gets a ReadError at the deadline, and the next file
    is read by a new reader."""
    import threading
    import time

    from gxtables import io as io_mod

    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    release = threading.Event()
    real_read_fd = io_mod._read_fd

    def hang(fd, max_bytes, stop):
        release.wait(10)
        return real_read_fd(fd, max_bytes, stop)

    monkeypatch.setattr(io_mod, "_read_fd", hang)
    monkeypatch.setattr(io_mod, "READ_TIMEOUT", 0.2)
    started = time.monotonic()
    with pytest.raises(ReadError, match=r"not read within 0\.2 s"):
        io_mod.read_bytes(path)
    assert time.monotonic() - started < 2
    monkeypatch.setattr(io_mod, "_read_fd", real_read_fd)
    assert io_mod.read_bytes(path) == REPORT.encode()  # a new reader: not queued behind the one that hangs
    release.set()
    assert gxtables.read(path).is_report


def test_a_fifo_swapped_in_after_the_check_does_not_block(tmp_path, monkeypatch):
    """Between the check and the open the name may change: the open does not wait, and what was opened
    is checked again."""
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    real_stat = type(path).stat

    def swap(self, *a, **k):
        st = real_stat(self, *a, **k)
        if self == path:
            path.unlink()
            os.mkfifo(path)
        return st

    monkeypatch.setattr(type(path), "stat", swap)
    _raises(path, ReadError, "changed while opened")


def test_empty_and_blank_files(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    _raises(empty, ReadError, "empty file")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\t\r\n")
    _raises(blank, ReadError, "blank")


@pytest.mark.parametrize("data, words", [
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "ZIP"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "PNG"),
    (b"\x7fELF\x02\x01\x01" + bytes(100), "executable"),
    (bytes(range(256)) * 8, "binary"),
    (b"abc\x00def\x01\x02\x03" * 50, "binary"),
])
def test_binary_files(tmp_path, data, words):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    err = _raises(path, ReadError)
    assert words in str(err) or "not text" in str(err)


def test_a_file_of_nuls_is_binary(tmp_path):
    path = tmp_path / "zeros.txt"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES)  # 20 MiB of NULs (sparse: no disk used)
    _raises(path, ReadError, "binary")
    for data in (bytes(7), b"\xff\xfea\x00" + bytes(100), b"\xfe\xff\x00a" + bytes(100), b"\xef\xbb\xbf" + bytes(100)):
        with pytest.raises(ReadError, match="binary"):
            decode_bytes(data, "x")


@pytest.mark.parametrize("encoding", ["utf-32", "utf-32-le", "utf-32-be"])
def test_utf32_text_is_refused(tmp_path, encoding):
    """UTF-32 read as UTF-16 is text with a NUL between every two characters: refused, and said why."""
    path = tmp_path / "r.txt"
    path.write_bytes(REPORT.encode(encoding))
    _raises(path, ReadError, "UTF-32")


def test_utf16_full_of_control_characters_is_binary(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(("\x01\x02\x03" * 50 + REPORT).encode("utf-16"))
    _raises(path, ReadError, "binary")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "junk.txt"
    path.write_bytes(bytes(range(128, 256)) * 40)
    _raises(path, ReadError)


def test_mixed_encodings(tmp_path):
    half = "一、总体情况\n本机关全年主动公开政府信息一百条，收到政府信息公开申请三件。\n" * 5
    path = tmp_path / "mixed.txt"
    path.write_bytes(half.encode("utf-8") + half.encode("gb18030"))
    _raises(path, ReadError, "mixed encodings")


TRADITIONAL = "某某縣人民政府\n2023年政府資訊公開工作年度報告\n一、總體情況\n本年度收到申請3件。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "big5", "utf-16", "utf-16-be"])
def test_common_encodings_are_read(tmp_path, encoding):
    text = TRADITIONAL if encoding == "big5" else REPORT
    if encoding == "utf-16-be":
        text = "\ufeff" + text  # UTF-16 is read by its byte-order mark
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    assert read_text(path) == text.lstrip("\ufeff")
    _assert_report(gxtables.read(path), traditional=encoding == "big5")


def _assert_report(r: gxtables.Report, traditional: bool = False) -> None:
    """The text of REPORT (or TRADITIONAL) was read: its title, body and the one figure of its prose."""
    assert (r.is_report, r.year, r.body) == (True, 2023, "某某縣人民政府" if traditional else "某某县人民政府")
    assert r.stated("applications_new") == 3


def test_utf8_cut_mid_character_is_read(tmp_path):
    data = REPORT.encode("utf-8") + "报".encode()[:2]
    path = tmp_path / "cut.txt"
    path.write_bytes(data)
    assert read_text(path) == REPORT
    _assert_report(gxtables.read(path))


@pytest.mark.parametrize("damage", [b"\xff", b"\x80", "报".encode()[:1] + b"x"])
def test_utf8_bom_then_an_invalid_byte_is_a_read_error(tmp_path, damage):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT.encode() + damage + REPORT.encode())
    _raises(path, ReadError, "UTF-8")  # not valid UTF-8, or mixed encodings


def test_utf8_bom_then_cut_mid_character_is_read(tmp_path):
    path = tmp_path / "cut.txt"
    path.write_bytes(b"\xef\xbb\xbf" + REPORT.encode() + "报".encode()[:2])
    assert read_text(path) == REPORT
    path.write_bytes(b"\xef\xbb\xbf" + "报".encode()[:1])
    _raises(path, ReadError)


def test_too_large_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    with open(path, "wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: no disk used
    monkeypatch.setattr("builtins.open", lambda *a, **k: pytest.fail("a file over the limit was opened"))
    _raises(path, ReadError, "limit")


def test_size_limit_is_configurable(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text(REPORT, encoding="utf-8")
    with pytest.raises(ReadError, match="limit"):
        gxtables.read(path, max_bytes=10)
    assert gxtables.read(path, max_bytes=0).is_report


def test_read_stops_at_the_limit_when_the_size_lies(tmp_path, monkeypatch):
    """A file that grows while read (or a size the file system gets wrong) is still cut at the limit."""
    path = tmp_path / "r.txt"
    path.write_text(REPORT * 10, encoding="utf-8")
    real_stat = type(path).stat

    def small_stat(self, *a, **k):
        st = real_stat(self, *a, **k)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 1,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(type(path), "stat", small_stat)
    with pytest.raises(ReadError, match="limit"):
        read_text(path, max_bytes=50)


def test_decode_bytes_raises_only_read_errors():
    for data in (b"\xff\xfe\x00", b"\xfe\xff\xd8", b"\x00" * 7, b"\xe4\xb8", b"\x81\x30" * 9,
                 b"\xef\xbb\xbf\xff", b"\xef\xbb\xbf\xe4\xb8", b"\xef\xbb\xbf\xe4\xb8\xad\xff\xfeabc"):
        try:
            decode_bytes(data, "x")
        except ReadError:
            pass


def test_huge_text_is_refused_with_a_reason():
    r = gxtables.parse("|" * 101, max_chars=100)
    assert not r.is_report and "limit" in r.reason and not r.placed_cells
    assert gxtables.parse("|" * 101, max_chars=0).reason != r.reason


def test_reading_writes_nothing(tmp_path, seed_paths):
    """Reading and parsing a report leaves the folders it touches as they were."""
    path = tmp_path / "r.txt"
    path.write_bytes(seed_paths["001"].read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        gxtables.read(path)
        gxtables.debug(path.read_text(encoding="utf-8"))
    finally:
        os.chdir(cwd)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_reading_executes_nothing(tmp_path, monkeypatch):
    """Text that looks like code, markup or shell stays text: nothing is run, evaluated or imported."""
    import subprocess

    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("a process was started"))
    monkeypatch.setattr(os, "system", lambda *a, **k: pytest.fail("a shell was started"))
    hostile = REPORT + "$(touch pwned) `touch pwned` __import__('os').system('touch pwned') {{7*7}} <script>x</script>\n"
    path = tmp_path / "r.txt"
    path.write_text(hostile, encoding="utf-8")
    _assert_report(gxtables.read(path))
    assert not (tmp_path / "pwned").exists()


def test_a_decoding_failure_in_any_reader_is_a_read_error(monkeypatch):
    from gxtables.documents import read as read_mod

    def strict(data, name):
        return data.decode("ascii")

    monkeypatch.setattr(read_mod, "decode_bytes", strict)
    with pytest.raises(ReadError, match=r"^page\.txt: cannot be decoded"):
        read_mod.bytes_to_input("报告".encode(), "page.txt")
