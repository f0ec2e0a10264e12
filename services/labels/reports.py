"""Reports with barcodes: the stock of a location (sub-locations included) and a pick list."""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from markupsafe import escape
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy.orm import selectinload

from barcodes.internal import internal_code
from extensions import db
from models import StockItem, StockLocation
from services.barcode_engine import scan_options
from services.labels.context import MissingObjects, load_objects, number
from services.labels.fonts import font_name
from services.labels.pdf import draw_symbol
from services.labels.symbols import QUIET_ZONE, symbol

MAX_ROWS = 5000


@dataclass
class ReportRow:
    """One stock item in a report."""

    item_id: int
    code: str
    part: str
    ipn: str
    location: str
    quantity: str
    units: str
    lot: str
    serial: str


@dataclass
class Report:
    """A titled list of stock items; `kind` is stock or picklist."""

    kind: str
    title: str
    subtitle: str
    rows: list[ReportRow] = field(default_factory=list)
    location_id: int | None = None
    item_ids: list[int] = field(default_factory=list)
    truncated: bool = False
    generated_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))


def _subtree(root_id: int) -> set[int]:
    """The location and all locations below it (one query; cycles cannot loop)."""
    children: dict[int | None, list[int]] = {}
    for location_id, parent_id in db.session.execute(db.select(StockLocation.id, StockLocation.parent_id)):
        children.setdefault(parent_id, []).append(location_id)
    found, todo = {root_id}, [root_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _rows(items: list[StockItem]) -> list[ReportRow]:
    prefix = scan_options().prefix
    rows = [ReportRow(item.id, internal_code("stockitem", item.id, prefix), item.part.name, item.part.ipn or "",
                      item.location.path if item.location else "", number(item.quantity), item.part.units,
                      item.batch, item.serial or "") for item in items]
    return sorted(rows, key=lambda r: (r.location.lower(), r.part.lower(), r.item_id))


def stock_report(location_id: int) -> Report | None:
    """Every stock item in a location and its sub-locations, by location then part; None if no such location."""
    location = db.session.get(StockLocation, location_id)
    if location is None:
        return None
    query = (db.select(StockItem).where(StockItem.location_id.in_(_subtree(location_id)))
             .options(selectinload(StockItem.part), selectinload(StockItem.location))
             .order_by(StockItem.id).limit(MAX_ROWS + 1))
    items = list(db.session.execute(query).scalars())
    report = Report("stock", f"Stock at {location.path}", "Including sub-locations", _rows(items[:MAX_ROWS]),
                    location_id=location_id, truncated=len(items) > MAX_ROWS)
    return report


def pick_list(ids: list[int]) -> Report:
    """The chosen stock items in walking order (by location); PrintError if one does not exist."""
    from services.labels.printing import PrintError

    if len(ids) > MAX_ROWS:
        raise PrintError(f"At most {MAX_ROWS} items on one pick list.")
    try:
        items = load_objects("stockitem", list(dict.fromkeys(ids)))
    except MissingObjects as error:
        raise PrintError(str(error)) from None
    return Report("picklist", "Pick list", f"{len(items)} stock items, in location order", _rows(items),
                  item_ids=[item.id for item in items])


class SymbolFlowable(Flowable):
    """A QR code as vector rectangles, `size` points square including its quiet zone."""

    def __init__(self, data: str, size: float):
        super().__init__()
        self.symbol = symbol(data, "qr")
        self.size = size

    def wrap(self, available_width, available_height):
        """Fixed size."""
        return self.size, self.size

    def draw(self):
        """Draw the modules."""
        module = self.size / (self.symbol.columns + 2 * QUIET_ZONE["qr"])
        offset = QUIET_ZONE["qr"] * module
        draw_symbol(self.canv, self.symbol, offset, self.size - offset, module, module)


def _styles() -> tuple[ParagraphStyle, ParagraphStyle, ParagraphStyle]:
    regular, bold = font_name("sans", False), font_name("sans", True)
    return (ParagraphStyle("cell", fontName=regular, fontSize=8.5, leading=10.5),
            ParagraphStyle("head", fontName=bold, fontSize=8.5, leading=10.5),
            ParagraphStyle("title", fontName=bold, fontSize=15, leading=19))


def report_pdf(report: Report) -> bytes:
    """The report as an A4 PDF: a table with a scannable QR code per stock item."""
    cell, head, title = _styles()
    picking = report.kind == "picklist"
    header = ["Code", "Part", "Location", "Quantity", "Lot / serial"] + (["Picked"] if picking else [])
    data = [[Paragraph(h, head) for h in header]]
    for row in report.rows:
        part = f"<b>{escape(row.ipn)}</b> {escape(row.part)}" if row.ipn else escape(row.part)
        lot = " ".join(x for x in (row.lot, f"#{row.serial}" if row.serial else "") if x)
        line = [SymbolFlowable(row.code, 16 * mm), Paragraph(f"{part}<br/><font size=7>{row.code}</font>", cell),
                Paragraph(escape(row.location), cell), Paragraph(f"{row.quantity} {escape(row.units)}", cell),
                Paragraph(escape(lot), cell)] + (["\u2610"] if picking else [])
        data.append(line)
    widths = [19 * mm, 60 * mm, 50 * mm, 22 * mm, 29 * mm] if not picking else [19 * mm, 55 * mm, 45 * mm, 20 * mm, 26 * mm, 15 * mm]
    table = Table(data, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")), ("ALIGN", (3, 1), (3, -1), "RIGHT"),
        ("FONTNAME", (0, 1), (-1, -1), font_name("sans", False)), ("FONTSIZE", (-1, 1), (-1, -1), 16 if picking else 8),
    ]))
    buffer = io.BytesIO()
    stamp = f"{report.title} · printed {report.generated_at:%Y-%m-%d %H:%M}"

    def footer(canvas, doc):
        canvas.setFont(font_name("sans", False), 7.5)
        canvas.drawString(15 * mm, 10 * mm, stamp)
        canvas.drawRightString(A4[0] - 15 * mm, 10 * mm, f"page {doc.page}")

    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                 bottomMargin=18 * mm, title=report.title, creator="Shelfscan")
    story = [Paragraph(escape(report.title), title), Paragraph(escape(report.subtitle), cell), Spacer(1, 5 * mm)]
    story.append(table if report.rows else Paragraph("No stock items.", cell))
    if report.truncated:
        story.append(Paragraph(f"Only the first {MAX_ROWS} items are shown.", cell))
    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
