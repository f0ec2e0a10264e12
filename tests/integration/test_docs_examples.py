"""The examples in README.md and docs/*.md run against the demo data, and their links resolve.

A fenced block is checked when the line before it is `<!-- checked -->`; its language says how:
- `pycon`: a Python console session, run with doctest (`...` matches anything) in the test app's
  context, as in `flask --app app shell`; the blocks of one file share their names;
- `python`: executed in those names (a class a later `pycon` block uses);
- `console`: each `$ ` command runs in bash from a scratch folder that has `.venv`, against the
  test's database; its standard output is compared with the lines under it (`...` as above) and it
  must exit 0. Exported variables carry over to the next command;
- `<!-- checked: as NAME -->` (any language): the block's text is kept as NAME for later blocks;
- `<!-- checked: sqlite -->`: a console block that runs on SQLite only (backup and restore).
Each file gets a fresh database as the first `make run` leaves it, and a live server;
`http://127.0.0.1:5000` in a block stands for that server. Paths in inline code (`/parts/12`) must
be routes, and the ones that answer GET must answer an admin below 400 (so write file paths without
a leading slash in prose).
"""
from __future__ import annotations

import base64
import doctest
import os
import re
import subprocess
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from flask import g
from werkzeug.exceptions import MethodNotAllowed, NotFound

from extensions import db
from services import users as user_service
from services.settings import SPECS
from tests.conftest import PASSWORD, USING_PG, login

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_IDS = [str(path.relative_to(ROOT)) for path in DOCS]
DOCUMENTED_URL = "http://127.0.0.1:5000"
README_MAX_LINES = 150
MARKER = re.compile(r"<!-- checked(?:: (?:as (\w+)|(sqlite)))? -->")
FENCE = re.compile(r"^(`{3,})(\S*)[^\n]*\n(.*?)^\1[ \t]*$", re.M | re.S)
OPTIONS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
INLINE_PATH = re.compile(r"`(/[^`\s]*)`")
PLACEHOLDER = re.compile(r"[<>{}|*]|\.\.\.|\?$|=&|=$")
# Paths on the server's own file system (a USB printer's device), not URLs of the app.
FILE_PATHS = ("/dev/", "/etc/")


@dataclass
class Block:
    """One fenced code block of a document."""

    language: str
    text: str
    line: int
    checked: bool
    name: str = ""  # `<!-- checked: as NAME -->`: the text is kept as NAME for later blocks
    sqlite_only: bool = False  # `<!-- checked: sqlite -->`: SQLite-only commands (backup, restore)


def blocks(path: Path) -> list[Block]:
    """Every fenced block of a Markdown file, with whether the marker comes right before it."""
    source = path.read_text()
    found = []
    for fence in FENCE.finditer(source):
        before = source[:fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        line = source.count("\n", 0, fence.start()) + 2
        marker = MARKER.fullmatch(before.strip())
        found.append(Block(fence.group(2), fence.group(3), line, bool(marker),
                           marker.group(1) or "" if marker else "", bool(marker and marker.group(2))))
    return found


def prose(path: Path) -> str:
    """The file without its fenced blocks (links and inline code live here)."""
    return FENCE.sub("", path.read_text())


def console_commands(text: str) -> list[tuple[str, str]]:
    """(command, expected output) pairs of a console block; a trailing backslash continues a command."""
    pairs: list[tuple[str, list[str]]] = []
    continuing = False
    for line in text.splitlines():
        if continuing:
            pairs[-1] = (pairs[-1][0] + "\n" + line, pairs[-1][1])
        elif line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
        else:
            raise AssertionError(f"console block must start with a `$ ` command: {line!r}")
        continuing = line.endswith("\\")
    return [(command, "\n".join(output) + "\n" if output else "") for command, output in pairs]


@pytest.fixture
def demo_app(app, runner):
    """The test app as the first `make run` leaves it: demo data, and `admin` as user 1."""
    result = runner.invoke(args=["bootstrap"])
    assert result.exit_code == 0 and "username: admin" in result.output, result.output
    return app


@pytest.fixture
def live_url(demo_app, live_server):
    """The base URL of a live server on the demo database."""
    return live_server[1]


@pytest.fixture
def shell_folder(tmp_path, database_url, live_url):
    """Where console commands run: `.venv` linked in, the test's database in the environment."""
    folder = tmp_path / "shell"
    folder.mkdir()
    (folder / ".venv").symlink_to(Path(sys.executable).parent.parent)
    env = {**os.environ, "DATABASE_URL": str(database_url), "SECRET_KEY": "docs-examples",
           "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    for name in ("HTTPS", "PROXY_HOPS", "FLASK_APP"):
        env.pop(name, None)
    return folder, env


class ConsoleSession:
    """Runs console commands one by one, carrying exported variables between them."""

    def __init__(self, folder: Path, env: dict[str, str], base_url: str):
        self.folder, self.env, self.base_url = folder, env, base_url
        self.state = folder.parent / "exports.sh"
        self.state.write_text("")

    def run(self, command: str) -> tuple[int, str, str]:
        """Exit status, standard output and standard error of one command."""
        script = (f"source {self.state}\n{command.replace(DOCUMENTED_URL, self.base_url)}\n"
                  f"status=$?\nexport -p > {self.state}\nexit $status\n")
        done = subprocess.run(["bash", "-c", script], cwd=self.folder, env=self.env, capture_output=True,
                              text=True, timeout=120)
        return done.returncode, done.stdout, done.stderr


def run_console(block: Block, session: ConsoleSession, where: str) -> list[str]:
    """The problems of one console block: failed commands and output that differs."""
    problems = []
    checker = doctest.OutputChecker()
    for command, expected in console_commands(block.text):
        status, out, err = session.run(command)
        if status != 0:
            problems.append(f"{where}: `{command}` exited {status}\n{out}{err[-2000:]}")
        elif not checker.check_output(expected, out, OPTIONS):
            problems.append(f"{where}: `{command}` printed\n{out}\nexpected\n{expected}")
    return problems


def run_python(block: Block, names: dict, where: str) -> list[str]:
    """The problems of one pycon or python block, run in the file's shared names."""
    db.session.remove()  # see what the commands and the live server wrote
    if block.language == "python":
        try:
            exec(compile(block.text, where, "exec"), names)
        except Exception as exc:  # the example is wrong: report it with the others
            return [f"{where}: {type(exc).__name__}: {exc}"]
        return []
    test = doctest.DocTestParser().get_doctest(block.text, names, where, where, 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=OPTIONS)
    runner.run(test, out=report.append, clear_globs=False)
    names.update(test.globs)  # DocTest ran in a copy; the next block sees what this one defined
    return ["".join(report)] if runner.failures else []


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_checked_examples_run_against_the_demo_data(doc, demo_app, live_url, shell_folder):
    checked = [b for b in blocks(doc) if b.checked]
    languages = {b.language for b in checked if not b.name} - {"pycon", "python", "console"}
    assert not languages, f"{doc.name}: no runner for checked blocks in {languages}"
    session = ConsoleSession(*shell_folder, live_url)
    names = {"app": demo_app, "g": g, "__name__": "__main__"}
    problems = []
    for block in checked:
        where = f"{doc.relative_to(ROOT)}:{block.line}"
        if block.name:
            names[block.name] = block.text
        elif block.sqlite_only and USING_PG:
            continue
        elif block.language == "console":
            problems += run_console(block, session, where)
        else:
            problems += run_python(replace(block, text=block.text.replace(DOCUMENTED_URL, live_url)), names, where)
    assert not problems, "\n\n".join(problems)


def test_the_required_examples_are_checked():
    """The internal codes, the API (curl and the InvenTree client) and the CLI have checked examples."""
    checked = {path.name: [b for b in blocks(path) if b.checked] for path in DOCS}
    assert any("internal_code(" in b.text for b in checked["barcodes.md"])
    assert any("curl " in b.text for b in checked["api.md"] if b.language == "console")
    assert any("InvenTreeAPI(" in b.text for b in checked["api.md"] if b.language == "pycon")
    for name in ("README.md", "barcodes.md", "operations.md"):
        assert any("flask --app app" in b.text for b in checked[name] if b.language == "console"), name


def test_every_shell_session_is_checked():
    """A console block shows commands and what they print, so it is run; unchecked commands are `sh`."""
    unchecked = [f"{path.name}:{b.line}" for path in DOCS for b in blocks(path)
                 if b.language in ("console", "pycon") and not b.checked]
    assert not unchecked, f"console/pycon blocks without <!-- checked -->: {unchecked}"


def _slug(heading: str) -> str:
    """The anchor GitHub makes of a heading."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", r"\1", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors of a Markdown file's headings."""
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*#*$", prose(path), re.M)}


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_relative_links_point_to_files_and_anchors(doc):
    broken = []
    for target in LINK.findall(prose(doc)):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("mailto:"):
            continue
        path = (doc.parent / unquote(parts.path)).resolve() if parts.path else doc
        if not path.exists() or ROOT not in (path, *path.parents):
            broken.append(f"{target}: no such file")
        elif parts.fragment and (path.suffix != ".md" or parts.fragment not in anchors(path)):
            broken.append(f"{target}: no heading #{parts.fragment} in {path.name}")
    assert not broken, f"{doc.name}: {broken}"


def documented_paths(doc: Path) -> list[str]:
    """Concrete app paths in the file's inline code: `/parts/12`, not `/parts/<id>`."""
    return [p for p in INLINE_PATH.findall(prose(doc)) if not PLACEHOLDER.search(p) and not p.startswith(("//", *FILE_PATHS))]


@pytest.mark.parametrize("doc", DOCS, ids=DOC_IDS)
def test_documented_paths_exist_and_answer(doc, demo_app):
    user_service.create("docs-reader", "admin", PASSWORD)
    db.session.commit()
    client = login(demo_app.test_client(), "docs-reader")
    adapter = demo_app.url_map.bind("localhost")
    problems = []
    for path in documented_paths(doc):
        route = urlsplit(path).path
        try:
            adapter.match(route, method="GET")
        except MethodNotAllowed:
            continue  # POST-only: its examples are checked blocks
        except NotFound:
            problems.append(f"{path}: no such route")
            continue
        # A new API token needs the password itself (Basic), not the session (issue 18.2).
        basic = "Basic " + base64.b64encode(f"docs-reader:{PASSWORD}".encode()).decode()
        status = client.get(path, headers={"Authorization": basic} if route.endswith("/token/") else {}).status_code
        if status >= 400:
            problems.append(f"{path}: answered {status}")
    assert not problems, f"{doc.name}: {problems}"


def test_readme_is_short():
    lines = (ROOT / "README.md").read_text().count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; move details into docs/"


def _shown(default) -> str:
    """A setting's default as the settings table writes it."""
    if isinstance(default, bool):
        return "on" if default else "off"
    return str(default) if default not in ("", []) else "(empty)"


def test_the_settings_table_lists_every_setting_with_its_type_and_default():
    rows = re.findall(r"^\| `([A-Z_]+)` \| (\w+) \| ([^|]+) \|", (ROOT / "docs" / "operations.md").read_text(), re.M)
    table = {key: (kind, default.strip()) for key, kind, default in rows}
    expected = {key: (spec.type.__name__, _shown(spec.default)) for key, spec in SPECS.items()}
    assert table == expected
