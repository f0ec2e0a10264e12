"""The API's Basic auth is a password check too: it shares the sign-in rate limit."""
from __future__ import annotations

from tests.conftest import PASSWORD

WRONG = "not the password"


def _attempt(client, username, password=WRONG, address="10.0.0.1"):
    return client.post("/login", data={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_api_basic_auth_shares_the_sign_in_limit(client, users):
    """Guessing passwords through the API's Basic auth counts too, and is refused as JSON."""
    import base64

    def basic(password):
        token = base64.b64encode(f"operator:{password}".encode()).decode()
        return client.get("/api/user/token/", headers={"Authorization": f"Basic {token}"},
                          environ_base={"REMOTE_ADDR": "10.4.0.1"})

    for _ in range(5):
        assert basic(WRONG).status_code == 401
    refused = basic(PASSWORD)
    assert refused.status_code == 429
    assert "Too many failed sign-ins" in refused.get_json()["detail"]
    # The sign-in form from that address is locked too: both doors share the count.
    assert _attempt(client, "operator", PASSWORD, address="10.4.0.1").status_code == 429
