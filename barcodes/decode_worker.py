"""One decoder process: `python -m barcodes.decode_worker FD MEMORY_MB`, started by barcodes/decode_pool.py.

Once loaded it writes READY to the socket it was given, then reads jobs from it (a JSON header, then
the image bytes; each a length-prefixed frame), decodes each with barcodes.decode.decode() and
writes a JSON reply. Its address space is capped (RLIMIT_AS), so a bitmap too big for it fails here
as a MemoryError instead of swapping the machine, and each job gets a CPU limit (RLIMIT_CPU) that
ends a runaway decoder even if nobody is left to kill it. It exits when the other end of the socket
closes.
"""
from __future__ import annotations

import base64
import json
import os
import resource
import signal
import socket
import struct
import sys
import time

from barcodes.decode import DecodeOptions, DecodeTimeout, ImageError, decode
from barcodes.images import TOO_LARGE_FOR_MEMORY

MAX_HEADER = 64 * 1024
MARGIN = 0.05  # seconds kept back from the deadline for the reply to travel
READY = b"R"
LENGTH = struct.Struct("!I")


def encode_job(options: DecodeOptions, deadline: float) -> bytes:
    """The header of one job: the options, and its deadline on the monotonic clock (which Linux
    shares between processes)."""
    return json.dumps({"options": vars(options), "deadline": deadline}).encode()


def send_frame(sock: socket.socket, payload: bytes, deadline: float | None = None) -> None:
    """Write one length-prefixed frame, by `deadline` (TimeoutError) when given."""
    sock.settimeout(None if deadline is None else max(0.001, deadline - time.monotonic()))
    sock.sendall(LENGTH.pack(len(payload)))
    sock.sendall(payload)


def recv_frame(sock: socket.socket, limit: int, deadline: float | None = None) -> bytes:
    """Read one frame of at most `limit` bytes, by `deadline` (TimeoutError) when given; EOFError
    when the other end closed, ValueError when the frame is longer than allowed."""
    size = LENGTH.unpack(_recv_exactly(sock, LENGTH.size, deadline))[0]
    if size > limit:
        raise ValueError(f"a frame of {size} bytes; at most {limit} allowed")
    return _recv_exactly(sock, size, deadline)


def _recv_exactly(sock: socket.socket, size: int, deadline: float | None) -> bytes:
    buffer, got = bytearray(size), 0
    view = memoryview(buffer)
    while got < size:
        sock.settimeout(None if deadline is None else max(0.001, deadline - time.monotonic()))
        count = sock.recv_into(view[got:])
        if count == 0:
            raise EOFError("the other end closed the socket")
        got += count
    return bytes(buffer)


def _reply(found: list, error: tuple[str, str] | None, cpu_start: float) -> bytes:
    """The JSON answer to one job, with what it cost this process."""
    items = [{"text": d.text, "symbology": d.symbology, "raw": base64.b64encode(d.raw).decode(),
              "aim_id": d.aim_id, "decoder": d.decoder} for d in found]
    return json.dumps({"found": items, "error": error, "cpu": time.process_time() - cpu_start,
                       "peak_kb": _peak_kb()}).encode()


def _peak_kb() -> int:
    """This process's peak resident memory since the last reset, in KiB (0 where /proc is missing)."""
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return 0


def _reset_peak() -> None:
    """Start the peak-memory count afresh for the next job (Linux: writing 5 to clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass


def _limit_cpu(seconds: float) -> None:
    """Let this process run at most `seconds` more CPU seconds (then SIGXCPU ends it)."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    soft = int(used.ru_utime + used.ru_stime + seconds) + 1
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    _set_limit(resource.RLIMIT_CPU, soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)


def _set_limit(which: int, soft: int, hard: int) -> None:
    """Set a resource limit where the system allows it (Linux does; the pool's deadline holds anyway)."""
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError) as error:
        print(f"decoder {os.getpid()}: cannot set resource limit {which}: {error}", file=sys.stderr)


def run_job(header: bytes, data: bytes) -> bytes:
    """Decode one image as the header says; the reply carries the barcodes or the error."""
    cpu_start = time.process_time()
    job = json.loads(header)
    options, deadline = DecodeOptions(**job["options"]), float(job["deadline"])
    _reset_peak()
    _limit_cpu(options.seconds * 2 + 1)  # the pool kills us at the deadline; this is for when it cannot
    try:
        found = decode(data, options, deadline=deadline - MARGIN)
    except ImageError as error:
        return _reply([], ("image", str(error)), cpu_start)
    except DecodeTimeout:
        return _reply([], ("timeout", ""), cpu_start)
    except MemoryError:
        return _reply([], ("image", f"{TOO_LARGE_FOR_MEMORY}."), cpu_start)
    return _reply(found, None, cpu_start)


def serve(sock: socket.socket, memory_mb: int) -> None:
    """Answer jobs until the socket closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C stops the server; we follow when it closes the socket
    limit = memory_mb * 1024 * 1024
    _set_limit(resource.RLIMIT_AS, limit, limit)
    _preload()
    sock.sendall(READY)
    while True:
        try:
            header = recv_frame(sock, MAX_HEADER)
            data = recv_frame(sock, options_max_bytes(header))
            send_frame(sock, run_job(header, data))
        except (EOFError, OSError, ValueError):
            return


def _preload() -> None:
    """Load the decoders now, not during the first job's budget."""
    import zxingcpp  # noqa: F401

    try:
        from pyzbar import pyzbar  # noqa: F401
    except ImportError:  # libzbar missing: decode() goes on with zxing-cpp alone
        pass


def options_max_bytes(header: bytes) -> int:
    """The longest image the job's options allow (the pool never sends more, but the socket is read bounded)."""
    return int(json.loads(header)["options"]["max_bytes"]) + 1


if __name__ == "__main__":
    serve(socket.socket(fileno=int(sys.argv[1])), int(sys.argv[2]))
