"""Ids and numbers are read one way everywhere: ASCII digits within the database's id range.

Every route in app.url_map gets text that is not an id in each id of its path (a 404) and in each
id, page, before/after, location and template parameter of its query string or form (a 400 or a
form error): never a 5xx, on SQLite and (in CI) on PostgreSQL alike.
"""
from __future__ import annotations

import pytest
from blueprints.shared.args import IdConverter
from tests.api_fixtures import auth, token_for
from tests.security.routes import argument_value
from tests.security.seed import seed_one_of_everything

# Superscript two and Arabic-Indic three pass str.isdigit(); 1e3 is a float; the rest are out of range.
NOT_IDS = ("²", "٣", "1e3", "-1", "0", str(2**31), str(2**63), str(10**30), "\x1e5")
NOT_IDS_IN_PATHS = NOT_IDS + (" 5", "5\x00")
PARAMETERS = ("id", "page", "before", "after", "location", "location_id", "template", "part", "part_id",
              "supplier", "supplier_id", "parent", "parent_id", "item", "last_line", "user", "user_id", "upto",
              "size", "limit", "offset", "pk")
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
SKIP = {"auth.logout"}  # it would end the sweep's own session


def _routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        for method in sorted((rule.methods or set()) & set(METHODS)):
            yield rule, method


@pytest.fixture
def sweep(app, users, client_for):
    """An admin's web client and API headers, over one object of every kind (each id 1)."""
    seed_one_of_everything(users["operator"])
    return client_for("admin"), auth(token_for(users["admin"]))


def _open(client, headers, rule, method, url, **kwargs):
    api = rule.endpoint.startswith("api.")
    return client.open(url, method=method, headers=headers if api else None, **kwargs)


def test_an_id_in_a_path_that_is_not_an_id_is_a_404(app, sweep):
    client, headers = sweep
    checked = 0
    for rule, method in _routes(app):
        ids = [name for name, conv in rule._converters.items() if isinstance(conv, IdConverter)]
        for name in ids:
            for bad in NOT_IDS_IN_PATHS:
                values = {arg: argument_value(rule, arg) for arg in rule.arguments}
                path = rule.build(values)[1]
                # Put the bad text where the id goes, exactly as a client would send it.
                good = f"/{values[name]}"
                target = path.replace(good, "/" + bad.replace("\x00", "%00").replace("\x1e", "%1E")
                                      .replace(" ", "%20"), 1)
                response = _open(client, headers, rule, method, target)
                assert response.status_code == 404, (rule.rule, method, bad, response.status_code)
                checked += 1
    assert checked > 400


def test_an_id_or_number_parameter_that_is_not_one_is_never_a_server_error(app, sweep):
    client, headers = sweep
    checked = 0
    for rule, method in _routes(app):
        url = rule.build({arg: argument_value(rule, arg) for arg in rule.arguments})[1]
        for name in PARAMETERS:
            for bad in NOT_IDS:
                if method == "GET":
                    response = _open(client, headers, rule, method, url, query_string={name: bad})
                else:
                    response = _open(client, headers, rule, method, url, data={name: bad})
                response.close()  # a streamed answer (the CSV export) ends with its request
                assert response.status_code < 500, (rule.rule, method, name, repr(bad), response.status_code)
                checked += 1
    assert checked > 10_000


@pytest.mark.parametrize("url", [
    "/labels/print?type=part&id=²",
    "/labels/print?type=part&id=1&template=²",
    "/labels/print?type=part&id=10000000000000000000000000000000",
    "/labels/reports/picklist?id=²",
    "/labels/reports/stock?location=٣",
    "/admin/scans?before=10000000000000000000000000000000",
    "/admin/scans?after=²",
    "/parts/?page=²",
    "/stock-items/new?part=10000000000000000000000000000000",
    "/barcodes/part/1.svg?size=²",
])
def test_the_reported_parameters_answer_400_with_the_parameter_named(sweep, url):
    client, _ = sweep
    response = client.get(url)
    assert response.status_code == 400, response.status_code
    name = url.rsplit("&", 1)[-1].split("?")[-1].split("=")[0]
    assert name in response.get_data(as_text=True)


def test_the_api_names_the_filter_that_is_not_an_id(sweep):
    client, headers = sweep
    response = client.get("/api/stock/?location=%1E5", headers=headers)
    assert response.status_code == 400
    assert "location" in response.get_json()


@pytest.mark.parametrize("bad", ["²", "10000000000000000000000000000000", "1e3"])
def test_a_form_id_that_is_not_an_id_is_a_form_error(sweep, bad):
    client, _ = sweep
    response = client.post("/stock-items/new", data={"part_id": bad, "quantity": "1", "status": "ok"})
    assert response.status_code == 422
    assert "Not a valid id" in response.get_data(as_text=True) or "Choose a part" in response.get_data(as_text=True)


def test_a_scan_session_with_a_last_line_that_is_not_an_id_is_refused(sweep, app):
    client, _ = sweep
    started = client.post("/stock/locations/1/sessions", data={"kind": "count"})
    assert started.status_code in (302, 303)
    session_url = started.headers["Location"]
    for bad in ("²", str(10**30)):
        response = client.post(f"{session_url}/scan", data={"barcode": "5", "last_line": bad})
        assert response.status_code == 400, response.status_code
        stage = client.post(f"{session_url}/stage", data={"location": bad})
        assert stage.status_code == 400, stage.status_code
