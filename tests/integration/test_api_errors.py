"""Bad input to the API: always a JSON 4xx, never an HTML page, never a 500."""
from __future__ import annotations

import pytest

from tests.api_fixtures import auth, token_for
from tests.conftest import PASSWORD


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


def test_pks_beyond_a_32_bit_id_never_reach_the_database(client, headers):
    # PostgreSQL INTEGER ids are 32-bit: a larger pk must be a 4xx there too, not an overflow 500.
    big = 2**31
    _assert_json_error(client.get(f"/api/part/{big}/", headers=headers), 404)
    _assert_json_error(client.get(f"/api/stock/?part={big}", headers=headers), 400)
    _assert_json_error(client.post("/api/barcode/link/", json={"barcode": "A", "part": big}, headers=headers), 400)
    _assert_json_error(client.post("/api/barcode/unlink/", json={"stockitem": 12248747605}, headers=headers), 400)


def test_nul_characters_in_query_text_are_400(client, headers):
    _assert_json_error(client.get("/api/part/?search=a%00b", headers=headers), 400)
    _assert_json_error(client.get("/api/user/token/?name=a%00b", auth=("operator", PASSWORD)), 400)


def test_a_null_barcode_is_400_not_ignored(client, headers):
    _assert_json_error(client.post("/api/barcode/unlink/", json={"part": 1, "barcode": None}, headers=headers), 400)
