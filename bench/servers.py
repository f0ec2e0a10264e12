"""The web servers bench/server_load.py compares, each started on the app the way it would serve it.

Every candidate gets what `make run` gives the app: per worker process, WAL checkpoints on a thread
of their own (database/checkpoints.py `enable()` before the app opens a connection) and `gc.freeze()`
once the app is loaded. Servers without hooks for that load the app through ENTRY_MODULE below.

- `granian-bridge`: the chosen setup, `python -m server` as `make run` starts it (server/);
- `granian-wsgi`: granian's own WSGI interface, THREADS blocking threads per worker;
- `gunicorn-sync`: the setup before issue 15 (gunicorn.conf.py then: sync workers, timeout 120 s);
- `gunicorn-gthread`: gunicorn's threaded worker, THREADS threads per worker;
- `gunicorn-gevent`: gunicorn's gevent worker, one greenlet per connection;
- `waitress`: one process, THREADS threads, connections buffered by its asyncore loop;
"""
from __future__ import annotations

import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.serving import ROOT, VENV_BIN, app_env
from server.settings import DEFAULT_THREADS as THREADS, HEADER_TIMEOUT_S  # the chosen server's, for the others too

# The gunicorn config `make run` used before issue 15, kept here so the bench can still compare with it.
GUNICORN_CONF = '''
import os
bind = "127.0.0.1:" + os.environ.get("PORT", "5000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = os.environ.get("BENCH_WORKER_CLASS", "sync")
threads = int(os.environ.get("BENCH_THREADS", "1"))
worker_connections = 1000
timeout = 120
accesslog = "-"
errorlog = "-"
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms'


def post_worker_init(worker):
    import gc
    gc.freeze()


def post_fork(server, worker):
    from database import checkpoints
    checkpoints.enable()
'''

ENTRY_MODULE = '''
import gc

from database import checkpoints


def app():
    """Checkpoints on a thread, the app, then gc.freeze(): what gunicorn's hooks do per worker."""
    checkpoints.enable()
    from app import create_app

    made = create_app()
    gc.freeze()
    return made
'''


def command(name: str, port: int, workers: int | None, workdir: Path) -> tuple[list[str], dict[str, str]]:
    """argv and extra environment to serve the app with server `name` on 127.0.0.1:port.

    `workers` None: each server's own default, as `make run` would start it (gunicorn sync: 2 per
    core, as gunicorn.conf.py had it; the others one per core; waitress has one process).
    """
    (workdir / "bench_gunicorn.py").write_text(GUNICORN_CONF)
    (workdir / "bench_entry.py").write_text(ENTRY_MODULE)
    processes = str(worker_processes(name, workers))
    env = {"PORT": str(port), "WEB_CONCURRENCY": processes, "PYTHONPATH": f"{ROOT}{os.pathsep}{workdir}"}
    gunicorn = [str(VENV_BIN / "gunicorn"), "--config", str(workdir / "bench_gunicorn.py"), "app:create_app()"]
    if name == "granian-bridge":  # the chosen setup, started as `make run` starts it
        return [str(VENV_BIN / "python"), "-m", "server"], {**env, "HOST": "127.0.0.1"}
    if name == "gunicorn-sync":
        return gunicorn, env
    if name == "gunicorn-gthread":
        return gunicorn, {**env, "BENCH_WORKER_CLASS": "gthread", "BENCH_THREADS": str(THREADS)}
    if name == "gunicorn-gevent":
        return gunicorn, {**env, "BENCH_WORKER_CLASS": "gevent"}
    if name == "waitress":
        return [str(VENV_BIN / "waitress-serve"), "--listen", f"127.0.0.1:{port}", f"--threads={THREADS}",
                "--connection-limit=2000", "--asyncore-use-poll", "--channel-timeout=60", "--call",
                "bench_entry:app"], env
    if name == "granian-wsgi":
        return [str(VENV_BIN / "granian"), "--interface", "wsgi", "--factory", "--host", "127.0.0.1",
                "--port", str(port), "--workers", processes, "--blocking-threads", str(THREADS),
                "--http", "1", "--http1-header-read-timeout", str(HEADER_TIMEOUT_S * 1000), "--no-ws",
                "--access-log", "bench_entry:app"], env
    raise ValueError(f"unknown server {name!r}")


def worker_processes(name: str, workers: int | None) -> int:
    """How many processes serve requests for server `name` (see command)."""
    cores = os.cpu_count() or 1
    return 1 if name == "waitress" else workers or (2 * cores if name == "gunicorn-sync" else cores)


NAMES = ("granian-bridge", "granian-wsgi", "waitress", "gunicorn-gevent", "gunicorn-gthread", "gunicorn-sync")


def start(name: str, database_url: str, port: int, workers: int | None, workdir: Path) -> subprocess.Popen:
    """Start server `name` in its own process group and wait until /healthz answers."""
    argv, extra = command(name, port, workers, workdir)
    log = open(workdir / f"{name}.log", "ab")
    process = subprocess.Popen(argv, cwd=ROOT, env=app_env(database_url, **extra), stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}; see {workdir / f'{name}.log'}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError(f"{name} did not start; see {workdir / f'{name}.log'}")


def stop(process: subprocess.Popen) -> None:
    """Stop a server we started (its whole process group)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def processes(process: subprocess.Popen) -> list[int]:
    """The server's process and its children (workers)."""
    found = [process.pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == process.pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


def cpu_seconds(process: subprocess.Popen) -> float:
    """User + system CPU seconds of the server and its workers so far."""
    total = 0
    for pid in processes(process):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def rss_mib(process: subprocess.Popen) -> float:
    """Resident memory of the server and its workers, MiB."""
    total = 0
    for pid in processes(process):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024
