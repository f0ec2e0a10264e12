"""Names with invisible and direction-changing characters cannot disguise themselves or the page:
every page that shows a part, location, company, supplier part, stock item or user shows such
characters as a visible [U+XXXX] (never raw, outside the form fields that edit them), and shows the
name isolated (<bdi>), so a right-to-left override cannot reverse the text around it. The scan
history marks every Cf, Zl, Zp and default-ignorable character, so two different scans never look
alike."""
from __future__ import annotations

import sys
from html.parser import HTMLParser

import pytest

from blueprints.shared.display import visible
from extensions import db
from models import User
from tests.conftest import PASSWORD
from tests.security.seed import seed_one_of_everything
from tests.security.test_xss import _pages

# A right-to-left override, a left-to-right isolate and a zero-width space, in every text field.
SEED = "\u202eevil\u2066x\u200by"
RAW = ("\u202e", "\u2066", "\u200b")
SHOWN = "[U+202E]evil"  # how the seeded text must look wherever it is shown
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Where the raw text belongs (the form fields that edit it), or is its own isolated paragraph.
RAW_ALLOWED_IN = {"textarea"}
ISOLATED_BY = {"bdi", "title", "option", "textarea"}


class _Walker(HTMLParser):
    """Collects raw hidden characters outside form fields, and shown names outside an isolate."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.raw: list[str] = []
        self.unisolated: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attributes.items():
            if value and any(ch in value for ch in RAW) and not (tag == "input" and name == "value"):
                self.raw.append(f"<{tag} {name}={value[:60]!r}>")
        if tag not in VOID:
            self.stack.append((tag, attributes))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        tags = [tag for tag, _ in self.stack]
        if any(ch in data for ch in RAW) and not RAW_ALLOWED_IN & set(tags):
            self.raw.append(f"{'>'.join(tags[-3:])}: {data.strip()[:60]!r}")
        isolated = ISOLATED_BY & set(tags) or any("dir" in attributes or "scan-data" in attributes.get("class", "")
                                                 for _, attributes in self.stack)
        if SHOWN in data and not isolated:
            self.unisolated.append(f"{'>'.join(tags[-3:])}: {data.strip()[:80]!r}")


def _walk(html: str) -> _Walker:
    walker = _Walker()
    walker.feed(html)
    return walker


@pytest.mark.slow
def test_every_page_marks_and_isolates_hostile_names(app, users, client_for):
    seed_one_of_everything(users["operator"], text=SEED)
    users["viewer"].username = "viewer" + SEED  # as an account made before usernames were checked
    db.session.commit()
    client = client_for("admin")
    client.post("/scan", data={"barcode": SEED, "source": "dialog"})
    raw, unisolated, shown = {}, {}, 0
    for url in _pages(app) + ["/admin/users", f"/admin/users/{users['viewer'].id}", "/parts/?q=evil"]:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers)
            if response.mimetype != "text/html":
                response.close()
                continue
            html = response.get_data(as_text=True)
            walker = _walk(html)
            shown += SHOWN in html
            if walker.raw:
                raw[(url, bool(headers))] = walker.raw[:3]
            if walker.unisolated:
                unisolated[(url, bool(headers))] = walker.unisolated[:3]
    assert raw == {}
    assert unisolated == {}
    assert shown > 40


def test_a_flashed_message_with_a_name_is_marked(app, users, client_for):
    client = client_for("admin")
    client.post("/admin/users", data={"username": "x", "role": "viewer", "password": PASSWORD})
    user = db.session.execute(db.select(User).filter_by(username="x")).scalar_one()
    user.username = "x" + SEED
    db.session.commit()
    page = client.post(f"/admin/users/{user.id}/role", data={"role": "operator"}, follow_redirects=True)
    assert _walk(page.get_data(as_text=True)).raw == [] and SHOWN in page.get_data(as_text=True)


def test_new_usernames_cannot_hold_invisible_or_direction_changing_characters(admin_client):
    for name in ("ad\u200bmin", "\u202enimda", "adm\u2028in", "x\u3164"):
        response = admin_client.post("/admin/users", data={"username": name, "role": "viewer", "password": PASSWORD})
        assert response.status_code == 422 and "invisible or direction-changing" in response.get_data(as_text=True)
    assert db.session.execute(db.select(User).where(User.username.like("%nimda%"))).first() is None


def test_names_keep_what_joins_or_shapes_visible_text():
    from blueprints.shared.user_text import user_text
    from services.text import mark

    family, flag, persian = "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\u2764\ufe0f", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    for text in (family, flag, persian, "Widerstände 10k", "\u05e9\u05dc\u05d5\u05dd"):
        assert mark(text) == text
    assert str(user_text("a<b>\u202e")) == "<bdi>a&lt;b&gt;[U+202E]</bdi>"


# Each must be visibly marked in the scan history (the audit's list, and its kin).
HISTORY_HIDDEN = [0x2028, 0x2029, 0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0x180E, 0xFFF9, 0xFFFA, 0xFFFB, 0x034F,
                  0x115F, 0x3164, 0xE0001, 0xE0041, 0xE007F, 0x200B, 0x200C, 0x200D, 0x200E, 0x202E, 0x2066, 0xFEFF,
                  0x00AD, 0xFE0F, 0x1D173, 0x1BCA0, 0xFFA0, 0x17B4, 0x061C, 0x0600, 0x110BD]


@pytest.mark.parametrize("code", HISTORY_HIDDEN, ids=[f"U+{c:04X}" for c in HISTORY_HIDDEN])
def test_the_scan_history_marks_every_invisible_character(code):
    html = str(visible(f"A{chr(code)}B"))
    assert f"[U+{code:04X}]" in html and chr(code) not in html


def test_two_different_scans_never_look_the_same():
    from services.text import hidden

    seen = {}
    for code in (c for c in range(0x110000) if hidden(chr(c)) and not 0xD800 <= c <= 0xDFFF):
        shown = str(visible(f"A{chr(code)}B"))
        assert shown not in seen, (hex(code), hex(seen.get(shown, 0)))
        seen[shown] = code


def test_the_fast_candidate_search_covers_every_hidden_character():
    """`mark` looks only at what CANDIDATES finds; Python's Unicode data must not know more."""
    from services.text import CANDIDATES, hidden

    missed = [hex(c) for c in range(0x110000) if hidden(chr(c)) and chr(c) not in "\t\n\r"
              and not CANDIDATES.match(chr(c))]
    assert missed == [], f"Unicode {sys.version_info[:2]} added hidden characters: {missed}"
