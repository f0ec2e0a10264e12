"""Login, logout, sessions and the first pages."""
from tests.conftest import PASSWORD, login


def test_anonymous_user_is_sent_to_login(client, users):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_login_with_right_password_reaches_start_page(client, users):
    login(client, "viewer")
    page = client.get("/")
    assert page.status_code == 200
    assert "Inventory" in page.get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_message(client, users):
    wrong = client.post("/login", data={"username": "viewer", "password": "nope"})
    unknown = client.post("/login", data={"username": "ghost", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 422
    assert "Unknown username or wrong password." in wrong.get_data(as_text=True)
    assert "Unknown username or wrong password." in unknown.get_data(as_text=True)


def test_login_refuses_deactivated_user(client, users, app):
    from extensions import db

    users["viewer"].active = False
    db.session.commit()
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD})
    assert response.status_code == 422


def test_password_change_ends_existing_sessions(client, users, app):
    from services import users as user_service

    login(client, "operator")
    assert client.get("/").status_code == 200
    user_service.reset_password(users["operator"], "another password")
    assert client.get("/").status_code == 302


def test_next_parameter_only_follows_local_paths(client, users):
    response = client.post("/login?next=//evil.example/x", data={"username": "viewer", "password": PASSWORD})
    assert response.headers["Location"] == "/"
    client.post("/logout")
    response = client.post("/login?next=/healthz", data={"username": "viewer", "password": PASSWORD})
    assert response.headers["Location"] == "/healthz"


def test_logout_ends_the_session(client, users):
    login(client, "viewer")
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": True}


def test_unknown_url_is_a_404_page(client_for):
    response = client_for("viewer").get("/no/such/page")
    assert response.status_code == 404
    assert "Not Found" in response.get_data(as_text=True)


def test_security_headers_on_pages(client):
    headers = client.get("/login").headers
    assert "unsafe-inline" not in headers["Content-Security-Policy"].split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"].startswith("camera=(self)")


def test_create_user_command(runner, app):
    from extensions import db
    from models import User

    result = runner.invoke(args=["create-user", "alice", "--role", "operator", "--password", "s3cret-pass"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(db.select(User).filter_by(username="alice")).scalar_one()
    assert user.role == "operator" and user.check_password("s3cret-pass")
    again = runner.invoke(args=["create-user", "alice", "--password", "s3cret-pass"])
    assert again.exit_code != 0 and "already exists" in again.output
