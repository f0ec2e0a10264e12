"""Geometry of the scans-per-day chart; the SVG itself is the template admin/chart.svg."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 180, 40, 22, 12


@dataclass(frozen=True)
class Bar:
    """One day: a match bar and a miss bar side by side."""

    day: dt.date
    x: float
    width: float
    matches: int
    misses: int
    match_y: float
    match_h: float
    miss_y: float
    miss_h: float


def bar_chart(days: list[tuple[dt.date, int, int]]) -> dict:
    """Bars, axis ticks and totals for (day, matches, misses) rows."""
    top = max([max(m, x) for _, m, x in days] + [1])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(days), 1)
    bar_w = max(slot / 2 - 1, 1)

    def height(n: int) -> float:
        return round(n / top * plot_h, 1)

    bars = []
    for i, (day, matches, misses) in enumerate(days):
        x = round(LEFT + i * slot, 1)
        bars.append(Bar(day, x, round(bar_w, 1), matches, misses,
                        HEIGHT - BOTTOM - height(matches), height(matches),
                        HEIGHT - BOTTOM - height(misses), height(misses)))
    # A label every week, counted back from today so the newest day is always labelled.
    labels = [b for i, b in enumerate(bars) if (len(bars) - 1 - i) % 7 == 0]
    return {"bars": bars, "labels": labels, "top": top, "width": WIDTH, "height": HEIGHT,
            "left": LEFT, "base": HEIGHT - BOTTOM, "top_y": TOP, "slot": slot,
            "matches": sum(b.matches for b in bars), "misses": sum(b.misses for b in bars)}
