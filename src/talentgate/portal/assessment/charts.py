"""Charts drawn on the server as inline SVG: no JavaScript chart library, no inline script or style.

Only SVG presentation attributes are used (``fill``, ``stroke``), which a strict
Content-Security-Policy allows; every chart carries a title and a description for screen
readers, and the pages show the same numbers in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH, HEIGHT = 640, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 40, 40, 12
POOL_FILL, INVITED_FILL, CUTOFF_STROKE = "#b6c8de", "#0b5cad", "#b3261e"


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def score_histogram(bins: Sequence[dict[str, Any]], cutoff: float | None, title: str, description: str) -> SafeString:
    """Bars of the pool per score band, the invited part of each bar darker, and the cutoff as a vertical line."""
    plot_w, plot_h = WIDTH - MARGIN_LEFT - 8, HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    if not bins:
        return format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {} {}" width="{}" height="{}">'
            "<title>{}</title><desc>{}</desc></svg>",
            WIDTH,
            40,
            WIDTH,
            40,
            title,
            description,
        )
    tallest = max(max(b["pool"] for b in bins), 1)
    low, high = bins[0]["from"], bins[-1]["to"]
    span = (high - low) or 1.0
    bar_w = plot_w / len(bins)
    bars = []
    for i, b in enumerate(bins):
        x = MARGIN_LEFT + i * bar_w
        pool_h = plot_h * b["pool"] / tallest
        invited_h = plot_h * b["invited"] / tallest
        base = MARGIN_TOP + plot_h
        bars.append((f"{x + 1:.1f}", f"{base - pool_h:.1f}", f"{bar_w - 2:.1f}", f"{pool_h:.1f}", POOL_FILL))
        if invited_h:
            bars.append(
                (f"{x + 1:.1f}", f"{base - invited_h:.1f}", f"{bar_w - 2:.1f}", f"{invited_h:.1f}", INVITED_FILL)
            )
    rects = format_html_join("", '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>', bars)
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" font-size="11" text-anchor="middle" fill="#57606a">{}</text>',
        (
            (f"{MARGIN_LEFT + i * bar_w:.1f}", HEIGHT - MARGIN_BOTTOM + 16, _number(b["from"]))
            for i, b in enumerate(bins)
            if i % 2 == 0
        ),
    )
    cutoff_line = SafeString("")
    if cutoff is not None and low <= cutoff <= high:
        x = MARGIN_LEFT + plot_w * (cutoff - low) / span
        cutoff_line = format_html(
            '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="2" stroke-dasharray="4 3"/>',
            f"{x:.1f}",
            MARGIN_TOP,
            MARGIN_TOP + plot_h,
            CUTOFF_STROKE,
        )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {w} {h}" width="100%" '
        'preserveAspectRatio="xMinYMin meet"><title>{title}</title><desc>{desc}</desc>'
        '<line x1="{ml}" y1="{base}" x2="{right}" y2="{base}" stroke="#8c959f"/>'
        '<text x="4" y="{top}" font-size="11" fill="#57606a">{tallest}</text>{rects}{ticks}{cutoff}</svg>',
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=description,
        ml=MARGIN_LEFT,
        base=MARGIN_TOP + plot_h,
        right=WIDTH - 8,
        top=MARGIN_TOP + 10,
        tallest=tallest,
        rects=rects,
        ticks=ticks,
        cutoff=cutoff_line,
    )
