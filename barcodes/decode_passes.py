"""The passes decode() tries, in order, and the budget they run in.

Every pass decodes an image of at most `pass_pixels` pixels: a transform whose result would be
larger (a rotation with expand, an upscale) is given a scaled-down source instead. A pass is started
only when the budget covers what it will probably cost: its pixels times its weight times the cost
per weighted pixel the earlier passes of this image showed (noise costs far more than a blank wall).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable

from PIL import Image, ImageFilter, ImageOps

# CPU seconds per pixel of a full zxing-cpp pass, until this image has shown its own (a pass over at
# least MEASURED_PIXELS): noise on the 2-core build machine, a conservative guess.
FIRST_GUESS = 140e-9
MEASURED_PIXELS = 250_000
SMALL_SIDE = 400  # images whose longer side is below this are upscaled before the other transforms


class DecodeTimeout(Exception):
    """The budget ran out before every pass was tried, and nothing was found."""


class Budget:
    """Time left for passes: CPU seconds since the decode began and, in a decoder process, a deadline
    on the monotonic clock (wall time stretches past CPU time on a loaded machine)."""

    def __init__(self, seconds: float, deadline: float | None = None):
        self.seconds, self.deadline = seconds, deadline
        self.cpu_start, self.wall_start = time.process_time(), time.monotonic()

    def allows(self, predicted: float) -> bool:
        """Whether a pass predicted to take `predicted` CPU seconds still fits."""
        cpu = time.process_time() - self.cpu_start
        if cpu + predicted > self.seconds:
            return False
        if self.deadline is None:
            return True
        stretch = max(1.0, (time.monotonic() - self.wall_start) / cpu) if cpu > 0 else 1.0
        return time.monotonic() + predicted * stretch <= self.deadline


@dataclass(frozen=True)
class Pass:
    """One attempt: an optional transform of the image, then a decoder on the result."""

    name: str
    weight: float  # cost relative to a full zxing-cpp pass over the same number of pixels
    decode: Callable[[Image.Image], list]
    transform: Callable[[Image.Image], Image.Image] | None = None
    scale: float = 1.0  # how much larger the transform makes each side
    angle: float = 0.0  # a rotation's angle: its expanded canvas is larger still

    def size(self, width: int, height: int) -> tuple[int, int]:
        """The size of the image this pass decodes, known before it is made."""
        width, height = width * self.scale, height * self.scale
        if self.angle:
            cos, sin = abs(math.cos(math.radians(self.angle))), abs(math.sin(math.radians(self.angle)))
            width, height = width * cos + height * sin, width * sin + height * cos
        return math.ceil(width) + 1, math.ceil(height) + 1


def fitted_size(width: int, height: int, max_pixels: int) -> tuple[int, int]:
    """(width, height) scaled down, aspect kept, to at most `max_pixels` pixels."""
    if width * height <= max_pixels:
        return width, height
    factor = math.sqrt(max_pixels / (width * height))
    return max(1, math.floor(width * factor)), max(1, math.floor(height * factor))


def fit(image: Image.Image, max_pixels: int) -> Image.Image:
    """The image scaled down (aspect kept) to at most `max_pixels`, or itself when it fits already."""
    size = fitted_size(*image.size, max_pixels)
    return image if size == image.size else image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def run_passes(image: Image.Image, plan: list[Pass], budget: Budget, pass_pixels: int) -> list:
    """The barcodes of the first pass that finds any; [] when every pass was tried.

    The first pass always runs (it is the cheap one, and whoever set the deadline enforces it);
    DecodeTimeout when the budget cannot cover a later one."""
    rate = FIRST_GUESS
    for index, step in enumerate(plan):
        width, height = step.size(*image.size)
        source = image
        if width * height > pass_pixels:  # shrink the source so that the result fits (2% for rounding)
            source = fit(image, max(1, int(image.width * image.height * pass_pixels * 0.98 / (width * height))))
            width, height = step.size(*source.size)
        pixels = width * height
        if index and not budget.allows(rate * step.weight * pixels):
            raise DecodeTimeout(step.name)
        started = time.process_time()
        found = step.decode(step.transform(source) if step.transform else source)
        if found:
            return found
        if pixels >= MEASURED_PIXELS:  # below this a call's fixed cost hides the cost per pixel
            rate = (time.process_time() - started) / (step.weight * pixels)
    return []


def photo_plan(image: Image.Image, fast: Pass, zxing: Callable, pyzbar: Callable) -> list[Pass]:
    """Every pass a photo gets: fast, full zxing-cpp, pyzbar, then transforms tried with both."""
    def both(candidate: Image.Image) -> list:
        return zxing(candidate) or pyzbar(candidate)

    # The weights are what each pass cost against a full zxing-cpp pass on noise, blank walls, desk
    # scenes and finder-pattern sheets (1 and 12 MP) on the build machine, rounded up.
    plan = [fast, Pass("zxing", 1.0, zxing), Pass("pyzbar", 1.2, pyzbar)]
    if max(image.size) < SMALL_SIDE:
        plan += [Pass("upscale x3", 2.5, both, lambda i: _resize(i, 3, Image.Resampling.NEAREST), scale=3),
                 Pass("upscale x2", 2.5, both, lambda i: _resize(i, 2, Image.Resampling.BICUBIC), scale=2)]
    plan += [
        Pass("binarise", 2.5, both, lambda i: ImageOps.autocontrast(i, cutoff=2).point(lambda v: 255 if v > 127 else 0)),
        Pass("median", 3.0, both, lambda i: i.filter(ImageFilter.MedianFilter(3))),
        Pass("sharpen", 3.0, both, lambda i: i.filter(ImageFilter.UnsharpMask(radius=2, percent=200, threshold=0))),
    ]
    for angle in (15, -15, 45):
        plan.append(Pass(f"rotate {angle}", 3.5, both, lambda i, a=angle: _rotate(i, a), angle=angle))
    return plan


def _resize(image: Image.Image, factor: int, resample: Image.Resampling) -> Image.Image:
    return image.resize((image.width * factor, image.height * factor), resample)


def _rotate(image: Image.Image, angle: float) -> Image.Image:
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
