"""The barcode engine: from a raw scan to the object it names, and barcodes to print.

It imports neither Flask nor the app's models, database or settings (tests/unit/test_engine_isolation.py
checks): each scan's settings come in as ScanOptions (barcodes/options.py) and the database as a
Catalog (barcodes/catalog.py); services/barcode_engine.py is how the app runs it.
"""
