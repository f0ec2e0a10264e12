"""The bridge from granian's event loop (ASGI) to the Flask app (WSGI), which makes slow clients cheap.

A WSGI app reads the request body from a blocking file, so under a WSGI server a client that sends
its body a byte a second holds a thread (under gunicorn's sync worker, a whole process) for as long
as it likes. Here each worker's event loop reads the body first and the app runs on one of a few
threads only once the request is complete; its answer goes back through the event loop, so a slow
reader holds no thread either. granian itself closes connections whose headers do not arrive within
its header timeout (server/settings.py). Bodies get a deadline here:

- BODY_TIMEOUT_S to start, one more second for every MIN_BODY_RATE bytes that arrive (a 12 MB photo
  over poor Wi-Fi gets the time it needs, a byte a second does not), at most BODY_MAX_S; then 408.
- A body larger than the app's MAX_CONTENT_LENGTH is not read: the app answers 413 from the
  Content-Length header alone (a chunked one is read up to the limit, then answered 413 here).
- At most BUFFER_LIMIT bytes of bodies are held per worker at once; past that, 503 with Retry-After,
  so many large uploads at once cannot exhaust memory.

The answer goes back in hops of up to BATCH bytes: one hop for an ordinary page or scan, a stream for
a PDF or a CSV export. Every hop of one request runs in that request's own contextvars.Context, so a
streamed response (stream_with_context) finds its request context on whichever thread it resumes.
"""
from __future__ import annotations

import asyncio
import contextlib
import contextvars
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Iterator

BODY_TIMEOUT_S = 10.0
MIN_BODY_RATE = 50_000  # bytes a second
BODY_MAX_S = 300.0
BUFFER_LIMIT = 64 * 1024 * 1024
BATCH = 256 * 1024


class Refused(Exception):
    """A request answered by the bridge itself: status, reason, extra headers."""

    def __init__(self, status: int, text: str, *headers: tuple[bytes, bytes]):
        super().__init__(text)
        self.status, self.text, self.headers = status, text, headers


class Bridge:
    """An ASGI app that serves a WSGI app on `threads` threads (see the module)."""

    def __init__(self, wsgi_app: Callable, threads: int, max_body: int | None):
        self.wsgi_app = wsgi_app
        self.max_body = max_body
        self.executor = ThreadPoolExecutor(threads, thread_name_prefix="wsgi")
        self.buffered = 0  # body bytes held by requests in flight (only the event loop touches it)

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        """Serve one HTTP request: read its body, run the app on a thread, send the answer."""
        if scope["type"] != "http":
            return  # no websockets, no lifespan (granian runs without them)
        held = 0
        try:
            try:
                body, held = await self._read_body(scope, receive)
            except Refused as refused:
                await _send_refusal(send, refused)
                return
            except ConnectionError:
                # granian reports a body it cannot parse (a malformed chunk) as a disconnect too. A client
                # that did go away never reads this; one that sent garbage learns it was its fault.
                with contextlib.suppress(Exception):
                    await _send_refusal(send, Refused(400, "The request body could not be read.",
                                                      (b"connection", b"close")))
                return
            await self._respond(wsgi_environ(scope, body), send)
        finally:
            self.buffered -= held

    async def _respond(self, environ: dict, send: Callable) -> None:
        """Run the app on a thread and send its answer, streamed when it is long."""
        context = contextvars.Context()  # one per request: see the module
        loop = asyncio.get_running_loop()
        status, headers, chunks, rest = await loop.run_in_executor(self.executor, context.run, self._start, environ)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        if rest is None:
            await send({"type": "http.response.body", "body": b"".join(chunks)})
            return
        iterable, iterator = rest
        try:
            while True:
                await send({"type": "http.response.body", "body": b"".join(chunks), "more_body": True})
                chunks = []
                if await loop.run_in_executor(self.executor, context.run, _pull, iterator, chunks):
                    await send({"type": "http.response.body", "body": b"".join(chunks)})
                    return
        finally:
            await loop.run_in_executor(self.executor, context.run, _close, iterable)

    async def _read_body(self, scope: dict, receive: Callable) -> tuple[bytes | None, int]:
        """The whole body (None when the app should refuse it unread) and the bytes it holds."""
        headers = dict(scope["headers"])
        if b"content-length" not in headers and b"transfer-encoding" not in headers:
            return b"", 0
        declared = _content_length(headers)
        if self.max_body is not None and declared is not None and declared > self.max_body:
            return None, 0  # the app answers 413 from Content-Length without reading
        if self.buffered + (declared or 0) > BUFFER_LIMIT:
            raise _busy()
        loop = asyncio.get_running_loop()
        started = loop.time()
        deadline = started + BODY_TIMEOUT_S
        chunks, size = [], 0
        try:
            while True:
                try:
                    message = await asyncio.wait_for(receive(), max(0.0, deadline - loop.time()))
                except asyncio.TimeoutError:
                    raise Refused(408, "The request body arrived too slowly.", (b"connection", b"close")) from None
                if message["type"] == "http.disconnect":
                    raise ConnectionError("the client disconnected")
                chunk = message.get("body", b"")
                if self.buffered + len(chunk) > BUFFER_LIMIT:
                    raise _busy()
                chunks.append(chunk)
                size += len(chunk)
                self.buffered += len(chunk)
                if self.max_body is not None and size > self.max_body:
                    raise Refused(413, "The request is too large.", (b"connection", b"close"))
                deadline = min(started + BODY_MAX_S, deadline + len(chunk) / MIN_BODY_RATE)
                if not message.get("more_body"):
                    return b"".join(chunks), size
        except BaseException:
            self.buffered -= size
            raise

    def _start(self, environ: dict) -> tuple[int, list, list[bytes], tuple | None]:
        """On a thread: call the app and take up to BATCH bytes of its answer (rest: None if that is all)."""
        response: list = []
        chunks: list[bytes] = []

        def start_response(status: str, headers: list, exc_info=None):
            if exc_info and response and chunks:
                raise exc_info[1].with_traceback(exc_info[2])
            response[:] = [status, headers]
            return chunks.append  # the legacy write() callable

        iterable = self.wsgi_app(environ, start_response)
        iterator = iter(iterable)
        try:
            done = _pull(iterator, chunks)
        except BaseException:
            _close(iterable)
            raise
        if done:
            _close(iterable)
        status, headers = response
        encoded = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers]
        return int(status.split(" ", 1)[0]), encoded, chunks, None if done else (iterable, iterator)


def _pull(iterator: Iterator[bytes], chunks: list[bytes]) -> bool:
    """Add the answer's next chunks to `chunks` until it holds BATCH bytes; True once the answer is all read."""
    size = sum(map(len, chunks))
    for chunk in iterator:
        if chunk:
            chunks.append(chunk)
            size += len(chunk)
            if size >= BATCH:
                return False
    return True


def _busy() -> Refused:
    return Refused(503, "The server is busy receiving other uploads; try again shortly.",
                   (b"retry-after", b"5"), (b"connection", b"close"))


def _close(iterable: Iterable) -> None:
    close = getattr(iterable, "close", None)
    if close is not None:
        close()


def _content_length(headers: dict[bytes, bytes]) -> int | None:
    try:
        return int(headers[b"content-length"])
    except (KeyError, ValueError):
        return None


async def _send_refusal(send: Callable, refused: Refused) -> None:
    body = (refused.text + "\n").encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
               (b"x-content-type-options", b"nosniff"), *refused.headers]
    await send({"type": "http.response.start", "status": refused.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def wsgi_environ(scope: dict, body: bytes | None) -> dict:
    """The PEP 3333 environ for an ASGI HTTP scope and its complete body (None: left unread)."""
    server_name, server_port = scope.get("server") or ("localhost", 80)
    path = scope.get("root_path", "") + scope["path"]
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": path[len(scope.get("root_path", "")):].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": str(server_name),
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body or b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    if scope.get("client"):
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = scope["client"][0], str(scope["client"][1])
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        key = name if name in ("CONTENT_TYPE", "CONTENT_LENGTH") else f"HTTP_{name}"
        value = raw_value.decode("latin-1")
        if key in environ:  # repeated headers are joined (cookies with "; ", as browsers send them)
            value = environ[key] + ("; " if key == "HTTP_COOKIE" else ",") + value
        environ[key] = value
    if body is not None and ("CONTENT_LENGTH" in environ or "HTTP_TRANSFER_ENCODING" in environ):
        environ["CONTENT_LENGTH"] = str(len(body))  # the body is complete now, however it was sent
        environ.pop("HTTP_TRANSFER_ENCODING", None)
    return environ
