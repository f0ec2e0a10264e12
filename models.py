"""The data model: typed SQLAlchemy 2.0 models. No request access in here."""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from barcodes.objects import OBJECT_TYPES  # noqa: F401 (the engine defines them; models re-export them)
from extensions import db

ROLES = ("viewer", "operator", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}
STOCK_STATUSES = ("ok", "attention", "damaged", "quarantined", "missing", "lost", "destroyed")


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.timezone.utc)


NAME_KEY_LENGTH = 200
# Compared byte by byte on both databases (SQLite's BINARY; PostgreSQL's "C", not the locale's rules,
# which skip punctuation and spaces and would undo the key's order).
NAME_KEY = String(NAME_KEY_LENGTH).with_variant(String(NAME_KEY_LENGTH, collation="C"), "postgresql")
_DIGITS = re.compile(r"[0-9]+")


def _number_key(match: re.Match) -> str:
    """A run of digits as its length, then the digits: '9' is '19', '10' is '210', so 9 < 10 as text."""
    digits = match.group().lstrip("0") or "0"
    length = len(digits)
    return f"{length}{digits}" if length < 10 else f":{length:02d}{digits}" if length < 100 else f";{length:03d}{digits}"


def natural_key(name: str | None) -> str:
    """The key that sorts names as people read them: any case, numbers by value ("R2" before "R10").

    Kept in a `name_key` column with an index, so a list sorted by name walks the index at any size.
    """
    return _DIGITS.sub(_number_key, (name or "").casefold())[:NAME_KEY_LENGTH]


def _name_key_default(context) -> str:
    """name_key for an INSERT that does not set it (a bulk insert): from the row's name."""
    return natural_key(context.get_current_parameters().get("name"))


class NaturalNameMixin:
    """A `name_key` column, natural_key(name), set whenever the name is (see natural_key)."""

    name_key: Mapped[str] = mapped_column(NAME_KEY, default=_name_key_default, server_default="")

    @validates("name")
    def _set_name_key(self, _key: str, name: str) -> str:
        self.name_key = natural_key(name)
        return name


class TimestampMixin:
    """created/updated columns maintained by the ORM."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class User(UserMixin, db.Model):
    """A person who logs in; role decides what they may do."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="viewer")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (CheckConstraint("role IN ('viewer', 'operator', 'admin')", name="role"),)

    # The key of the signed-in session this object was loaded for or signed in with (set by
    # services/sessions.py); not a column: one account has a session per browser.
    session_key = None

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        """Whether the account may log in."""
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember cookies: the server-side session's key."""
        if not self.session_key:
            raise RuntimeError("sign users in through services.sessions.start()")
        return self.session_key

    def set_password(self, password: str) -> None:
        """Hash and store a new password (services/users.py ends the sessions and tokens with it)."""
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        """Whether the password matches."""
        return check_password_hash(self.password_hash, password)

    def has_role(self, role: str) -> bool:
        """Whether this user's role is at least `role`."""
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


class Setting(db.Model):
    """A stored runtime setting (declared in settings.py), JSON-encoded."""

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class StockLocation(NaturalNameMixin, TimestampMixin, db.Model):
    """A place where stock is kept; locations form a tree."""

    __tablename__ = "stock_location"
    __table_args__ = (Index("ix_stock_location_name_key", "name_key", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(250), default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="RESTRICT"), index=True)

    parent: Mapped[StockLocation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[StockLocation]] = relationship(back_populates="parent", order_by="StockLocation.name_key")

    def ancestors(self) -> list[StockLocation]:
        """Locations from the root down to this one's parent."""
        chain, node, seen = [], self.parent, {self.id}
        while node is not None and node.id not in seen:
            seen.add(node.id)
            chain.append(node)
            node = node.parent
        return chain[::-1]

    @property
    def path(self) -> str:
        """Full path such as 'Building A / Lab / Shelf 2'."""
        return self.title_of([a.name for a in self.ancestors()] + [self.name])

    @staticmethod
    def title_of(names_root_first: list[str]) -> str:
        """How a location reads to people, from the names on its path (for queries that load none)."""
        return " / ".join(names_root_first)

    def __str__(self) -> str:
        return self.path


class Part(NaturalNameMixin, TimestampMixin, db.Model):
    """A kind of thing kept in stock."""

    __table_args__ = (Index("ix_part_name_key", "name_key", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    ipn: Mapped[str | None] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(250), default="")
    units: Mapped[str] = mapped_column(String(20), default="")
    gtin: Mapped[str | None] = mapped_column(String(14), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    default_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="SET NULL"))

    default_location: Mapped[StockLocation | None] = relationship()
    stock_items: Mapped[list[StockItem]] = relationship(back_populates="part")
    supplier_parts: Mapped[list[SupplierPart]] = relationship(back_populates="part")

    @staticmethod
    def title_of(ipn: str | None, name: str) -> str:
        """How a part reads to people, from its columns (for queries that load no Part)."""
        return f"{ipn} {name}" if ipn else name

    def __str__(self) -> str:
        return self.title_of(self.ipn, self.name)


class StockItem(TimestampMixin, db.Model):
    """A quantity of one part at one location."""

    __tablename__ = "stock_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="RESTRICT"), index=True)
    supplier_part_id: Mapped[int | None] = mapped_column(ForeignKey("supplier_part.id", ondelete="SET NULL"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 5), default=Decimal(0))
    serial: Mapped[str | None] = mapped_column(String(100))
    batch: Mapped[str] = mapped_column(String(100), default="")
    expiry_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="ok")
    notes: Mapped[str] = mapped_column(Text, default="")

    part: Mapped[Part] = relationship(back_populates="stock_items")
    location: Mapped[StockLocation | None] = relationship()
    supplier_part: Mapped[SupplierPart | None] = relationship()
    tracking: Mapped[list[StockTracking]] = relationship(
        back_populates="stock_item", order_by="StockTracking.id.desc()", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("part_id", "serial", name="uq_stock_item_part_serial"),
        CheckConstraint("quantity >= 0", name="quantity_nonnegative"),
    )

    @staticmethod
    def title_of(part_name: str, serial: str | None, quantity: Decimal) -> str:
        """How a stock item reads to people, from its columns (for queries that load no StockItem)."""
        label = f"#{serial}" if serial else f"x {quantity.normalize():f}"
        return f"{part_name} {label}"

    def __str__(self) -> str:
        return self.title_of(self.part.name, self.serial, self.quantity)


class Company(NaturalNameMixin, db.Model):
    """A supplier and/or manufacturer."""

    __table_args__ = (Index("ix_company_name_key", "name_key", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(String(250), default="")
    is_supplier: Mapped[bool] = mapped_column(default=True)
    is_manufacturer: Mapped[bool] = mapped_column(default=False)
    website: Mapped[str] = mapped_column(String(200), default="")

    supplier_parts: Mapped[list[SupplierPart]] = relationship(back_populates="supplier")

    def __str__(self) -> str:
        return self.name


class SupplierPart(db.Model):
    """A part as one supplier sells it."""

    __tablename__ = "supplier_part"
    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("part.id", ondelete="RESTRICT"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("company.id", ondelete="RESTRICT"))
    sku: Mapped[str] = mapped_column(String(100), index=True)
    mpn: Mapped[str] = mapped_column(String(100), default="", index=True)
    manufacturer_name: Mapped[str] = mapped_column(String(100), default="")
    pack_quantity: Mapped[Decimal] = mapped_column(Numeric(18, 5), default=Decimal(1))
    link: Mapped[str] = mapped_column(String(300), default="")

    part: Mapped[Part] = relationship(back_populates="supplier_parts")
    supplier: Mapped[Company] = relationship(back_populates="supplier_parts")

    __table_args__ = (UniqueConstraint("supplier_id", "sku", name="uq_supplier_part_supplier_sku"),)

    @staticmethod
    def title_of(supplier_name: str, sku: str) -> str:
        """How a supplier part reads to people, from its columns (for queries that load none)."""
        return f"{supplier_name} {sku}"

    def __str__(self) -> str:
        return self.title_of(self.supplier.name, self.sku)


class Barcode(db.Model):
    """An external barcode linked to one object; the hash is unique across all types."""

    id: Mapped[int] = mapped_column(primary_key=True)
    data_hash: Mapped[str] = mapped_column(String(64), unique=True)
    data: Mapped[str] = mapped_column(Text)
    object_type: Mapped[str] = mapped_column(String(16))
    object_id: Mapped[int] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_barcode_object", "object_type", "object_id"),
        CheckConstraint("object_type IN ('part', 'stockitem', 'stocklocation', 'supplierpart')", name="object_type"),
    )


class ScanLog(db.Model):
    """One scan as it arrived, what it resolved to and what followed."""

    __tablename__ = "scan_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # exactly as received; PostgreSQL text cannot hold NUL
    data: Mapped[str] = mapped_column(Text, default="")  # canonical form
    symbology: Mapped[str] = mapped_column(String(32), default="")
    aim_id: Mapped[str] = mapped_column(String(4), default="")
    plugin: Mapped[str] = mapped_column(String(64), default="")
    result: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(16), default="")
    object_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(32), default="")
    parsed: Mapped[str] = mapped_column(Text, default="")  # JSON of the parsed fields
    response: Mapped[str] = mapped_column(Text, default="")
    duration_ms: Mapped[float] = mapped_column(default=0.0)

    user: Mapped[User | None] = relationship()

    __table_args__ = (
        Index("ix_scan_log_created", "created_at", "id"),
        Index("ix_scan_log_result_id", "result", "id"),
        Index("ix_scan_log_source_id", "source", "id"),
        Index("ix_scan_log_plugin_id", "plugin", "id"),
        Index("ix_scan_log_user_id_id", "user_id", "id"),
        Index("ix_scan_log_action_id", "action", "id"),  # retention: lookups apart from changes
    )


class StockTracking(db.Model):
    """A change to a stock item: created, edited, moved, counted, received, undone."""

    __tablename__ = "stock_tracking"
    id: Mapped[int] = mapped_column(primary_key=True)
    stock_item_id: Mapped[int] = mapped_column(ForeignKey("stock_item.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(32))
    from_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="SET NULL"))
    to_location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="SET NULL"))
    quantity_before: Mapped[Decimal | None] = mapped_column(Numeric(18, 5))
    quantity_after: Mapped[Decimal | None] = mapped_column(Numeric(18, 5))
    # Indexed: pruning the scan log sets this to NULL for each deleted scan, which would otherwise
    # scan the whole table per deleted row.
    scan_log_id: Mapped[int | None] = mapped_column(ForeignKey("scan_log.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    stock_item: Mapped[StockItem] = relationship(back_populates="tracking")
    user: Mapped[User | None] = relationship()
    from_location: Mapped[StockLocation | None] = relationship(foreign_keys=[from_location_id])
    to_location: Mapped[StockLocation | None] = relationship(foreign_keys=[to_location_id])


class ApiToken(db.Model):
    """An API token; only its SHA-256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LabelTemplate(db.Model):
    """A label layout: size in mm, the object types it fits, and a sandboxed Jinja HTML body."""

    __tablename__ = "label_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    object_types: Mapped[str] = mapped_column(String(100), default="part,stockitem,stocklocation,supplierpart")
    width_mm: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    height_mm: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    body: Mapped[str] = mapped_column(Text)
    # A sheet template lays `columns` x `rows` labels on a page of page_width_mm x page_height_mm.
    page_width_mm: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    page_height_mm: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    columns: Mapped[int] = mapped_column(default=1)
    rows: Mapped[int] = mapped_column(default=1)
    builtin: Mapped[bool] = mapped_column(default=False)


class ScanSession(db.Model):
    """A scan-in (move) or count session on a location, staged until committed."""

    __tablename__ = "scan_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # move | count
    location_id: Mapped[int] = mapped_column(ForeignKey("stock_location.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | committed | undone | cancelled
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    committed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    location: Mapped[StockLocation] = relationship()
    lines: Mapped[list[ScanSessionLine]] = relationship(
        back_populates="session", order_by="ScanSessionLine.id", cascade="all, delete-orphan")


class ScanSessionLine(db.Model):
    """One staged stock item (or sub-location) in a scan session."""

    __tablename__ = "scan_session_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("scan_session.id", ondelete="CASCADE"), index=True)
    stock_item_id: Mapped[int | None] = mapped_column(ForeignKey("stock_item.id", ondelete="CASCADE"))
    location_id: Mapped[int | None] = mapped_column(ForeignKey("stock_location.id", ondelete="CASCADE"))
    counted: Mapped[Decimal | None] = mapped_column(Numeric(18, 5))
    # What the item looked like when staged, so a commit can notice someone else's change.
    seen_location_id: Mapped[int | None] = mapped_column()
    seen_quantity: Mapped[Decimal | None] = mapped_column(Numeric(18, 5))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    session: Mapped[ScanSession] = relationship(back_populates="lines")
    stock_item: Mapped[StockItem | None] = relationship()
    location: Mapped[StockLocation | None] = relationship()


class LoginFailure(db.Model):
    """One failed (or still running) sign-in attempt, counted against a key by services/ratelimit.py."""

    __tablename__ = "login_failure"
    id: Mapped[int] = mapped_column(primary_key=True)
    # "user:<name>", "pair:<address>|<name>", "ip:<address>" or "device:<nonce>"
    key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (Index("ix_login_failure_key_created", "key", "created_at"),)


class UserSession(db.Model):
    """One signed-in browser: its cookies hold a random key, this row the key's SHA-256."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)  # "Stay signed in": the longer lifetime
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)


PRINTER_KINDS = ("zpl", "brother_ql", "cups")
PRINT_JOB_STATES = ("queued", "sending", "printed", "failed")


class Printer(db.Model):
    """A label printer admins set up: how to reach it (kind, address) and what it holds (media, dpi)."""

    __tablename__ = "printer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # one of PRINTER_KINDS
    # zpl, brother_ql: "host:port"; cups: a queue name, or "queue@host:port" for another CUPS server.
    address: Mapped[str] = mapped_column(String(300))
    # The media loaded: label width x height in mm; height None for continuous tape (Brother QL).
    media_width_mm: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    media_height_mm: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    dpi: Mapped[int] = mapped_column(default=203)
    model: Mapped[str] = mapped_column(String(40), default="")  # Brother QL model, e.g. QL-820NWB
    # {"part": template id, ...}: the template this printer uses for each object type.
    default_templates: Mapped[dict] = mapped_column(db.JSON, default=dict)
    is_default: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (CheckConstraint("kind IN ('zpl', 'brother_ql', 'cups')", name="ck_printer_kind"),)


class PrintJob(db.Model):
    """Labels sent to a printer in the background: what, where, and how it went (kept a while)."""

    __tablename__ = "print_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    printer_id: Mapped[int | None] = mapped_column(ForeignKey("printer.id", ondelete="SET NULL"), index=True)
    printer_name: Mapped[str] = mapped_column(String(100))  # kept when the printer is deleted
    template_id: Mapped[int | None] = mapped_column(ForeignKey("label_template.id", ondelete="SET NULL"))
    object_type: Mapped[str] = mapped_column(String(20))
    object_ids: Mapped[list] = mapped_column(db.JSON)
    copies: Mapped[int] = mapped_column(default=1)
    start: Mapped[int] = mapped_column(default=1)
    labels: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(10), default="queued")
    message: Mapped[str] = mapped_column(Text, default="")  # the reason it failed, or what the printer answered
    attempts: Mapped[int] = mapped_column(default=0)
    is_test: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user = relationship("User")
