"""The decode budget in the engine: every pass within the pixel budget, passes stopped by the time
budget, and the decoder pool (bounded, killing and replacing decoders, shutting down, after a fork)."""
from __future__ import annotations

import os
import threading
import time

import pytest

from barcodes.decode import DecodeOptions, DecodeTimeout, ImageError, _pyzbar, _zxing, decode, open_image
from barcodes.decode_passes import Budget, Pass, photo_plan, run_passes
from barcodes.decode_pool import DecodeBusy, DecodePool, PoolLimits
from barcodes.render import draw_barcode
from bench.serving import is_alive
from tests.security.hostile import noisy_jpeg, png

QR = draw_barcode("SSP12E", "qr", "png")


def _spy(decoder, seen: list):
    def spy(image):
        seen.append(image.size)
        return decoder(image)
    return spy


@pytest.mark.parametrize("size", [(20000, 2000), (2000, 20000), (6300, 6300), (300, 200)])
def test_no_pass_decodes_more_pixels_than_the_pass_budget(size):
    """On main the 45-degree pass turned 20000x2000 into 15558x15558 (242 MP, 1.4 GB)."""
    budget_pixels = 2_000_000
    image = open_image(png(*size), fit_pixels=budget_pixels)
    seen: list = []
    fast = Pass("fast", 0.2, _spy(_zxing, seen))
    plan = photo_plan(image, fast, _spy(_zxing, seen), _spy(_pyzbar, seen))
    assert run_passes(image, plan, Budget(600), budget_pixels) == []
    assert len(seen) == 2 * len(plan) - 3  # every pass ran: three single ones, the transforms with both decoders
    assert max(width * height for width, height in seen) <= budget_pixels
    assert len(set(seen)) > 1 or size == (300, 200)  # the rotations really made other images


def test_a_noisy_photo_stops_at_its_time_budget():
    """On main a noisy 12 MP photo took about 57 s of CPU; with half a second it gives up in time."""
    started = time.process_time()
    with pytest.raises(DecodeTimeout):
        decode(noisy_jpeg(4032, 3024), DecodeOptions(seconds=0.5))
    assert time.process_time() - started < 3.0  # one pass may overrun a little; not tens of seconds


def test_a_camera_frame_gets_one_fast_pass_and_a_photo_the_rest():
    """A small, turned code: the full passes find it, the frame's single fast pass does not."""
    from PIL import Image
    import io

    label = Image.open(io.BytesIO(draw_barcode("SSP12E", "code128", "png"))).convert("L")
    turned = label.rotate(90, expand=True)
    out = io.BytesIO()
    turned.save(out, "PNG")
    assert decode(out.getvalue(), DecodeOptions(passes="frame")) == []
    assert [d.text for d in decode(out.getvalue(), DecodeOptions(passes="photo"))] == ["SSP12E"]


@pytest.fixture
def pool():
    made = DecodePool(PoolLimits(processes=1, queue=0, memory_mb=400))
    yield made
    made.close()


def test_a_decoder_killed_at_its_deadline_is_replaced(pool):
    killed = pool.run(QR, DecodeOptions(), 30).pid  # started and warm
    slow = png(6300, 6300, color_type=6, bit_depth=16)  # a second or more just to open
    started = time.monotonic()
    with pytest.raises(DecodeTimeout):
        pool.run(slow, DecodeOptions(seconds=0.3), 0.3)
    assert time.monotonic() - started < 5.0
    assert not is_alive(killed)
    first = pool.run(QR, DecodeOptions(), 30)
    assert [d.text for d in first.found] == ["SSP12E"] and first.pid != killed
    assert pool.run(QR, DecodeOptions(), 30).pid == first.pid  # the replacement stays for the next image


def test_a_decoder_that_died_idle_is_replaced_without_failing_the_next_image(pool):
    pid = pool.run(QR, DecodeOptions(), 30).pid
    os.kill(pid, 9)
    time.sleep(0.2)
    reply = pool.run(QR, DecodeOptions(), 30)
    assert reply.pid != pid and [d.text for d in reply.found] == ["SSP12E"]


def test_the_pool_is_bounded_and_says_busy_at_once(pool):
    slow = noisy_jpeg(4032, 3024)
    outcome: list = []

    def occupy():
        try:
            pool.run(slow, DecodeOptions(seconds=5), 5)
        except (DecodeTimeout, ImageError, DecodeBusy) as error:
            outcome.append(error)

    pool.run(QR, DecodeOptions(), 30)  # a started decoder, so the first image is busy at once
    worker = threading.Thread(target=occupy)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    with pytest.raises(DecodeBusy):
        pool.run(QR, DecodeOptions(), 30)  # one decoder, no queue: refused, not queued
    assert time.monotonic() - started < 1.0
    worker.join()


def test_a_queued_image_waits_for_the_decoder():
    pool = DecodePool(PoolLimits(processes=1, queue=1, memory_mb=400))
    try:
        results: list = []
        threads = [threading.Thread(target=lambda: results.append(pool.run(QR, DecodeOptions(), 60))) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [[d.text for d in r.found] for r in results] == [["SSP12E"], ["SSP12E"]]
        assert results[0].pid == results[1].pid  # one decoder did both
    finally:
        pool.close()


def test_the_memory_limit_refuses_what_does_not_fit():
    pool = DecodePool(PoolLimits(processes=1, queue=0, memory_mb=200))
    try:
        with pytest.raises(ImageError, match="memory"):
            pool.run(png(6300, 6300, color_type=6), DecodeOptions(seconds=30), 30)  # 40 MP RGBA: 200 MB
        assert [d.text for d in pool.run(QR, DecodeOptions(), 30).found] == ["SSP12E"]
    finally:
        pool.close()


def test_a_decoder_that_cannot_start_makes_the_server_busy_not_the_image_bad():
    pool = DecodePool(PoolLimits(processes=1, queue=0, memory_mb=20))  # too little to load the decoders
    try:
        with pytest.raises(DecodeBusy):
            pool.run(QR, DecodeOptions(), 30)
    finally:
        pool.close()


def test_close_stops_the_decoders(pool):
    pid = pool.run(QR, DecodeOptions(), 30).pid
    pool.close()
    assert not is_alive(pid)
    with pytest.raises(DecodeBusy):
        pool.run(QR, DecodeOptions(), 30)


def test_a_forked_child_starts_its_own_decoder_and_leaves_the_parents_alone(pool):
    parent_pid = pool.run(QR, DecodeOptions(), 30).pid
    read, write = os.pipe()
    child = os.fork()
    if child == 0:  # as a server worker forked from a parent that had decoded
        try:
            reply = pool.run(QR, DecodeOptions(), 30)
            os.write(write, f"{reply.pid} {reply.found[0].text}".encode())
        finally:
            os._exit(0)
    os.close(write)
    os.waitpid(child, 0)
    child_pid, text = os.read(read, 100).decode().split()
    os.close(read)
    assert text == "SSP12E" and int(child_pid) != parent_pid
    assert pool.run(QR, DecodeOptions(), 30).pid == parent_pid  # the parent's decoder still works


@pytest.mark.parametrize("key, value", [
    ("DECODE_PHOTO_SECONDS", 0), ("DECODE_PHOTO_SECONDS", "nan"), ("DECODE_CAMERA_SECONDS", "60"),
    ("DECODE_PROCESSES", "many"), ("DECODE_PROCESSES", 0), ("DECODE_QUEUE", 1.5), ("DECODE_MEMORY_MB", 10**6),
    ("DECODE_PASS_MEGAPIXELS", True),
])
def test_a_decode_limit_out_of_its_bounds_stops_the_app_naming_it(key, value):
    from config import check_decode_limits

    with pytest.raises(ValueError, match=key):
        check_decode_limits({key: value})


def test_decode_limits_come_typed_from_the_environment(monkeypatch, tmp_path):
    from config import Config, check_decode_limits

    monkeypatch.setenv("DECODE_PHOTO_SECONDS", " 3 ")
    monkeypatch.setenv("DECODE_PROCESSES", "3")
    config = Config.from_environment(tmp_path)
    check_decode_limits(config)
    assert config["DECODE_PHOTO_SECONDS"] == 3.0 and isinstance(config["DECODE_PHOTO_SECONDS"], float)
    assert config["DECODE_PROCESSES"] == 3 and config["DECODE_MEMORY_MB"] == 400
