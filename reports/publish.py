"""From raw figures to the published report: suppression, shares, and a summary in plain Dutch.

Only the output of ``publish`` is stored, rendered or exported. It holds labels (frozen in Dutch at
generation time), published counts (``int``, ``"<5"`` or ``"x"``), shares and averages that pass the
suppression rules, also against the reports already published (``reports.differencing``), and the masked
obstacle descriptions ``beleid`` approved (``reports.masking``). Nothing else from a case.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .constants import SECONDARY, SUPPRESSED
from .differencing import Differencing, Published
from .periods import period_label
from .suppression import average, publish_table, share

FORMAT_VERSION = 1


def cell_key(table: dict, row, col) -> tuple:
    """A link's or KPI's cell address: a row may be an index, ``"T"`` or a named row (``row_keys``)."""
    if isinstance(row, str) and row != "T":
        row = table["row_keys"][row]
    return (row, col)


def publish(raw: dict, *, family: Iterable[Published] = ()) -> dict:
    """The published figures of ``raw`` (``reports.figures.compute``).

    ``family`` are reports already published (any period; ``reports.differencing`` picks those that nest
    with this one or share its calendar year): no cell is shown that subtracting them would turn into a
    small count or into a count one of them hides.
    """
    start = datetime.date.fromisoformat(raw["period"]["start"])
    end = datetime.date.fromisoformat(raw["period"]["end"])
    figures = {
        "format": FORMAT_VERSION,
        "period": {"start": raw["period"]["start"], "end": raw["period"]["end"], "label": period_label(start, end)},
        "as_of": raw["as_of"],
        "sections": publish_sections(raw, family=family),
    }
    figures["summary"] = summary(figures)
    return figures


def publish_sections(raw: dict, *, family: Iterable[Published] = ()) -> list[dict]:
    """The published sections of ``raw``: every table suppressed, against ``family`` as well (``publish``)."""
    tables = {t["key"]: t for section in raw["sections"] for t in section["tables"]}
    total_label = _("Totaal")
    differencing = Differencing(raw, family, total_label=total_label)
    forced: dict[str, set] = defaultdict(set)
    known: dict[str, set] = {}
    for key in tables:
        forced[key], known[key] = differencing.cellwise(key)
    while True:
        published, hidden = {}, {}
        for key, raw_table in tables.items():
            published[key], hidden[key] = publish_table(
                raw_table, total_label=total_label, force=forced[key], known=known[key]
            )
        changed = False
        for (table_a, *cell_a), (table_b, *cell_b) in raw.get("links", ()):
            a = cell_key(tables[table_a], *cell_a)
            b = cell_key(tables[table_b], *cell_b)
            if (a in hidden[table_a]) != (b in hidden[table_b]):
                forced[table_a].add(a)
                forced[table_b].add(b)
                changed = True
        # Hiding a cell changes what the rests of subtractions leave known, so this runs until stable too.
        for key in tables:
            extra = differencing.rest_victims(key, hidden[key], known[key])
            extra |= differencing.combined_victims(key, hidden[key], known[key])
            extra -= hidden[key]
            if extra:
                forced[key] |= extra
                changed = True
        if not changed:
            break

    def resolve(address) -> tuple[dict, tuple[str, str]]:
        table_key, *cell = address
        return tables[table_key], differencing.grids[table_key].labels[cell_key(tables[table_key], *cell)]

    sections = []
    for section in raw["sections"]:
        kpis = []
        for kpi in section["kpis"]:
            if kpi["kind"] == "share":
                value = share(kpi["part"], kpi["whole"])
                for table_key, *cell in kpi.get("requires", ()):
                    if cell_key(tables[table_key], *cell) in hidden[table_key]:
                        value = None
                if value is not None and differencing.share_hidden(kpi, resolve):
                    value = None
                kpis.append({"key": kpi["key"], "label": kpi["label"], "value": value, "unit": "%"})
            else:
                value = average(kpi["total"], kpi["count"])
                kpis.append({"key": kpi["key"], "label": kpi["label"], "value": value, "unit": ""})
        out = {
            "key": section["key"],
            "title": str(section["title"]),
            "tables": [_strip(published[t["key"]]) for t in section["tables"]],
            "kpis": kpis,
            "chart": section.get("chart"),
        }
        if "top_categories" in section:
            # The count beside a frequent category is the category table's published "new" cell, so a
            # number hidden there (as "<5" or "x") is not given away here.
            by_category = {row["label"]: row["values"][0] for row in published["obstacles_by_category"]["rows"]}
            out["top_categories"] = [
                {
                    "category": str(top["category"]),
                    "count": by_category[str(top["category"])],
                    "descriptions": list(top["descriptions"]),
                }
                for top in section["top_categories"]
            ]
        sections.append(out)
    return sections


def _strip(table: dict) -> dict:
    return {key: value for key, value in table.items() if key not in ("row_keys",)}


# --- Reading published figures ---------------------------------------------------------------------------


def section(figures: dict, key: str) -> dict:
    return next(s for s in figures["sections"] if s["key"] == key)


def table_of(figures: dict, key: str) -> dict:
    return next(t for s in figures["sections"] for t in s["tables"] if t["key"] == key)


def cell(figures: dict, table_key: str, row_label: str, column: int = -1):
    tab = table_of(figures, table_key)
    row = next(r for r in tab["rows"] if r["label"] == row_label)
    return row["values"][column]


def kpi(figures: dict, key: str):
    return next(k for s in figures["sections"] for k in s["kpis"] if k["key"] == key)


def count_text(value) -> str:
    """A published count in words: "minder dan 5" for a suppressed one."""
    if value == SUPPRESSED:
        return _("minder dan 5")
    if value == SECONDARY:
        return _("een niet getoond aantal")
    return number_format(value, force_grouping=True)


def _total(figures: dict, table_key: str, column: int = -1):
    tab = table_of(figures, table_key)
    return next(r for r in tab["rows"] if r.get("total"))["values"][column]


def summary(figures: dict) -> list[str]:
    """A few sentences in plain Dutch for the college, built from the published figures only."""
    as_of = date_format(datetime.date.fromisoformat(figures["as_of"]), "j F Y")
    cases = table_of(figures, "cases_by_status_team")
    running = next(r for r in cases["rows"] if r.get("subtotal"))["values"][-1]
    sentences = [
        _("Op %(date)s liepen er %(count)s casussen.") % {"date": as_of, "count": count_text(running)},
    ]
    signals = _total(figures, "signals_by_outcome", 0)
    sentences.append(_("In deze periode kwamen %(count)s nieuwe meldingen binnen.") % {"count": count_text(signals)})
    in_time = kpi(figures, "triage_in_time")["value"]
    if in_time is not None:
        sentences.append(
            _("Van de getrieerde meldingen is %(share)s%% binnen de termijn getrieerd.")
            % {"share": number_format(in_time, 1)}
        )
    coordinated = kpi(figures, "intakes_coordinated")["value"]
    if coordinated is not None:
        sentences.append(
            _("Na de intake ging %(share)s%% naar een gecoördineerde aanpak met een regievoerder.")
            % {"share": number_format(coordinated, 1)}
        )
    on_time = kpi(figures, "agreements_on_time")["value"]
    if on_time is not None:
        sentences.append(
            _("Van de afspraken die in deze periode af moesten zijn, is %(share)s%% op tijd gedaan.")
            % {"share": number_format(on_time, 1)}
        )
    handovers_in_time = kpi(figures, "handovers_in_time")["value"]
    if handovers_in_time is not None:
        sentences.append(
            _("Van de geaccepteerde overdrachten is %(share)s%% binnen vijf werkdagen geaccepteerd.")
            % {"share": number_format(handovers_in_time, 1)}
        )
    held = table_of(figures, "meetings_held")["rows"][0]["values"][0]
    sentences.append(_("Er zijn %(count)s casusoverleggen gehouden.") % {"count": count_text(held)})
    orphaned = table_of(figures, "orphaned_cases")["rows"][0]["values"][0]
    sentences.append(
        _("Bij het opstellen waren %(count)s lopende casussen zonder actieve regievoerder.")
        % {"count": count_text(orphaned)}
    )
    top = section(figures, "obstacles").get("top_categories") or []
    if top:
        sentences.append(
            ngettext(
                "De meest genoemde belemmering was: %(categories)s.",
                "De meest genoemde belemmeringen waren: %(categories)s.",
                len(top),
            )
            % {"categories": ", ".join(t["category"].lower() for t in top)}
        )
    sentences.append(_("Aantallen onder de 5 staan als '<5' in de tabellen, zodat niemand herkenbaar is."))
    if any(SECONDARY in row["values"] for s in figures["sections"] for t in s["tables"] for row in t["rows"]):
        sentences.append(
            _(
                "Een 'x' is een aantal van 5 of meer dat niet getoond wordt, omdat anders een klein aantal uit "
                "deze of een andere rapportage af te leiden is."
            )
        )
    return sentences
