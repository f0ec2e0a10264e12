"""Decoding within a budget, through the real endpoint of a real gunicorn (bench/serving.py):

(a) server CPU per camera frame: noisy 1280x720 JPEG frames without a code, posted one after another
    as the live camera posts them (POST /scan/image, source=camera); the CPU the gunicorn workers and
    their decoder processes used for each (from /proc/<pid>/task/*/schedstat, in ns), median and worst.
    Goal: median <= 50 ms, worst <= 150 ms.
(b) hostile images (tests/security/hostile.py, made on the fly), each posted as a photo and as a camera
    frame: the answer, its wall time (goal <= 2 s), and the peak RSS of the decoder process that read
    it (VmHWM, reset by the decoder at each image; goal <= 400 MB), while another signed-in client
    scans a code (POST /scan) every 100 ms: its worst latency during each upload.
(c) decode quality: the shared corpus (../shared/corpus/decode, 272 images) decoded as photos in
    process (the CPU budget alone, as tests/integration/test_barcode_decode.py does) and through a
    decoder pool with the deployed defaults (wall-clock deadlines too, so load can cost a few).

    .venv/bin/python bench/decode_budget.py [--frames 50] [--workers 4] [--only PNG] [--skip-corpus]

Prints the load average before and after; asserts nothing.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.serving import Server, child_pids, fetch, flask, multipart, sign_in  # noqa: E402
from tests.security.hostile import HOSTILE, noisy_jpeg  # noqa: E402

USER, PASSWORD = "bench-viewer", "bench-viewer-password"


def _cpu_ns(pid: int) -> int:
    """CPU time a process has used, all its threads, in ns (0 once it is gone)."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except OSError:
        pass
    return total


def _peak_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"VmHWM:\s+(\d+)", status)
    return int(found.group(1)) if found else 0


class Watcher(threading.Thread):
    """Samples the decoder processes (children of the gunicorn workers) every 10 ms: their CPU and
    peak memory, so a decoder killed at its deadline is still counted."""

    def __init__(self, server: Server):
        super().__init__(daemon=True)
        self.server, self.samples, self.running = server, {}, True

    def decoders(self) -> list[int]:
        """Process ids of the decoders alive now."""
        return [child for worker in self.server.worker_pids() for child in child_pids(worker)]

    def run(self) -> None:
        while self.running:
            for pid in self.decoders():
                cpu, peak = _cpu_ns(pid), _peak_kib(pid)
                if cpu and peak:  # a decoder killed mid-read keeps its last full sample
                    self.samples[pid] = (cpu, peak)
            time.sleep(0.01)

    def snapshot(self) -> dict[int, tuple[int, int]]:
        """The last sample of every decoder seen so far."""
        return dict(self.samples)


async def post_image(server: Server, session, data: bytes, filename: str, source: str):
    """POST /scan/image as the camera or the photo input does; returns the answer."""
    jar, csrf = session
    body, content_type = multipart({"source": source}, "image", filename, data)
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "X-CSRFToken": csrf,
               "HX-Request": "true", "Content-Type": content_type}
    return await fetch(server.port, "POST", "/scan/image", headers, body, timeout=120)


async def bench_frames(server: Server, session, count: int) -> None:
    """(a) server CPU per noisy camera frame."""
    warm_up = 3 * server.workers  # each worker starts its own decoder on its first image
    frames = [noisy_jpeg(1280, 720, seed) for seed in range(count + warm_up)]
    for frame in frames[:warm_up]:
        await post_image(server, session, frame, "frame.jpg", "camera")
    totals, decoders, walls, answers, starts = [], [], [], set(), []
    for frame in frames[warm_up:]:
        workers = server.worker_pids()
        before = {pid: _cpu_ns(pid) for worker in workers for pid in (worker, *child_pids(worker))}
        answer = await post_image(server, session, frame, "frame.jpg", "camera")
        after = {pid: _cpu_ns(pid) for worker in workers for pid in (worker, *child_pids(worker))}
        totals.append(sum(after[pid] - cpu for pid, cpu in before.items() if pid in after) / 1e6)
        decoders.append(sum(after[pid] - cpu for pid, cpu in before.items() if pid in after and pid not in workers) / 1e6)
        starts += [after[pid] / 1e6 for pid in after if pid not in before]  # a decoder started for this frame
        walls.append(answer.seconds * 1000)
        answers.add((answer.status, answer.headers.get("x-scan-result", "")))
    print(f"(a) camera frames, 1280x720 noise, no code ({count} frames after {warm_up} to warm up; "
          f"answers {sorted(answers)}):")
    print(f"    server CPU per frame (gunicorn worker + decoder): median {statistics.median(totals):.1f} ms, "
          f"worst {max(totals):.1f} ms (goal <= 50 / <= 150); the decoder alone: median "
          f"{statistics.median(decoders):.1f} ms, worst {max(decoders):.1f} ms")
    if starts:
        print(f"    plus {len(starts)} decoder start(s) during the run, {statistics.median(starts):.0f} ms CPU each")
    print(f"    wall time per frame: median {statistics.median(walls):.0f} ms, worst {max(walls):.0f} ms")


async def other_client(server: Server, session, stop: asyncio.Event, latencies: list[float]) -> None:
    """Scan a code every 100 ms until told to stop, recording each answer's latency."""
    jar, csrf = session
    headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items()), "X-CSRFToken": csrf,
               "HX-Request": "true", "Content-Type": "application/x-www-form-urlencoded"}
    while not stop.is_set():
        answer = await fetch(server.port, "POST", "/scan", headers, b"barcode=SSP1E&source=dialog", timeout=120)
        latencies.append(answer.seconds * 1000 if answer.status < 500 else float("inf"))
        await asyncio.sleep(0.1)


async def bench_hostile(server: Server, session, other, only: str) -> None:
    """(b) each hostile image as a photo and as a camera frame."""
    watcher = Watcher(server)
    watcher.start()
    print("(b) hostile images: answer, wall time (goal <= 2 s), decoder peak RSS (goal <= 400 MB), "
          "worst latency of another client's scans meanwhile")
    print(f"    {'image':<30} {'KB':>6}  {'as a photo':<42} {'as a camera frame':<42}")
    for name, build, filename in HOSTILE:
        if only and only.lower() not in name.lower():
            continue
        data = build()
        cells = []
        for source in ("photo", "camera"):
            before = watcher.snapshot()
            stop, latencies = asyncio.Event(), []
            scanner = asyncio.create_task(other_client(server, other, stop, latencies))
            answer = await post_image(server, session, data, filename, source)
            stop.set()
            await scanner
            await asyncio.sleep(0.05)
            after = watcher.snapshot()
            worked = [pid for pid, (cpu, _) in after.items() if cpu > before.get(pid, (0, 0))[0]]
            peak = max((after[pid][1] for pid in worked), default=0) / 1024
            verdict = answer.headers.get("x-scan-result", "")
            cells.append(f"{answer.status} {verdict:<8} {answer.seconds:5.2f} s {peak:5.0f} MB "
                         f"scan {max(latencies, default=0):4.0f} ms")
        print(f"    {name:<30} {len(data) // 1024:>6}  {cells[0]:<42} {cells[1]:<42}")
    watcher.running = False


def bench_corpus() -> None:
    """(c) the corpus count in process and through the pool, with the deployed photo budget."""
    import json

    from barcodes.decode import DecodeOptions, DecodeTimeout, ImageError, decode
    from barcodes.decode_pool import DecodeBusy, DecodePool, PoolLimits
    from config import DECODE_LIMITS

    corpus = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "decode"
    if not (corpus / "manifest.json").exists():
        print(f"(c) corpus not found at {corpus}")
        return
    seconds = DECODE_LIMITS["DECODE_PHOTO_SECONDS"].default
    options = DecodeOptions(seconds=seconds)
    pool = DecodePool(PoolLimits())
    in_process = pooled = 0
    entries = json.loads((corpus / "manifest.json").read_text())
    for entry in entries:
        data = (corpus / entry["file"]).read_bytes()
        for way in ("in process", "pool"):
            try:
                found = decode(data, options) if way == "in process" else pool.run(data, options, seconds).found
            except (DecodeTimeout, ImageError, DecodeBusy):
                found = []
            hit = entry["expected"] in [d.text for d in found]
            in_process += hit and way == "in process"
            pooled += hit and way == "pool"
    pool.close()
    print(f"(c) corpus decoded as photos ({seconds} s budget): {in_process}/{len(entries)} in process, "
          f"{pooled}/{len(entries)} through the decoder pool")


async def main_async(args: argparse.Namespace, server: Server) -> None:
    """Sign two clients in and run both benchmarks."""
    session = await sign_in(server.port, USER, PASSWORD)
    other = await sign_in(server.port, USER, PASSWORD)
    if args.frames:
        await bench_frames(server, session, args.frames)
    await bench_hostile(server, session, other, args.only)


def main() -> None:
    """Parse options, start gunicorn on a fresh SQLite database, run, print."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=50, help="camera frames for (a); 0 skips it")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (make run: 2 x cores)")
    parser.add_argument("--only", default="", help="only the hostile images whose name contains this")
    parser.add_argument("--skip-corpus", action="store_true", help="skip (c), the corpus count")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; {os.cpu_count()} CPUs")
    if not args.skip_corpus:
        bench_corpus()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        flask(url, "db", "upgrade")
        flask(url, "create-user", USER, "--role", "viewer", "--password", PASSWORD)
        server = Server(url, args.workers, Path(tmp) / "gunicorn.log")
        server.start()
        try:
            asyncio.run(main_async(args, server))
        finally:
            server.stop()
        killed = Path(tmp, "gunicorn.log").read_text().count("killed at its deadline")
        print(f"decoders killed at their deadline: {killed}; gunicorn workers lost: "
              f"{Path(tmp, 'gunicorn.log').read_text().count('WORKER TIMEOUT')}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
