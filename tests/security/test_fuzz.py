"""Fuzzing the resolver endpoint and the API with random text, bytes and JSON: never a 500."""
from __future__ import annotations

import json
from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.slow
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
                database=None)
# Text as scanners produce it and worse: control characters (GS/RS/EOT), surrogates, very long runs.
scanner_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=600) | \
    st.text(st.sampled_from("\x1d\x1e\x04[)>01SSPI0123456789ABC~]"), max_size=200)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)


@pytest.fixture
def api_headers(app, users):
    from extensions import db
    from services import tokens

    _, plain = tokens.create(users["operator"], "fuzz")
    db.session.commit()
    return {"Authorization": f"Token {plain}"}


@FUZZ
@example(text="\ud800", source="dialog", htmx=True)
@given(text=scanner_text, source=st.sampled_from(["dialog", "keyboard", "camera", "", "x" * 40]), htmx=st.booleans())
def test_scan_endpoint_never_fails_on_text(hx_client, text, source, htmx):
    headers = {} if htmx else {"HX-Request": ""}
    # Encoded by hand: the test client refuses lone surrogates, which a broken client sends as the
    # (invalid UTF-8) bytes that "surrogatepass" gives.
    body = "&".join(f"{name}={quote_from_bytes(value.encode('utf-8', 'surrogatepass'))}"
                    for name, value in (("barcode", text), ("source", source)))
    response = hx_client.post("/scan", data=body, headers=headers, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (text, response.status_code)


@FUZZ
@given(raw=st.binary(max_size=800))
def test_scan_endpoint_never_fails_on_raw_bytes(hx_client, raw):
    body = b"barcode=" + quote_from_bytes(raw).encode() + b"&source=dialog"
    response = hx_client.post("/scan", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500, (raw, response.status_code)


@FUZZ
@given(barcode=scanner_text | json_values)
@example(barcode="\ud800")  # a lone surrogate, which JSON can carry and UTF-8 cannot encode
@example(barcode="SSP1R\udfff")
def test_api_scan_never_fails_on_any_barcode_value(client, api_headers, barcode):
    response = client.post("/api/barcode/", data=json.dumps({"barcode": barcode}), headers=api_headers,
                           content_type="application/json")
    assert response.status_code < 500, (barcode, response.status_code)
    assert response.is_json


barcode_bodies = st.fixed_dictionaries(
    {"barcode": scanner_text},
    optional={key: st.integers(-5, 5) | st.text(max_size=5) for key in
              ("part", "stockitem", "stocklocation", "supplierpart", "location", "quantity")},
).map(lambda v: json.dumps(v).encode())


@FUZZ
@given(body=st.binary(max_size=600) | json_values.map(lambda v: json.dumps(v).encode()) | barcode_bodies,
       path=st.sampled_from(["/api/barcode/", "/api/barcode/link/", "/api/barcode/unlink/",
                             "/api/barcode/generate/", "/api/stock/transfer/", "/api/barcode/receive/"]))
def test_api_never_fails_on_any_body(client, api_headers, body, path):
    response = client.post(path, data=body, headers=api_headers, content_type="application/json")
    assert response.status_code < 500, (path, body, response.status_code)
    assert response.is_json
