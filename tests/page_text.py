"""Reading pages in tests as a person reads them."""
from __future__ import annotations


def html_of(response) -> str:
    """A response's HTML without the <bdi> that isolates every name (blueprints/shared/user_text.py),
    so a test finds `>Shelf 2</a>` as the page shows it."""
    return response.get_data(as_text=True).replace("<bdi>", "").replace("</bdi>", "")
