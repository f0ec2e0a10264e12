"""Choosing a part by typing: the text a part field shows, and which part a typed text names.

A part field shows a part as people read it (`R-001 Resistor 10k`, or just the name when it has no
IPN) and accepts what a person would type: the exact name, the IPN, that shown text (what picking a
suggestion puts into the box) or, as before, the id. Several parts may share a name; their shown
text then ends in ` #<id>`, which is how one of them is told apart. Lookups go through the unique
IPN index, the name indexes and the search indexes (services/search.py), never a scan of the table.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import func

from database.ids import parse_id
from extensions import db
from models import Part
from services import search

SUGGESTIONS = 20
CANDIDATES = 500
MAX_SPLITS = 8  # "IPN name": the IPN ends at one of the first spaces
_WITH_ID = re.compile(r"(?:(.*\S)\s+)?#([0-9]+)")


@dataclass(frozen=True)
class Suggestion:
    """One entry of a part field's suggestion list: the text picking it puts in the box, and a hint."""

    value: str
    hint: str


@dataclass
class Found:
    """What a typed text names: a part id, or a message and the parts it could have meant."""

    part_id: int | None = None
    message: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)


def _plain_text(part: Part) -> str:
    return str(part)


def suggestions(parts: list[Part]) -> list[Suggestion]:
    """The suggestion entries for `parts`, each text made unique with ` #<id>` where parts share it."""
    texts = [_plain_text(p) for p in parts]
    shared = _shared_texts(parts)
    return [Suggestion(f"{text} #{p.id}" if text in shared else text, p.description[:80])
            for p, text in zip(parts, texts)]


def text_of(part_id: int | None) -> str:
    """What a part field shows for a chosen part id ('' for none or an unknown id)."""
    part = db.session.get(Part, part_id) if part_id else None
    return suggestions([part])[0].value if part else ""


def _shared_texts(parts: list[Part]) -> set[str]:
    """Which of the parts' shown texts another part shows too (only names without an IPN can collide)."""
    names = {p.name for p in parts if not p.ipn}
    if not names:
        return set()
    rows = db.session.execute(db.select(Part.name).where(Part.ipn.is_(None), Part.name.in_(names))
                              .group_by(Part.name).having(func.count() > 1)).scalars()
    return set(rows)


def find(text: str) -> Found:
    """The part `text` names, or why none: nothing matches, or several do (with what to pick)."""
    text = " ".join(text.replace("\x00", "").split())[:200]
    if not text:
        return Found(message="Choose a part.")
    by_id = _by_id_suffix(text)
    if by_id is not None:
        return Found(part_id=by_id)
    named = _named(text)
    if len(named) == 1:
        return Found(part_id=named[0].id)
    if named:
        return Found(message=f"{len(named)} parts are called “{text}”; pick one from the list.",
                     suggestions=suggestions(named[:SUGGESTIONS]))
    number = parse_id(text)
    if number is not None and db.session.get(Part, number) is not None:
        return Found(part_id=number)
    return Found(message=f"Choose a part: none is called “{text}” (name or IPN). Pick one from the list.",
                 suggestions=suggestions(similar(text)))


def _by_id_suffix(text: str) -> int | None:
    """The id of `Name #52` (what picking one of several same-named parts gives), if it is that part."""
    match = _WITH_ID.fullmatch(text)
    part = db.session.get(Part, parse_id(match.group(2))) if match and parse_id(match.group(2)) else None
    if part is None:
        return None
    before = match.group(1)
    return part.id if before is None or before.casefold() == _plain_text(part).casefold() else None


def _named(text: str) -> list[Part]:
    """Parts whose IPN, name or shown text is `text` (any case); the exact-case ones when that decides."""
    found = {p.id: p for p in _equal(text)}
    for ipn, name in _splits(text):
        found.update((p.id, p) for p in db.session.scalars(
            db.select(Part).where(search.equals(Part.ipn, ipn), search.equals(Part.name, name))))
    parts = sorted(found.values(), key=lambda p: (p.name_key, p.id))
    exact = [p for p in parts if text in (p.ipn, p.name, _plain_text(p))]
    return exact if len(exact) == 1 else parts


def _equal(text: str) -> list[Part]:
    """Parts whose name or IPN equals `text`, ignoring case."""
    return list(db.session.scalars(db.select(Part).where(
        search.equals(Part.ipn, text) | search.equals(Part.name, text)).limit(SUGGESTIONS + 1)))


def _splits(text: str) -> list[tuple[str, str]]:
    """(IPN, name) readings of "IPN name" text, split at each of its first spaces."""
    spaces = [i for i, ch in enumerate(text) if ch == " "][:MAX_SPLITS]
    return [(text[:i], text[i + 1:]) for i in spaces]


def similar(text: str) -> list[Part]:
    """Some parts whose name or IPN contains `text`, by name: what the person may have meant.

    Drawn from the first CANDIDATES the search index offers, so a text found in every row stays cheap.
    """
    columns = (Part.name, Part.ipn)
    candidates = search.candidates(columns, text).limit(CANDIDATES)
    query = db.select(Part).where(Part.id.in_(candidates), search.row_matches(columns, text))
    return list(db.session.scalars(query.order_by(Part.name_key, Part.id).limit(SUGGESTIONS)))
