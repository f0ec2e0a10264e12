"""Camera to object page in Chromium with a fake camera, on the device path and on the server path.

The web server, as `make run` starts it (bench/serving.py), serves a fresh SQLite database with the
demo data; Chromium plays an MJPEG file as its webcam (`--use-file-for-fake-video-capture`) showing
part 12's QR label on a desk.
Two measures, each over --runs runs and each on both paths:

- camera button to object page: the Camera button is pressed (the label is already in view) until the
  part's page has loaded (DOMContentLoaded); this includes starting the camera and the decoder;
- code in view to object page: the camera runs on an empty desk, then the label appears (a red mark in
  the frame's corner tells the page's own probe which frame first shows it) until the part's page loads.

The device path decodes frames in the browser (static/js/decode-worker.js, zxing-cpp as WebAssembly) and
posts the text; the server path is the same browser with the decoder's .wasm blocked, so frames go to
POST /scan/image as JPEG. Times come from the page's clocks (performance.timeOrigin), not the driver's.

    .venv/bin/python bench/camera_to_page.py              # 20 runs of each
    .venv/bin/python bench/camera_to_page.py --runs 5 --workers 1
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw  # noqa: E402

from bench.serving import Server, flask  # noqa: E402

USER, PASSWORD = "bench-camera", "bench-camera-password"
PART_ID = 12
FPS_GUESS = 30  # Chromium's fake camera plays an MJPEG file at 30 frames a second
EMPTY_SECONDS = 2.0  # the empty desk before the label comes into view
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]

# Installed in each page: note when the Camera button is pressed and when the red mark first shows.
PROBE = """() => {
  const video = document.querySelector("#scan-dialog [data-camera-video]");
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 4;
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const stamp = (name, at) => sessionStorage.setItem(name, String(performance.timeOrigin + at));
  sessionStorage.removeItem("pressed");
  sessionStorage.removeItem("inView");
  document.querySelector("#scan-dialog [data-camera-toggle]").addEventListener("click",
    (event) => stamp("pressed", event.timeStamp), { capture: true });
  const look = (now) => {
    if (video.videoWidth) {
      context.drawImage(video, 8, 8, 32, 32, 0, 0, 4, 4);
      const [r, g, b] = context.getImageData(1, 1, 1, 1).data;
      if (r > 180 && g < 90 && b < 90) return stamp("inView", now);
    }
    video.requestVideoFrameCallback(look);
  };
  video.requestVideoFrameCallback(look);
}"""
# On the object page: when it loaded, and the probe's notes from the page before.
LANDED = """() => ({ landed: performance.timeOrigin + performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
  pressed: Number(sessionStorage.getItem("pressed")), inView: Number(sessionStorage.getItem("inView")) })"""


def frames(code: str, empty_seconds: float) -> list[Image.Image]:
    """An empty desk for `empty_seconds`, then the label with a red mark in the corner for two seconds."""
    from tests.e2e.fake_camera import label, photo

    empty = photo(None)
    shown = photo(label(code, "qr", 320))
    ImageDraw.Draw(shown).rectangle((0, 0, 48, 48), fill=(230, 20, 20))
    return [empty] * int(empty_seconds * FPS_GUESS) + [shown] * (2 * FPS_GUESS)


def setup(workdir: Path) -> str:
    """A migrated SQLite database with the demo data and the bench user; returns its URL."""
    url = f"sqlite:///{workdir / 'bench.db'}"
    flask(url, "db", "upgrade")
    flask(url, "seed-demo", "--parts", "50")
    flask(url, "create-user", USER, "--role", "viewer", "--password", PASSWORD)
    return url


def measure(playwright, base: str, video: Path, runs: int, device: bool, metric: str) -> list[float]:
    """Milliseconds of each run of one metric ("button" or "view") on one path."""
    browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                         args=CHROMIUM_ARGS + [f"--use-file-for-fake-video-capture={video}"])
    try:
        context = browser.new_context()
        if not device:
            context.route("**/zxing_reader.wasm", lambda route: route.abort())
        page = context.new_page()
        posts: list[str] = []
        page.on("request", lambda request: posts.append(request.url[len(base):]) if request.method == "POST" else None)
        page.goto(f"{base}/login")
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        results = []
        for _ in range(runs + 1):  # the first run warms caches and the worker's install: not counted
            page.goto(f"{base}/parts/")
            posts.clear()
            page.evaluate(PROBE)
            page.get_by_role("button", name="Scan barcode").click()
            page.get_by_role("button", name="Camera").click()
            page.wait_for_url(f"{base}/parts/{PART_ID}", timeout=30_000)
            times = page.evaluate(LANDED)
            start = times["pressed"] if metric == "button" else times["inView"]
            results.append(times["landed"] - start)
            # The device posts the text to /scan; the server path posts frames to /scan/image.
            assert ("/scan" in posts, "/scan/image" in posts) == (device, not device), posts
        return results[1:]
    finally:
        browser.close()


def summary(values: list[float]) -> str:
    """p50, p90, min and max in ms."""
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return (f"p50 {statistics.median(ordered):6.0f}  p90 {p90:6.0f}  min {ordered[0]:6.0f}  "
            f"max {ordered[-1]:6.0f} ms  (n={len(ordered)})")


def main() -> None:
    """Run both measures on both paths and print them with the load."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="counted runs per measure and path (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes (default 2)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from barcodes.internal import internal_code
    from tests.e2e.fake_camera import write_mjpeg

    print(f"load before: {os.getloadavg()}, {os.cpu_count()} CPUs, {args.runs} runs each")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        server = Server(setup(workdir), args.workers, workdir / "gunicorn.log")
        server.start()
        code = internal_code("part", PART_ID)
        in_view = write_mjpeg(workdir / "label.mjpeg", frames(code, 0.2))
        appears = write_mjpeg(workdir / "appears.mjpeg", frames(code, EMPTY_SECONDS))
        try:
            with sync_playwright() as playwright:
                for metric, video, title in (("button", in_view, "camera button to object page"),
                                             ("view", appears, "code in view to object page ")):
                    for device in (True, False):
                        started = time.perf_counter()
                        values = measure(playwright, server.base, video, args.runs, device, metric)
                        path = "device" if device else "server"
                        print(f"{title} [{path}]: {summary(values)}  ({time.perf_counter() - started:.0f} s)")
        finally:
            server.stop()
    print(f"load after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
