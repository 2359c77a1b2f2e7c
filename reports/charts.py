"""Server-side SVG charts for the progress report, returned as safe strings to inline in a template.

The same markup is shown in the browser and printed to PDF by WeasyPrint, so each chart is one
self-contained inline ``<svg>``: no JavaScript, no external CSS or fonts (WeasyPrint does not apply
page CSS inside an svg), every style a presentation attribute. ``width="100%"`` plus a ``viewBox``
lets the chart scale to the column; the height follows from the aspect ratio.

Small-cell suppression: a value is an ``int`` count or a string (``"<5"``) for a count too small
to publish. A suppressed value is never drawn to scale - that would leak its size - but as a short
hatched stub (an svg ``<pattern>``) labelled "<5"; bars scale on the largest published count.

Accessibility: ``role="img"`` with ``aria-labelledby`` pointing to ``<title>`` and ``<desc>``; the
description lists every label and value, so a screen reader gets the data, not just the picture.
All ids are prefixed with the slugified ``ident``, which must be unique per page.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from .constants import HIDDEN_MARKS, SUPPRESSED

Value = int | str

WIDTH = 640
FONT = "Segoe UI, Helvetica, Arial, sans-serif"
FONT_SIZE = 13
TEXT = "#1A1A1A"
# Each at least 4.5:1 on white, so they also pass as text colour; bars need only 3:1.
PALETTE = ("#154273", "#275937", "#A90061", "#8A4500", "#535353")
MEMBER_DOT = TEXT
OTHER_DOT = "#CCCCCC"
ZEBRA = "#F2F2F2"
STUB = 10  # length of a suppressed bar: visibly "something", never to scale


def _is_count(value: Value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _fmt(value: Value) -> str:
    """A count with the locale's thousands separator; a suppressed cell keeps its mark ("<5" or "x")."""
    if _is_count(value):
        return number_format(value, force_grouping=True)
    return value if value in HIDDEN_MARKS else SUPPRESSED


def _scale(values: Sequence[Value]) -> int:
    return max([v for v in values if _is_count(v) and v > 0], default=1)


def _length(value: Value, scale: int, full: float) -> float:
    return round(max(value, 0) / scale * full, 2) if _is_count(value) else STUB


def _fit(label: str, width: float, size: int = FONT_SIZE) -> str:
    """Shorten a label to roughly fit ``width`` (svg text does not wrap); the full text is in <desc>."""
    room = max(int(width / (size * 0.58)), 4)
    return label if len(label) <= room else label[: room - 1] + "…"


def _text(x: float, y: float, content: str, *, anchor: str = "start", size: int = FONT_SIZE, bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{x}" y="{y}" text-anchor="{anchor}" font-family="{FONT}" font-size="{size}" '
        f'fill="{TEXT}"{weight}>{escape(content)}</text>'
    )


def _bar(uid: str, x: float, y: float, width: float, height: float, value: Value, colour_index: int = 0) -> str:
    """A bar, or a hatched stub when the value is suppressed (outlined so the stub reads as a bar)."""
    if _is_count(value):
        return f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="{PALETTE[colour_index]}"/>'
    return (
        f'<rect x="{x}" y="{y}" width="{width}" height="{height}" fill="url(#{uid}-hatch-{colour_index})" '
        f'stroke="{PALETTE[colour_index]}" stroke-width="1"/>'
    )


def _hatches(uid: str, count: int) -> str:
    # Diagonal lines drawn without patternTransform, which not every renderer supports.
    return "".join(
        f'<pattern id="{uid}-hatch-{i}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#FFFFFF"/>'
        f'<path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="{colour}" stroke-width="1.5"/></pattern>'
        for i, colour in enumerate(PALETTE[:count])
    )


def _uid(ident: str) -> str:
    slug = slugify(ident)
    return slug if slug[:1].isalpha() else f"chart-{slug}"


def _svg(uid: str, title: str, desc: str, height: float, body: str, *, hatches: int = 0) -> SafeString:
    defs = f"<defs>{_hatches(uid, hatches)}</defs>" if hatches else ""
    return mark_safe(  # noqa: S308 - all text from arguments is escaped, here and in _text()
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{uid}-title {uid}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%">'
        f'<title id="{uid}-title">{escape(title)}</title><desc id="{uid}-desc">{escape(desc)}</desc>'
        f"{defs}{body}</svg>"
    )


def _empty(uid: str, title: str, description: str) -> SafeString:
    message = gettext("Geen gegevens")
    return _svg(uid, title, description or message, 48, _text(WIDTH / 2, 29, message, anchor="middle"))


def _listing(rows: Sequence[tuple[str, Value]]) -> str:
    return "; ".join(f"{label}: {_fmt(value)}" for label, value in rows)


def bar_chart(ident: str, title: str, rows: Sequence[tuple[str, Value]], *, description: str = "") -> SafeString:
    """Horizontal bars, one per (label, value) row, in the given order; the value is printed at the bar's end."""
    uid = _uid(ident)
    if not rows:
        return _empty(uid, title, description)
    label_w, row_h, bar_h, pad = 200, 28, 18, 8
    full = WIDTH - label_w - 64  # room for the value text after the longest bar
    scale = _scale([value for _, value in rows])
    parts = [f'<line x1="{label_w}" y1="{pad}" x2="{label_w}" y2="{pad + len(rows) * row_h}" stroke="{TEXT}"/>']
    for i, (label, value) in enumerate(rows):
        top = pad + i * row_h
        length = _length(value, scale, full)
        text_y = top + row_h / 2 + FONT_SIZE * 0.35
        parts.append(_text(label_w - 8, text_y, _fit(label, label_w - 16), anchor="end"))
        parts.append(_bar(uid, label_w, top + (row_h - bar_h) / 2, length, bar_h, value))
        parts.append(_text(label_w + length + 6, text_y, _fmt(value)))
    height = 2 * pad + len(rows) * row_h
    return _svg(uid, title, description or _listing(rows), height, "".join(parts), hatches=1)


def grouped_bar_chart(
    ident: str,
    title: str,
    series: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Value]]],
    *,
    description: str = "",
) -> SafeString:
    """Horizontal groups, one per row, with one bar per series (same order, one colour each) and a legend.

    Raises ValueError when a row does not hold exactly one value per series. More than five series
    reuse colours, so keep it to five.
    """
    uid = _uid(ident)
    if not rows or not series:
        return _empty(uid, title, description)
    colours = min(len(series), len(PALETTE))
    label_w, bar_h, gap, group_gap, pad = 200, 14, 2, 12, 8
    full = WIDTH - label_w - 64
    scale = _scale([value for _, values in rows for value in values])

    parts, x, y = [], pad, pad
    for i, name in enumerate(series):  # legend, wrapping to a new line when full
        shown = _fit(name, 180)
        item_w = 22 + len(shown) * FONT_SIZE * 0.58 + 16
        if x + item_w > WIDTH and x > pad:
            x, y = pad, y + 22
        parts.append(f'<rect x="{x}" y="{y + 2}" width="14" height="14" fill="{PALETTE[i % colours]}"/>')
        parts.append(_text(x + 20, y + 14, shown))
        x += item_w
    top = first_top = y + 22 + group_gap

    group_h = len(series) * (bar_h + gap) - gap
    for label, values in rows:
        parts.append(_text(label_w - 8, top + group_h / 2 + FONT_SIZE * 0.35, _fit(label, label_w - 16), anchor="end"))
        for j, (_name, value) in enumerate(zip(series, values, strict=True)):
            bar_y = top + j * (bar_h + gap)
            length = _length(value, scale, full)
            parts.append(_bar(uid, label_w, bar_y, length, bar_h, value, j % colours))
            parts.append(_text(label_w + length + 6, bar_y + bar_h - 2, _fmt(value), size=12))
        top += group_h + group_gap
    parts.insert(0, f'<line x1="{label_w}" y1="{first_top}" x2="{label_w}" y2="{top - group_gap}" stroke="{TEXT}"/>')

    listing = "; ".join(
        f"{label}: " + ", ".join(f"{name} {_fmt(value)}" for name, value in zip(series, values, strict=True))
        for label, values in rows
    )
    return _svg(uid, title, description or listing, top + pad - group_gap, "".join(parts), hatches=colours)


def upset_chart(
    ident: str,
    title: str,
    set_names: Sequence[str],
    set_sizes: Sequence[Value],
    intersections: Sequence[tuple[Sequence[bool], Value]],
    *,
    description: str = "",
) -> SafeString:
    """An UpSet plot of the overlap of a few sets (laws): one column per combination of sets.

    ``intersections`` holds exclusive counts: (membership per set, in ``set_names`` order; number
    of items in exactly those sets). Columns are sorted by count, suppressed counts last; a
    combination without any set is skipped. Set sizes are drawn as bars left of the set names.
    Raises ValueError when sizes or memberships do not match ``set_names`` in length.
    """
    uid = _uid(ident)
    if len(set_sizes) != len(set_names) or any(len(member) != len(set_names) for member, _ in intersections):
        raise ValueError("set_sizes and every membership need one entry per set name")
    columns = [(tuple(member), count) for member, count in intersections if any(member)]
    columns.sort(key=lambda col: (0, -col[1]) if _is_count(col[1]) else (1, 0))
    if not set_names or not columns:
        return _empty(uid, title, description)

    pad, bars_h, row_h, dot_r = 8, 150, 28, 6
    sizes_right, matrix_x = 150, 300
    col_w = min(40, (WIDTH - pad - matrix_x) / len(columns))
    base = pad + 20 + bars_h  # baseline of the combination bars
    matrix_y = base + 10
    parts = [_text(matrix_x - 8, base, gettext("Aantal per combinatie"), anchor="end", size=12)]
    parts.append(_text(sizes_right, matrix_y - 4, gettext("Totaal"), anchor="end", size=12))
    parts.append(f'<line x1="{matrix_x}" y1="{base}" x2="{WIDTH - pad}" y2="{base}" stroke="{TEXT}"/>')

    size_scale = _scale(set_sizes)
    for i, (name, size) in enumerate(zip(set_names, set_sizes, strict=True)):
        top = matrix_y + 4 + i * row_h
        mid = top + row_h / 2
        if i % 2 == 0:
            parts.append(
                f'<rect x="{matrix_x}" y="{top}" width="{WIDTH - pad - matrix_x}" height="{row_h}" fill="{ZEBRA}"/>'
            )
        length = _length(size, size_scale, 96)
        parts.append(_bar(uid, sizes_right - length, top + 5, length, row_h - 10, size, 4))
        parts.append(_text(sizes_right - length - 6, mid + FONT_SIZE * 0.35, _fmt(size), anchor="end", size=12))
        parts.append(_text(sizes_right + 8, mid + FONT_SIZE * 0.35, _fit(name, matrix_x - sizes_right - 16)))

    scale = _scale([count for _, count in columns])
    for c, (member, count) in enumerate(columns):
        cx = round(matrix_x + c * col_w + col_w / 2, 2)
        bar_w = min(24, col_w - 4)
        length = _length(count, scale, bars_h - 20)
        parts.append(_bar(uid, cx - bar_w / 2, base - length, bar_w, length, count))
        parts.append(_text(cx, base - length - 4, _fmt(count), anchor="middle", size=12))
        rows_in = [i for i, is_member in enumerate(member) if is_member]
        first, last = (matrix_y + 4 + i * row_h + row_h / 2 for i in (rows_in[0], rows_in[-1]))
        if last > first:
            parts.append(f'<line x1="{cx}" y1="{first}" x2="{cx}" y2="{last}" stroke="{MEMBER_DOT}" stroke-width="3"/>')
        for i, is_member in enumerate(member):
            fill = MEMBER_DOT if is_member else OTHER_DOT
            parts.append(f'<circle cx="{cx}" cy="{matrix_y + 4 + i * row_h + row_h / 2}" r="{dot_r}" fill="{fill}"/>')

    def combination(member: tuple[bool, ...]) -> str:
        names = [name for name, is_member in zip(set_names, member, strict=True) if is_member]
        return gettext("alleen %(name)s") % {"name": names[0]} if len(names) == 1 else " + ".join(names)

    listing = (
        _listing(list(zip(set_names, set_sizes, strict=True)))
        + ". "
        + gettext("Combinaties")
        + ": "
        + _listing([(combination(member), count) for member, count in columns])
    )
    height = matrix_y + 4 + len(set_names) * row_h + pad
    return _svg(uid, title, description or listing, height, "".join(parts), hatches=5)


def distribution_chart(
    ident: str, title: str, rows: Sequence[tuple[str, Value]], *, description: str = ""
) -> SafeString:
    """Vertical columns for a bucketed distribution (a histogram), buckets in the given order, count on top."""
    uid = _uid(ident)
    if not rows:
        return _empty(uid, title, description)
    pad, left, plot_h = 8, 16, 180
    col_w = (WIDTH - left - pad) / len(rows)
    bar_w = min(48, col_w * 0.8)
    base = pad + 20 + plot_h
    scale = _scale([value for _, value in rows])
    parts = [_text(left, pad + 12, gettext("aantal"), size=12)]
    parts.append(f'<line x1="{left}" y1="{base}" x2="{WIDTH - pad}" y2="{base}" stroke="{TEXT}"/>')
    for i, (label, value) in enumerate(rows):
        cx = round(left + i * col_w + col_w / 2, 2)
        length = _length(value, scale, plot_h - 20)
        parts.append(_bar(uid, round(cx - bar_w / 2, 2), base - length, bar_w, length, value))
        parts.append(_text(cx, base - length - 4, _fmt(value), anchor="middle", size=12))
        parts.append(_text(cx, base + 18, _fit(label, col_w - 4, 12), anchor="middle", size=12))
    return _svg(uid, title, description or _listing(rows), base + 26 + pad, "".join(parts), hatches=1)
