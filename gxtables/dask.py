"""Beyond one machine: the frames of a corpus as a dask DataFrame (``pip install 'gxtables[dask]'``).

Each partition parses a slice of the files with the very code :func:`gxtables.parse_many` runs in
its workers, with the same ``report`` keys (the file's position in the sorted expansion of the
globs), so the two give the same frames; dask decides where the partitions run.

    >>> import gxtables.dask
    >>> cells = gxtables.dask.read_reports("reports/**/*.txt")            # lazy
    >>> cells.groupby("id")["value"].sum().compute()
"""
from __future__ import annotations

import os
from collections.abc import Iterable

import pandas as pd

from .corpus import FRAMES, MAX_BATCH, Item, batch_tables, expand_paths
from .rates import Priors
from .records import schema, to_pandas

__all__ = ["read_reports"]


def _partition(items: list[Item], frame: str, priors: Priors) -> pd.DataFrame:
    """One partition: parse its files and keep one frame."""
    return to_pandas(batch_tables(items, priors)[frame])


def read_reports(patterns: str | os.PathLike | Iterable[str | os.PathLike], frame: str = "cells",
                 files_per_partition: int = MAX_BATCH, priors: Priors | None = None):
    """A dask DataFrame of one frame ("cells", "wide", "summary", "checks" or "leftovers") of the reports
    named by globs, folders or file names. Nothing is parsed until the frame is computed; the priors
    (default: :meth:`Priors.default`) are taken now and sent with every partition."""
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # the caller asked for an extra that is not installed
        raise ImportError("gxtables.dask needs dask: pip install 'gxtables[dask]'") from exc
    if frame not in FRAMES:
        raise ValueError(f"unknown frame {frame!r}; one of {', '.join(FRAMES)}")
    if files_per_partition < 1:
        raise ValueError("files_per_partition must be >= 1")
    paths = list(expand_paths(patterns))
    items: list[Item] = [(key, "path", p) for key, p in enumerate(paths)]
    chunks = [items[i:i + files_per_partition] for i in range(0, len(items), files_per_partition)] or [[]]
    meta = to_pandas(schema(frame).empty_table())
    priors = Priors.default() if priors is None else priors
    return dd.from_map(_partition, chunks, frame=frame, priors=priors, meta=meta, enforce_metadata=False)
