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
TIMEOUT_MESSAGE = "No barcode found in time. Try a sharper photo, closer to the barcode."
BUSY_MESSAGE = "The server is busy reading other images; try again in a moment."
# Longest raw input kept in the scan log; the engine refuses far shorter input as too long anyway.
MAX_LOGGED_RAW = 8192
# Control characters a scan may carry, shown as their Unicode control pictures.
CONTROL_NAMES = {0x1D: "GS (group separator)", 0x1E: "RS (record separator)", 0x04: "EOT (end of transmission)",
                 0x0D: "CR (carriage return)", 0x0A: "LF (line feed)", 0x09: "TAB"}


@dataclass(frozen=True)
class Choice:
    """One thing the person can do with a scan: open an object or receive stock."""

    kind: str  # open | receive
    label: str
    url: str


@dataclass
class ScanOutcome:
    """What to answer a scan with."""

    answer: str  # redirect | choose | no_match | error | nothing | busy
    data: str = ""  # the scanned text (canonical when the engine got that far)
    url: str = ""  # where to go for a redirect
    choices: list[Choice] = field(default_factory=list)
    message: str = ""
    result: ScanResult | None = None
    duration_ms: float = 0.0
    refused: bool = False  # a photo that gave no barcode: 422, though it is no error of the engine's

    @property
    def status_code(self) -> int:
        """The HTTP status of the answer: 422 for input the engine refused and photos without a
        barcode, 503 while every image decoder is busy, 200 otherwise."""
        return 422 if self.refused else {"error": 422, "busy": 503}.get(self.answer, 200)

    @property
    def data_parts(self) -> list[tuple[bool, str, str]]:
        """The data split into (is_control, shown_text, title) runs for display."""
        return visible_parts(self.data)


def visible_parts(text: str) -> list[tuple[bool, str, str]]:
    """Split text into runs, control characters turned into visible symbols such as ␝."""
    parts: list[tuple[bool, str, str]] = []
    plain: list[str] = []
    for char in text:
        code = ord(char)
        if code < 0x20 or code == 0x7F:
            if plain:
                parts.append((False, "".join(plain), ""))
                plain = []
            symbol = "\u2421" if code == 0x7F else chr(0x2400 + code)
            parts.append((True, symbol, CONTROL_NAMES.get(code, f"control character 0x{code:02X}")))
        else:
            plain.append(char)
    if plain:
        parts.append((False, "".join(plain), ""))
    return parts


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
        error=outcome.message if outcome.answer in ("error", "busy") else "",
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
    started = time.perf_counter()
    source = source if source in ("camera", "photo") else "photo"
    found = _decode(image, source)
    if isinstance(found, ScanOutcome):
        if found.answer != "nothing" or source == "photo":  # a camera frame without a code is no scan
            _log(source, user_id, b"", found, started)
            db.session.commit()
        return found
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


def _decode(image: bytes, source: str) -> list | ScanOutcome:
    """The barcodes the decoder pool finds in the image, or the outcome to answer when it finds none.

    A camera frame not read in time is answered like one without a code: the camera sends the next."""
    from barcodes.decode import DecodeTimeout, ImageError
    from barcodes.decode_pool import DecodeBusy
    from services.barcode_engine import decode_image

    try:
        found = decode_image(image, source=source)
    except ImageError as exc:
        return ScanOutcome("error", message=str(exc) or "This file is not an image we can read.")
    except (DecodeTimeout, DecodeBusy) as exc:
        if source == "camera":
            return ScanOutcome("nothing", message="No barcode found in this frame in time.")
        if isinstance(exc, DecodeBusy):
            return ScanOutcome("busy", message=BUSY_MESSAGE)
        return ScanOutcome("error", message=TIMEOUT_MESSAGE)
    return found or ScanOutcome("nothing", message="No barcode found in this image.", refused=source == "photo")
