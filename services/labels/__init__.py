"""Label templates and printing: sandboxed Jinja markup -> boxes -> PDF (ReportLab), ZPL and SVG.

Start at `services.labels.printing`; reports (stock report, pick list) are in `services.labels.reports`.
"""
