"""Uploads: over the size limit, decompression bombs and files that are not images are refused with a
clear message (the scan dialog shows it), never a 500 and never a worker eaten by a huge bitmap."""
from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

HX = {"HX-Request": "true"}


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def forged_png(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims a huge bitmap: the classic decompression bomb."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00" * 4096, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", pixels) + _png_chunk(b"IEND", b"")


def real_bomb() -> bytes:
    """A genuine 64-megapixel PNG of zeros: small on disk, 64 MB and more once decoded."""
    buffer = io.BytesIO()
    Image.new("1", (8000, 8000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def forged_gif(width: int, height: int) -> bytes:
    """A GIF whose image descriptor claims a huge frame."""
    return (b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
            + b"," + struct.pack("<HHHHB", 0, 0, width, height, 0) + b"\x02\x02\x44\x01\x00;")


def _upload(client, data: bytes, name: str = "photo.png", mimetype: str = "image/png"):
    return client.post("/scan/image", data={"image": (io.BytesIO(data), name, mimetype), "source": "photo"},
                       headers=HX, content_type="multipart/form-data")


@pytest.mark.parametrize("data, name, words", [
    (forged_png(60000, 60000), "bomb.png", "too large"),
    (forged_gif(65000, 65000), "bomb.gif", "too large"),
    (b"hello, this is not a picture\n" * 10, "notes.txt", "not an image"),
    (b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "label.pdf", "not an image"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "x.svg", "not an image"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "cut.png", ""),
    (b"", "empty.png", ""),
])
def test_bad_images_are_refused_with_a_message(hx_client, data, name, words):
    response = _upload(hx_client, data, name)
    assert 400 <= response.status_code < 500, response.status_code
    body = response.get_data(as_text=True)
    assert 'role="alert"' in body or "scan-error" in body or "error" in body
    assert words.lower() in body.lower()
    assert "<script>alert" not in body


@pytest.mark.slow
def test_a_real_decompression_bomb_is_refused(hx_client):
    response = _upload(hx_client, real_bomb(), "bomb.png")
    assert 400 <= response.status_code < 500
    assert "too large" in response.get_data(as_text=True).lower()


def test_an_upload_over_the_request_limit_is_refused_before_reading(app, hx_client):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = _upload(hx_client, b"\x00" * (limit + 1024), "huge.png")
    # The scan view answers its 413 as a 422 form error, so htmx swaps the message into the dialog.
    assert response.status_code in (413, 422)
    assert "too much data" in response.get_data(as_text=True)


def test_the_api_refuses_bodies_over_its_limit(app, client_for):
    from blueprints.api.payload import MAX_BODY_BYTES

    client = client_for("operator")
    response = client.post("/api/barcode/", data=b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}",
                           content_type="application/json")
    assert response.status_code == 413
    assert "limited" in response.get_json()["detail"]
