"""Simple SVG charts for reports: horizontal bars and a line over months.

Each chart is inline SVG with role="img", a <title> and a <desc> giving the figures in words, so a
reader who cannot see it loses nothing; the report also prints the table beside it. Text in the
SVG is escaped; sizes are in millimetres-like user units so that WeasyPrint draws vectors.
"""

from __future__ import annotations

from itertools import count
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe

_ids = count(1)
BAR_COLOURS = ("#1d70b8", "#b1b4b6")
LINE_COLOURS = ("#1d70b8", "#d4351c")
DASHES = ("", "4 2")


def _nice_max(value: float) -> int:
    """The top of the axis: four equal whole-number steps (1, 2, 5, 10, 20, 25, 50, ... each)."""
    needed = max(value, 1) / 4
    magnitude = 1
    while True:
        for multiple in (1, 2, 2.5, 5):
            step = multiple * magnitude
            if step >= needed and step == int(step):
                return int(step * 4)
        magnitude *= 10


def _a(text) -> str:
    return escape(str(text), {'"': "&quot;"})


LABEL_CHARACTERS = 34  # of a line of a bar's label (7.5 units DejaVu Sans in 166 units)


def _label_lines(label: str) -> list[str]:
    """A bar's label on one line, or on two broken at a space; only a very long one is cut."""
    if len(label) <= LABEL_CHARACTERS:
        return [label]
    cut = label.rfind(" ", 0, LABEL_CHARACTERS + 1)
    if cut <= 0:
        cut = LABEL_CHARACTERS
    first, rest = label[:cut].rstrip(), label[cut:].strip()
    if len(rest) > LABEL_CHARACTERS:
        rest = rest[: LABEL_CHARACTERS - 1].rstrip() + "…"
    return [first, rest]


def bar_chart(*, title: str, labels: list[str], series: list[tuple[str, list[int]]], width: int = 480) -> SafeString:
    """Horizontal grouped bars: one group per label, one bar per series (e.g. this and the previous period).

    With many groups (e.g. every parish council) the bars are thinner so the chart stays within
    about half a page."""
    uid = f"chart-{next(_ids)}"
    label_width = 170
    compact = len(labels) > 10
    bar_height = 7 if compact else 9
    group_gap = 4 if compact else 6
    value_size = 6 if compact else 7
    top = 8
    groups = len(labels)
    group_height = bar_height * len(series) + group_gap
    legend_height = 14 if len(series) > 1 else 0
    height = top + groups * group_height + 18 + legend_height
    plot_width = width - label_width - 40
    highest = _nice_max(max([v for _, values in series for v in values] or [0]))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">',
        f'<title id="{uid}-t">{_a(title)}</title>',
    ]
    words = "; ".join(
        f"{label}: " + ", ".join(f"{name} {values[i]}" for name, values in series) for i, label in enumerate(labels)
    )
    parts.append(f'<desc id="{uid}-d">{_a(words)}</desc>')
    axis_y = top + groups * group_height
    for tick in range(0, 5):
        value = highest * tick / 4
        x = label_width + plot_width * tick / 4
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{axis_y}" stroke="#dddddd" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{x:.1f}" y="{axis_y + 10}" font-size="7" text-anchor="middle" fill="#505a5f">{value:g}</text>'
        )
    for i, label in enumerate(labels):
        y0 = top + i * group_height
        lines = _label_lines(str(label))
        middle = y0 + bar_height * len(series) / 2 + 2.5
        for n, line in enumerate(lines):
            y = middle + (n - (len(lines) - 1) / 2) * 8
            parts.append(
                f'<text x="{label_width - 4}" y="{y:.1f}" font-size="7.5" text-anchor="end" '
                f'fill="#0b0c0c">{_a(line)}</text>'
            )
        for s, (_, values) in enumerate(series):
            value = values[i]
            w = plot_width * value / highest if highest else 0
            y = y0 + s * bar_height
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height - 1}" '
                f'fill="{BAR_COLOURS[s % 2]}"/>'
            )
            parts.append(
                f'<text x="{label_width + w + 3:.1f}" y="{y + bar_height - 2.5}" font-size="{value_size}" '
                f'fill="#0b0c0c">{value}</text>'
            )
    parts.append(
        f'<line x1="{label_width}" y1="{top - 2}" x2="{label_width}" y2="{axis_y}" '
        'stroke="#0b0c0c" stroke-width="0.8"/>'
    )
    if len(series) > 1:
        y = height - 6
        x = label_width
        for s, (name, _) in enumerate(series):
            parts.append(f'<rect x="{x}" y="{y - 7}" width="8" height="8" fill="{BAR_COLOURS[s % 2]}"/>')
            parts.append(f'<text x="{x + 11}" y="{y}" font-size="7.5" fill="#0b0c0c">{_a(name)}</text>')
            x += 14 + 4.5 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)


def line_chart(
    *, title: str, labels: list[str], series: list[tuple[str, list[int]]], width: int = 480, height: int = 190
) -> SafeString:
    """Lines over months, with a dot and no fill; the second series is dashed."""
    uid = f"chart-{next(_ids)}"
    left, right, top, bottom = 30, 22, 10, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = _nice_max(max([v for _, values in series for v in values] or [0]))
    n = max(len(labels) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-t {uid}-d" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" class="chart">',
        f'<title id="{uid}-t">{_a(title)}</title>',
    ]
    words = "; ".join(
        f"{label}: " + ", ".join(f"{name} {values[i]}" for name, values in series) for i, label in enumerate(labels)
    )
    parts.append(f'<desc id="{uid}-d">{_a(words)}</desc>')
    for tick in range(0, 5):
        value = highest * tick / 4
        y = top + plot_h - plot_h * tick / 4
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#dddddd" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{left - 4}" y="{y + 2.5:.1f}" font-size="7" text-anchor="end" fill="#505a5f">{value:g}</text>'
        )
    for i, label in enumerate(labels):
        x = left + plot_w * i / n
        parts.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 10}" font-size="6.5" text-anchor="middle" fill="#505a5f">'
            f"{_a(label)}</text>"
        )
    for s, (_, values) in enumerate(series):
        points = " ".join(
            f"{left + plot_w * i / n:.1f},{top + plot_h - (plot_h * v / highest if highest else 0):.1f}"
            for i, v in enumerate(values)
        )
        dash = f' stroke-dasharray="{DASHES[s % 2]}"' if DASHES[s % 2] else ""
        colour = LINE_COLOURS[s % 2]
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.6"{dash}/>')
        for point in points.split():
            x, y = point.split(",")
            parts.append(f'<circle cx="{x}" cy="{y}" r="1.8" fill="{colour}"/>')
    y = height - 8
    x = left
    for s, (name, _) in enumerate(series):
        dash = f' stroke-dasharray="{DASHES[s % 2]}"' if DASHES[s % 2] else ""
        parts.append(
            f'<line x1="{x}" y1="{y - 3}" x2="{x + 14}" y2="{y - 3}" stroke="{LINE_COLOURS[s % 2]}" '
            f'stroke-width="1.6"{dash}/>'
        )
        parts.append(f'<text x="{x + 18}" y="{y}" font-size="7.5" fill="#0b0c0c">{_a(name)}</text>')
        x += 26 + 4.5 * len(name)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  (every text is escaped above)
