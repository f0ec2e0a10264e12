"""Extra decode passes for images the first pass missed: cheap transforms tried in order."""
from __future__ import annotations

from typing import Callable

from PIL import Image, ImageFilter, ImageOps


def extra_passes(image: Image.Image, zxing: Callable, pyzbar: Callable) -> list:
    """Try upscaling, binarisation, sharpening and rotation until something decodes."""
    for transform in _transforms(image):
        candidate = transform()
        found = zxing(candidate) or pyzbar(candidate)
        if found:
            return found
    return []


def _transforms(image: Image.Image) -> list[Callable[[], Image.Image]]:
    width, height = image.size
    small = max(width, height) < 400
    passes: list[Callable[[], Image.Image]] = []
    if small:
        passes.append(lambda: image.resize((width * 3, height * 3), Image.Resampling.NEAREST))
        passes.append(lambda: image.resize((width * 2, height * 2), Image.Resampling.BICUBIC))
    passes.append(lambda: ImageOps.autocontrast(image, cutoff=2).point(lambda v: 255 if v > 127 else 0))
    passes.append(lambda: image.filter(ImageFilter.MedianFilter(3)))
    passes.append(lambda: image.filter(ImageFilter.UnsharpMask(radius=2, percent=200, threshold=0)))
    for angle in (15, -15, 45):
        passes.append(lambda angle=angle: image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255))
    return passes
