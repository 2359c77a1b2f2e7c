"""Difference suppression: no count a report hides, and no small count, may be worked out by subtracting
reports from each other (ADR 0003, security review finding 5).

Reports cover whole calendar months, quarters and years (``reports.periods``), so two reports either do not
overlap or one lies inside the other, and a reader who subtracts them learns about the rest of the larger
period: a quarter minus its July is August and September together. Where that rest is a small count (zero
included, as for the primary suppression: "nobody in August or September" is a fact about each of those
months), the new report hides the cell, and the secondary suppression of its own table runs again so that
the hidden cell cannot be computed back from the new report either.

What a reader can subtract depends on how a figure relates to its period (``reports.constants``):

- SUM figures (signals received, cases started, agreements due) add up over the months. For them the rest of
  a pair, and the rest of a report minus all of its largest published parts, is checked like a published
  table: every cell of the rest that a reader can compute is 5 or more, and in every row, column and subtotal
  of the rest the cells a reader cannot compute add up to 5 or more, so that a sum of hidden rows does not give
  a small rest either. Per cell, every combination of the reports of the year is checked too (a quarter minus
  two of its months, a year minus three quarters): each rest that a chain of subtractions reaches is 5 or more
  and no hidden count is reached.
- SPAN figures (triaged by the period's last day, ZRM over the cases that ran in it) do not add up, but a
  larger period counts more of the same; pairs are checked as for SUM, combinations of three are not.
- STATE figures (the state when the report is drawn up, or on the period's last day) are not counts over the
  period and are not compared: two reports drawn up from the same data show the same state with the same
  cells hidden, and reports drawn up at different moments show two states, whose difference is a net change
  that every series of reports publishes by design.

Only the new report changes: published reports are frozen. The module reads published figures only, as a
reader would, and the new report's raw counts. No queries.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property

from .constants import MEASURE_SPAN, MEASURE_STATE, MEASURE_SUM
from .periods import PeriodDates, contains, month_mask, nested, period_kind
from .suppression import Grid, grid, is_small

Label = tuple[str, str]  # (row label, column label): the same cell in two reports


@dataclass(frozen=True)
class Published:
    """A report already drawn up: its period and its published figures (``ProgressReport.figures``)."""

    start: datetime.date
    end: datetime.date
    figures: dict

    @property
    def period(self) -> PeriodDates:
        return (self.start, self.end)

    @cached_property
    def tables(self) -> dict[str, dict[Label, object]]:
        """Per table key, every published cell by (row label, column label)."""
        out: dict[str, dict[Label, object]] = {}
        for section in self.figures.get("sections", ()):
            for table in section.get("tables", ()):
                cells = out.setdefault(table["key"], {})
                for row in table["rows"]:
                    for column, value in zip(table["columns"], row["values"], strict=False):
                        cells[(row["label"], column)] = value
        return out

    @cached_property
    def kpis(self) -> dict[str, object]:
        return {k["key"]: k.get("value") for section in self.figures.get("sections", ()) for k in section["kpis"]}

    def value(self, table: dict, label: Label) -> int | None:
        """The count a reader reads in this report for ``label`` of ``table``, or ``None`` when it is hidden
        or not there. A table that lists only the rows with something to count (``rows_by_presence``) says
        zero by leaving a row out."""
        cells = self.tables.get(table["key"])
        if cells is None:
            return None
        if label in cells:
            value = cells[label]
            return value if isinstance(value, int) and not isinstance(value, bool) else None
        columns = {column for _row, column in cells}
        if table.get("rows_by_presence") and label[1] in columns:
            return 0
        return None


def measure_of(table: dict, key: tuple) -> str:
    """The measure of cell ``key`` ((row, column) of ``suppression.grid``) of a raw table."""
    row, column = key
    row_measures = table.get("row_measures") or {}
    if row in row_measures:
        return row_measures[row]
    column_measures = table.get("column_measures")
    if column_measures is not None and column != "T":
        return column_measures[column]
    return table.get("measure", MEASURE_SUM)


class Differencing:
    """The checks for one new report against the reports already published.

    ``family`` may hold any published reports; those that nest with the new period are compared in pairs,
    and those that are calendar periods of the new period's year are combined. A period that is not a
    calendar period (reports drawn up before ADR 0003) is compared in pairs only.
    """

    def __init__(self, raw: dict, family: Iterable[Published], *, total_label: str):
        self.start = datetime.date.fromisoformat(raw["period"]["start"])
        self.end = datetime.date.fromisoformat(raw["period"]["end"])
        self.period: PeriodDates = (self.start, self.end)
        self.tables = {t["key"]: t for section in raw["sections"] for t in section["tables"]}
        self.grids: dict[str, Grid] = {key: grid(table, total_label=total_label) for key, table in self.tables.items()}
        family = [p for p in family if p.period != self.period]
        self.pairs = [p for p in family if nested(p.period, self.period)]
        calendar = period_kind(*self.period) is not None
        self.year = [
            p for p in family if calendar and period_kind(*p.period) is not None and p.start.year == self.start.year
        ]

    # --- Per cell, over every combination of the year's reports -------------------------------------------

    def cellwise(self, key: str) -> tuple[set, set]:
        """(cells to hide, cells other reports already give away) of table ``key``; SUM cells only.

        The reports of one calendar year that show a cell form a nest of periods. A reader who subtracts from
        each the largest reports inside it that show the cell learns the count of its remaining months (its
        residual), and any period made of residuals is known. Showing the new report's cell must not make a
        new residual smaller than 5 nor make a hidden count of a published report known.
        """
        table, cells = self.tables[key], self.grids[key]
        hide, known = set(), set()
        if not self.year:
            return hide, known
        mask = month_mask(*self.period)
        for cell, raw_value in cells.values.items():
            if measure_of(table, cell) != MEASURE_SUM:
                continue
            label = cells.labels[cell]
            shown, hidden = [], []
            for report in self.year:
                value = report.value(table, label)
                report_mask = month_mask(*report.period)
                if value is None:
                    hidden.append(report_mask)
                else:
                    shown.append((report_mask, value))
            before = _residuals(shown)
            if _determined(mask, before):
                known.add(cell)
            after = _residuals([*shown, (mask, raw_value)])
            small_before = {r for r in before if r[0] and is_small(r[1])}
            new_small = any(r[0] and is_small(r[1]) and r not in small_before for r in after)
            new_known = any(_determined(m, after) and not _determined(m, before) for m in hidden)
            if new_small or new_known:
                hide.add(cell)
        return hide, known

    # --- Rests of whole tables: pairs, and a report minus its largest published parts ----------------------

    def rest_victims(self, key: str, hidden: set) -> set:
        """Cells of table ``key`` the new report must hide as well, given the cells it hides now."""
        table, cells = self.tables[key], self.grids[key]

        def new(cell):
            return None if cell in hidden else cells.values[cell]

        def of(report: Published):
            return lambda cell: report.value(table, cells.labels[cell])

        victims: set = set()
        flows = (MEASURE_SUM, MEASURE_SPAN)
        for report in self.pairs:
            if contains(self.period, report.period):
                victims |= _rest_victims(cells, table, flows, new, [of(report)])
            else:
                victims |= _rest_victims(cells, table, flows, of(report), [new])
        for plus, minus in self._residual_rests():
            plus_value = new if plus is None else of(plus)
            minus_values = [new if m is None else of(m) for m in minus]
            victims |= _rest_victims(cells, table, (MEASURE_SUM,), plus_value, minus_values)
        return victims

    def _residual_rests(self) -> list[tuple[Published | None, list[Published | None]]]:
        """(report, its largest published parts) for the new report and each published calendar report
        around it, where the new report takes part and there are two parts or more (one part is a pair);
        ``None`` stands for the new report. Only rests with months left are returned: a report covered by
        its parts adds nothing the cell-by-cell check does not see."""
        if not self.year:
            return []
        members: list[Published | None] = [None, *self.year]

        def period(member):
            return self.period if member is None else member.period

        rests = []
        for whole in members:
            outer = period(whole)
            if whole is not None and not contains(outer, self.period):
                continue
            inside = [m for m in members if m is not whole and contains(outer, period(m))]
            largest = [m for m in inside if not any(o is not m and contains(period(o), period(m)) for o in inside)]
            if len(largest) < 2 or (whole is not None and None not in largest):
                continue
            covered = 0
            for m in largest:
                covered |= month_mask(*period(m))
            if month_mask(*outer) & ~covered:
                rests.append((whole, largest))
        return rests

    # --- Shares --------------------------------------------------------------------------------------------

    def share_hidden(self, kpi: dict, resolve: Callable[[tuple], tuple[dict, Label]]) -> bool:
        """Whether a share of the new report must be left out: with its whole published, a share is a count
        (part = share × whole), and that count may not differ by less than 5 from the count the same share
        gives in a nested report. ``resolve`` turns a (table key, row, column) address into (raw table, label)."""
        if kpi.get("measure") == MEASURE_STATE or not kpi.get("whole_cells"):
            return False
        part = kpi["part"]
        for report in self.pairs:
            value = report.kpis.get(kpi["key"])
            if not isinstance(value, int | float) or isinstance(value, bool):
                continue
            wholes = [report.value(*resolve(address)) for address in kpi["whole_cells"]]
            if any(w is None for w in wholes):
                continue
            whole = sum(wholes)
            # The share is rounded to one decimal, so the part is known to within this interval.
            low, high = (value - 0.05) * whole / 100, (value + 0.05) * whole / 100
            if low - 5 < part < high + 5:
                return True
        return False


def _rest_victims(
    cells: Grid,
    table: dict,
    measures: tuple[str, ...],
    plus: Callable[[tuple], int | None],
    minus: list[Callable[[tuple], int | None]],
) -> set:
    """The cells of the new report to hide so that the rest ``plus − sum(minus)`` is safe to know.

    A rest cell is known when every report shows it. Like a published table, the rest must have no known
    cell under 5 and, in every relation, cells that are not known adding up to 5 or more (one unknown cell
    in a relation would be known too). A victim is a known rest cell, so a cell every report shows: hiding it
    in the new report makes it unknown.
    """
    keys = [key for key in cells.values if measure_of(table, key) in measures]
    members = set(keys)
    values: dict[tuple, int] = {}
    unknown: set = set()
    for key in keys:
        parts = [plus(key), *(m(key) for m in minus)]
        if any(p is None for p in parts):
            unknown.add(key)
        else:
            values[key] = parts[0] - sum(parts[1:])
    relations = [(t, ps) for t, ps in cells.relations if t in members and all(p in members for p in ps)]
    victims = {key for key, value in values.items() if is_small(value)}
    hidden = unknown | victims
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            hidden_parts = [p for p in parts if p in hidden]
            shown = [p for p in parts if p not in hidden]
            if total in hidden:
                exposed = not hidden_parts
            else:
                exposed = len(hidden_parts) == 1 or (
                    bool(hidden_parts) and is_small(values[total] - sum(values[p] for p in shown))
                )
            if not exposed:
                continue
            if shown:
                victim = min(shown, key=lambda p: (cells.keep.get(p, 0), values[p] == 0, values[p], parts.index(p)))
            elif total not in hidden:
                victim = total
            else:
                continue
            hidden.add(victim)
            victims.add(victim)
            changed = True
    return victims


def _residuals(nodes: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """(months, count) of the residual of each known period: its months outside the largest known periods
    inside it, and its count minus theirs. Periods of one year nest, so residuals do not overlap."""
    out = set()
    for mask, value in nodes:
        inside = [(m, v) for m, v in nodes if m != mask and m & mask == m]
        largest = [(m, v) for m, v in inside if not any(o != m and o & m == m for o, _v in inside)]
        covered = 0
        for m, _v in largest:
            covered |= m
        out.add((mask & ~covered, value - sum(v for _m, v in largest)))
    return out


def _determined(mask: int, residuals: set[tuple[int, int]]) -> bool:
    """Whether the count of the months ``mask`` follows from the residuals (is a union of them)."""
    union = 0
    for months, _value in residuals:
        if months & mask:
            if months & ~mask:
                return False
            union |= months
    return union == mask
