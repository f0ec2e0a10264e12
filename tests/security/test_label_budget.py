"""Label templates run on a budget: a template that loops for some ids, or sizes that cannot be
drawn, end in a message (editor: 422, printing: 400) instead of a held worker or a 500."""
from __future__ import annotations

import os
import re
import signal
import threading
import time

import pytest

from extensions import db
from models import LabelTemplate, Part
from services.labels import render_process
from services.labels.sandbox import LabelTemplateError



def slow_for(object_id: int) -> str:
    """A template that loops 10^10 times for one object only (the editor's sample objects have other ids)."""
    return (f'{{% if id == "{object_id}" %}}{{% for a in range(100000) %}}{{% for b in range(100000) %}}{{% endfor %}}'
            '{% endfor %}{% endif %}<div style="left:1mm; top:1mm">{{ name }}</div>')

FORM = {"name": "Budget", "object_types": ["part"], "width_mm": "50", "height_mm": "25", "columns": "1", "rows": "1"}


def _in_time(call, seconds: float = 90):
    """The response of `call()`, or a failure if it does not come within `seconds` (the worker would hang)."""
    box = {}

    def run():
        try:
            box["response"] = call()
        except Exception as error:  # re-raised in the test's thread
            box["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert box, f"no answer within {seconds} s: rendering has no budget"
    if "error" in box:
        raise box["error"]
    return box["response"]


@pytest.fixture
def parts(app):
    made = [Part(name=f"Widget {n}", units="pcs") for n in range(1, 4)]
    db.session.add_all(made)
    db.session.commit()
    return made


def _refused(url: str) -> int:
    """The status a refused print answers: the preview shows its form with the message (422, so htmx
    swaps it in and another template can be chosen); files and images are 400."""
    return 422 if url.startswith("/labels/print?") else 400


def _stored_template(body: str) -> LabelTemplate:
    """A template as the database may hold it (saved before these checks existed)."""
    template = LabelTemplate(name="Stored", object_types="part", width_mm=50, height_mm=25, body=body,
                             columns=1, rows=1, builtin=False)
    db.session.add(template)
    db.session.commit()
    return template


def test_a_template_that_loops_for_other_ids_is_stopped_with_a_message(client_for, parts):
    admin = client_for("admin")
    saved = admin.post("/labels/templates/new", data={**FORM, "body": slow_for(parts[1].id)})
    assert saved.status_code == 303  # the sample object prints quickly, so the editor cannot know
    template = db.session.execute(db.select(LabelTemplate).filter_by(name="Budget")).scalar_one()
    viewer = client_for("viewer")
    query = f"type=part&id={parts[0].id}&id={parts[1].id}&template={template.id}"
    started = time.monotonic()
    for url in (f"/labels/print.pdf?{query}", f"/labels/print.zpl?{query}", f"/labels/print?{query}"):
        response = _in_time(lambda: viewer.get(url))
        assert response.status_code == _refused(url), url
        assert f"Part {parts[1].id}" in response.get_data(as_text=True) and "CPU time" in response.get_data(as_text=True)
    assert time.monotonic() - started < 60
    assert viewer.get(f"/labels/print.pdf?type=part&id={parts[0].id}&template={template.id}").status_code == 200


def test_a_background_job_with_such_a_template_fails_with_the_message(client_for, parts):
    template = _stored_template(slow_for(parts[1].id))
    viewer = client_for("viewer", htmx=True)
    ids = [parts[0].id] * 40 + [parts[1].id] * 20
    started = viewer.post("/labels/jobs/start", data={"type": "part", "id": ids, "template": template.id})
    assert started.status_code == 202
    job_id = re.search(r"/labels/jobs/([0-9a-f]{32})", started.get_data(as_text=True))[1]
    deadline = time.monotonic() + 90
    while "Making the PDF" in (fragment := viewer.get(f"/labels/jobs/{job_id}").get_data(as_text=True)):
        assert time.monotonic() < deadline, "the job is still running: rendering has no budget"
        time.sleep(0.3)
    assert f"Part {parts[1].id}" in fragment and "CPU time" in fragment


@pytest.mark.parametrize("style, named", [
    ("font-size:0pt", "font-size"), ("font-size:-3pt", "font-size"), ("line-height:0", "line-height"),
    ("line-height:nan", "line-height"), ("line-height:-1", "line-height"), ("line-height:inf", "line-height"),
])
def test_sizes_that_cannot_print_are_refused_in_the_editor_and_never_answer_500(client_for, parts, style, named):
    body = f'<div style="left:1mm; top:1mm; width:40mm; height:10mm; {style}">{{{{ name }}}}</div>'
    admin = client_for("admin", htmx=True)
    for url in ("/labels/templates/new", "/labels/templates/preview"):
        refused = admin.post(url, data={**FORM, "body": body})
        assert refused.status_code == 422, (url, refused.status_code)
        assert named in refused.get_data(as_text=True)
    template = _stored_template(body)
    viewer = client_for("viewer")
    query = f"type=part&id={parts[0].id}&template={template.id}"
    for url in (f"/labels/print?{query}", f"/labels/print.pdf?{query}", f"/labels/print.zpl?{query}",
                f"/labels/templates/{template.id}/sample.svg"):
        response = viewer.get(url)
        assert response.status_code == _refused(url), (url, response.status_code)
        assert named in response.get_data(as_text=True)


def test_memory_and_output_bombs_end_in_a_message(app):
    for body, message in (('{{ ("x" * 2000000000)|length }}', "memory"),
                          ("{% for a in range(100000) %}0123456789{% endfor %}", "characters"),
                          ("{{ 2 ** 99999999 }}", "exponent")):
        with pytest.raises(LabelTemplateError, match=message):
            _in_time(lambda: render_process.render_body(body, {"type_label": "Part", "id": "1", "code": "X"}))


def test_a_render_process_that_dies_is_replaced(app):
    assert render_process.render_body("{{ id }}", {"id": "5"}) == "5"
    os.kill(render_process._state["child"].popen.pid, signal.SIGKILL)
    with pytest.raises(LabelTemplateError, match="stopped"):
        render_process.render_body("{{ id }}", {"id": "6"})
    assert render_process.render_body("{{ id }}", {"id": "7"}) == "7"


def test_a_long_print_lets_another_print_take_its_turn(app):
    """The server's threads share one render process: a long batch gives it up between turns."""
    slow = "{% for a in range(1000) %}{% for b in range(1000) %}{% endfor %}{% endfor %}{{ id }}"  # ~35 ms a label
    finished = []

    def long_print():
        list(render_process.render_many(slow, [{"id": str(n), "type_label": "Part"} for n in range(40)]))
        finished.append("long")

    worker = threading.Thread(target=long_print, daemon=True)
    worker.start()
    time.sleep(0.3)
    assert _in_time(lambda: render_process.render_body("{{ id }}", {"id": "quick"})) == "quick"
    finished.append("quick")
    worker.join(120)
    assert finished == ["quick", "long"]
