"""Difference suppression: no count a report hides, and no small count, may be worked out by subtracting
reports from each other (ADR 0003, security review finding 5).

Reports cover whole calendar months, quarters and years (``reports.periods``), so two reports either do not
overlap or one lies inside the other, and a reader who subtracts them learns about the rest of the larger
period: a quarter minus its July is August and September together. Where that rest is a small count (zero
included, as for the primary suppression: "nobody in August or September" says that each of those months is
zero), the new report hides the cell, and the secondary suppression of its own table runs again so that the
hidden cell cannot be computed back from the new report either. This repeats until nothing changes.

What a reader can subtract depends on how a figure relates to its period (``reports.constants``):

- SUM figures (signals received, cases started, agreements due) add up over the months.
  1. Pairs (``rest_victims``): the rest of the larger report minus the smaller one is checked like a published
     table. Every cell of the rest that both reports show is 5 or more, and in every row, column and subtotal
     of the rest the cells that are not shown in both add up to 5 or more (worked out from the rest's total
     minus its known cells, as a reader would), so that a sum of hidden rows does not give a small rest either.
  2. Single cells over all reports of the year (``cellwise``): the reports that show a cell form a nest of
     periods; subtracting from each report the largest reports inside it leaves the count of its remaining
     months, its residual. Every residual is 5 or more, and no count a report hides is a sum of residuals
     (a quarter minus two of its months, a year minus three quarters, a year minus a quarter and three months).
  3. Sums of hidden cells over all reports of the year (``combined_victims``): in a row, column or subtotal
     whose total it shows, a report gives away the sum of the cells it hides there. For each set of hidden
     cells (and the unions of such sets), the reports that give that sum away form a nest as in 2.
- SPAN figures (triaged by the period's last day, ZRM over the cases that ran in it) do not add up, but a
  larger period counts more of the same: pairs are checked as in 1, combinations of three or more are not.
- STATE figures (the state when the report is drawn up, or on the period's last day) are not counts over the
  period and are not compared: two reports drawn up from the same data show the same state with the same
  cells hidden, and reports drawn up at different moments show two states, whose difference is a net change
  that every series of reports publishes by design.

Shares are checked in pairs as the count they give with their whole (``share_hidden``).

Only the new report changes: published reports are frozen. The module reads the published figures only, as
a reader would, and the new report's raw counts; it runs no queries. It is a set of rules, not a complete
audit of every linear combination: ADR 0003 lists what it does not cover.
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

# At most this many sets of hidden cells per relation are combined (``Differencing.combined_victims``); the
# reports of one year hide a handful of different sets, so the limit is not reached in practice.
UNION_LIMIT = 64


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
            exposes, given_away = _nest_check(shown, hidden, mask, raw_value)
            if given_away:
                known.add(cell)
            if exposes:
                hide.add(cell)
        return hide, known

    def combined_victims(self, key: str, hidden: set, known: set) -> set:
        """Cells of table ``key`` to hide so that no sum of hidden cells gives a small rest or a hidden count
        over the reports of the year; SUM relations only.

        Per cell, the reports of the year determine the count of some sets of months (the residuals of
        ``cellwise``). Where a relation's total and some of its parts are each determined over the same
        months, so is the sum of the other parts ``V`` (total minus those parts), whichever reports gave
        each of them: a quarter's total from its three months and one of its parts from the year minus
        the other quarters. Those sets of months are the blocks where the residuals of the total and of
        each part outside ``V`` fit together. No block may hold a sum under 5, and no report that hides
        ``V``'s sum may be made computable. ``V`` runs over the single parts, the sets of parts each
        report hides (the cells a reader cannot see), and their unions.
        """
        table, cells = self.tables[key], self.grids[key]
        victims: set = set()
        if not self.year:
            return victims
        mask = month_mask(*self.period)

        def reader_hides(cell) -> bool:
            return cell in hidden and cell not in known

        atoms_cache: dict[tuple, list[tuple[int, int]]] = {}

        def atoms(cell, with_new: bool) -> list[tuple[int, int]]:
            if (cell, with_new) not in atoms_cache:
                label = cells.labels[cell]
                shown = [(month_mask(*r.period), v) for r in self.year if (v := r.value(table, label)) is not None]
                if with_new and not reader_hides(cell):
                    shown.append((mask, cells.values[cell]))
                atoms_cache[(cell, with_new)] = [atom for atom in _residuals(shown) if atom[0]]
            return atoms_cache[(cell, with_new)]

        for total, parts in cells.relations:
            if any(measure_of(table, c) != MEASURE_SUM for c in (total, *parts)):
                continue
            published = [
                (month_mask(*r.period), {c: r.value(table, cells.labels[c]) for c in (total, *parts)})
                for r in self.year
            ]
            hidden_sets = {frozenset(p for p in parts if v[p] is None) for _m, v in published if v[total] is not None}
            hidden_sets |= {frozenset(p for p in parts if reader_hides(p))} | {frozenset([p]) for p in parts}
            for subset in _unions({h for h in hidden_sets if h}, limit=UNION_LIMIT):
                if len(subset) == len(parts):
                    continue
                outside = [p for p in parts if p not in subset]
                involved = [total, *outside]
                before = _blocks([atoms(c, False) for c in involved])
                after = _blocks([atoms(c, True) for c in involved])
                exposes = any(
                    is_small(abs(values[0] - sum(values[1:]))) and before.get(block) != values
                    for block, values in after.items()
                )
                exposes = exposes or any(
                    _union_of_blocks(m, after) and not _union_of_blocks(m, before)
                    for m, v in published
                    if any(v[c] is None for c in involved)
                )
                if not exposes:
                    continue
                candidates = [p for p in outside if not reader_hides(p) and p not in known]
                if not candidates and not reader_hides(total) and total not in known:
                    candidates = [total]
                if candidates:
                    # Taking one more cell out of the new report takes it out of these blocks.
                    victims.add(
                        min(candidates, key=lambda p: (cells.keep.get(p, 0), cells.values[p] == 0, cells.values[p]))
                    )
        return victims

    # --- Pairs: the rest of a whole table ---------------------------------------------------------------------

    def rest_victims(self, key: str, hidden: set, known: set) -> set:
        """Cells of table ``key`` the new report must hide so that its rest against each nested report is
        safe to know (SUM and SPAN cells), given the cells it hides now and the cells other reports give
        away (``cellwise``), which a reader knows whether they are hidden or not."""
        table, cells = self.tables[key], self.grids[key]

        def new(cell):
            return None if cell in hidden and cell not in known else cells.values[cell]

        def of(report: Published):
            return lambda cell: report.value(table, cells.labels[cell])

        victims: set = set()
        flows = (MEASURE_SUM, MEASURE_SPAN)
        for report in self.pairs:
            if contains(self.period, report.period):
                victims |= _rest_victims(cells, table, flows, new, of(report), known)
            else:
                victims |= _rest_victims(cells, table, flows, of(report), new, known)
        return victims

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
    minus: Callable[[tuple], int | None],
    known: set,
) -> set:
    """The cells of the new report to hide so that the rest ``plus − minus`` is safe to know.

    A rest cell is known when both reports show it. Like a published table, the rest must have no known
    cell under 5 and, in every relation, cells that are not known adding up to 5 or more (one unknown cell
    in a relation would be known too). A victim is a known rest cell, so a cell both reports show: hiding it
    in the new report makes it unknown, unless other reports give it away (``known``): those are no victims.
    """
    keys = [key for key in cells.values if measure_of(table, key) in measures]
    members = set(keys)
    values: dict[tuple, int] = {}
    unknown: set = set()
    for key in keys:
        larger, smaller = plus(key), minus(key)
        if larger is None or smaller is None:
            unknown.add(key)
        else:
            values[key] = larger - smaller
    relations = [(t, ps) for t, ps in cells.relations if t in members and all(p in members for p in ps)]
    # A rest below zero only happens between span figures (or after data changed): its size is what tells.
    victims = {key for key, value in values.items() if is_small(abs(value)) and key not in known}
    hidden = unknown | victims
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            hidden_parts = [p for p in parts if p in hidden]
            shown = [p for p in parts if p not in hidden]
            candidates = [p for p in shown if p not in known]
            if total in hidden:
                exposed = not hidden_parts
            else:
                exposed = len(hidden_parts) == 1 or (
                    bool(hidden_parts) and is_small(abs(values[total] - sum(values[p] for p in shown)))
                )
            if not exposed:
                continue
            if candidates:
                victim = min(
                    candidates, key=lambda p: (cells.keep.get(p, 0), values[p] == 0, abs(values[p]), parts.index(p))
                )
            elif total not in hidden and total not in known:
                victim = total
            else:
                continue
            hidden.add(victim)
            victims.add(victim)
            changed = True
    return victims


def _nest_check(shown: list[tuple[int, int]], hidden: list[int], mask: int, value: int) -> tuple[bool, bool]:
    """(exposes, given away) for showing ``value`` over the months ``mask`` beside the published periods
    ``shown`` ((months, count)) and ``hidden`` (months whose count is not published): whether it makes a new
    residual under 5 or a hidden count computable, and whether the others already give it away."""
    before = _residuals(shown)
    after = _residuals([*shown, (mask, value)])
    small_before = {r for r in before if r[0] and is_small(abs(r[1]))}
    new_small = any(r[0] and is_small(abs(r[1])) and r not in small_before for r in after)
    new_known = any(_determined(m, after) and not _determined(m, before) for m in hidden)
    return new_small or new_known, _determined(mask, before)


def _blocks(partitions: list[list[tuple[int, int]]]) -> dict[int, tuple[int, ...]]:
    """The smallest sets of months over which every partition's count is known, with those counts.

    Each partition is a list of (months, count) that do not overlap (residuals). A block is a set of
    months that is a union of pieces of every partition, so its count follows from each; months that some
    partition does not cover belong to no block."""
    parent = list(range(12))

    def root(month: int) -> int:
        while parent[month] != month:
            parent[month] = parent[parent[month]]
            month = parent[month]
        return month

    covered = 0xFFF
    for pieces in partitions:
        region = 0
        for months, _count in pieces:
            region |= months
            first = (months & -months).bit_length() - 1
            for month in range(12):
                if months >> month & 1:
                    parent[root(month)] = root(first)
        covered &= region
    groups: dict[int, int] = {}
    for month in range(12):
        groups[root(month)] = groups.get(root(month), 0) | 1 << month
    out = {}
    for block in groups.values():
        if block & ~covered:
            continue
        out[block] = tuple(sum(c for m, c in pieces if m & block) for pieces in partitions)
    return out


def _union_of_blocks(mask: int, blocks: dict[int, tuple[int, ...]]) -> bool:
    return _determined(mask, {(block, 0) for block in blocks})


def _unions(sets: set[frozenset], *, limit: int) -> list[frozenset]:
    """``sets`` and the unions of any of them, smallest first, at most ``limit`` of them."""
    out = set(sets)
    frontier = set(sets)
    while frontier and len(out) < limit:
        frontier = {a | b for a in frontier for b in sets} - out
        out |= frontier
    return sorted(out, key=lambda s: (len(s), sorted(map(str, s))))[:limit]


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
