"""The barcode engine: from a raw scan to the object it names, and barcodes to print. No Flask views."""
