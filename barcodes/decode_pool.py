"""A small pool of decoder processes: the one way to bound an image's decode in time and memory.

A zxing-cpp or pyzbar call cannot be interrupted from Python, and inside the server it would hold
the GIL and the server's memory. So each decode runs in a decoder process
(barcodes/decode_worker.py, started with `python -m`: it inherits neither the app's memory nor its
database connections nor its environment). The request thread sends the image over a socket pair and
waits, without the GIL, for the answer or its deadline; at the deadline the decoder is killed and the
next image gets a fresh one. Per server process at most `processes` decoders exist and at most
`queue` requests wait for one; the rest are answered busy at once. Decoders start on first use, are
replaced when they die or after MAX_JOBS images, and are stopped at exit; after a fork (a web server's
workers) the child forgets its parent's decoders and starts its own.
"""
from __future__ import annotations

import atexit
import base64
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path

from barcodes.decode import Decoded, DecodeOptions, DecodeTimeout, ImageError
from barcodes.decode_worker import READY, encode_job, recv_frame, send_frame
from barcodes.images import check_length

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent  # the folder `python -m barcodes.decode_worker` runs in
MAX_JOBS = 1000  # a decoder is replaced after this many images, so nothing it leaks can pile up
MAX_REPLY = 1024 * 1024
# A decoder's start (Python and the decoders loading, about 0.1 s; more on a loaded machine) is not
# the image's fault: an image waits up to this long for it, and then still gets its whole budget.
STARTUP_GRACE = 10.0
STOPPED = "This image could not be decoded: the decoder stopped (the image may be too large for its memory)."


class DecodeBusy(Exception):
    """Every decoder is busy and the queue is full, or none came free before the deadline (or none
    could be started: the log says why)."""


class DecoderDidNotStart(Exception):
    """A decoder process failed before it was ready: the installation's fault, not the image's."""


@dataclass(frozen=True)
class PoolLimits:
    """How many decoders one server process may run, how many requests may wait, and their memory."""

    processes: int = 2
    queue: int = 4
    memory_mb: int = 400


@dataclass(frozen=True)
class Reply:
    """What a decoder found, and what the image cost it."""

    found: list[Decoded]
    cpu_seconds: float
    peak_rss_kb: int
    pid: int


class _Decoder:
    """One decoder process and our end of its socket."""

    def __init__(self, memory_mb: int):
        ours, theirs = socket.socketpair()
        env = {key: value for key, value in os.environ.items() if key in ("PATH", "LANG", "LC_ALL", "TZ")}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(ROOT), os.environ.get("PYTHONPATH"))))
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "barcodes.decode_worker", str(theirs.fileno()), str(memory_mb)],
                pass_fds=(theirs.fileno(),), cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        self.socket, self.jobs, self.ready = ours, 0, False

    def wait_ready(self, deadline: float) -> bool:
        """Whether the process has started and loaded its decoders (it says so with one byte)."""
        if not self.ready:
            self.socket.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                self.ready = self.socket.recv(1) == READY
            except TimeoutError:
                return False
            except OSError as error:
                raise DecoderDidNotStart(str(error)) from None
            if not self.ready:
                raise DecoderDidNotStart(f"it exited with {self.process.wait()}")
        return True

    def ask(self, header: bytes, data: bytes, deadline: float) -> dict:
        """Send one image and wait for the reply until `deadline`; TimeoutError when it does not come."""
        send_frame(self.socket, header, deadline)
        send_frame(self.socket, data, deadline)
        reply = json.loads(recv_frame(self.socket, MAX_REPLY, deadline))
        self.jobs += 1
        return reply

    def stop(self) -> None:
        """End the process now and reap it."""
        self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def forget(self) -> None:
        """Drop our copy of the socket in a forked child, leaving the parent's decoder alone."""
        self.socket.close()


class DecodePool:
    """Decoder processes for one server process, started on first use; see the module docstring."""

    def __init__(self, limits: PoolLimits = PoolLimits()):
        self.limits = limits
        self._reset()
        _POOLS.add(self)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(self.limits.processes)
        self._idle: list[_Decoder] = []
        self._live: set[_Decoder] = set()  # idle and busy, to forget after a fork
        self._admitted = 0  # requests decoding or waiting to
        self._closed = False

    @property
    def admitted(self) -> int:
        """Images decoding or waiting for a decoder right now."""
        return self._admitted

    def run(self, data: bytes, options: DecodeOptions, seconds: float) -> Reply:
        """Decode `data` in a decoder within `seconds`, waiting for a free one included.

        Raises ImageError (not an image, too large), DecodeTimeout (no answer in time: the decoder
        was killed, or its passes ran out of budget) or DecodeBusy (no decoder free in time)."""
        deadline = time.monotonic() + seconds
        check_length(data, options)  # a decoder reads no more than this; answer it here
        with self._lock:
            if self._closed or self._admitted >= self.limits.processes + self.limits.queue:
                raise DecodeBusy("every decoder is busy")
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=max(0.0, deadline - time.monotonic())):
                raise DecodeBusy("no decoder came free in time")
            try:
                return self._run(data, options, deadline)
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1

    def _run(self, data: bytes, options: DecodeOptions, deadline: float) -> Reply:
        try:
            decoder = self._take()
        except OSError as error:  # no process could be made (the system's limits)
            logger.error("could not start a decoder: %s", error)
            raise DecodeBusy("no decoder could be started") from None
        try:
            if not decoder.ready:
                waiting = time.monotonic()
                if not decoder.wait_ready(deadline + STARTUP_GRACE):  # keep it for the next image
                    self._give_back(decoder)
                    raise DecodeBusy("the decoder did not start in time")
                deadline += time.monotonic() - waiting
            reply = decoder.ask(encode_job(options, deadline), data, deadline)
        except DecoderDidNotStart as error:
            logger.error("decoder %s did not start: %s", decoder.process.pid, error)
            self._stop(decoder)
            raise DecodeBusy("the decoder did not start") from None
        except TimeoutError:
            logger.info("decoder %s killed at its deadline (%d bytes of image)", decoder.process.pid, len(data))
            self._replace(decoder)
            raise DecodeTimeout("deadline") from None
        except (OSError, EOFError, ValueError):  # it died (memory, a crash) or sent nonsense
            logger.warning("decoder %s stopped (exit %s)", decoder.process.pid, decoder.process.poll())
            self._replace(decoder)
            raise ImageError(STOPPED) from None
        self._give_back(decoder)
        return _parse(reply, decoder.process.pid)

    def _take(self) -> _Decoder:
        while True:
            with self._lock:
                decoder = self._idle.pop() if self._idle else None
            if decoder is None:
                break
            if decoder.process.poll() is None:
                return decoder
            self._stop(decoder)  # it died idle (killed from outside): start another, not the image's fault
        decoder = _Decoder(self.limits.memory_mb)  # we hold a slot, so the count stays within `processes`
        with self._lock:
            self._live.add(decoder)
        return decoder

    def _give_back(self, decoder: _Decoder) -> None:
        with self._lock:
            if not self._closed and decoder.jobs < MAX_JOBS:
                self._idle.append(decoder)
                return
        self._stop(decoder)

    def _stop(self, decoder: _Decoder) -> None:
        with self._lock:
            self._live.discard(decoder)
        decoder.stop()

    def _replace(self, decoder: _Decoder) -> None:
        """Stop a decoder that failed an image and start its successor now, so that it is ready
        (not merely starting) when the next image comes."""
        self._stop(decoder)
        if self._closed:
            return
        try:
            successor = _Decoder(self.limits.memory_mb)
        except OSError as error:  # the next image will try again
            logger.error("could not start a decoder: %s", error)
            return
        with self._lock:
            self._live.add(successor)
        self._give_back(successor)

    def close(self) -> None:
        """Stop the idle decoders; busy ones are stopped when their image is done."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for decoder in idle:
            self._stop(decoder)

    def _after_fork(self) -> None:
        for decoder in self._live:
            decoder.forget()
        self._reset()


def _parse(reply: dict, pid: int) -> Reply:
    """The decoder's JSON reply as a Reply, or the error it reports raised."""
    error = reply.get("error")
    if error:
        kind, message = error
        if kind == "timeout":
            raise DecodeTimeout("budget")
        raise ImageError(message)
    found = [Decoded(text=item["text"], symbology=item["symbology"], raw=base64.b64decode(item["raw"]),
                     aim_id=item["aim_id"], decoder=item["decoder"]) for item in reply["found"]]
    return Reply(found, float(reply["cpu"]), int(reply["peak_kb"]), pid)


_POOLS: weakref.WeakSet[DecodePool] = weakref.WeakSet()
_SHARED: dict[PoolLimits, DecodePool] = {}
_SHARED_LOCK = threading.Lock()


def shared_pool(limits: PoolLimits) -> DecodePool:
    """This process's pool for these limits (every app in the process with the same limits shares it)."""
    with _SHARED_LOCK:
        pool = _SHARED.get(limits)
        if pool is None:
            pool = _SHARED[limits] = DecodePool(limits)
        return pool


def close_all() -> None:
    """Stop every pool's idle decoders (at exit, and from a server's worker-exit hook)."""
    for pool in list(_POOLS):
        pool.close()


def _forget_after_fork() -> None:
    global _SHARED_LOCK
    _SHARED_LOCK = threading.Lock()
    for pool in list(_POOLS):
        pool._after_fork()


atexit.register(close_all)
os.register_at_fork(after_in_child=_forget_after_fork)
