"""One print job's labels, made for the printer's kind and handed to it: the printer is asked how it
is first (a Zebra's ~HS, a Brother QL's status), so a printer out of paper, open, or that never reads
gets nothing, and a retry cannot print twice; after the labels it is asked again, and its answer is
what the job reports."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from brother_ql.reader import interpret_response

from models import LabelTemplate, Printer
from services.labels.layout import Box
from services.labels.pdf import labels_pdf
from services.labels.printing import page_setup
from services.labels.zpl import label_zpl
from services.printers import brother, device
from services.printers.addresses import parse_cups, parse_endpoint
from services.printers.transport import (
    ANSWER_TIMEOUT_S,
    ZPL_STATUS_QUERY,
    Answer,
    PrinterError,
    PrinterSilent,
    lp,
    send_raw,
    zpl_answered,
    zpl_status,
)

BROTHER_STATUS_REQUEST = b"\x00" * 200 + b"\x1b@\x1biS"  # invalidate, initialize, status request
BROTHER_RECORD = 32
TOLERANCE_MM = 1.0


def _records(answer: bytes) -> list[bytes]:
    usable = len(answer) - len(answer) % BROTHER_RECORD
    return [answer[i:i + BROTHER_RECORD] for i in range(0, usable, BROTHER_RECORD)]


def _brother_done(pages: int) -> Callable[[bytes], bool]:
    """Until `pages` 'printing completed' records (or an error record) have come."""
    def done(answer: bytes) -> bool:
        kinds = [record[18] for record in _records(answer)]
        return kinds.count(0x01) >= pages or 0x02 in kinds
    return done


def _brother_answer(answer: bytes, pages: int = 0) -> Answer:
    try:
        replies = [interpret_response(record) for record in _records(answer)]
    except NameError:  # brother_ql's way of saying the bytes are not a status record
        return Answer(False, "The printer's answer is not a Brother QL status; is this a Brother QL?")
    errors = [error for reply in replies for error in reply["errors"]]
    if errors:
        return Answer(False, "The printer reports: " + ", ".join(dict.fromkeys(errors)).lower() + ".")
    last = replies[-1]
    length = last["media_length"]
    media = f"{last['media_width']} x {length} mm labels" if length else f"{last['media_width']} mm tape"
    said = f"printed {pages} label{'s' if pages != 1 else ''}" if pages else "ready"
    return Answer(True, f"The printer ({last['model_name']}, {media}) reports: {said}.")


def check_media(printer: Printer, template: LabelTemplate) -> None:
    """PrinterError when the template does not fit the media the printer holds."""
    width, height = float(template.width_mm), float(template.height_mm)
    if printer.kind == "brother_ql":
        try:
            brother.fit(brother.media_label(float(printer.media_width_mm), _height(printer), printer.model), width, height)
        except brother.MediaError as error:
            raise PrinterError(str(error)) from None
    elif printer.kind == "zpl":
        media_h = _height(printer)
        if width > float(printer.media_width_mm) + TOLERANCE_MM or (media_h and height > media_h + TOLERANCE_MM):
            size = f"{printer.media_width_mm:g} x {media_h:g} mm" if media_h else f"{printer.media_width_mm:g} mm wide"
            raise PrinterError(f"{printer.name} holds {size} labels; the {template.name} template is {width:g} x {height:g} mm.")


def _height(printer: Printer) -> float | None:
    return float(printer.media_height_mm) if printer.media_height_mm else None


def _loaded_media(printer: Printer, answer: bytes) -> Answer:
    """The QL's status; PrinterError when the media it reports is not the media it is set up with, as
    the labels would be drawn for the wrong size (a width of 0 means no media report: not checked)."""
    status = _brother_answer(answer)
    reply = interpret_response(_records(answer)[-1]) if status.ok else None
    if reply is None or not reply["media_width"]:
        return status
    width, length, height = reply["media_width"], reply["media_length"], _height(printer)
    wanted = float(printer.media_width_mm)
    if abs(width - wanted) <= 0.5 and (not height) == (not length) and (not height or abs(length - height) <= brother.TOLERANCE_MM):
        return status
    holds = f"{width} x {length} mm labels" if length else f"{width} mm tape"
    set_up = f"{wanted:g} x {height:g} mm labels" if height else f"{wanted:g} mm tape"
    raise PrinterError(f"{printer.name} did not print. The printer holds {holds}; Shelfscan has it set up for {set_up}. "
                       "Load that media, or change the printer's media in Labels -> Printers.")


def _ask(printer: Printer, query: bytes, answered, interpret) -> Answer:
    if device.is_device(printer.address):  # a Brother QL on the server's USB
        answer = device.send_device(printer.address, printer.name, query, answered, interpret)
    else:
        answer = send_raw(parse_endpoint(printer.address), printer.name, query, answered, interpret)
    if not answer.ok:
        raise PrinterError(f"{printer.name} did not print: {answer.text[0].lower()}{answer.text[1:]}")
    return answer


def _status(printer: Printer, query: bytes, answered, interpret) -> Answer:
    """Ask the printer how it is before any label is sent; a printer that does not answer has printed nothing."""
    try:
        return _ask(printer, query, answered, interpret)
    except PrinterSilent:
        raise PrinterError(f"{printer.name} at {printer.address} did not answer within {ANSWER_TIMEOUT_S:g} s "
                           "when asked for its status, so nothing was sent to print; "
                           "check that it is on and ready, then retry.") from None


@dataclass(frozen=True)
class Batch:
    """Laid-out labels to print: each `copies` times; on a sheet from position `start`."""

    template: LabelTemplate
    labels: list[list[Box]]
    copies: int = 1
    start: int = 1
    title: str = "Shelfscan labels"

    @property
    def count(self) -> int:
        """Labels that come out of the printer."""
        return len(self.labels) * self.copies


def deliver(printer: Printer, batch: Batch) -> str:
    """Make the batch for `printer` and send it; what the printer answered, or PrinterError."""
    template = batch.template
    check_media(printer, template)
    width, height = float(template.width_mm), float(template.height_mm)
    if printer.kind == "cups":
        setup = page_setup(template)
        repeated = [boxes for boxes in batch.labels for _ in range(batch.copies)]
        pdf = labels_pdf(repeated, setup, title=batch.title, skip=batch.start - 1 if setup.sheet else 0)
        return lp(*parse_cups(printer.address), pdf, batch.title).text
    if printer.kind == "zpl":
        zpl = "".join(label_zpl(boxes, width, height, printer.dpi, copies=batch.copies) for boxes in batch.labels)
        _status(printer, ZPL_STATUS_QUERY, zpl_answered, zpl_status)
        return _ask(printer, zpl.encode("utf-8") + ZPL_STATUS_QUERY, zpl_answered, zpl_status).text
    label = brother.media_label(float(printer.media_width_mm), _height(printer), printer.model)
    pages = [brother.page(boxes, width, height, label) for boxes in batch.labels]
    data = brother.raster(pages, label, printer.model, batch.copies)
    _status(printer, BROTHER_STATUS_REQUEST, lambda answer: len(answer) >= BROTHER_RECORD, lambda answer: _loaded_media(printer, answer))
    return _ask(printer, data, _brother_done(batch.count), lambda answer: _brother_answer(answer, batch.count)).text
