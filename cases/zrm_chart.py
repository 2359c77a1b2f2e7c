"""A small server-rendered SVG chart of one ZRM domain's scores over time.

Server-rendered so that it needs no JavaScript, passes the CSP, and reads the
same in a PDF. The chart is an image with a text alternative; the same scores
are always also listed in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

WIDTH = 220
HEIGHT = 70
PAD_X = 18
PAD_Y = 8


def _y(score: int) -> float:
    # Score 5 at the top, 1 at the bottom.
    return PAD_Y + (5 - score) * (HEIGHT - 2 * PAD_Y) / 4


def history_chart(assessments: Sequence, *, label: str) -> SafeString:
    """SVG polyline of the scores in date order (one point per assessment)."""
    if not assessments:
        return SafeString("")
    count = len(assessments)
    step = (WIDTH - 2 * PAD_X) / max(count - 1, 1)
    points = [(PAD_X + i * step if count > 1 else WIDTH / 2, _y(a.score)) for i, a in enumerate(assessments)]
    description = _("%(label)s: scores %(scores)s") % {
        "label": label,
        "scores": ", ".join(f"{a.assessed_on:%d-%m-%Y} {a.score}" for a in assessments),
    }
    grid = format_html_join(
        "",
        '<line x1="{}" x2="{}" y1="{}" y2="{}" class="zrm-chart__grid"/><text x="2" y="{}" class="zrm-chart__axis">{}</text>',
        ((PAD_X, WIDTH - 4, f"{_y(s):.1f}", f"{_y(s):.1f}", f"{_y(s) + 3:.1f}", s) for s in (1, 3, 5)),
    )
    dots = format_html_join(
        "", '<circle cx="{}" cy="{}" r="3" class="zrm-chart__dot"/>', ((f"{x:.1f}", f"{y:.1f}") for x, y in points)
    )
    polyline = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return format_html(
        '<svg class="zrm-chart" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}" height="{}">'
        "<title>{}</title>{}"
        '<polyline points="{}" class="zrm-chart__line" fill="none"/>{}</svg>',
        description,
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        description,
        grid,
        polyline,
        dots,
    )
