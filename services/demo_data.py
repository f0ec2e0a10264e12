"""Demo data: a believable electronics workshop to try Shelfscan with (`flask seed-demo`).

Locations (building / room / shelf / bin), about 50 real-looking parts with IPNs, the suppliers
DigiKey, Mouser, LCSC and TME with supplier parts (including the ones the barcode examples name),
and stock items with lots and quantities. `--parts N` adds generated parts up to N, inserted in
bulk chunks so 100000 parts take seconds, not minutes.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import random
from decimal import Decimal
from typing import Callable, Iterable

from sqlalchemy import func, insert, update

from extensions import db
from models import (
    Barcode,
    Company,
    Part,
    ScanSession,
    StockItem,
    StockLocation,
    StockTracking,
    SupplierPart,
    utcnow,
)

CHUNK = 5000
# Wraps the numbers of generated parts while they are added, e.g. click.progressbar.
ProgressBar = Callable[[Iterable[int]], contextlib.AbstractContextManager]
SUPPLIERS = (  # name, website, how its SKUs look
    ("DigiKey", "https://www.digikey.com", "digikey"),
    ("Mouser", "https://www.mouser.com", "mouser"),
    ("LCSC", "https://www.lcsc.com", "lcsc"),
    ("TME", "https://www.tme.eu", "tme"),
)
# The supplier parts printed in the barcode issue's examples, so scanning them works on the demo.
EXAMPLE_SUPPLIER_PARTS = {
    "IC-0001": ("DigiKey", "296-LM358BIDDFRCT-ND"),
    "IC-0002": ("Mouser", "595-MC34063ADR"),
    "SW-0001": ("LCSC", "C312270"),
    "CON-0001": ("TME", "WBP-302"),
}
# ipn, name, description, units, mpn, manufacturer
CATALOGUE = (
    ("IC-0001", "LM358 dual op-amp", "Dual operational amplifier, SOIC-8", "pcs", "LM358BIDDFR", "Texas Instruments"),
    ("IC-0002", "MC34063 DC-DC converter", "1.5 A buck/boost/inverting regulator, SOIC-8", "pcs", "MC34063ADR", "Texas Instruments"),
    ("SW-0001", "Slide switch SPDT", "Miniature slide switch, through hole", "pcs", "ST-1-102-A01-T000-RS", ""),
    ("CON-0001", "Box header 2x5", "IDC box header, 2.54 mm, 10 pins", "pcs", "WBP-302", "WISHERENTERPRISE"),
    ("IC-0003", "NE555 timer", "Precision timer, SOIC-8", "pcs", "NE555DR", "Texas Instruments"),
    ("IC-0004", "LM7805 regulator", "5 V 1.5 A linear regulator, TO-220", "pcs", "L7805CV", "STMicroelectronics"),
    ("IC-0005", "AMS1117-3.3 LDO", "3.3 V 1 A LDO regulator, SOT-223", "pcs", "AMS1117-3.3", "Advanced Monolithic Systems"),
    ("IC-0006", "ATmega328P", "8-bit AVR microcontroller, TQFP-32", "pcs", "ATMEGA328P-AU", "Microchip"),
    ("IC-0007", "STM32F103C8T6", "Cortex-M3 microcontroller, 64 KB flash, LQFP-48", "pcs", "STM32F103C8T6", "STMicroelectronics"),
    ("IC-0008", "CH340G USB-UART", "USB to serial converter, SOIC-16", "pcs", "CH340G", "WCH"),
    ("IC-0009", "74HC595 shift register", "8-bit shift register, SOIC-16", "pcs", "SN74HC595DR", "Texas Instruments"),
    ("IC-0010", "TL431 shunt reference", "Adjustable shunt regulator, SOT-23", "pcs", "TL431AIDBZR", "Texas Instruments"),
    ("IC-0011", "LM317 regulator", "Adjustable 1.5 A linear regulator, TO-220", "pcs", "LM317T", "STMicroelectronics"),
    ("MOD-0001", "ESP32-WROOM-32E module", "Wi-Fi + Bluetooth module, 4 MB flash", "pcs", "ESP32-WROOM-32E-N4", "Espressif"),
    ("R-0001", "Resistor 10R 0603", "Thick film resistor 10 Ω 1% 0603", "pcs", "RC0603FR-0710RL", "Yageo"),
    ("R-0002", "Resistor 100R 0603", "Thick film resistor 100 Ω 1% 0603", "pcs", "RC0603FR-07100RL", "Yageo"),
    ("R-0003", "Resistor 220R 0603", "Thick film resistor 220 Ω 1% 0603", "pcs", "RC0603FR-07220RL", "Yageo"),
    ("R-0004", "Resistor 330R 0603", "Thick film resistor 330 Ω 1% 0603", "pcs", "RC0603FR-07330RL", "Yageo"),
    ("R-0005", "Resistor 1k 0603", "Thick film resistor 1 kΩ 1% 0603", "pcs", "RC0603FR-071KL", "Yageo"),
    ("R-0006", "Resistor 2k2 0603", "Thick film resistor 2.2 kΩ 1% 0603", "pcs", "RC0603FR-072K2L", "Yageo"),
    ("R-0007", "Resistor 4k7 0603", "Thick film resistor 4.7 kΩ 1% 0603", "pcs", "RC0603FR-074K7L", "Yageo"),
    ("R-0008", "Resistor 10k 0603", "Thick film resistor 10 kΩ 1% 0603", "pcs", "RC0603FR-0710KL", "Yageo"),
    ("R-0009", "Resistor 47k 0603", "Thick film resistor 47 kΩ 1% 0603", "pcs", "RC0603FR-0747KL", "Yageo"),
    ("R-0010", "Resistor 100k 0603", "Thick film resistor 100 kΩ 1% 0603", "pcs", "RC0603FR-07100KL", "Yageo"),
    ("C-0001", "Capacitor 100nF 0603", "MLCC 100 nF 50 V X7R 0603", "pcs", "CL10B104KB8NNNC", "Samsung Electro-Mechanics"),
    ("C-0002", "Capacitor 1uF 0603", "MLCC 1 µF 25 V X5R 0603", "pcs", "CL10A105KA8NNNC", "Samsung Electro-Mechanics"),
    ("C-0003", "Capacitor 10uF 0805", "MLCC 10 µF 25 V X5R 0805", "pcs", "CL21A106KAYNNNE", "Samsung Electro-Mechanics"),
    ("C-0004", "Capacitor 22pF 0603", "MLCC 22 pF 50 V C0G 0603", "pcs", "CL10C220JB8NNNC", "Samsung Electro-Mechanics"),
    ("C-0005", "Electrolytic 100uF 25V", "Aluminium electrolytic 100 µF 25 V, 6.3x11 mm", "pcs", "UVR1E101MED", "Nichicon"),
    ("C-0006", "Electrolytic 470uF 16V", "Aluminium electrolytic 470 µF 16 V, 8x11.5 mm", "pcs", "UVR1C471MPD", "Nichicon"),
    ("CON-0002", "USB-C receptacle", "USB Type-C 16-pin receptacle, SMD", "pcs", "TYPE-C-31-M-12", "Korean Hroparts"),
    ("CON-0003", "JST XH 2-pin header", "JST XH 2.5 mm 2-pin top entry", "pcs", "B2B-XH-A(LF)(SN)", "JST"),
    ("CON-0004", "JST XH 4-pin header", "JST XH 2.5 mm 4-pin top entry", "pcs", "B4B-XH-A(LF)(SN)", "JST"),
    ("CON-0005", "Screw terminal 2-pin", "PCB screw terminal, 5.08 mm, 2 poles", "pcs", "1935161", "Phoenix Contact"),
    ("CON-0006", "Pin header 1x40", "Male pin header 2.54 mm, 40 pins, breakable", "pcs", "PH1-40-UA", "Adam Tech"),
    ("CON-0007", "DC barrel jack 2.1 mm", "DC power jack 2.1 x 5.5 mm, through hole", "pcs", "PJ-002A", "CUI Devices"),
    ("D-0001", "1N4148 diode", "Small signal diode, SOD-123", "pcs", "1N4148W-7-F", "Diodes Inc."),
    ("D-0002", "1N4007 rectifier", "1 A 1000 V rectifier, DO-41", "pcs", "1N4007-T", "Diodes Inc."),
    ("D-0003", "SS34 Schottky", "3 A 40 V Schottky diode, SMA", "pcs", "SS34", "MDD"),
    ("D-0004", "LED red 0603", "Red LED, 0603", "pcs", "150060RS75000", "Würth Elektronik"),
    ("D-0005", "LED green 0603", "Green LED, 0603", "pcs", "150060GS75000", "Würth Elektronik"),
    ("Q-0001", "2N7002 N-MOSFET", "60 V 300 mA N-channel MOSFET, SOT-23", "pcs", "2N7002-7-F", "Diodes Inc."),
    ("Q-0002", "AO3401 P-MOSFET", "-30 V -4 A P-channel MOSFET, SOT-23", "pcs", "AO3401A", "Alpha & Omega"),
    ("Q-0003", "BC547 NPN", "NPN transistor 45 V 100 mA, TO-92", "pcs", "BC547BTA", "onsemi"),
    ("Y-0001", "Crystal 16 MHz", "16 MHz crystal, HC-49S, 20 pF", "pcs", "ABLS-16.000MHZ-B4-T", "Abracon"),
    ("L-0001", "Inductor 10uH", "Power inductor 10 µH 2 A, 5x5 mm", "pcs", "SRN5040-100M", "Bourns"),
    ("F-0001", "PTC fuse 500 mA", "Resettable fuse 500 mA, 1206", "pcs", "1206L050YR", "Littelfuse"),
    ("SW-0002", "Tactile switch 6x6", "Tactile switch 6x6 mm, 5 mm height", "pcs", "TS-1187A-B-A-B", "XKB"),
    ("W-0001", "Hook-up wire 22 AWG red", "Stranded PVC hook-up wire, red", "m", "3051 RD005", "Alpha Wire"),
    ("CHEM-0001", "Solder paste SAC305", "Lead-free solder paste, 50 g syringe", "g", "NC191SNL50", "Chip Quik"),
)
SERIALISED = {"MOD-0001": "ESP", "IC-0007": "STM"}
EXPIRING = {"CHEM-0001"}
GENERATED_FAMILIES = (  # prefix, name pattern, description, units
    ("R", "Resistor {n} 0402", "Thick film resistor, 1%, 0402", "pcs"),
    ("C", "Capacitor {n} 0402", "MLCC, X7R, 0402", "pcs"),
    ("IC", "Logic IC {n}", "74-series logic, SOIC", "pcs"),
    ("CON", "Connector {n}", "Board-to-wire connector", "pcs"),
    ("HW", "Screw M3 {n}", "Stainless steel machine screw", "pcs"),
)


def make_locations() -> list[StockLocation]:
    """Building / room / shelf / bin; returns the bins, where stock goes."""
    tree = {
        "Main building": {"Electronics lab": ("Shelf L1", "Shelf L2"), "Stores": ("Rack S1", "Rack S2")},
        "Annex": {"Assembly room": ("Cabinet A1",)},
    }
    bins = []
    for building_name, rooms in tree.items():
        building = StockLocation(name=building_name, description="Building")
        for room_name, shelves in rooms.items():
            room = StockLocation(name=room_name, description="Room", parent=building)
            for shelf_name in shelves:
                shelf = StockLocation(name=shelf_name, description="Shelf", parent=room)
                code = shelf_name.split()[-1]
                bins += [StockLocation(name=f"Bin {code}-{n:02d}", description="Bin", parent=shelf) for n in range(1, 7)]
        db.session.add(building)
    return bins


def supplier_sku(style: str, mpn: str, index: int) -> str:
    """An order code in the style each supplier prints."""
    return {
        "digikey": f"{296 + index % 400}-{mpn}CT-ND",
        "mouser": f"{511 + index % 300}-{mpn}",
        "lcsc": f"C{100000 + index * 7919 % 900000}",
        "tme": mpn.upper(),
    }[style]


def seed_catalogue(count: int, rng: random.Random) -> int:
    """The curated parts with supplier parts and stock; returns how many parts were added."""
    suppliers = {name: Company(name=name, website=site, is_supplier=True) for name, site, _ in SUPPLIERS}
    styles = {name: style for name, _, style in SUPPLIERS}
    db.session.add_all(suppliers.values())
    bins = make_locations()
    today = dt.date.today()
    for index, (ipn, name, description, units, mpn, maker) in enumerate(CATALOGUE[:count]):
        part = Part(ipn=ipn, name=name, description=description, units=units, default_location=bins[index % len(bins)])
        db.session.add(part)
        example = EXAMPLE_SUPPLIER_PARTS.get(ipn)
        chosen = [example[0]] if example else [SUPPLIERS[index % 4][0], SUPPLIERS[(index + 1) % 4][0]]
        for supplier_name in chosen:
            sku = example[1] if example else supplier_sku(styles[supplier_name], mpn, index)
            part.supplier_parts.append(SupplierPart(
                supplier=suppliers[supplier_name], sku=sku, mpn=mpn, manufacturer_name=maker,
                pack_quantity=Decimal(rng.choice((1, 10, 100, 1000)) if units == "pcs" else 1),
                link=f"{suppliers[supplier_name].website}/search?q={mpn}"))
        for item in make_stock(part, ipn, bins[index % len(bins)], rng, today):
            item.tracking.append(StockTracking(action="created", to_location=item.location, quantity_after=item.quantity,
                                               notes="Demo data"))
            db.session.add(item)
    db.session.commit()
    return min(count, len(CATALOGUE))


def make_stock(part: Part, ipn: str, home: StockLocation, rng: random.Random, today: dt.date) -> list[StockItem]:
    """A few lots of a part, or single serialised units for modules and boards."""
    if ipn in SERIALISED:
        return [StockItem(part=part, location=home, quantity=Decimal(1), serial=f"{SERIALISED[ipn]}-{n:04d}",
                          batch="L2024-11") for n in range(1, 4)]
    items = []
    for lot in range(rng.choice((1, 1, 2))):
        quantity = Decimal(rng.choice((5, 10, 25, 50, 100, 250, 1000, 4000)))
        expiry = today + dt.timedelta(days=90 + 180 * lot) if ipn in EXPIRING else None
        items.append(StockItem(part=part, location=home, quantity=quantity, batch=f"L{2024 + lot}-{rng.randint(1, 52):02d}",
                               expiry_date=expiry, status="ok"))
    return items


class DemoDataRefused(Exception):
    """Demo data asked for on a database that already holds inventory."""


def seed_generated(start: int, total: int, progress: ProgressBar) -> None:
    """Bulk-insert generated parts numbered start..total-1, reporting through `progress`."""
    now = utcnow()
    with progress(range(start, total)) as numbers:
        batch = []
        for number in numbers:
            prefix, pattern, description, units = GENERATED_FAMILIES[number % len(GENERATED_FAMILIES)]
            batch.append({"name": pattern.format(n=f"#{number:06d}"), "ipn": f"{prefix}-{number:06d}", "description": description,
                          "units": units, "gtin": None, "active": True, "default_location_id": None,
                          "created_at": now, "updated_at": now})
            if len(batch) >= CHUNK:
                db.session.execute(insert(Part), batch)
                batch = []
        if batch:
            db.session.execute(insert(Part), batch)
    db.session.commit()


def inventory_counts() -> tuple[int, int, int]:
    """How many parts, locations and companies the database holds."""
    return tuple(db.session.scalar(db.select(func.count()).select_from(model))
                 for model in (Part, StockLocation, Company))  # type: ignore[return-value]


def clear_inventory() -> None:
    """Delete every part, stock item, location, company and linked barcode (for --force)."""
    for model in (StockTracking, StockItem, SupplierPart, Barcode, Part, Company, ScanSession):
        db.session.execute(db.delete(model))
    # Detach the tree first: a parent row cannot go while a child still points at it.
    db.session.execute(update(StockLocation).values(parent_id=None))
    db.session.execute(db.delete(StockLocation))
    db.session.commit()


def _no_progress(numbers: Iterable[int]):
    return contextlib.nullcontext(numbers)


def seed_demo(parts: int, force: bool, seed: int = 2026, progress: ProgressBar = _no_progress) -> int:
    """Fill the database with the demo workshop (committed); returns the number of parts added."""
    part_count, location_count, company_count = inventory_counts()
    if part_count or location_count or company_count:
        if not force:
            raise DemoDataRefused(
                f"This database already holds inventory ({part_count} parts, {location_count} locations, "
                f"{company_count} companies); seed-demo only fills an empty one. Run it with --force to delete "
                "all parts, stock, locations and companies and seed again.")
        clear_inventory()
    rng = random.Random(seed)
    added = seed_catalogue(parts, rng)
    if parts > added:
        seed_generated(added, parts, progress)
    return parts
