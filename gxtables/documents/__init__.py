"""Readers of the documents reports are published as: HTML pages, Word files and PDFs.

Each reader turns a file's bytes into a :class:`~gxtables.documents.model.Document`: prose paragraphs
and tables as grids, in reading order, every piece with its origin.
"""
from __future__ import annotations

from .model import Document, Grid, GridCell, Origin, Paragraph

__all__ = ["Document", "Grid", "GridCell", "Origin", "Paragraph"]
