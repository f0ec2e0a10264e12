"""Inventory rules: saving and deleting parts, locations, stock, companies and supplier parts.

Views hand over plain dicts of form data; every rule that decides whether a change is allowed lives
here, so the pages, the CLI and the tests all get the same answers. Every save is one transaction.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from extensions import db
from models import Barcode, Company, Part, StockItem, StockLocation, StockTracking, SupplierPart, natural_key
from services.errors import DeleteRefused, FieldErrors
from services.location_tree import load_tree

# Per model: (field the error belongs to, columns that must be unique together, message).
UNIQUE_RULES: dict[type, tuple[tuple[str, tuple[str, ...], str], ...]] = {
    Part: (("ipn", ("ipn",), "Another part already has this IPN."),),
    Company: (("name", ("name",), "A company with this name already exists."),),
    SupplierPart: (("sku", ("supplier_id", "sku"), "This supplier already has a part with this SKU."),),
    StockItem: (("serial", ("part_id", "serial"), "This part already has a stock item with this serial number."),),
}
# Text fields where an empty value means "not set" (NULL), so uniqueness only applies when set.
BLANK_IS_NULL = {"ipn", "gtin", "serial"}


def gtin_is_valid(code: str) -> bool:
    """Whether `code` is a GTIN-8/12/13/14 with a correct GS1 check digit."""
    if not code.isdigit() or len(code) not in (8, 12, 13, 14):
        return False
    digits = [int(c) for c in code]
    # GS1: weights 3,1,3,... from the digit left of the check digit, moving left.
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits[:-1])))
    return (10 - total % 10) % 10 == digits[-1]


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Strip text and turn blank optional identifiers into None."""
    cleaned = {}
    for key, value in data.items():
        if isinstance(value, str):
            value = value.replace("\x00", "").strip()  # PostgreSQL text cannot hold NUL
            if key in BLANK_IS_NULL and not value:
                value = None
        cleaned[key] = value
    return cleaned


def _unique_errors(obj, data: dict[str, Any]) -> dict[str, str]:
    """Field errors for values (from `data`, else the object's own) that another row of the model already uses."""
    errors = {}
    model = type(obj)
    for field, columns, message in UNIQUE_RULES.get(model, ()):
        values = [data[c] if c in data else getattr(obj, c) for c in columns]
        if any(v is None or v == "" for v in values):
            continue
        query = db.select(model.id).filter_by(**dict(zip(columns, values)))
        if obj.id is not None:
            query = query.where(model.id != obj.id)
        with db.session.no_autoflush:
            if db.session.execute(query.limit(1)).first():
                errors[field] = message
    return errors


def _errors(obj, data: dict[str, Any], checks) -> dict[str, str]:
    """Every reason `data` cannot be saved on `obj`, all at once: the model's checks, then the unique ones."""
    errors = checks(obj, data) if checks else {}
    for field, message in _unique_errors(obj, data).items():
        errors.setdefault(field, message)
    return errors


def _commit(obj) -> None:
    """Commit; a unique violation that slipped past the checks (a race) becomes a field error."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        rule = next(iter(UNIQUE_RULES.get(type(obj), ())), None)
        if rule and "unique" in str(exc.orig).lower():
            raise FieldErrors({rule[0]: rule[2]}) from None
        raise FieldErrors({"__all__": "Someone changed related data at the same time; check the form and save again."}) from None


def _apply(obj, data: dict[str, Any], checks) -> Any:
    """Apply `data` to `obj` after the model's checks and the unique checks, or raise FieldErrors."""
    data = _clean(data)
    errors = _errors(obj, data, checks)
    if errors:
        raise FieldErrors(errors)
    with db.session.no_autoflush:
        for key, value in data.items():
            setattr(obj, key, value)
    if obj.id is None:
        db.session.add(obj)
    return obj


def _save(obj, data: dict[str, Any], checks=None) -> Any:
    """Apply `data` to `obj` and commit, or raise FieldErrors with nothing saved."""
    obj = _apply(obj, data, checks)
    _commit(obj)
    return obj


def _exists(model, obj_id) -> bool:
    return obj_id is None or db.session.get(model, obj_id) is not None


def _part_checks(part: Part, data: dict) -> dict[str, str]:
    errors = {}
    if data.get("gtin") and not gtin_is_valid(data["gtin"]):
        errors["gtin"] = "Not a valid GTIN: 8, 12, 13 or 14 digits with a correct check digit."
    if not _exists(StockLocation, data.get("default_location_id")):
        errors["default_location_id"] = "No such location."
    return errors


def save_part(part: Part | None, data: dict[str, Any]) -> Part:
    """Create (part=None) or update a part."""
    return _save(part or Part(), data, _part_checks)


def would_create_cycle(location: StockLocation, parent_id: int | None) -> bool:
    """Whether making `parent_id` the parent of `location` would put it inside itself."""
    seen = set()
    node_id = parent_id
    while node_id is not None and node_id not in seen:
        if location.id is not None and node_id == location.id:
            return True
        seen.add(node_id)
        node_id = db.session.scalar(db.select(StockLocation.parent_id).where(StockLocation.id == node_id))
    return node_id is not None  # a loop already in the data: refuse rather than extend it


def _location_checks(location: StockLocation, data: dict) -> dict[str, str]:
    parent_id = data.get("parent_id")
    if not _exists(StockLocation, parent_id):
        return {"parent_id": "No such location."}
    if would_create_cycle(location, parent_id):
        return {"parent_id": "A location cannot be placed inside itself or one of its sub-locations."}
    return {}


def save_location(location: StockLocation | None, data: dict[str, Any]) -> StockLocation:
    """Create or update a location, refusing cycles in the tree."""
    return _save(location or StockLocation(), data, _location_checks)


def _stock_checks(item: StockItem, data: dict) -> dict[str, str]:
    errors = {}
    if not _exists(Part, data.get("part_id")) or data.get("part_id") is None:
        errors["part_id"] = "No such part."
    if not _exists(StockLocation, data.get("location_id")):
        errors["location_id"] = "No such location."
    quantity = data.get("quantity")
    if quantity is None or Decimal(quantity) < 0:
        errors["quantity"] = "The quantity must be zero or more."
    elif data.get("serial") and Decimal(quantity) > 1:
        errors["quantity"] = "A serialised item has a quantity of 0 or 1."
    return errors


def save_stock_item(item: StockItem | None, data: dict[str, Any], user_id: int | None = None) -> StockItem:
    """Create or update a stock item and record 'created' or 'edited' in its history."""
    creating = item is None
    item = item or StockItem()
    before = {key: getattr(item, key) for key in data}
    item = _apply(item, data, _stock_checks)
    changed = sorted(k for k in data if before[k] != getattr(item, k))
    if creating or changed:
        item.tracking.append(StockTracking(
            action="created" if creating else "edited", user_id=user_id,
            from_location_id=None if creating else before.get("location_id"), to_location_id=item.location_id,
            quantity_before=None if creating else before.get("quantity"), quantity_after=item.quantity,
            notes="" if creating else "Changed: " + ", ".join(changed)))
    _commit(item)
    return item


def save_company(company: Company | None, data: dict[str, Any]) -> Company:
    """Create or update a company (names are unique)."""
    return _save(company or Company(), data)


def _supplier_part_checks(supplier_part: SupplierPart, data: dict) -> dict[str, str]:
    errors = {}
    if data.get("part_id") is None or not _exists(Part, data["part_id"]):
        errors["part_id"] = "No such part."
    if data.get("supplier_id") is None or not _exists(Company, data["supplier_id"]):
        errors["supplier_id"] = "No such company."
    if data.get("pack_quantity") is not None and Decimal(data["pack_quantity"]) <= 0:
        errors["pack_quantity"] = "The pack quantity must be more than zero."
    return errors


def save_supplier_part(supplier_part: SupplierPart | None, data: dict[str, Any]) -> SupplierPart:
    """Create or update a supplier part (SKU unique per supplier)."""
    return _save(supplier_part or SupplierPart(), data, _supplier_part_checks)


# Each model's own checks (beyond the unique ones), for `problems`.
CHECKS = {Part: _part_checks, StockLocation: _location_checks, StockItem: _stock_checks, Company: None,
          SupplierPart: _supplier_part_checks}


def problems(model: type, obj, data: dict[str, Any]) -> dict[str, str]:
    """Why saving `data` on `obj` (None: a new `model`) would be refused, all at once; nothing is changed.

    For a form that failed its own validation, so the person sees these messages in the same answer.
    """
    return _errors(obj if obj is not None else model(), _clean(data), CHECKS[model])


def _count(model, *where) -> int:
    return db.session.scalar(db.select(func.count()).select_from(model).where(*where)) or 0


def _delete(obj, object_type: str | None = None) -> None:
    """Delete `obj` and the external barcodes linked to it, in one transaction."""
    if object_type:
        db.session.execute(db.delete(Barcode).where(
            Barcode.object_type == object_type, Barcode.object_id == obj.id))
    db.session.delete(obj)
    db.session.commit()


def delete_part(part: Part) -> None:
    """Delete a part that has no stock items and no supplier parts."""
    stock, supplied = _count(StockItem, StockItem.part_id == part.id), _count(SupplierPart, SupplierPart.part_id == part.id)
    if stock or supplied:
        raise DeleteRefused(
            f"{part.name} still has {stock} stock item(s) and {supplied} supplier part(s); "
            "delete or reassign those first.")
    _delete(part, "part")


def delete_location(location: StockLocation) -> None:
    """Delete a location that holds no stock and has no sub-locations."""
    stock = _count(StockItem, StockItem.location_id == location.id)
    children = _count(StockLocation, StockLocation.parent_id == location.id)
    if stock or children:
        raise DeleteRefused(
            f"{location.name} still holds {stock} stock item(s) and {children} sub-location(s); "
            "move them to another location first.")
    _delete(location, "stocklocation")


def delete_stock_item(item: StockItem) -> None:
    """Delete a stock item together with its history."""
    _delete(item, "stockitem")


def delete_company(company: Company) -> None:
    """Delete a company that supplies no parts."""
    supplied = _count(SupplierPart, SupplierPart.supplier_id == company.id)
    if supplied:
        raise DeleteRefused(f"{company.name} still has {supplied} supplier part(s); delete those first.")
    _delete(company)


def delete_supplier_part(supplier_part: SupplierPart) -> None:
    """Delete a supplier part; stock items that came from it keep their part."""
    _delete(supplier_part, "supplierpart")


def location_paths() -> dict[int, str]:
    """Every location's full path, from one query (for select boxes and lists)."""
    tree = load_tree()
    return {location_id: tree.path(location_id) for location_id in tree.names}


def suppliers() -> list:
    """(id, name) of the companies marked as suppliers, by name."""
    return list(db.session.execute(db.select(Company.id, Company.name)
                                   .where(Company.is_supplier.is_(True)).order_by(Company.name_key)))


def locations_by_path(limit: int = 1000) -> list[StockLocation]:
    """Up to `limit` locations, sorted by their full path (for report menus)."""
    locations = db.session.scalars(db.select(StockLocation).limit(limit)).all()
    return sorted(locations, key=lambda location: natural_key(location.path))


def descendant_ids(location: StockLocation) -> set[int]:
    """Ids of every location below `location`, at any depth."""
    return load_tree().below(location.id)


def part_stock_by_location(part: Part) -> tuple[Decimal, list[tuple[StockLocation | None, Decimal]]]:
    """A part's total stock and its total per location (None = no location)."""
    rows = db.session.execute(
        db.select(StockItem.location_id, func.sum(StockItem.quantity))
        .where(StockItem.part_id == part.id).group_by(StockItem.location_id)).all()
    per_location = [(db.session.get(StockLocation, loc) if loc else None, Decimal(total or 0)) for loc, total in rows]
    per_location.sort(key=lambda pair: pair[0].path if pair[0] else "")
    return sum((total for _, total in per_location), Decimal(0)), per_location


def stock_totals(part_ids: list[int]) -> dict[int, Decimal]:
    """Each part's total quantity in stock, over all its stock items (one query for a page of parts)."""
    rows = db.session.execute(db.select(StockItem.part_id, func.sum(StockItem.quantity))
                              .where(StockItem.part_id.in_(part_ids)).group_by(StockItem.part_id))
    return {part_id: Decimal(total or 0) for part_id, total in rows}


def part_overview(part: Part) -> dict:
    """What a part's page shows: stock total and per location, its first 200 stock items, its supplier parts."""
    total, per_location = part_stock_by_location(part)
    items = db.session.scalars(db.select(StockItem).where(StockItem.part_id == part.id)
                               .order_by(StockItem.id).limit(200)).all()
    return {"total": total, "per_location": per_location, "stock_items": items,
            "supplier_parts": sorted(part.supplier_parts, key=lambda sp: (sp.supplier.name, sp.sku))}


def supplied_parts(company: Company, limit: int = 500) -> list[SupplierPart]:
    """The supplier parts a company sells, by SKU (the first `limit`)."""
    return list(db.session.scalars(db.select(SupplierPart).where(SupplierPart.supplier_id == company.id)
                                   .order_by(SupplierPart.sku).limit(limit)))


def new_stock_item_defaults(part_id: int | None, location_id: int | None) -> dict:
    """A new stock item's part and location: as given, the location defaulting to the part's own."""
    part = db.session.get(Part, part_id) if part_id else None
    return {"part_id": part.id if part else None,
            "location_id": location_id or (part.default_location_id if part else None)}


def location_stock(location: StockLocation, limit: int = 200) -> list[StockItem]:
    """The stock items kept directly at `location`, by part name."""
    return list(db.session.scalars(
        db.select(StockItem).join(StockItem.part).where(StockItem.location_id == location.id)
        .order_by(Part.name_key, StockItem.id).limit(limit)))


def supplied_stock(supplier_part: SupplierPart, limit: int = 200) -> list[StockItem]:
    """The stock items received as `supplier_part`, newest first."""
    return list(db.session.scalars(
        db.select(StockItem).where(StockItem.supplier_part_id == supplier_part.id)
        .order_by(StockItem.id.desc()).limit(limit)))
