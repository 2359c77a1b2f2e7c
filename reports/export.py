"""The report as CSV, safe to open in a spreadsheet.

Semicolon-separated with a UTF-8 byte-order mark, as Dutch spreadsheet settings expect. Every cell that
starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which some spreadsheets skip before
reading a formula) is prefixed with an apostrophe, so no label or approved description can become a
formula (CSV/formula injection, OWASP).
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def report_csv(report) -> str:
    figures = report.figures
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def row(*cells):
        writer.writerow([safe_cell(c) for c in cells])

    row(_("Voortgangsrapportage"), figures["period"]["label"])
    row(_("Periode"), figures["period"]["start"], figures["period"]["end"])
    row(_("Stand op"), figures["as_of"])
    row(_("Aantallen onder de 5 staan als <5."))
    for section in figures["sections"]:
        row()
        row(section["title"])
        for kpi in section["kpis"]:
            value = "" if kpi["value"] is None else f"{kpi['value']}{kpi['unit']}"
            row(kpi["label"], value or _("niet getoond (kleine aantallen)"))
        for table in section["tables"]:
            row()
            row(table["title"])
            row(table["row_header"], *table["columns"])
            for line in table["rows"]:
                row(line["label"], *line["values"])
            if table.get("note"):
                row(table["note"])
        for top in section.get("top_categories", ()):
            row()
            row(_("Veel genoemd"), top["category"], top["count"])
            for description in top["descriptions"]:
                row("", description)
    return out.getvalue()
