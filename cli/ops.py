"""`flask backup FILE` and `flask restore FILE`: SQLite online backup; pg_dump guidance for PostgreSQL."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import click
from flask import Flask, current_app
from sqlalchemy.engine import make_url

from extensions import db

PG_BACKUP_HELP = """\
This database is PostgreSQL; back it up with PostgreSQL's own tools, which take a consistent
snapshot while the app keeps running:

  pg_dump --format=custom --file=shelfscan.dump "{url}"

Restore into an empty database (stop the app servers first):

  createdb -O <owner> shelfscan_restored
  pg_restore --no-owner --dbname="{url_restored}" shelfscan.dump

then point DATABASE_URL at it and run `flask --app app db upgrade`."""


class OpsError(click.ClickException):
    """A backup or restore that cannot go ahead; the message says why."""


def sqlite_path() -> Path | None:
    """The file of the app's SQLite database, or None when the database is not SQLite."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite":
        return None
    if not url.database or url.database == ":memory:":
        raise OpsError("an in-memory SQLite database cannot be backed up or restored")
    return Path(url.database)


def integrity_problems(path: Path) -> list[str]:
    """What `PRAGMA integrity_check` reports for a SQLite file; empty when it is sound."""
    try:
        with _connect(path, readonly=True) as conn:
            rows = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page with SQLite's online backup API."""
    if target.exists():
        raise OpsError(f"{target} exists already; choose a new file name")
    target.parent.mkdir(parents=True, exist_ok=True)
    with _connect(source, readonly=True) as src, _connect(target) as dst:
        # One step: in WAL mode the read snapshot does not block writers, and a stepwise copy would
        # restart every time a writer changed the source.
        src.backup(dst)
    problems = integrity_problems(target)
    if problems:
        target.unlink()
        raise OpsError(f"the copy failed its integrity check: {'; '.join(problems[:5])}")


def schema_revision(path: Path) -> str | None:
    """The Alembic revision stored in a SQLite file, or None when it has none."""
    with _connect(path, readonly=True) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the live database's content with a checked backup, in one SQLite backup step."""
    if not backup.is_file():
        raise OpsError(f"{backup} does not exist")
    problems = integrity_problems(backup)
    if problems:
        raise OpsError(f"{backup} is not a sound SQLite database: {'; '.join(problems[:5])}")
    if schema_revision(backup) is None:
        raise OpsError(f"{backup} is not a Shelfscan backup (it has no schema revision)")
    db.engine.dispose()  # our own pooled connections must not keep reading the old pages
    with _connect(backup, readonly=True) as src, _connect(target) as dst:
        # Writing through SQLite (not copying the file) keeps the WAL and other connections consistent.
        src.backup(dst)
    problems = integrity_problems(target)
    if problems:
        raise OpsError(f"the restored database failed its integrity check: {'; '.join(problems[:5])}")


def _connect(path: Path, readonly: bool = False) -> sqlite3.Connection:
    """A plain sqlite3 connection that waits for locks like the app does."""
    if readonly:
        if not path.exists():
            raise OpsError(f"{path} does not exist")
        return _closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30))
    return _closing(sqlite3.connect(path, timeout=30))


class _closing:
    """Context manager that closes (not just commits) a sqlite3 connection."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *_exc) -> None:
        self.conn.close()


def _pg_guidance() -> None:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).set(drivername="postgresql")
    shown = url.render_as_string(hide_password=True)
    restored = url.set(database="shelfscan_restored").render_as_string(hide_password=True)
    click.echo(PG_BACKUP_HELP.format(url=shown, url_restored=restored), err=True)


def register(app: Flask) -> None:
    """Register the backup and restore commands."""

    @app.cli.command("backup")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    def backup_command(file: Path) -> None:
        """Write a consistent copy of the running SQLite database to FILE."""
        source = sqlite_path()
        if source is None:
            _pg_guidance()
            raise SystemExit(2)
        backup_sqlite(source, file)
        click.echo(f"Backed up {source} to {file} ({file.stat().st_size} bytes, integrity ok).")

    @app.cli.command("restore")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Replace the current database without asking.")
    def restore_command(file: Path, yes: bool) -> None:
        """Replace the SQLite database's content with the backup in FILE."""
        target = sqlite_path()
        if target is None:
            _pg_guidance()
            raise SystemExit(2)
        if not yes:
            click.confirm(f"Replace everything in {target} with {file}? Stop the app servers first.", abort=True)
        restore_sqlite(file, target)
        click.echo(f"Restored {target} from {file} (integrity ok).")
        click.echo(f"Schema revision of the backup: {schema_revision(target)}; "
                   "run `flask --app app db upgrade` if this code is newer.")
