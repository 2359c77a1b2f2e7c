"""The published report as charts, HTML and PDF. Reads only the published figures."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from . import charts


def _rows(table: dict) -> list[dict]:
    return [row for row in table["rows"] if not row.get("total") and not row.get("subtotal")]


def section_chart(section: dict) -> SafeString | None:
    """The chart of one section as inline SVG, drawn from its published table."""
    spec = section.get("chart")
    if not spec:
        return None
    table = next(t for t in section["tables"] if t["key"] == spec["table"])
    ident = f"chart-{section['key']}"
    title = table["title"]
    kind = spec["kind"]
    if kind == "upset":
        combinations = [tuple(combo) for combo in table["combinations"]]
        rows = table["rows"]
        set_rows = rows[len(combinations) + 2 :]
        return charts.upset_chart(
            ident,
            title,
            table["set_names"],
            [row["values"][0] for row in set_rows],
            [(combo, rows[i]["values"][0]) for i, combo in enumerate(combinations)],
        )
    if kind == "grouped":
        columns = spec["columns"]
        return charts.grouped_bar_chart(
            ident,
            title,
            [table["columns"][i] for i in columns],
            [(row["label"], [row["values"][i] for i in columns]) for row in _rows(table)],
        )
    rows = [(row["label"], row["values"][spec["column"]]) for row in _rows(table)]
    if kind == "distribution":
        return charts.distribution_chart(ident, title, rows)
    return charts.bar_chart(ident, title, rows)


def report_sections(figures: dict) -> list[dict]:
    """The sections with their chart, for the page and the PDF templates."""
    return [{**section, "svg": section_chart(section)} for section in figures["sections"]]


def report_html(figures: dict, *, generated_at) -> str:
    return render_to_string(
        "reports/report_pdf.html",
        {
            "figures": figures,
            "sections": report_sections(figures),
            "generated_at": generated_at,
            "municipality": settings.MUNICIPALITY_NAME,
        },
    )


def report_pdf(figures: dict, *, generated_at) -> bytes:
    from weasyprint import HTML  # imported here: loading WeasyPrint costs ~0.5 s at start-up

    return HTML(string=report_html(figures, generated_at=generated_at), base_url=str(settings.BASE_DIR)).write_pdf()
