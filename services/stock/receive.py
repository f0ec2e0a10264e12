"""Receiving a supplier package by scanning its label: a new stock item with the bag's barcode linked."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func

from barcodes.links import LinkError
from barcodes.result import ScanResult
from extensions import db
from models import Company, Part, StockItem, StockLocation, SupplierPart
from services import barcode_linking
from services.stock.common import (
    SCAN_SOURCE,
    StockError,
    fmt_quantity,
    log_action,
    log_scan,
    parse_quantity,
    pick,
    resolve,
    started,
    track,
)
from services.stock.move import scanned_location


class AlreadyReceived(StockError):
    """The bag's barcode is already linked to a stock item: it was received before."""

    def __init__(self, item: StockItem):
        super().__init__(f"Already received: this barcode is linked to stock item {item.id} ({item}"
                         f"{' in ' + item.location.path if item.location else ''}).")
        self.item = item


class UnknownSupplierPart(StockError):
    """The barcode names no supplier part or part Shelfscan knows."""


@dataclass
class Draft:
    """What a scanned label says, ready for the receive form."""

    result: ScanResult | None  # None: a package received from the supplier part's page, without a label
    supplier_part: SupplierPart | None
    part: Part | None
    quantity: Decimal | None
    lot: str
    date_code: str
    fields: dict = field(default_factory=dict)


def linked_item(result: ScanResult) -> StockItem | None:
    """The stock item this barcode is linked to (a received bag), or None; StockError for other links."""
    target = barcode_linking.target_of(result.scan)
    if target is None:
        return None
    object_type, object_id = target
    if object_type != "stockitem":
        raise StockError(f"This barcode is already linked to a {object_type} ({object_id}); "
                         "unlink it before receiving with it.")
    return db.session.get(StockItem, object_id)


def inspect(raw: str) -> Draft:
    """Read a label for receiving: AlreadyReceived, UnknownSupplierPart, StockError, or a Draft."""
    if not raw or not raw.strip():
        raise StockError("Scan the supplier's label on the package.")
    result = resolve(raw)
    if result.status == "error":
        raise StockError(result.message or "That scan could not be read.")
    item = linked_item(result)
    if item is not None:
        raise AlreadyReceived(item)
    supplier_match, part_match = pick(result, "supplierpart"), pick(result, "part")
    supplier_part = db.session.get(SupplierPart, supplier_match.object_id) if supplier_match else None
    part = supplier_part.part if supplier_part else (db.session.get(Part, part_match.object_id) if part_match else None)
    fields = dict(result.fields or {})
    if part is None:
        if pick(result, "stockitem") or pick(result, "stocklocation"):
            raise StockError("That is one of our own labels, not a supplier's package label.")
        if not (fields.get("sku") or fields.get("mpn")):
            raise StockError("That is not a supplier label Shelfscan can read (no SKU or part number in it).")
        raise UnknownSupplierPart(f"Supplier part {fields.get('sku') or fields.get('mpn')} is not known yet.")
    quantity = fields.get("quantity")
    try:
        quantity = parse_quantity(quantity, allow_zero=False) if quantity not in (None, "") else None
    except StockError:
        quantity = None  # a label's odd quantity only loses the pre-fill
    return Draft(result, supplier_part, part, quantity, str(fields.get("lot") or ""),
                 str(fields.get("date_code") or ""), fields)


def receive(raw: str, *, user_id: int | None, location_id: int | None = None, location_code: str = "",
            quantity=None, lot: str | None = None, date_code: str | None = None, source: str = SCAN_SOURCE) -> StockItem:
    """Make the new stock item, link the label to it and track it, in one transaction; commits."""
    since = started()
    return _receive(inspect(raw), since, user_id=user_id, location_id=location_id, location_code=location_code,
                    quantity=quantity, lot=lot, date_code=date_code, source=source)


def draft_for(supplier_part_id: int) -> Draft:
    """A receive form for a package of a supplier part without a label to scan (from its page)."""
    supplier_part = db.session.get(SupplierPart, supplier_part_id)
    if supplier_part is None:
        raise StockError("That supplier part no longer exists.")
    return Draft(None, supplier_part, supplier_part.part, None, "", "")


def receive_unlabelled(supplier_part_id: int, *, user_id: int | None, location_id: int | None = None,
                       location_code: str = "", quantity=None, lot: str | None = None,
                       date_code: str | None = None) -> StockItem:
    """Make the stock item of a package received without a label (so nothing is linked); commits."""
    since = started()
    return _receive(draft_for(supplier_part_id), since, user_id=user_id, location_id=location_id,
                    location_code=location_code, quantity=quantity, lot=lot, date_code=date_code, source="button")


def _receive(draft: Draft, since: float, *, user_id: int | None, location_id: int | None, location_code: str,
             quantity, lot: str | None, date_code: str | None, source: str) -> StockItem:
    """The new item from a draft, with the label linked when there is one, tracked and logged; commits."""
    amount = parse_quantity(quantity, allow_zero=False) if quantity not in (None, "") else draft.quantity
    if amount is None:
        raise StockError("Enter the quantity received" + ("; the label does not say." if draft.result else "."))
    location = _location(draft.part, location_id, location_code)
    lot = (draft.lot if lot is None else lot).strip()[:100]
    date_code = (draft.date_code if date_code is None else date_code).strip()[:100]
    item = StockItem(part=draft.part, supplier_part=draft.supplier_part, location=location, quantity=amount,
                     batch=lot or date_code, notes=f"Date code {date_code}" if date_code and lot else "")
    db.session.add(item)
    db.session.flush()
    response = {"stockitem": item.id, "quantity": fmt_quantity(amount), "location": location.path}
    if draft.result is not None:
        _link(draft.result, item, user_id)
        scan_id = log_scan(draft.result, user_id=user_id, action="receive", since=since, source=source,
                           response=response)
    else:
        scan_id = log_action(item, user_id=user_id, action="receive", since=since, response=response)
    track(item, "received", user_id=user_id, scan_log_id=scan_id, to_location_id=location.id,
          quantity_after=amount, notes=f"Received {fmt_quantity(amount)}"
          + (f" from {draft.supplier_part}" if draft.supplier_part else ""))
    db.session.commit()
    return item


def _location(part: Part, location_id: int | None, location_code: str) -> StockLocation:
    """The location scanned, chosen, or the part's default; StockError when there is none."""
    if location_code and location_code.strip():
        return scanned_location(resolve(location_code))
    if location_id:
        location = db.session.get(StockLocation, location_id)
        if location is None:
            raise StockError("That location no longer exists.")
        return location
    if part.default_location is not None:
        return part.default_location
    raise StockError(f"Scan the location to put it in ({part.name} has no default location).")


def _link(result: ScanResult, item: StockItem, user_id: int | None) -> None:
    """Link the label to the new item in this transaction; a race with another receive of the same
    bag loses cleanly."""
    try:
        barcode_linking.add_link(result.scan, "stockitem", item.id, user_id=user_id)
    except LinkError as error:
        db.session.rollback()
        item_now = linked_item(result)
        if item_now is not None:
            raise AlreadyReceived(item_now) from None
        raise StockError(str(error)) from None


def create_supplier_part(raw: str, *, supplier_name: str, part_name: str = "", user_id: int | None) -> SupplierPart:
    """Make the supplier part (and the supplier and part when needed) from a label's fields; commits."""
    result = resolve(raw)
    fields = result.fields or {}
    sku, mpn = str(fields.get("sku") or "").strip(), str(fields.get("mpn") or "").strip()
    if not (sku or mpn):
        raise StockError("That label has no SKU or part number to make a supplier part from.")
    supplier_name = (supplier_name or str(fields.get("supplier") or "")).strip()[:100]
    if not supplier_name:
        raise StockError("Name the supplier.")
    supplier = db.session.execute(db.select(Company).where(func.lower(Company.name) == supplier_name.lower())
                                  ).scalar_one_or_none()
    if supplier is None:
        supplier = Company(name=supplier_name, is_supplier=True)
        db.session.add(supplier)
    existing = db.session.execute(db.select(SupplierPart).filter_by(supplier=supplier, sku=sku or mpn)
                                  ).scalar_one_or_none() if supplier.id else None
    if existing is not None:
        return existing
    part = _part_for(mpn, (part_name or mpn or sku).strip()[:100], str(fields.get("description") or "")[:250])
    supplier_part = SupplierPart(part=part, supplier=supplier, sku=(sku or mpn)[:100], mpn=mpn[:100],
                                 manufacturer_name=str(fields.get("manufacturer") or "")[:100])
    db.session.add(supplier_part)
    db.session.commit()
    return supplier_part


def _part_for(mpn: str, name: str, description: str) -> Part:
    """The part another supplier already sells under this MPN, a part of that name, or a new part."""
    if mpn:
        other = db.session.execute(db.select(SupplierPart).filter_by(mpn=mpn).limit(1)).scalar_one_or_none()
        if other is not None:
            return other.part
    part = db.session.execute(db.select(Part).filter_by(name=name).limit(1)).scalar_one_or_none()
    if part is None:  # supplier labels count pieces
        part = Part(name=name, description=description, units="pcs")
        db.session.add(part)
    return part
