"""Fuzzy matching of people records: normalisation, blocking, scoring, clustering.

Pure Python on top of rapidfuzz; no database access, so the same code serves the dedupe
command, registration's duplicate warning and the cross-organisation fingerprints.
"""

from .normalise import PersonRecord, record_normalise
from .pipeline import dedupe

__all__ = ["PersonRecord", "dedupe", "record_normalise"]
