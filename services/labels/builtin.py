"""The built-in label templates, created once on first use; admins copy and adapt them."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from extensions import db
from models import LabelTemplate

ALL_TYPES = "part,stockitem,stocklocation,supplierpart"

# Shared text lines: what a person reads next to the code.
_DETAILS = """\
{% if quantity %}Qty {{ quantity }} {{ units }}{% if lot %} · Lot {{ lot }}{% endif %}<br>{% elif sku %}{{ supplier }} {{ sku }}<br>{% endif %}
{% if location and object_type != 'stocklocation' %}{{ location }}{% else %}{{ description }}{% endif %}"""

BUILTINS = (
    {
        "name": "Brother QL 62 x 29 mm",
        "width_mm": 62, "height_mm": 29,
        "body": """\
{{ barcode('qr', left=0.5, top=0.5, size=28) }}
<div style="left:28.5mm; top:1.5mm; width:32.5mm; height:8.6mm; font-size:9pt; font-weight:bold">{{ title }}</div>
<div style="left:28.5mm; top:10.5mm; width:32.5mm; height:3.2mm; font-size:7pt">{{ ipn or type_label }}</div>
<div style="left:28.5mm; top:14mm; width:32.5mm; height:9.5mm; font-size:7pt">
""" + _DETAILS + """</div>
{% if show_text %}<div style="left:28.5mm; top:24.5mm; width:32.5mm; height:3.5mm; font-size:7pt; font-family:monospace">{{ code }}</div>{% endif %}
""",
    },
    {
        "name": "Small 50 x 25 mm",
        "width_mm": 50, "height_mm": 25,
        "body": """\
{{ barcode('datamatrix', left=1, top=3, size=19) }}
<div style="left:21mm; top:1.5mm; width:28mm; height:8mm; font-size:8pt; font-weight:bold">{{ title }}</div>
<div style="left:21mm; top:10mm; width:28mm; height:9mm; font-size:6.5pt">{{ ipn or type_label }}<br>
""" + _DETAILS + """</div>
{% if show_text %}<div style="left:21mm; top:20.5mm; width:28mm; height:3.5mm; font-size:7pt; font-family:monospace">{{ code }}</div>{% endif %}
""",
    },
    {
        "name": "Zebra 102 x 51 mm (4 x 2 in)",
        "width_mm": 102, "height_mm": 51,
        "body": """\
{{ barcode('code128', left=2, top=2, width=98, height=13) }}
{% if show_text %}<div style="left:2mm; top:15.5mm; width:98mm; height:4mm; font-size:8pt; font-family:monospace; text-align:center">{{ code }}</div>{% endif %}
<div style="left:4mm; top:20.5mm; width:70mm; height:11mm; font-size:13pt; font-weight:bold">{{ title }}</div>
<div style="left:4mm; top:32mm; width:70mm; height:4.5mm; font-size:10pt">{{ ipn or type_label }}</div>
<div style="left:4mm; top:37mm; width:70mm; height:12mm; font-size:9pt">
""" + _DETAILS + """</div>
{{ barcode('qr', left=75, top=21, size=27) }}
""",
    },
    {
        "name": "Bin label 38 x 90 mm",
        "width_mm": 38, "height_mm": 90,
        "body": """\
<div style="left:2mm; top:3mm; width:34mm; height:16mm; font-size:12pt; font-weight:bold; text-align:center">{{ title }}</div>
<div style="left:2mm; top:19.5mm; width:34mm; height:4mm; font-size:9pt; text-align:center">{{ ipn or type_label }}</div>
{{ barcode('qr', left=1, top=25, size=36) }}
{% if show_text %}<div style="left:2mm; top:61.5mm; width:34mm; height:4.5mm; font-size:9pt; font-family:monospace; text-align:center">{{ code }}</div>{% endif %}
<div style="left:2mm; top:68mm; width:34mm; height:20mm; font-size:8pt; text-align:center">
""" + _DETAILS + """</div>
""",
    },
    {
        "name": "A4 sheet of 24 (3 x 8, 63.5 x 33.9 mm)",
        "width_mm": Decimal("63.5"), "height_mm": Decimal("33.9"),
        "page_width_mm": 210, "page_height_mm": 297, "columns": 3, "rows": 8,
        "body": """\
{{ barcode('qr', left=1.5, top=2.5, size=29) }}
<div style="left:31mm; top:3mm; width:31mm; height:8.6mm; font-size:9pt; font-weight:bold">{{ title }}</div>
<div style="left:31mm; top:12mm; width:31mm; height:3.2mm; font-size:7pt">{{ ipn or type_label }}</div>
<div style="left:31mm; top:15.5mm; width:31mm; height:9.5mm; font-size:7pt">
""" + _DETAILS + """</div>
{% if show_text %}<div style="left:31mm; top:27mm; width:31mm; height:3.5mm; font-size:7pt; font-family:monospace">{{ code }}</div>{% endif %}
""",
    },
)


def ensure_builtin() -> None:
    """Create any missing built-in template (by name); safe to call on every request."""
    names = set(db.session.execute(db.select(LabelTemplate.name)).scalars())
    missing = [spec for spec in BUILTINS if spec["name"] not in names]
    if not missing:
        return
    try:
        with db.session.begin_nested():
            for spec in missing:
                db.session.add(LabelTemplate(object_types=ALL_TYPES, builtin=True, **spec))
        db.session.commit()
    except IntegrityError:  # another worker created them at the same moment
        db.session.rollback()
