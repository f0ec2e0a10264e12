"""A fake camera for Chromium: labels drawn by the engine, photographed on a desk, played as MJPEG.

Chromium's `--use-file-for-fake-video-capture` plays a file in a loop as the webcam; MJPEG is just
JPEG frames back to back, with no container.
"""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageFilter

DESK = (118, 112, 104)


def label(text: str, symbology: str, size: int) -> Image.Image:
    """The engine's rendering of a label, scaled up with sharp edges to about `size` pixels."""
    from barcodes.render import draw_barcode

    png = draw_barcode(text, symbology, "png")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    scale = max(1, size // max(image.size))
    return image.resize((image.width * scale, image.height * scale), Image.NEAREST)


def photo(printed: Image.Image | None, width: int = 1280, height: int = 720, *, turn: float = 4,
          blur: float = 0.8) -> Image.Image:
    """The label on a grey desk, slightly turned and soft as a phone sees it; an empty desk for None."""
    scene = Image.new("RGB", (width, height), DESK)
    if printed is not None:
        turned = printed.rotate(turn, expand=True, fillcolor=DESK, resample=Image.BICUBIC)
        scene.paste(turned, ((width - turned.width) // 2, (height - turned.height) // 2))
    return scene.filter(ImageFilter.GaussianBlur(blur)) if blur else scene


def write_mjpeg(path: Path, frames: list[Image.Image], quality: int = 90) -> Path:
    """Write the frames as an MJPEG file for Chromium's fake camera; returns the path."""
    with open(path, "wb") as out:
        for frame in frames:
            jpeg = io.BytesIO()
            frame.save(jpeg, "JPEG", quality=quality)
            out.write(jpeg.getvalue())
    return path


def camera_video(path: Path, text: str, symbology: str = "qr", size: int = 320) -> Path:
    """A few frames of one label in view: what most camera tests need."""
    return write_mjpeg(path, [photo(label(text, symbology, size))] * 5)


def camera_args(video: Path) -> list[str]:
    """Chromium flags: grant the camera without asking, and play `video` as it."""
    return ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"]
