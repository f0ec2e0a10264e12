"""Label printers: set up by admins (setup.py), reached over raw TCP or CUPS (transport.py), fed ZPL,
Brother QL raster (raster.py) or PDF (payloads.py), by background print jobs (jobs.py)."""
