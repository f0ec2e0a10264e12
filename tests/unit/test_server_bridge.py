"""The bridge between granian's event loop and the Flask app (server/bridge.py), driven through the
ASGI interface granian uses: the request as granian hands it over, the answer as granian would send
it. The real server against real sockets is in tests/faults/test_slow_clients.py."""
from __future__ import annotations

import asyncio
import threading
import time

import pytest
from flask import Flask, Response, request, stream_with_context

from server import bridge
from server.bridge import Bridge


def flask_app() -> Flask:
    """A small app that shows what it was given."""
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 1000
    seen = app.config["SEEN"] = []

    @app.route("/echo/<path:rest>", methods=["GET", "POST"])
    def echo(rest):
        seen.append(threading.current_thread().name)
        return {"path": request.path, "args": request.args.to_dict(), "form": request.form.to_dict(),
                "remote": request.remote_addr, "scheme": request.scheme, "cookies": request.cookies,
                "agent": request.headers.get("User-Agent"), "length": request.content_length}

    @app.get("/slow")
    def slow():
        time.sleep(float(request.args["seconds"]))  # as a decode waiting on its process pool would
        return "done"

    @app.post("/upload")
    def upload():
        return {"bytes": len(request.get_data())}

    @app.get("/stream")
    def stream():
        def rows():
            for n in range(int(request.args["rows"])):
                yield f"{request.args['label']} {n:06d}\n" * 1000  # about 14 KB a chunk, request context needed
        return Response(stream_with_context(rows()), mimetype="text/plain")

    return app


def http_scope(path="/", method="GET", query=b"", headers=(), scheme="http"):
    """The scope granian passes for an HTTP/1.1 request from 10.0.0.7."""
    return {"type": "http", "http_version": "1.1", "method": method, "scheme": scheme, "path": path,
            "raw_path": path.encode(), "query_string": query, "root_path": "", "headers": list(headers),
            "client": ("10.0.0.7", 50123), "server": ("127.0.0.1", 5000)}


def serve(app_bridge: Bridge, scope: dict, messages=(), stall_after: int | None = None):
    """Run one request; the client sends `messages` (then stalls if stall_after); returns (status,
    headers, body, number of body messages)."""
    incoming = list(messages)
    sent: list[dict] = []

    async def receive():
        if stall_after is not None and len(messages) - len(incoming) >= stall_after:
            await asyncio.sleep(3600)
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # nothing more until the client disconnects

    async def send(message):
        sent.append(message)

    asyncio.run(app_bridge(scope, receive, send))
    start = sent[0]
    bodies = [m for m in sent[1:] if m["type"] == "http.response.body"]
    assert not bodies[-1].get("more_body"), "the answer must end"
    return start["status"], dict(start["headers"]), b"".join(m["body"] for m in bodies), len(bodies)


def body(data: bytes, more=False) -> dict:
    return {"type": "http.request", "body": data, "more_body": more}


@pytest.fixture
def app_bridge():
    made = flask_app()
    yield Bridge(made, threads=2, max_body=made.config["MAX_CONTENT_LENGTH"])


def test_a_get_reaches_the_app_as_wsgi_and_answers_in_one_piece(app_bridge):
    scope = http_scope("/echo/grüße", query=b"q=%C3%A4&n=1", scheme="https",
                       headers=[(b"user-agent", b"Phone"), (b"cookie", b"a=1"), (b"cookie", b"b=2")])
    status, headers, data, pieces = serve(app_bridge, scope)
    assert status == 200 and headers[b"content-type"] == b"application/json"
    assert pieces == 1
    import json
    seen = json.loads(data)
    assert seen["path"] == "/echo/grüße" and seen["args"] == {"q": "ä", "n": "1"}
    assert seen["remote"] == "10.0.0.7" and seen["scheme"] == "https"
    assert seen["cookies"] == {"a": "1", "b": "2"} and seen["agent"] == "Phone"
    assert app_bridge.wsgi_app.config["SEEN"][0].startswith("wsgi")  # on the bridge's threads


def test_a_body_sent_in_pieces_reaches_the_app_whole(app_bridge):
    form = b"name=shelf+12&count=3"
    scope = http_scope("/echo/x", "POST", headers=[(b"content-type", b"application/x-www-form-urlencoded"),
                                                     (b"content-length", str(len(form)).encode())])
    status, _headers, data, _pieces = serve(app_bridge, scope, [body(form[:5], True), body(form[5:12], True),
                                                                body(form[12:])])
    assert status == 200
    assert b'"form":{"count":"3","name":"shelf 12"}' in data and b'"length":21' in data


def test_a_chunked_body_gets_its_length(app_bridge):
    scope = http_scope("/upload", "POST", headers=[(b"transfer-encoding", b"chunked")])
    status, _headers, data, _pieces = serve(app_bridge, scope, [body(b"x" * 300, True), body(b"y" * 200)])
    assert (status, data) == (200, b'{"bytes":500}\n')


def test_a_body_that_trickles_gets_408_and_the_app_never_sees_it(app_bridge, monkeypatch):
    monkeypatch.setattr(bridge, "BODY_TIMEOUT_S", 0.3)
    scope = http_scope("/upload", "POST", headers=[(b"content-length", b"100")])
    status, headers, data, _pieces = serve(app_bridge, scope, [body(b"ab", True)], stall_after=1)
    assert status == 408 and headers[b"connection"] == b"close"
    assert b"too slowly" in data
    assert app_bridge.buffered == 0


def test_arriving_data_extends_the_body_deadline(app_bridge, monkeypatch):
    """A slow but steady upload is not cut off: each piece buys time in proportion to its size."""
    monkeypatch.setattr(bridge, "BODY_TIMEOUT_S", 0.2)
    monkeypatch.setattr(bridge, "MIN_BODY_RATE", 1000)  # 100 bytes buy 0.1 s
    pieces = [body(b"x" * 100, True) for _ in range(6)] + [body(b"x" * 100)]

    async def steady(scope, app_bridge):
        sent, queue = [], list(pieces)

        async def receive():
            await asyncio.sleep(0.08)  # 0.56 s in all: past the first deadline, within the extended one
            return queue.pop(0)

        async def send(message):
            sent.append(message)
        await app_bridge(scope, receive, send)
        return sent

    scope = http_scope("/upload", "POST", headers=[(b"content-length", b"700")])
    sent = asyncio.run(steady(scope, app_bridge))
    assert sent[0]["status"] == 200 and sent[1]["body"] == b'{"bytes":700}\n'


def test_a_declared_body_over_the_limit_is_refused_by_the_app_unread(app_bridge):
    scope = http_scope("/upload", "POST", headers=[(b"content-length", b"5000000")])
    status, _headers, _data, _pieces = serve(app_bridge, scope, stall_after=0)  # nothing is read
    assert status == 413


def test_a_chunked_body_over_the_limit_is_refused(app_bridge):
    scope = http_scope("/upload", "POST", headers=[(b"transfer-encoding", b"chunked")])
    status, headers, _data, _pieces = serve(app_bridge, scope, [body(b"x" * 800, True), body(b"x" * 800, True)],
                                            stall_after=2)
    assert status == 413 and headers[b"connection"] == b"close"
    assert app_bridge.buffered == 0


def test_uploads_past_the_worker_buffer_limit_get_503(app_bridge, monkeypatch):
    monkeypatch.setattr(bridge, "BUFFER_LIMIT", 500)
    app_bridge.buffered = 400  # other uploads in flight
    scope = http_scope("/upload", "POST", headers=[(b"content-length", b"200")])
    status, headers, _data, _pieces = serve(app_bridge, scope, [body(b"x" * 200)])
    assert status == 503 and headers[b"retry-after"] == b"5"
    app_bridge.buffered = 0
    assert serve(app_bridge, scope, [body(b"x" * 200)])[0] == 200


def test_a_client_that_disconnects_mid_body_never_reaches_the_app(app_bridge):
    scope = http_scope("/echo/x", "POST", headers=[(b"content-length", b"100")])
    sent = []

    async def run():
        queue = [body(b"ab", True), {"type": "http.disconnect"}]

        async def receive():
            return queue.pop(0)

        async def send(message):
            sent.append(message)
        await app_bridge(scope, receive, send)

    asyncio.run(run())
    # granian reports a body it cannot parse as a disconnect too, so the bridge answers 400 (a client
    # that did go away never reads it); the app is never reached and nothing stays buffered.
    assert [message.get("status") for message in sent if message["type"] == "http.response.start"] == [400]
    assert app_bridge.wsgi_app.config["SEEN"] == [] and app_bridge.buffered == 0


def test_a_long_answer_streams_in_batches_with_its_request_context(app_bridge):
    rows = 200  # about 2.8 MB: more than ten batches
    status, _headers, data, pieces = serve(app_bridge, http_scope("/stream", query=f"rows={rows}&label=L".encode()))
    assert status == 200
    lines = data.decode().splitlines()
    assert len(lines) == rows * 1000 and lines[-1] == f"L {rows - 1:06d}"
    assert pieces >= len(data) // bridge.BATCH


def test_a_request_that_waits_two_seconds_holds_only_its_thread(app_bridge):
    """A decode may block its thread for up to ~2 s; a scan meanwhile is answered at once."""
    finished: dict[str, float] = {}

    async def one(name, scope):
        async def receive():
            await asyncio.sleep(3600)

        async def send(message):
            if message["type"] == "http.response.body" and not message.get("more_body"):
                finished[name] = time.monotonic()
        await app_bridge(scope, receive, send)

    async def both():
        started = time.monotonic()
        slow = asyncio.create_task(one("slow", http_scope("/slow", query=b"seconds=2")))
        await asyncio.sleep(0.2)  # the slow one holds a thread by now
        await one("fast", http_scope("/echo/x"))
        await slow
        return started

    started = asyncio.run(both())
    assert finished["fast"] - started < 1.0 < finished["slow"] - started
