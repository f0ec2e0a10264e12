"""On PostgreSQL the backup commands point to pg_dump and fail, so a script cannot think it worked."""
from __future__ import annotations

import pytest


@pytest.fixture
def app_config(app_config):
    """Point the app at a PostgreSQL URL; the commands must not need to connect to answer."""
    return {**app_config, "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://shelfscan:secret@db.example/shelfscan"}


@pytest.mark.parametrize("command", [["backup", "x.dump"], ["restore", "x.dump", "--yes"]])
def test_postgres_gets_pg_dump_guidance_and_a_failure(runner, command):
    result = runner.invoke(args=command)
    assert result.exit_code == 2
    assert "pg_dump --format=custom" in result.output
    assert "pg_restore" in result.output
    assert "secret" not in result.output

