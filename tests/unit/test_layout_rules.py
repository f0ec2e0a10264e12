"""The layout keeps saying what the code does: a root of entry points, views that never write to the
database session themselves, no import cycles, and no optional-module scaffolding."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("barcodes", "blueprints", "cli", "database", "server", "services")
ROOT_FILES = {"app.py", "config.py", "extensions.py", "models.py", "requirements.txt",
              "requirements-dev.txt", "Makefile", "README.md"}
# Writes to the session: a view or a command that needs one calls a service (services/__init__.py).
SESSION_WRITES = {"commit", "add", "add_all", "delete", "flush", "rollback", "merge", "begin", "begin_nested"}
# The error handler rolls back the failed request's transaction; it is plumbing, not a view.
ALLOWED_SESSION_CALLS = {("blueprints/shared/errors.py", "rollback")}


def _python_files(*folders: str):
    for folder in folders:
        yield from sorted((ROOT / folder).rglob("*.py"))


def _relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_the_root_holds_only_entry_points_and_folders():
    tracked = {path.name for path in ROOT.iterdir() if path.is_file() and not path.name.startswith(".")}
    assert tracked <= ROOT_FILES, sorted(tracked - ROOT_FILES)


def _session_calls(tree: ast.AST):
    """(method, line) for every call of db.session.<method>(...)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            if (isinstance(owner, ast.Attribute) and owner.attr == "session"
                    and isinstance(owner.value, ast.Name) and owner.value.id == "db"):
                yield node.func.attr, node.lineno


def test_views_and_commands_leave_the_session_to_services():
    found = []
    for path in _python_files("blueprints", "cli"):
        for method, line in _session_calls(ast.parse(path.read_text())):
            if method in SESSION_WRITES and (_relative(path), method) not in ALLOWED_SESSION_CALLS:
                found.append(f"{_relative(path)}:{line} db.session.{method}")
    assert not found, "views and commands call a service instead:\n" + "\n".join(found)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, name: str) -> set[str]:
    """Project modules `path` imports, at any depth (a lazy import is still a dependency)."""
    targets = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    return targets


def test_no_import_cycles_between_project_modules():
    files = {_module_name(path): path for path in _python_files(*PACKAGES)}
    graph = {name: {t for t in _imports(path, name) if t in files and t != name} for name, path in files.items()}
    # A package's __init__ importing its own route modules is how they register: not a dependency cycle.
    for name in graph:
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    cycles, state = [], {}

    def visit(node, trail):
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycles.append(trail[trail.index(target):] + [target])
            elif target not in state:
                visit(target, trail + [target])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_no_scaffolding_for_modules_that_might_be_missing():
    for path in _python_files(*PACKAGES):
        text = path.read_text()
        assert "find_spec" not in text and "OPTIONAL_ROUTE_MODULES" not in text, _relative(path)
    for template in sorted((ROOT / "templates").rglob("*.html")):
        assert "ignore missing" not in template.read_text(), _relative(template)
