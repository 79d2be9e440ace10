"""Plain-text tables for terminal summaries (the demo's report, the benchmarks)."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """The first column (the labels) left-aligned, the figures right-aligned, each padded to its widest cell."""
    cells = [[str(header) for header in headers]] + [['-' if value is None else str(value) for value in row]
                                                     for row in rows]
    widths = [max(len(row[index]) for row in cells) for index in range(len(headers))]
    lines = []
    for number, row in enumerate(cells):
        padded = [cell.ljust(width) if index == 0 else cell.rjust(width)
                  for index, (cell, width) in enumerate(zip(row, widths, strict=True))]
        lines.append('  '.join(padded).rstrip())
        if number == 0:
            lines.append('  '.join('-' * width for width in widths))
    return '\n'.join(lines)
