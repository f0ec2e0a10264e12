"""Label templates render in a child process with a CPU and memory budget.

A template is code an admin wrote, and it runs for every label printed: one that loops 10^10 times
for some ids, or builds a gigabyte string, must cost a bounded amount and end in a message, not hold
a server thread. Each app process keeps one child (started on first use, restarted if it dies, a new
one after a fork), and asks it over pipes, one JSON line per batch of labels; the threads of the
process take turns, and a batch gives the child up after CHUNK_CPU_SECONDS so no print waits long:

- each label may use LABEL_CPU_SECONDS of CPU time (a CPU timer in the child turns that into an
  error naming the object), a whole print BATCH_CPU_SECONDS;
- RLIMIT_CPU kills the child if one operation runs on past its label's budget without giving the
  timer a chance (a C-level loop), RLIMIT_AS caps its memory;
- the parent waits at most REPLY_SECONDS of wall time for a batch, then kills the child.

JSON both ways, never pickle: what the child sends back is strings, whatever a template did.
"""
from __future__ import annotations

import json
import math
import os
import select
import signal
import subprocess
import sys
import threading
import time
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from services.labels.sandbox import LabelTemplateError

LABEL_CPU_SECONDS = 0.25  # a label takes well under 1 ms; 250x that is a template that went wrong
BATCH_CPU_SECONDS = 30.0  # all labels of one print (5000 labels take about 0.5 s)
MEMORY_BYTES = 512 * 1024 * 1024  # on top of what the child needs to start
REPLY_SECONDS = 60.0  # wall time per batch, for a loaded machine; the CPU limits act first
CHUNK = 100  # labels per request to the child: few round trips
CHUNK_CPU_SECONDS = 0.5  # a request stops after this much CPU (and hands the rest back), so others get a turn
ROOT = Path(__file__).resolve().parents[2]
_CHILD = f"import sys; sys.path.insert(0, {str(ROOT)!r}); from services.labels.render_process import serve; serve()"


class _OverBudget(BaseException):
    """Raised in the child by the CPU timer; a BaseException so nothing on the way catches it."""


# --- the parent's side -----------------------------------------------------------------------------

class _Child:
    """One render process and its pipes."""

    def __init__(self) -> None:
        # -I: no PYTHON* variables, no user site; the path to the app is given explicitly.
        self.popen = subprocess.Popen([sys.executable, "-I", "-c", _CHILD], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, bufsize=0, cwd=ROOT, close_fds=True)
        self.pending = b""

    def ask(self, request: dict) -> dict:
        """Send one request and wait for its reply; OSError/EOFError/TimeoutError if the child fails."""
        self.popen.stdin.write(json.dumps(request).encode() + b"\n")
        deadline = time.monotonic() + REPLY_SECONDS
        stdout = self.popen.stdout.fileno()
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([stdout], [], [], left)[0]:
                raise TimeoutError("no reply from the render process")
            chunk = os.read(stdout, 1 << 16)
            if not chunk:
                raise EOFError("the render process ended")
            self.pending += chunk
        line, _, self.pending = self.pending.partition(b"\n")
        return json.loads(line)

    def stop(self) -> None:
        """Kill the child and reap it."""
        self.popen.kill()
        self.popen.wait()
        for pipe in (self.popen.stdin, self.popen.stdout):
            pipe.close()


class _Turns:
    """A lock handed over in arrival order: with threading.Lock, a thread that releases it and asks
    again at once (a long print between its batches) usually wins, and the others would starve."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._issued = self._serving = 0

    def __enter__(self) -> None:
        with self._changed:
            ticket, self._issued = self._issued, self._issued + 1
            self._changed.wait_for(lambda: self._serving == ticket)

    def __exit__(self, *exc) -> None:
        with self._changed:
            self._serving += 1
            self._changed.notify_all()


_lock = _Turns()  # one request at a time per app process; its threads and background jobs share
_state: dict = {"child": None, "pid": None}


def _ask(request: dict) -> dict:
    """One batch through this process's child, starting it (again) as needed."""
    with _lock:
        child = _state["child"]
        if child is None or _state["pid"] != os.getpid():  # never use a child inherited through fork
            child = _state["child"] = _Child()
            _state["pid"] = os.getpid()
        try:
            return child.ask(request)
        except (OSError, EOFError, TimeoutError, ValueError):
            _state["child"] = None
            child.stop()
            # Whatever the cause (a CPU or memory limit, a kill from outside), the batch's template
            # is what ran; say so, and the next batch gets a fresh child.
            raise LabelTemplateError("rendering was stopped: the template needed more than its budget of "
                                     f"{LABEL_CPU_SECONDS:g} s of CPU time per label, or too much memory") from None


def render_many(body: str, contexts: Iterable[dict[str, str]]) -> Iterator[str]:
    """The markup of each label, in order, rendered by the child within the budgets.

    LabelTemplateError names the object whose label failed ("Stock item 7: ...")."""
    cpu_left = BATCH_CPU_SECONDS
    iterator = iter(contexts)
    chunk: list[dict] = []
    while chunk := chunk + list(islice(iterator, CHUNK - len(chunk))):
        reply = _ask({"body": body, "values": chunk, "label_cpu": LABEL_CPU_SECONDS, "cpu_left": cpu_left,
                      "chunk_cpu": CHUNK_CPU_SECONDS})
        cpu_left -= reply["cpu"]
        yield from reply["html"]
        if "error" in reply:
            values = chunk[reply["index"]]
            raise LabelTemplateError(f"{values.get('type_label', 'Label')} {values.get('id', '')}: {reply['error']}")
        chunk = chunk[len(reply["html"]):]  # what the child handed back after its turn


def render_body(body: str, values: dict[str, str]) -> str:
    """The markup of one label (see render_many)."""
    return next(render_many(body, [values]))


# --- the child's side ------------------------------------------------------------------------------

def serve() -> None:
    """The child's loop: one JSON request per line on stdin, one JSON reply per line on stdout."""
    import resource

    from services.labels.sandbox import render_here

    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    with open("/proc/self/statm") as statm:  # Linux: the size now, in pages
        start = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = start + MEMORY_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit if hard == resource.RLIM_INFINITY else min(limit, hard), hard))
    signal.signal(signal.SIGPROF, _over_budget)
    for line in sys.stdin.buffer:
        request = json.loads(line)
        reply = _batch(request, render_here)
        sys.stdout.buffer.write(json.dumps(reply).encode() + b"\n")
        sys.stdout.buffer.flush()


def _over_budget(signum, frame):
    raise _OverBudget()


def _batch(request: dict, render) -> dict:
    """Render the labels of a request within their CPU budgets; stop at the first failure, or with
    the rest undone once the request has had its turn (chunk_cpu)."""
    import resource

    html, used = [], 0.0
    for index, values in enumerate(request["values"]):
        if used >= request["chunk_cpu"]:
            break  # the parent sends the rest again: its other threads get a turn in between
        limit = min(request["label_cpu"], request["cpu_left"] - used)
        if limit <= 0:
            return {"html": html, "cpu": used, "index": index,
                    "error": f"this print needed more than {BATCH_CPU_SECONDS:g} s of CPU time in all"}
        started = time.process_time()
        # The hard stop for work the timer cannot interrupt: the kernel ends the child at this soft limit.
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(started + limit) + 1, hard))
        try:
            signal.setitimer(signal.ITIMER_PROF, limit)
            try:
                html.append(render(request["body"], values))
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0)
        except _OverBudget:
            error = f"the template needed more than {request['label_cpu']:g} s of CPU time for this label"
        except MemoryError:
            error = "the template needed too much memory"
        except LabelTemplateError as refused:
            error = str(refused)
        else:
            error = ""
        used += time.process_time() - started
        if error:
            return {"html": html, "cpu": used, "index": index, "error": error}
    return {"html": html, "cpu": used}
