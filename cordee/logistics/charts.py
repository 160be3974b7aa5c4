"""Small server-rendered SVG bar charts (no JavaScript, no inline style: CSP-friendly).

Each chart is an inline <svg role="img"> labelled by its own <title> and <desc>; the page
must show the same figures in a data table, which is the accessible equivalent.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# Colour-blind-safe palette (Okabe–Ito), used in order for the series.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]

WIDTH = 640
HEIGHT = 240
LEFT = 56
RIGHT = 8
TOP = 12
BOTTOM = 28
LEGEND_LINE = 18


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | Decimal]


def _nice_max(value: float) -> float:
    """A round upper bound for the axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _num(value: float, places: int = 0) -> str:
    return number_format(round(value, places), places, force_grouping=True)


def _f(value: float) -> str:
    return f"{value:.1f}"


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    places: int = 0,
    grouped: bool = False,
) -> SafeString:
    """Bars per label, stacked when there are several series, with a legend and an axis.

    `grouped` puts the series side by side instead: for figures that must never be read as
    a sum (kg delivered by the hub and kg handed out by the counters are the same food).
    """
    count = max(len(labels), 1)
    if grouped:
        totals = [float(s.values[i]) for s in series for i in range(len(labels))]
    else:
        totals = [float(sum(float(s.values[i]) for s in series)) for i in range(len(labels))]
    top = _nice_max(max(totals, default=0.0))
    legend_rows = len(series) if len(series) > 1 else 0
    height = HEIGHT + legend_rows * LEGEND_LINE
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / count
    bar_w = slot * 0.7
    suffix = f"\u00a0{unit}" if unit else ""

    def y(value: float) -> float:
        return TOP + plot_h - plot_h * value / top

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" aria-labelledby="{escape(chart_id)}-title '
        f'{escape(chart_id)}-desc">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]
    # Axis: 0, half and top, with light grid lines.
    for tick in (0.0, top / 2, top):
        ty = y(tick)
        parts.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_f(ty)}" '
            f'y2="{_f(ty)}" stroke="#cccccc" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{LEFT - 6}" y="{_f(ty + 4)}" text-anchor="end" '
            f'font-size="11" fill="#333333">{escape(_num(tick, places))}</text>'
        )
    one_w = bar_w / len(series) if grouped and series else bar_w
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar_w) / 2
        base = 0.0
        for n, serie in enumerate(series):
            value = float(serie.values[i])
            if value <= 0:
                continue
            bar_x = x + n * one_w if grouped else x
            y_top, y_base = y(base + value), y(base)
            parts.append(
                f'<rect class="chart-bar chart-series-{n}" x="{_f(bar_x)}" y="{_f(y_top)}" '
                f'width="{_f(one_w)}" height="{_f(y_base - y_top)}" '
                f'fill="{PALETTE[n % len(PALETTE)]}">'
                f"<title>{escape(label)} — {escape(serie.label)} : "
                f"{escape(_num(value, places))}{escape(suffix)}</title></rect>"
            )
            if not grouped:
                base += value
        parts.append(
            f'<text class="chart-label" x="{_f(x + bar_w / 2)}" y="{HEIGHT - BOTTOM + 16}" '
            f'text-anchor="middle" font-size="11" fill="#333333">{escape(label)}</text>'
        )
    for n, serie in enumerate(series if legend_rows else []):
        ly = HEIGHT + n * LEGEND_LINE
        parts.append(
            f'<rect x="{LEFT}" y="{ly}" width="12" height="12" '
            f'fill="{PALETTE[n % len(PALETTE)]}"/>'
            f'<text x="{LEFT + 18}" y="{ly + 10}" font-size="12" fill="#333333">'
            f"{escape(serie.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every piece of text above is escaped
