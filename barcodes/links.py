"""Custom barcodes: any external barcode may be linked to one object, keyed by the hash of its data.

The rules that need no database live here; linking and unlinking (writes) are services/barcode_linking.py.
"""
from __future__ import annotations

import hashlib

from barcodes.internal import parse_internal, parse_inventree
from barcodes.normalize import EOT, GS, RS
from barcodes.result import Scan

_SEPARATORS = str.maketrans("", "", GS + RS + EOT)


class LinkError(ValueError):
    """A barcode that cannot be linked, with a message for people."""


def hash_key(scan: Scan) -> str:
    """The text the hash is taken of: canonical text without GS/RS/EOT, so a keyboard-wedge scan
    that lost the separators equals the camera scan that kept them."""
    return scan.text.translate(_SEPARATORS)


def barcode_hash(scan: Scan) -> str:
    """SHA-256 hex of the scan's hash key: the unique key of linked barcodes."""
    return hashlib.sha256(hash_key(scan).encode("utf-8", "surrogatepass")).hexdigest()


def check_linkable(scan: Scan, prefix: str) -> None:
    """Raise LinkError for a code that already names its object (ours with `prefix`, or InvenTree's)."""
    if parse_internal(scan.text, prefix) or parse_inventree(scan.text):
        raise LinkError("Internal barcodes cannot be linked: they already name their object.")
