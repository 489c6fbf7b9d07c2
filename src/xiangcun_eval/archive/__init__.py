"""The archive of submissions and evaluation runs (embedded SQLite).

See :class:`Archive`.
"""

from .store import Archive, ArchiveError, ImportResult, StoredRun

__all__ = ["Archive", "ArchiveError", "ImportResult", "StoredRun"]
