"""Stock work by scanning: moves, scan-in and count sessions, receiving supplier packages.

Each top-level function is one unit of work: it validates first, writes the effect together with its
stock-tracking entries and scan-log row, and commits once; on refusal it raises StockError (or
ConflictError when someone else changed the stock meanwhile) and nothing is written.
"""
from services.stock.common import ConflictError, StockError

__all__ = ["ConflictError", "StockError"]
