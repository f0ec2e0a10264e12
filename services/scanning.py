"""Scanning: the one service the scan views call. Normalise, resolve, decide the answer, log, time.

A scan arrives as text (keyboard wedge, the dialog) or as an image (camera frame, photo). Either way
the engine resolves it, this module decides what the person sees next (go to the object, choose
between several, "no match", an error) and writes one scan-log row in the same transaction.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from flask import url_for

from barcodes.result import ScanResult
from extensions import db
from services import scanlog

SOURCES = ("wedge", "dialog", "camera", "photo")
# Supplier label formats that can be received into stock (the stock area offers "Receive").
SUPPLIER_FORMATS = {"ecia", "lcsc", "tme", "gs1"}
RECEIVE_ENDPOINT = "stock_actions.receive"
# Longest raw input kept in the scan log; the engine refuses far shorter input as too long anyway.
MAX_LOGGED_RAW = 8192


@dataclass(frozen=True)
class Choice:
    """One thing the person can do with a scan: open an object or receive stock."""

    kind: str  # open | receive
    label: str
    url: str


@dataclass
class ScanOutcome:
    """What to answer a scan with."""

    answer: str  # redirect | choose | no_match | error | nothing
    data: str = ""  # the scanned text (canonical when the engine got that far)
    url: str = ""  # where to go for a redirect
    choices: list[Choice] = field(default_factory=list)
    message: str = ""
    result: ScanResult | None = None
    duration_ms: float = 0.0

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer: 422 for input the engine refused, 200 otherwise."""
        return 422 if self.answer == "error" else 200



def _receive_url(result: ScanResult, may_receive: bool) -> str:
    """The "Receive" page for a supplier label, when the stock area offers one and the user may act."""
    if not may_receive or result.format not in SUPPLIER_FORMATS:
        return ""
    if any(match.object_type != "supplierpart" for match in result.matches):
        return ""
    return url_for(RECEIVE_ENDPOINT, barcode=result.scan.text)


def decide(result: ScanResult, may_receive: bool = False) -> ScanOutcome:
    """Turn an engine result into the answer: redirect, a choice, no match or an error."""
    data = result.scan.text
    if result.status == "error":
        message = result.message or "This barcode could not be read."
        return ScanOutcome("error", data=data, message=message, result=result)
    receive = _receive_url(result, may_receive)
    choices = [Choice("open", match.title, match.url) for match in result.matches]
    if receive:
        choices.append(Choice("receive", "Receive stock", receive))
    if not result.matches:
        return ScanOutcome("no_match", data=data, choices=choices, message=result.message, result=result)
    if len(choices) == 1:
        return ScanOutcome("redirect", data=data, url=choices[0].url, result=result)
    return ScanOutcome("choose", data=data, choices=choices, result=result)


def _log(source: str, user_id: int | None, raw: bytes, outcome: ScanOutcome, started: float) -> None:
    """Add the scan-log row for an outcome (the caller commits)."""
    outcome.duration_ms = (time.perf_counter() - started) * 1000
    response = {"answer": outcome.answer}
    if outcome.url:
        response["url"] = outcome.url
    if outcome.choices:
        response["choices"] = [choice.url for choice in outcome.choices]
    scanlog.record(
        source=source, user_id=user_id, raw=raw[:MAX_LOGGED_RAW], result=outcome.result, action="navigate",
        response=response, duration_ms=outcome.duration_ms,
        error=outcome.message if outcome.answer == "error" else "",
    )


def log_answered(*, source: str, user_id: int | None, raw: bytes, result: ScanResult, action: str,
                 response: str, duration_ms: float) -> None:
    """Record a scan another door answered itself (the API: its JSON as sent) and commit."""
    scanlog.record(source=source, user_id=user_id, raw=raw[:MAX_LOGGED_RAW], result=result, action=action,
                   response=response, duration_ms=duration_ms)
    db.session.commit()


def _resolve(raw: str | bytes, source: str, symbology: str = "") -> ScanResult | str:
    """The engine's result, or the message of input it refused."""
    from barcodes.normalize import ScanInputError
    from services.barcode_engine import resolve_scan

    try:
        return resolve_scan(raw, source=source, symbology=symbology)
    except ScanInputError as exc:  # resolve() reports bad input itself; this is belt and braces
        return str(exc)


def scan_text(raw: str, *, source: str, user_id: int | None, may_receive: bool = False) -> ScanOutcome:
    """Resolve typed or wedge-scanned text, log it and commit; returns the answer to show."""
    started = time.perf_counter()
    source = source if source in SOURCES else "dialog"
    raw_bytes = raw.encode("utf-8", "surrogateescape")
    if not raw.strip():
        outcome = ScanOutcome("error", message="Nothing was scanned: the barcode is empty.")
    else:
        resolved = _resolve(raw, source)
        if isinstance(resolved, str):
            outcome = ScanOutcome("error", data=raw[:200], message=resolved)
        else:
            outcome = decide(resolved, may_receive)
    _log(source, user_id, raw_bytes, outcome, started)
    db.session.commit()
    return outcome


def scan_image(image: bytes, *, source: str, user_id: int | None, may_receive: bool = False) -> ScanOutcome:
    """Decode the barcodes in an image and resolve them; the first that names something wins."""
    from barcodes.decode import ImageError, decode

    started = time.perf_counter()
    source = source if source in ("camera", "photo") else "photo"
    try:
        found = decode(image)
    except ImageError as exc:
        outcome = ScanOutcome("error", message=str(exc) or "This file is not an image we can read.")
        _log(source, user_id, b"", outcome, started)
        db.session.commit()
        return outcome
    if not found:
        outcome = ScanOutcome("nothing", message="No barcode found in this image.")
        if source == "photo":  # camera frames without a barcode are not scans; only a photo is
            _log(source, user_id, b"", outcome, started)
            db.session.commit()
        return outcome
    outcomes = []
    for decoded in found:
        resolved = _resolve(decoded.raw if decoded.raw else decoded.text, source, decoded.symbology)
        if isinstance(resolved, str):
            outcomes.append(ScanOutcome("error", data=decoded.text, message=resolved))
        else:
            outcomes.append(decide(resolved, may_receive))
        _log(source, user_id, decoded.raw or decoded.text.encode(), outcomes[-1], started)
    db.session.commit()
    best = next((o for o in outcomes if o.answer in ("redirect", "choose")), outcomes[0])
    best.duration_ms = (time.perf_counter() - started) * 1000
    return best
