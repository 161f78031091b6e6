"""The geometry of the report's charts; templates/batch/report.html.j2 draws them as inline SVG."""

from __future__ import annotations

import datetime as dt

COLORS = {
    "out_of_scope": "#9e9e9e",
    "duty_fulfilled": "#2e7d32",
    "exempt": "#1565c0",
    "excluded": "#c62828",
    "mitigated": "#ef6c00",
    "none": "#6d4c41",
    "undetermined": "#8e24aa",
    "agree": "#2e7d32",
    "disagree": "#c62828",
    "no_record": "#9e9e9e",
}
LABEL_WIDTH = 190
BAR_SPACE = 360
ROW = 26


def bars(items: list[tuple[str, str, int]]) -> dict:
    """Horizontal bars: (key, label, value) each, the key choosing the colour."""
    top = max((value for _, _, value in items), default=0) or 1
    return {
        "width": LABEL_WIDTH + BAR_SPACE + 80,
        "height": ROW * len(items) + 8,
        "label_width": LABEL_WIDTH,
        "bars": [
            {
                "label": label,
                "value": value,
                "y": 4 + ROW * i,
                "length": round(BAR_SPACE * value / top, 1),
                "color": COLORS.get(key, "#546e7a"),
            }
            for i, (key, label, value) in enumerate(items)
        ],
    }


def matrix(rows: list[str], columns: list[str], counts: dict[tuple[int, int], int]) -> dict:
    """A heat map: cell (row, column) shaded by its count, the diagonal (agreement) in green."""
    cell, left, top = 56, LABEL_WIDTH, 120
    peak = max(counts.values(), default=0) or 1
    cells = []
    for i in range(len(rows)):
        for j in range(len(columns)):
            n = counts.get((i, j), 0)
            base = (46, 125, 50) if i == j else (198, 40, 40)
            cells.append(
                {
                    "x": left + j * cell,
                    "y": top + i * cell,
                    "count": n,
                    "fill": _shade(base, n / peak if n else 0),
                    "dark": n / peak > 0.55,
                }
            )
    return {
        "width": left + cell * len(columns) + 10,
        "height": top + cell * len(rows) + 10,
        "cell": cell,
        "left": left,
        "top": top,
        "rows": rows,
        "columns": columns,
        "cells": cells,
    }


def timeline(items: list[tuple[str, dt.date, dt.date, int]]) -> dict:
    """Periods on a calendar: (label, first, last, cases) each, one row per period, a tick per year."""
    if not items:
        return {"width": 0, "height": 0, "spans": [], "ticks": []}
    start = dt.date(min(first for _, first, _, _ in items).year, 1, 1)
    end = dt.date(max(last for _, _, last, _ in items).year + 1, 1, 1)
    days = (end - start).days

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + BAR_SPACE * (day - start).days / days, 1)

    spans = [
        {
            "label": label,
            "cases": cases,
            "y": 4 + ROW * i,
            "x": x(first),
            "length": max(round(x(last) - x(first), 1), 3),
        }
        for i, (label, first, last, cases) in enumerate(items)
    ]
    ticks = [{"x": x(dt.date(year, 1, 1)), "year": year} for year in range(start.year, end.year + 1)]
    return {
        "width": LABEL_WIDTH + BAR_SPACE + 80,
        "height": ROW * len(items) + 28,
        "spans": spans,
        "ticks": ticks,
        "axis": ROW * len(items) + 8,
    }


def _shade(rgb: tuple[int, int, int], strength: float) -> str:
    """The colour mixed into white: 0 is white, 1 the full colour."""
    if strength == 0:
        return "#f7f7f7"
    mix = 0.15 + 0.85 * strength
    return "#" + "".join(f"{round(255 - (255 - c) * mix):02x}" for c in rgb)
