"""Reading report files: bytes in any common encoding → text, with clear errors for the caller's mistakes."""
from __future__ import annotations

import codecs
import os
from pathlib import Path

__all__ = ["MAX_BYTES", "ReadError", "decode_bytes", "read_text"]

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
    """A file that cannot be read as a report text (missing, a folder, binary, undecodable, too large)."""


def _score(text: str) -> float:
    han = [c for c in text[:20000] if "\u4e00" <= c <= "\u9fff" or "\ue000" <= c <= "\uf8ff"]
    if not han:
        return 0.5 if text.isprintable() or "\n" in text else 0.0
    return sum(c in _COMMON for c in han) / len(han)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode report bytes: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, Big5.

    Raises :class:`ReadError` naming ``name`` when no encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict")
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(enc)
            except UnicodeDecodeError as exc:
                raise ReadError(f"{name}: starts like UTF-16 but is not valid UTF-16 ({exc.reason})") from exc
    if data and len(data) >= 4 and data.count(0) > len(data) // 4:
        # UTF-16 without a BOM: every other byte of ASCII is a NUL
        even_nuls, odd_nuls = data[0::2].count(0), data[1::2].count(0)
        enc = "utf-16-le" if odd_nuls > even_nuls else "utf-16-be"
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            raise ReadError(f"{name}: a binary file, not report text") from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\x00" in text:
            raise ReadError(f"{name}: a binary file, not report text")
        return text
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
    return best[1]


def read_text(path: str | os.PathLike, max_bytes: int = MAX_BYTES) -> str:
    """The text of a report file; raises an exception naming the file when it cannot be read."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{p}: no such file")
    if p.is_dir():
        raise IsADirectoryError(f"{p}: is a folder; use gxtables.read_many for folders")
    size = p.stat().st_size
    if max_bytes and size > max_bytes:
        raise ReadError(f"{p}: {size} bytes, larger than the {max_bytes}-byte limit for one report")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise ReadError(f"{p}: cannot be read ({exc.strerror or exc})") from exc
    return decode_bytes(data, str(p))
