"""Text from people is checked once, for every request, before any view or password check: a NUL
anywhere (form, query, HTTP Basic) or a control character outside a field that carries scanned data
is a clear 400 (htmx: the message above the page), never a 500 and never stored."""
from __future__ import annotations

import pytest

from extensions import db
from models import LabelTemplate, LoginFailure, Part, User
from tests.conftest import PASSWORD
from tests.security.seed import seed_one_of_everything

# (who, method, url, form) that store or look up the text; each gets a NUL in one field.
NUL_CASES = [
    ("anonymous", "POST", "/login", {"username": "vie\x00wer", "password": PASSWORD}),
    ("anonymous", "POST", "/login", {"username": "viewer", "password": "x\x00y"}),
    ("admin", "POST", "/admin/users", {"username": "new\x00user", "role": "viewer", "password": PASSWORD}),
    ("admin", "POST", "/labels/templates/new", {"name": "Bin\x00label", "object_types": "part", "width_mm": "50",
                                                 "height_mm": "20", "columns": "1", "rows": "1", "body": "x"}),
    ("admin", "POST", "/labels/templates/new", {"name": "Bin label", "object_types": "part", "width_mm": "50",
                                                 "height_mm": "20", "columns": "1", "rows": "1", "body": "<p>\x00</p>"}),
    ("admin", "GET", "/admin/scans?q=SSP%00", None),
    ("operator", "POST", "/stock/receive/supplier-part", {"barcode": "[)>\x1e06\x1dPNEW-1\x1dQ5\x1e\x04",
                                                          "supplier": "Acme\x00", "part_name": "Widget"}),
    ("operator", "POST", "/stock/receive/supplier-part", {"barcode": "[)>\x1e06\x1dPNEW\x00-1\x1dQ5\x1e\x04",
                                                          "supplier": "Acme", "part_name": "Widget"}),
    ("operator", "POST", "/parts/new", {"name": "Resistor\x00"}),
    ("operator", "GET", "/parts/?q=a%00b", None),
    ("viewer", "POST", "/scan", {"barcode": "SSP1\x00"}),
]


def _client(app, client_for, who):
    return app.test_client() if who == "anonymous" else client_for(who)


def _stored_counts():
    return [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (User, LabelTemplate, Part, LoginFailure)]


@pytest.mark.parametrize("who, method, url, form", NUL_CASES)
def test_a_nul_is_refused_with_a_400_before_anything_happens(app, users, client_for, who, method, url, form):
    seed_one_of_everything(users["operator"])
    client = _client(app, client_for, who)
    before = _stored_counts()
    response = client.open(url, method=method, data=form)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert "NUL character" in response.get_data(as_text=True)
    db.session.rollback()
    assert _stored_counts() == before  # no account, template or part made; no sign-in failure counted


@pytest.mark.parametrize("credentials", [("oper\x00ator", PASSWORD), ("operator", "pass\x00word")])
def test_a_nul_in_basic_auth_is_a_json_400_before_the_password_check(client, users, credentials):
    response = client.get("/api/user/token/", auth=credentials)
    assert response.status_code == 400 and "NUL character" in response.get_json()["detail"]
    assert db.session.scalar(db.select(db.func.count()).select_from(LoginFailure)) == 0


def test_htmx_shows_the_refusal_above_the_page_without_losing_the_form(client_for):
    response = client_for("operator", htmx=True).post("/parts/new", data={"name": "Resistor\x00"})
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#main" and response.headers["HX-Reswap"] == "afterbegin"
    assert 'role="alert"' in response.get_data(as_text=True) and "NUL character" in response.get_data(as_text=True)


@pytest.mark.parametrize("text", ["Resistor \x1b[31mred", "Cap\x08acitor", "Diode\x7f", "LED\x85", "x\x1d1"])
def test_other_control_characters_are_refused_in_ordinary_fields(operator_client, text):
    response = operator_client.post("/parts/new", data={"name": text})
    assert response.status_code == 400 and "control character" in response.get_data(as_text=True)
    assert db.session.execute(db.select(Part)).first() is None


def test_tabs_and_newlines_stay_allowed_in_text(operator_client, users):
    seed_one_of_everything(users["operator"])
    response = operator_client.post("/stock-items/1/edit", data={"part_id": "1", "location_id": "1", "quantity": "3",
                                                                 "notes": "line one\r\n\tline two"})
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:300]


def test_scanned_fields_keep_their_separators(app, users, client_for):
    seed_one_of_everything(users["operator"])
    label = "[)>\x1e06\x1dPNEW-1\x1dQ5\x1e\x04"
    viewer, operator, admin = (client_for(role) for role in ("viewer", "operator", "admin"))
    assert viewer.post("/scan", data={"barcode": label}).status_code in (200, 422)
    assert operator.get("/stock/receive", query_string={"barcode": label}).status_code in (200, 422)
    assert operator.post("/barcodes/part/1/link", data={"barcode": label}).status_code in (200, 303)
    assert viewer.get("/barcodes/render.svg", query_string={"data": label, "symbology": "datamatrix"}).status_code == 200
    assert admin.get("/admin/scans", query_string={"q": "\x1dPNEW"}).status_code == 200


MALFORMED_CHUNKS = [b"zz\r\nabc\r\n0\r\n\r\n", b"-5\r\nabc\r\n0\r\n\r\n", b"3\r\nabcXX\r\n0\r\n\r\n", b"3;\x00\r\nabc\r\n0\r\n\r\n"]


@pytest.mark.slow
def test_a_malformed_chunked_body_is_a_400_from_the_server(database_url, tmp_path):
    """granian cannot parse the body and reports it as a disconnect; the bridge answers 400 (it was a 500)."""
    import socket

    from bench.serving import Server

    server = Server(database_url, workers=1, log_path=tmp_path / "server.log")
    server.start()
    try:
        for body in MALFORMED_CHUNKS:
            for path in ("/login", "/api/barcode/"):
                with socket.create_connection(("127.0.0.1", server.port), timeout=30) as conn:
                    conn.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n".encode()
                                 + b"Content-Type: application/x-www-form-urlencoded\r\nConnection: close\r\n\r\n" + body)
                    answer = b""
                    while chunk := conn.recv(65536):
                        answer += chunk
                status = answer.split(b"\r\n", 1)[0]
                assert status.startswith(b"HTTP/1.1 4"), (path, body, status)
    finally:
        server.stop()
    assert "Traceback" not in (tmp_path / "server.log").read_text()
