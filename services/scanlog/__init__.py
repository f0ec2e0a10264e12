"""The scan log: one row per scan, written in the caller's transaction, pruned as it grows,
browsed newest first with keyset pagination, exported and deleted by filter.

Scan paths call `record(...)`; the admin area and `flask scans` use the rest.
"""
from services.scanlog.filters import RESULTS, SOURCES, ScanFilter, parse_filter
from services.scanlog.history import (
    CSV_COLUMNS,
    HistoryPage,
    count,
    daily_counts,
    delete_matching,
    delete_one,
    export_rows,
    get,
    history_page,
    latest_of,
    newest_id,
    object_path,
    parsed_fields,
)
from services.scanlog.writer import PRUNE_BATCH, PRUNE_EVERY, prune, prune_all, record, storable

__all__ = [
    "CSV_COLUMNS", "PRUNE_BATCH", "PRUNE_EVERY", "RESULTS", "SOURCES", "HistoryPage", "ScanFilter", "count",
    "daily_counts", "delete_matching", "delete_one", "export_rows", "get", "latest_of", "newest_id", "object_path",
    "history_page", "parse_filter", "parsed_fields", "prune", "prune_all", "record", "storable",
]
