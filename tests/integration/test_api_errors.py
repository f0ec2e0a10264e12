"""Bad input to the API: always a JSON 4xx, never an HTML page, never a 500."""
from __future__ import annotations

import pytest

from tests.api_fixtures import auth, token_for


@pytest.fixture
def headers(users):
    """An operator's token header."""
    return auth(token_for(users["operator"]))


def _assert_json_error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.headers["Content-Type"] == "application/json"
    assert response.get_json()


@pytest.mark.parametrize("data", [b"{not json", b"\xff\xfe\x00", b"[1, 2]", b'"text"', b"null", b"[" * 100_000])
def test_malformed_or_non_object_bodies_are_400(client, headers, data):
    response = client.post("/api/barcode/", data=data, headers={**headers, "Content-Type": "application/json"})
    _assert_json_error(response, 400)


def test_wrong_types_are_400(client, headers):
    _assert_json_error(client.post("/api/barcode/link/", json={"barcode": "A", "part": "x"}, headers=headers), 400)
    _assert_json_error(client.post("/api/barcode/generate/", json={"model": ["part"], "pk": 1}, headers=headers), 400)
    _assert_json_error(client.post("/api/barcode/generate/", json={"model": "part", "pk": 1.5}, headers=headers), 400)


def test_bodies_over_one_megabyte_are_413(client, headers):
    body = b'{"barcode": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post("/api/barcode/", data=body, headers={**headers, "Content-Type": "application/json"})
    _assert_json_error(response, 413)


def test_a_body_just_under_one_megabyte_is_read(client, headers):
    body = b'{"pad": "' + b"x" * (1024 * 1024 - 100) + b'", "barcode": "ok"}'
    response = client.post("/api/barcode/", data=body, headers={**headers, "Content-Type": "application/json"})
    _assert_json_error(response, 400)
    assert response.get_json()["error"] == "No match found for barcode data"


def test_unknown_routes_and_methods_are_json(client, headers):
    _assert_json_error(client.get("/api/nothing-here/", headers=headers), 404)
    _assert_json_error(client.put("/api/barcode/", json={}, headers=headers), 405)


def test_form_posts_are_read_too(client, headers):
    response = client.post("/api/barcode/", data={"barcode": "form-scan"}, headers=headers)
    _assert_json_error(response, 400)
    assert response.get_json()["barcode_data"] == "form-scan"


def test_options_answers_json(client, headers):
    response = client.options("/api/barcode/", headers=headers)
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    assert "POST" in response.get_json()["methods"]
