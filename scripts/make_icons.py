"""Draw the app's home-screen icons from the favicon's bars (static/img/favicon.svg), with Pillow.

    .venv/bin/python scripts/make_icons.py

Writes static/img/icon-192.png, icon-512.png, icon-maskable-512.png (the bars inside the central 80 %
circle that Android's masks keep) and icon-180.png (iOS home screen). White bars on the navbar colour.
"""
from __future__ import annotations

import re
from pathlib import Path

from PIL import Image, ImageDraw

IMG = Path(__file__).resolve().parents[1] / "static" / "img"
BACKGROUND = (0x24, 0x29, 0x2F)  # blueprints/app_shell.py THEME_COLOR
BARS = (255, 255, 255)
GRID = 16  # the favicon's viewBox
SCALE = 4  # drawn four times larger, then reduced: smooth bar edges at any size


def favicon_bars() -> list[tuple[float, float, float, float]]:
    """The favicon's rectangles as (x, y, width, height) in its 16x16 grid.

    Its path is rectangles only: `M x y` or `m dx dy` (after `z`, from the last start), `h`, `v`, `H`, `z`.
    """
    path = re.search(r' d="([^"]+)"', (IMG / "favicon.svg").read_text()).group(1)
    bars, start, width = [], (0.0, 0.0), 0.0
    for command, numbers in re.findall(r"([MmHhVvz])([^MmHhVvz]*)", path):
        values = [float(n) for n in numbers.replace(",", " ").split()]
        if command == "M":
            start = (values[0], values[1])
        elif command == "m":
            start = (start[0] + values[0], start[1] + values[1])
        elif command == "h":
            width = values[0]
        elif command == "v":
            bars.append((start[0], start[1], width, values[0]))
    return bars


def draw(size: int, content: float, rounded: bool) -> Image.Image:
    """An icon of `size` px whose bars fill `content` (a fraction) of it."""
    big = size * SCALE
    image = Image.new("RGB", (big, big), BACKGROUND)
    pen = ImageDraw.Draw(image)
    if rounded:  # "any" icons: a rounded square of its own; maskable ones are shaped by the launcher
        image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
        pen = ImageDraw.Draw(image)
        pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 6, fill=BACKGROUND)
    unit = big * content / GRID
    offset = (big - unit * GRID) / 2
    for x, y, width, height in favicon_bars():
        pen.rectangle((offset + x * unit, offset + y * unit, offset + (x + width) * unit - 1,
                       offset + (y + height) * unit - 1), fill=BARS)
    return image.resize((size, size), Image.LANCZOS)


def main() -> None:
    """Write the four icons."""
    draw(192, 0.75, rounded=True).save(IMG / "icon-192.png", optimize=True)
    draw(512, 0.75, rounded=True).save(IMG / "icon-512.png", optimize=True)
    # The maskable safe zone is a circle of 80 % of the size; the bars' 16x16 square must fit inside it.
    draw(512, 0.55, rounded=False).save(IMG / "icon-maskable-512.png", optimize=True)
    draw(180, 0.7, rounded=False).save(IMG / "icon-180.png", optimize=True)


if __name__ == "__main__":
    main()
