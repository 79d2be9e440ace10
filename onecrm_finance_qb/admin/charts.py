"""The status screen's chart of recent runs: records synced and errors per run, drawn as plain SVG.

Geometry is computed here and the SVG is written by a Jinja template, so every label (a server
name, a run message) is escaped like any other text and the page needs no script or remote file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from onecrm_finance_qb.admin.run_history import RunFigures

WIDTH = 640
HEIGHT = 180
#: Room for the axis labels on the left and the dates below.
MARGIN_LEFT = 44
MARGIN_BOTTOM = 24
MARGIN_TOP = 10
#: The chart keeps its bars readable by showing at most this many runs.
MAX_RUNS = 100
GRIDLINES = 4


@dataclass(frozen=True)
class Bar:
    """One run's two bars: records synced (left) and errors (right)."""

    run_id: int
    started_at: datetime
    result: str
    synced: int
    failed: int
    x: float
    width: float
    synced_y: float
    synced_height: float
    failed_y: float
    failed_height: float


@dataclass(frozen=True)
class Gridline:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    """Everything the template draws; ``bars`` is empty when no run happened in the period."""

    width: int
    height: int
    plot_left: int
    plot_bottom: int
    bars: tuple[Bar, ...]
    gridlines: tuple[Gridline, ...]
    first: datetime | None
    last: datetime | None


def _nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5 x 10^n that is at least ``value``: gridlines then fall on round numbers."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def build_chart(runs: Sequence[RunFigures]) -> Chart:
    """Bars for ``runs`` (oldest first), scaled to the largest figure among them."""
    runs = list(runs)[-MAX_RUNS:]
    plot_width = WIDTH - MARGIN_LEFT
    plot_height = HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    bottom = HEIGHT - MARGIN_BOTTOM
    largest = max([1, *(max(run.synced, run.failed) for run in runs)])
    step_value = _nice_ceiling(-(-largest // GRIDLINES))
    top_value = step_value * GRIDLINES
    slot = plot_width / max(1, len(runs))
    bar_width = max(1.0, slot * 0.4)

    def height_of(value: int) -> float:
        return round(plot_height * value / top_value, 2)

    bars = []
    for index, figures in enumerate(runs):
        synced_height, failed_height = height_of(figures.synced), height_of(figures.failed)
        x = round(MARGIN_LEFT + index * slot + slot * 0.1, 2)
        bars.append(Bar(
            run_id=figures.run.id, started_at=figures.run.started_at, result=figures.run.result,
            synced=figures.synced, failed=figures.failed, x=x, width=round(bar_width, 2),
            synced_y=round(bottom - synced_height, 2), synced_height=synced_height,
            failed_y=round(bottom - failed_height, 2), failed_height=failed_height,
        ))
    gridlines = tuple(
        Gridline(y=round(bottom - plot_height * step / GRIDLINES, 2), value=step_value * step)
        for step in range(1, GRIDLINES + 1)
    )
    return Chart(
        width=WIDTH, height=HEIGHT, plot_left=MARGIN_LEFT, plot_bottom=bottom, bars=tuple(bars), gridlines=gridlines,
        first=runs[0].run.started_at if runs else None, last=runs[-1].run.started_at if runs else None,
    )
