"""The files a corpus run reads: file names, folders and globs → paths, each entry they name exactly once.

A run must account for every entry it was pointed at, so what cannot be read is yielded too and
becomes an error row saying why (a FIFO, a device, a dangling or looping link, a link to a folder, a
folder that cannot be listed), never silently dropped; and a name is never taken for what it is not:

- a path that exists is that file or folder, whatever characters its name holds (``r[1].txt``); a
  link to a folder is followed only when named itself;
- a folder is walked, sub-folders too, for entries named like reports (:data:`REPORT_SUFFIXES`);
  links to folders met on the way are not followed (they may loop, or lead anywhere on the machine)
  but yielded, so that each becomes an error row telling to name the folder itself;
- only a name that does not exist and holds ``*``, ``?`` or ``[`` is a glob (``**`` for any depth):
  every match is yielded (a folder matched is walked, a link to a folder is a row as in a walk);
  ``**`` does not descend into links to folders nor into hidden folders, and ``*`` matches no hidden
  name, as in the shell;
- a glob that matches nothing, and a name that does not exist, are yielded as they are: a missing
  file is an error row, not an exception, and a mistyped pattern is not a silent empty run.
"""
from __future__ import annotations

import fnmatch
import glob as globlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

__all__ = ["REPORT_SUFFIXES", "expand_paths"]

REPORT_SUFFIXES = (".txt", ".md", ".htm", ".html", ".shtml", ".xhtml", ".docx", ".pdf", ".doc", ".wps")  # files a folder is searched for


def _by_parts(path: str) -> tuple[str, ...]:
    """Paths sorted folder by folder ("dev/…" before "dev-degraded/…")."""
    return Path(path).parts


def _is_dir(entry: os.DirEntry, follow: bool) -> bool:
    try:
        return entry.is_dir(follow_symlinks=follow)
    except OSError:  # a looping link, or one the walk may not look behind
        return False


def walk_folder(folder: str) -> Iterator[str]:
    """Every entry under ``folder`` named like a report (its own sub-folders walked too), and every link
    to a folder (not followed), in no particular order. A sub-folder that cannot be listed is yielded
    itself, so that its error is a row."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as it:
                entries = list(it)
        except OSError:
            yield current  # a folder that cannot be listed: its error is a row
            continue
        for entry in entries:
            path = os.path.join(current, entry.name)
            if _is_dir(entry, follow=False):
                stack.append(path)
            elif _is_dir(entry, follow=True) or entry.name.lower().endswith(REPORT_SUFFIXES):
                yield path  # a link to a folder, or anything named like a report: a file or an error row


def _hidden(name: str, pattern: str) -> bool:
    """A hidden name is matched only by a pattern that starts with a dot, as in the shell."""
    return name.startswith(".") and not pattern.startswith(".")


def glob_paths(pattern: str) -> Iterator[str]:
    """The matches of a glob, folder part by folder part, without following a link to a folder under
    ``**`` (a link pointing above itself would make the walk endless). Each match once."""
    parts = Path(pattern).parts
    fixed = next((i for i, part in enumerate(parts) if globlib.has_magic(part)), len(parts))
    if fixed == len(parts):
        yield pattern
        return
    anchor = os.path.join(*parts[:fixed]) if fixed else ""
    rest = parts[fixed:]
    stack = [(anchor, 0)]
    visited: set[tuple[str, int]] = set()
    while stack:
        current, at = stack.pop()
        if (current, at) in visited:
            continue
        visited.add((current, at))
        if at == len(rest):
            yield current or "."
            continue
        part, last = rest[at], at == len(rest) - 1
        if not globlib.has_magic(part):
            path = os.path.join(current, part)
            if os.path.lexists(path) if last else os.path.isdir(path):
                stack.append((path, at + 1))
            continue
        try:
            with os.scandir(current or ".") as it:
                entries = list(it)
        except OSError:
            continue
        if part == "**":
            stack.append((current, at + 1))  # no folder at all
            for entry in entries:
                if not _hidden(entry.name, "") and _is_dir(entry, follow=False):
                    stack.append((os.path.join(current, entry.name), at))  # one folder more
            continue
        for entry in entries:
            if fnmatch.fnmatchcase(entry.name, part) and not _hidden(entry.name, part):
                if last or _is_dir(entry, follow=True):
                    stack.append((os.path.join(current, entry.name), at + 1))


def expand_paths(patterns: str | os.PathLike | Iterable[str | os.PathLike]) -> Iterator[str]:
    """Files named by file names, folders (walked for report files) or globs ("reports/**/*.txt"),
    lazily pattern by pattern, sorted as paths within each pattern, each file once (however many
    names or links lead to it). See the module's docstring for what each kind of name gives."""
    if isinstance(patterns, str | os.PathLike):
        patterns = [patterns]
    seen: set[str] = set()
    for pattern in patterns:
        raw = os.fspath(pattern)
        if not isinstance(raw, str):
            raise TypeError(f"gxtables: a path must be a str or os.PathLike of str, not {type(raw).__name__}")
        if os.path.isdir(raw):
            found = sorted(walk_folder(str(Path(raw))), key=_by_parts)
        elif os.path.lexists(raw) or not globlib.has_magic(raw):
            found = [raw]  # a file (or what stands in its name), or a missing one: an error row later
        else:
            found = []
            for match in glob_paths(raw):
                walk = os.path.isdir(match) and not os.path.islink(match)
                found.extend(walk_folder(match) if walk else [match])
            found = sorted(set(found), key=_by_parts) or [raw]  # no match: a row saying so
        yield from _once(found, seen)


def _once(found: list[str], seen: set[str]) -> list[str]:
    """``found`` without the files ``seen`` before or named twice (by a link, by ``..``): each file
    under its own name rather than a link's when both are there. What leads to no file (a dangling
    link, a FIFO…) is a row of its own."""
    chosen: dict[str, str] = {}
    for path in found:
        key = os.path.realpath(path) if os.path.isfile(path) else os.path.abspath(path)
        if key in seen:
            continue
        if key not in chosen or (os.path.islink(chosen[key]) and not os.path.islink(path)):
            chosen[key] = path
    seen.update(chosen)
    keep = set(chosen.values())
    return [path for path in found if path in keep]
