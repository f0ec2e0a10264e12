"""Done-when: every built-in template prints every object type to a PDF whose labels, rasterised at
300 dpi by poppler's pdftoppm, decode to the object's internal code and resolve back to the object;
page sizes match the template in millimetres."""
from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from barcodes.decode import decode
from barcodes.internal import internal_code
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart
from services.barcode_engine import resolve_scan
from services.labels import printing

PT_PER_MM = 72 / 25.4
DPI = 300


@pytest.fixture
def inventory(app):
    """Two objects of each type, with ids that differ between types, and long-ish names."""
    store = StockLocation(name="Main store")
    shelves = [StockLocation(name=f"Shelf {n}", parent=store, description="Metal shelving") for n in "AB"]
    acme = Company(name="Acme Components")
    parts = [Part(name="Resistor 10kΩ 0603 thick film 1%", ipn="R-10K-0603", units="pcs"),
             Part(name="M3 x 8 mm socket head cap screw, stainless A2", ipn="SCR-M3-8")]
    db.session.add_all([store, *shelves, acme, *parts])
    db.session.flush()
    items = [StockItem(part=parts[0], location=shelves[0], quantity=Decimal("1500"), batch="L2026-11"),
             StockItem(part=parts[1], location=shelves[1], quantity=Decimal("12.5"), serial="SN-0042")]
    supplier_parts = [SupplierPart(part=parts[0], supplier=acme, sku="RC0603FR-0710KL", mpn="RC0603FR-0710KL"),
                      SupplierPart(part=parts[1], supplier=acme, sku="ACME-M3X8-A2")]
    db.session.add_all(items + supplier_parts)
    db.session.commit()
    return {"part": [p.id for p in parts], "stockitem": [i.id for i in items],
            "stocklocation": [s.id for s in shelves], "supplierpart": [s.id for s in supplier_parts]}


def media_boxes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height in points of every page, read from the PDF's /MediaBox entries."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s+([-0-9.]+)\s*\]", pdf)
    return [(float(x1) - float(x0), float(y1) - float(y0)) for x0, y0, x1, y1 in boxes]


def rasterise(pdf: bytes, tmp_path: Path, name: str) -> list[Image.Image]:
    """Every page of the PDF as a 300 dpi grayscale image, by pdftoppm."""
    source = tmp_path / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(source), str(tmp_path / name)],
                   check=True, timeout=120)
    return [Image.open(page) for page in sorted(tmp_path.glob(f"{name}-*.png"))]


def png_bytes(image: Image.Image) -> bytes:
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def label_images(template, pages: list[Image.Image], count: int) -> list[Image.Image]:
    """One image per label: the page itself, or the label's cell cut out of a sheet."""
    setup = printing.page_setup(template)
    if not setup.sheet:
        return pages
    cells = []
    for index in range(count):
        page = pages[index // setup.per_page]
        left, top = setup.origin(index % setup.per_page)
        px = DPI / 25.4
        cells.append(page.crop((round(left * px), round(top * px),
                                round((left + setup.label_w) * px), round((top + setup.label_h) * px))))
    return cells


def test_builtin_templates_exist_once(app):
    names = [t.name for t in printing.templates_for()]
    printing.templates_for()  # a second call must not duplicate them
    assert len(printing.templates_for()) == len(names) == 5
    assert any("62 x 29" in n for n in names) and any("A4" in n for n in names)


@pytest.mark.parametrize("object_type", ["part", "stockitem", "stocklocation", "supplierpart"])
def test_every_builtin_label_decodes_at_300_dpi_and_resolves(app, inventory, tmp_path, object_type):
    ids = inventory[object_type]
    for template in printing.templates_for(object_type):
        pdf = printing.build_pdf(template, printing.PrintOrder(object_type, tuple(ids)))
        setup = printing.page_setup(template)
        expected_pages = -(-len(ids) // setup.per_page)
        sizes = media_boxes(pdf)
        assert len(sizes) == expected_pages, template.name
        want_w = float(template.page_width_mm or template.width_mm)
        want_h = float(template.page_height_mm or template.height_mm)
        for width_pt, height_pt in sizes:
            assert width_pt / PT_PER_MM == pytest.approx(want_w, abs=0.05), template.name
            assert height_pt / PT_PER_MM == pytest.approx(want_h, abs=0.05), template.name

        pages = rasterise(pdf, tmp_path, f"t{template.id}-{object_type}")
        assert len(pages) == expected_pages
        for object_id, image in zip(ids, label_images(template, pages, len(ids))):
            code = internal_code(object_type, object_id)
            texts = {found.text for found in decode(png_bytes(image))}
            assert texts == {code}, (template.name, object_type, object_id, texts)
            match = resolve_scan(code, source="dialog").match
            assert (match.object_type, match.object_id) == (object_type, object_id), template.name


def test_sheet_template_fills_pages_in_order(app, inventory, tmp_path):
    sheet = next(t for t in printing.templates_for("stocklocation") if t.columns == 3 and t.rows == 8)
    ids = inventory["stocklocation"] * 13  # 26 labels: one full A4 page and two on the second
    pdf = printing.build_pdf(sheet, printing.PrintOrder("stocklocation", tuple(ids)))
    assert media_boxes(pdf) == [pytest.approx((210 * PT_PER_MM, 297 * PT_PER_MM), abs=0.1)] * 2
    pages = rasterise(pdf, tmp_path, "sheet")
    cells = label_images(sheet, pages, len(ids))
    for object_id, cell in list(zip(ids, cells))[22:26]:  # the last row of page 1 and page 2's first labels
        assert [d.text for d in decode(png_bytes(cell))] == [internal_code("stocklocation", object_id)]
