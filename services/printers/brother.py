"""Brother QL raster jobs with brother_ql (the maintained brother_ql_next fork; see docs/labels.md).

The media a QL holds is one of brother_ql's labels, found by its size: a die-cut label (width x
height) or endless tape (width only). A template prints on it when it has the label's size (either
way round) or, on tape, when its width fits the tape; each label is drawn at 300 dpi to the
printable area's exact dots, so nothing is scaled after drawing.
"""
from __future__ import annotations

import logging

from brother_ql.conversion import convert
from brother_ql.labels import FormFactor, LabelsManager
from brother_ql.models import ModelsManager
from brother_ql.raster import BrotherQLRaster
from PIL import Image

from services.printers.raster import label_image

DOTS_PER_MM = 300 / 25.4
TOLERANCE_MM = 1.5
DEFAULT_MODEL = "QL-820NWB"
logging.getLogger("brother_ql").setLevel(logging.ERROR)  # it warns on every label it is given


class MediaError(ValueError):
    """The printer's media and the template do not go together (or are unknown); says which fit."""


def models() -> list[str]:
    """The QL models brother_ql knows."""
    return [model.identifier for model in ModelsManager().iter_elements() if model.identifier.startswith("QL")]


def media_label(width_mm: float, height_mm: float | None, model: str = DEFAULT_MODEL):
    """brother_ql's label for the media size (height None or 0 for endless tape); MediaError if none."""
    for label in LabelsManager().iter_elements():
        tape_w, tape_h = label.tape_size
        if label.color.value != 0 or (label.restricted_to_models and model not in label.restricted_to_models):
            continue
        if abs(tape_w - width_mm) <= 0.5 and ((not height_mm and tape_h == 0) or (height_mm and abs(tape_h - height_mm) <= 1)):
            return label
    sizes = ", ".join(label.name for label in LabelsManager().iter_elements() if label.color.value == 0
                      and (not label.restricted_to_models or model in label.restricted_to_models))
    shape = f"{width_mm:g} x {height_mm:g} mm labels" if height_mm else f"{width_mm:g} mm tape"
    raise MediaError(f"A {model} takes no {shape}; it takes {sizes}.")


def fit(label, width_mm: float, height_mm: float) -> tuple[int, int, bool]:
    """(dots across, dots along, rotated) to draw a template of this size on the media; MediaError if it does not fit."""
    printable_w, printable_h = label.dots_printable
    tape_w, tape_h = label.tape_size
    if label.form_factor == FormFactor.ENDLESS:
        for across, along, rotated in ((width_mm, height_mm, False), (height_mm, width_mm, True)):
            if across <= tape_w + 0.5:
                return printable_w, round(along * DOTS_PER_MM), rotated
        raise MediaError(f"A {width_mm:g} x {height_mm:g} mm label does not fit on {tape_w} mm tape.")
    for across, along, rotated in ((width_mm, height_mm, False), (height_mm, width_mm, True)):
        if abs(across - tape_w) <= TOLERANCE_MM and abs(along - tape_h) <= TOLERANCE_MM:
            return printable_w, printable_h, rotated
    raise MediaError(f"The printer holds {tape_w} x {tape_h} mm labels; this template is {width_mm:g} x {height_mm:g} mm.")


def page(boxes, width_mm: float, height_mm: float, label) -> Image.Image:
    """One label drawn to the media's printable dots (rotated to run along the tape when needed)."""
    across, along, rotated = fit(label, width_mm, height_mm)
    # Drawn the template's way round, then turned so that `across` runs across the tape.
    # Scale so the template fills the printable area (it is a few dots smaller than the label).
    dots_w, dots_h = (along, across) if rotated else (across, along)
    scale = min(dots_w / width_mm, dots_h / height_mm)
    image = label_image(boxes, width_mm, height_mm, scale)
    canvas = Image.new("L", (dots_w, dots_h), 255)
    canvas.paste(image, ((dots_w - image.width) // 2, (dots_h - image.height) // 2))
    return canvas.rotate(90, expand=True) if rotated else canvas


def raster(pages: list[Image.Image], label, model: str = DEFAULT_MODEL, copies: int = 1) -> bytes:
    """The QL raster job for the pages (each `copies` times), cut after each label, compressed."""
    qlr = BrotherQLRaster(model)
    qlr.exception_on_warning = True
    images = [image for image in pages for _ in range(copies)]
    return bytes(convert(qlr, images, label.identifier, cut=True, compress=True, rotate=0, threshold=50, dither=False))
