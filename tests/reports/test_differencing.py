"""Difference suppression (``reports.differencing``, ADR 0003): over the periods the product accepts, no two
reports drawn up from the same data can be subtracted into a small count or into a count either hides.

The property tests generate a year of monthly data for small tables of each measure (sum, span, state), draw
up reports for the accepted periods of that year in a random order (each one published against the reports
drawn up before it, as ``report_generate`` does) and then act as the reader: they collect every equation a
reader knows (the published cells, the rows, columns and subtotals of each table, "later report = earlier
report + rest" for a nested pair, "quarter = its months" and "year = its quarters") and solve every equation
with one unknown until nothing new follows. Nothing hidden may follow, no rest may be a small count, and the
cells a reader cannot compute in a row, column or subtotal may not add up to a small count.

Pure functions, except the last test, which draws up two reports from the database.
"""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import dataclass

import pytest

from reports import services
from reports.constants import HIDDEN_MARKS, MEASURE_SPAN, MEASURE_STATE, MEASURE_SUM, SECONDARY, PeriodKind
from reports.differencing import Published, measure_of
from reports.figures.base import share_kpi, table
from reports.periods import calendar_period, contains, nested
from reports.publish import cell as cell_of
from reports.publish import publish_sections, table_of
from reports.suppression import grid, is_small
from tests.reports.test_figures import make_case

YEAR = 2025
TOTAL = "Totaal"
PERIODS = [
    *(calendar_period(PeriodKind.MONTH, YEAR, m) for m in range(1, 13)),
    *(calendar_period(PeriodKind.QUARTER, YEAR, q) for q in range(1, 5)),
    calendar_period(PeriodKind.YEAR, YEAR),
]


# --- A year of made-up data -----------------------------------------------------------------------------


@dataclass
class Dataset:
    """Monthly counts of a SUM table, a SPAN table with a SUM total (like the signals by outcome) and a
    share of it, and one STATE table."""

    rng: random.Random
    sum_rows: int
    sum_cols: int
    sum_totals: str
    subtotal: list[int]  # the rows a subtotal row adds up, or [] for none
    monthly: list[list[list[int]]]  # [month][row][col]
    received: list[int]  # [month]: the SUM total of the SPAN table
    span_monthly: list[list[int]]  # [month][outcome]
    span_extra: dict  # (period, outcome) -> count a span adds on top of its months
    share_part: dict  # period -> the share's part
    state: list[list[int]]

    @classmethod
    def random(cls, seed: int) -> Dataset:
        rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        rows, cols = rng.randint(2, 4), rng.randint(1, 3)
        # Mostly small monthly counts, so that quarters and years land around the threshold.
        weights = rng.choice([[0, 0, 1, 1, 2, 3], [0, 1, 2, 3, 4, 5, 8], [0, 0, 0, 1, 6, 12]])
        monthly = [[[rng.choice(weights) for _c in range(cols)] for _r in range(rows)] for _m in range(12)]
        span_monthly = [[rng.choice(weights) for _r in range(2)] for _m in range(12)]
        received = [sum(span_monthly[m]) + rng.choice([2, 3, 5, 8]) for m in range(12)]
        span_extra = {(p, r): rng.choice([0, 0, 1]) for p in PERIODS for r in range(2)}
        data = cls(
            rng=rng,
            sum_rows=rows,
            sum_cols=cols,
            sum_totals=rng.choice(["both", "columns", "rows"]),
            subtotal=sorted(rng.sample(range(rows), 2)) if rows >= 3 and rng.random() < 0.5 else [],
            monthly=monthly,
            received=received,
            span_monthly=span_monthly,
            span_extra=span_extra,
            share_part={},
            state=[[rng.choice([0, 2, 4, 5, 9, 30]) for _c in range(2)] for _r in range(3)],
        )
        for period in PERIODS:
            whole = data.span_total(period)
            data.share_part[period] = rng.randint(0, whole) if whole else 0
        return data

    def months(self, period) -> range:
        return range(period[0].month - 1, period[1].month)

    def sum_values(self, period) -> list[list[int]]:
        return [
            [sum(self.monthly[m][r][c] for m in self.months(period)) for c in range(self.sum_cols)]
            for r in range(self.sum_rows)
        ]

    def span_values(self, period) -> list[int]:
        """Two outcomes and the rest ("nog open"). The outcomes are not sums of their months: a span counts
        more than its months together (a signal of July triaged in August counts in the quarter, not in
        July); the total, the signals received, is a sum."""
        outcomes = [
            sum(self.span_monthly[m][r] for m in self.months(period)) + self.span_extra[(period, r)] for r in range(2)
        ]
        return [*outcomes, self.span_total(period) - sum(outcomes)]

    def span_total(self, period) -> int:
        return sum(self.received[m] for m in self.months(period))

    def raw(self, period) -> dict:
        values = self.sum_values(period)
        rows = [(f"rij {r}", values[r]) for r in range(self.sum_rows)]
        relations = []
        if self.subtotal:
            rows.append(("subtotaal", [sum(values[r][c] for r in self.subtotal) for c in range(self.sum_cols)], True))
            relations = [(self.sum_rows, self.subtotal)]
        span = self.span_values(period)
        tables = [
            table("sum", "Som", "Rij", [f"kolom {c}" for c in range(self.sum_cols)], rows, totals=self.sum_totals,
                  relations=relations),
            table("span", "Span", "Rij", ["aantal"], [(f"span {r}", [span[r]]) for r in range(3)], totals="columns",
                  measure=MEASURE_SPAN, row_measures={"T": MEASURE_SUM}),
            table("state", "Stand", "Rij", ["a", "b"], [(f"stand {r}", self.state[r]) for r in range(3)],
                  totals="both", measure=MEASURE_STATE),
        ]  # fmt: skip
        kpi = share_kpi(
            "span_share",
            "Aandeel",
            self.share_part[period],
            self.span_total(period),
            requires=[("span", "T", 0)],
            whole_cells=[("span", "T", 0)],
            measure=MEASURE_SPAN,
        )
        return {
            "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
            "as_of": f"{YEAR + 1}-01-05",
            "links": [],
            "sections": [{"key": "s", "title": "S", "tables": tables, "kpis": [kpi], "chart": None}],
        }


def draw_up(data: Dataset, order: list) -> dict:
    """The published figures of each period in ``order``, each published against those before it."""
    published: dict = {}
    for period in order:
        family = [Published(start, end, figures) for (start, end), figures in published.items()]
        published[period] = {"sections": publish_sections(data.raw(period), family=family)}
    return published


# --- The reader -------------------------------------------------------------------------------------------


@dataclass
class Cells:
    """The cells of one report as the reader and the test see them, addressed by (table, row, column) labels."""

    raw: dict  # address -> exact count
    shown: dict  # address -> published count (cells shown only)
    measure: dict  # address -> measure
    relations: list  # (total address, [part addresses]) of every table


def cells_of(data: Dataset, period, figures: dict) -> Cells:
    raw_tables = {t["key"]: t for t in data.raw(period)["sections"][0]["tables"]}
    published = {t["key"]: t for t in figures["sections"][0]["tables"]}
    out = Cells({}, {}, {}, [])
    for key, raw_table in raw_tables.items():
        cells = grid(raw_table, total_label=TOTAL)
        table_out = published[key]
        shown = {
            (row["label"], column): value
            for row in table_out["rows"]
            for column, value in zip(table_out["columns"], row["values"], strict=True)
        }
        for cell, value in cells.values.items():
            address = (key, *cells.labels[cell])
            out.raw[address] = value
            out.measure[address] = measure_of(raw_table, cell)
            mark = shown[cells.labels[cell]]
            if mark in HIDDEN_MARKS:
                assert (mark == "<5") == is_small(value), (address, mark, value)
            else:
                assert mark == value and not is_small(value), (address, mark, value)
                out.shown[address] = value
        out.relations += [
            ((key, *cells.labels[t]), [(key, *cells.labels[p]) for p in parts]) for t, parts in cells.relations
        ]
    return out


def solve(relations: list, known: dict) -> dict:
    """Everything that follows from ``known`` by solving relations (total = sum of parts) with one unknown."""
    known = dict(known)
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            members = [total, *parts]
            unknown = [m for m in members if m not in known]
            if len(unknown) != 1:
                continue
            (missing,) = unknown
            if missing == total:
                known[total] = sum(known[p] for p in parts)
            else:
                known[missing] = known[total] - sum(known[p] for p in parts if p != missing)
            changed = True
    return known


def assert_no_small_hidden_sums(relations: list, known: dict, exact: dict, where: str) -> None:
    for total, parts in relations:
        if total in known:
            unknown = [p for p in parts if p not in known]
            if unknown:
                assert not is_small(sum(exact[p] for p in unknown)), f"{unknown} add up to < 5 ({total}); {where}"


def check_pair(data: Dataset, a, b, figures: dict, where: str) -> None:
    """Two reports: nothing either hides, and no small rest, follows from what both show."""
    A, B = cells_of(data, a, figures[a]), cells_of(data, b, figures[b])
    small, large = (a, b) if contains(b, a) else (b, a)
    relations = [(("A", t), [("A", p) for p in ps]) for t, ps in A.relations]
    relations += [(("B", t), [("B", p) for p in ps]) for t, ps in B.relations]
    exact = {("A", k): v for k, v in A.raw.items()} | {("B", k): v for k, v in B.raw.items()}
    known = {("A", k): v for k, v in A.shown.items()} | {("B", k): v for k, v in B.shown.items()}
    for address, measure in A.measure.items():
        if measure == MEASURE_STATE:
            # The same state in both reports: the same number twice.
            relations += [(("A", address), [("B", address)]), (("B", address), [("A", address)])]
    if nested(a, b):
        inner, outer = ("A", "B") if small == a else ("B", "A")
        rest = {k: (B if outer == "B" else A).raw[k] - (A if inner == "A" else B).raw[k] for k in A.raw}
        for address, measure in A.measure.items():
            if measure == MEASURE_STATE:
                continue
            in_small, in_large = (inner, address) in known, (outer, address) in known
            if in_small and in_large:
                # No cell shown in both may differ by less than 5 (the finding: "gestart 55 vs 54").
                difference = known[(outer, address)] - known[(inner, address)]
                assert not is_small(abs(difference)), f"{address} differs by {difference}; {where}"
            if measure == MEASURE_SUM:
                relations.append(((outer, address), [(inner, address), ("R", address)]))
                exact[("R", address)] = rest[address]
        sums = {k for k, m in A.measure.items() if m == MEASURE_SUM}
        relations += [
            (("R", t), [("R", p) for p in ps]) for t, ps in A.relations if t in sums and all(p in sums for p in ps)
        ]
        # The share as a count (part = share x whole) may not differ by less than 5 between the two reports.
        shares = [figures[p]["sections"][0]["kpis"][0]["value"] for p in (small, large)]
        if None not in shares:
            difference = data.share_part[large] - data.share_part[small]
            assert not is_small(abs(difference)), f"the share's part differs by {difference}; {where}"
    derived = solve(relations, known)
    for variable in derived.keys() - known.keys():
        if variable[0] in ("A", "B"):
            raise AssertionError(f"hidden cell {variable} follows from the pair; {where}")
        assert not is_small(derived[variable]), f"rest {variable} = {derived[variable]} follows; {where}"
    assert_no_small_hidden_sums(relations, derived, exact, where)


def check_year(data: Dataset, figures: dict, where: str) -> None:
    """All reports of the year together, every SUM cell: quarter = its months, year = its quarters."""
    exact, known, relations = {}, {}, []
    for period in PERIODS:
        cells = cells_of(data, period, figures[period]) if period in figures else None
        reference = cells or cells_of(
            data, period, {"sections": publish_sections(data.raw(period))}
        )  # addresses and exact counts
        sums = {k for k, m in reference.measure.items() if m == MEASURE_SUM}
        for address in sums:
            exact[(period, address)] = reference.raw[address]
            if cells and address in cells.shown:
                known[(period, address)] = cells.shown[address]
        relations += [
            ((period, t), [(period, p) for p in ps])
            for t, ps in reference.relations
            if t in sums and all(p in sums for p in ps)
        ]
    sums = {address for (_period, address) in exact}
    for quarter in range(1, 5):
        months = PERIODS[3 * quarter - 3 : 3 * quarter]
        relations += [((PERIODS[11 + quarter], a), [(m, a) for m in months]) for a in sums]
    relations += [((PERIODS[16], a), [(q, a) for q in PERIODS[12:16]]) for a in sums]
    derived = solve(relations, known)
    for variable in derived.keys() - known.keys():
        period, address = variable
        assert period not in figures, f"hidden cell {address} of {period} follows from the year; {where}"
        assert not is_small(derived[variable]), f"{variable} = {derived[variable]} follows from the year; {where}"
    assert_no_small_hidden_sums(relations, derived, exact, where)


def random_order(rng: random.Random) -> list:
    """Some of the year's periods, in the order a user (or the quarterly job) might draw them up."""
    chosen = [p for p in PERIODS if rng.random() < 0.8]
    rng.shuffle(chosen)
    return chosen


# 50 random years here (about ten seconds); 1,400 were run while writing the rules, without a failure.
SEEDS = range(50)


def check_all(data: Dataset, order: list, figures: dict, where: str) -> None:
    for a, b in itertools.combinations(order, 2):
        check_pair(data, a, b, figures, f"{where}, pair {a[0]:%m}-{a[1]:%m} / {b[0]:%m}-{b[1]:%m}")
    check_year(data, figures, where)


def test_no_reports_of_a_random_year_reveal_by_subtraction_what_they_hide():
    for seed in SEEDS:
        data = Dataset.random(seed)
        order = random_order(data.rng)
        check_all(data, order, draw_up(data, order), f"seed {seed}, order {[f'{s:%m}-{e:%m}' for s, e in order]}")


def test_the_reader_finds_what_each_report_alone_gives_away():
    """The checks can find what they look for: reports published each on their own (as before ADR 0003
    added the difference suppression) give small rests and hidden counts away in most random years."""
    caught = 0
    for seed in SEEDS[:10]:
        data = Dataset.random(seed)
        order = random_order(data.rng)
        alone = {period: {"sections": publish_sections(data.raw(period))} for period in order}
        try:
            check_all(data, order, alone, f"seed {seed}")
        except AssertionError:
            caught += 1
    assert caught >= 7


# --- The rules one by one, on a table of cases started and closed -------------------------------------------

JULY, AUGUST = calendar_period(PeriodKind.MONTH, YEAR, 7), calendar_period(PeriodKind.MONTH, YEAR, 8)
Q1, Q2, Q3 = (calendar_period(PeriodKind.QUARTER, YEAR, q) for q in (1, 2, 3))
WHOLE_YEAR = calendar_period(PeriodKind.YEAR, YEAR)


def flows(period, started: int, closed: int = 40, *, state: int = 12) -> dict:
    """Raw figures with the cases started and closed in ``period`` and a state (open cases when drawn up)."""
    tables = [
        table("cases_flow", "Casussen", "Casussen", ["aantal"], [("gestart", [started]), ("afgesloten", [closed])]),
        table("open", "Lopend", "Casussen", ["aantal"], [("lopend", [state])], measure=MEASURE_STATE),
    ]
    return {
        "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
        "sections": [{"key": "cases", "title": "Casussen", "tables": tables, "kpis": []}],
    }


def draw(raw: dict, *earlier: tuple) -> dict:
    """Publish ``raw`` after the reports ``earlier`` ((period, published figures) pairs)."""
    return {"sections": publish_sections(raw, family=[Published(*period, figures) for period, figures in earlier])}


def cell(figures: dict, row: str, table_key: str = "cases_flow"):
    return next(
        r for t in figures["sections"][0]["tables"] if t["key"] == table_key for r in t["rows"] if r["label"] == row
    )["values"][0]


def test_a_month_hides_a_count_its_quarter_gives_away_by_subtraction():
    # The finding: "gestart 55 vs 54" tells that one case started in the rest of the quarter.
    quarter = draw(flows(Q3, 55, 40))
    july = draw(flows(JULY, 54, 30), (Q3, quarter))
    assert (cell(quarter, "gestart"), cell(july, "gestart")) == (55, SECONDARY)
    assert cell(july, "afgesloten") == 30  # 40 - 30 = 10 closed in August and September: no small count
    assert cell(draw(flows(JULY, 54, 30)), "gestart") == 54  # without the quarter nothing is subtracted
    # A rest of zero is a fact about each month in it ("nobody started in August or September").
    assert cell(draw(flows(JULY, 55), (Q3, quarter)), "gestart") == SECONDARY
    assert cell(draw(flows(JULY, 50), (Q3, quarter)), "gestart") == 50  # a rest of 5 may be known


def test_a_quarter_drawn_up_after_its_month_hides_the_cell_instead():
    july = draw(flows(JULY, 54))
    quarter = draw(flows(Q3, 55), (JULY, july))
    assert (cell(july, "gestart"), cell(quarter, "gestart")) == (54, SECONDARY)


def test_a_quarter_minus_two_of_its_months_may_not_give_a_small_third():
    quarter = draw(flows(Q3, 40))
    july = draw(flows(JULY, 20), (Q3, quarter))
    # September would be 40 - 20 - 17 = 3, which its own report hides as "<5".
    assert cell(draw(flows(AUGUST, 17), (Q3, quarter), (JULY, july)), "gestart") == SECONDARY
    assert cell(draw(flows(AUGUST, 15), (Q3, quarter), (JULY, july)), "gestart") == 15  # September: 5


def test_a_year_minus_three_quarters_may_not_give_a_small_fourth():
    year = draw(flows(WHOLE_YEAR, 63))
    first = draw(flows(Q1, 20), (WHOLE_YEAR, year))
    second = draw(flows(Q2, 20), (WHOLE_YEAR, year), (Q1, first))
    third = draw(flows(Q3, 20), (WHOLE_YEAR, year), (Q1, first), (Q2, second))
    assert [cell(f, "gestart") for f in (year, first, second, third)] == [63, 20, 20, SECONDARY]  # Q4: 3


def test_a_state_is_the_same_number_in_every_report_and_is_not_compared():
    quarter = draw(flows(Q3, 55, state=12))
    july = draw(flows(JULY, 54, state=12), (Q3, quarter))
    assert cell(quarter, "lopend", "open") == cell(july, "lopend", "open") == 12


def test_a_share_counts_as_the_part_it_gives_with_its_whole():
    def signals(period, part: int, whole: int) -> dict:
        return {
            "period": {"start": period[0].isoformat(), "end": period[1].isoformat()},
            "sections": [
                {
                    "key": "signals",
                    "title": "Meldingen",
                    "tables": [table("received", "Ontvangen", "Meldingen", ["aantal"], [("ontvangen", [whole])])],
                    "kpis": [
                        share_kpi(
                            "in_time",
                            "Op tijd",
                            part,
                            whole,
                            requires=[("received", 0, 0)],
                            whole_cells=[("received", 0, 0)],
                            measure=MEASURE_SPAN,
                        )
                    ],
                }
            ],
        }

    quarter = draw(signals(Q3, 20, 40))  # 50 %: with the 40 received, 20 on time
    assert quarter["sections"][0]["kpis"][0]["value"] == 50.0
    # July: 17 of 30 on time. 30 received is 10 less than the quarter, but 17 on time is only 3 less.
    july = draw(signals(JULY, 17, 30), (Q3, quarter))
    assert cell(july, "ontvangen", "received") == 30 and july["sections"][0]["kpis"][0]["value"] is None
    assert draw(signals(JULY, 12, 30), (Q3, quarter))["sections"][0]["kpis"][0]["value"] == 40.0


# --- Drawn up from the database --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_july_drawn_up_after_the_quarterly_report_hides_the_case_started_in_august(team, monkeypatch):
    monkeypatch.setattr(services, "report_pdf", lambda figures, *, generated_at: b"%PDF-1.7 stub")
    for day in range(54):
        make_case(team, opened=datetime.date(2026, 7, 1) + datetime.timedelta(days=day % 31))
    make_case(team, opened=datetime.date(2026, 8, 12))
    quarter = services.quarterly_report(today=datetime.date(2026, 10, 2))
    july = services.report_generate(
        start=datetime.date(2026, 7, 1), end=datetime.date(2026, 7, 31), today=datetime.date(2026, 10, 2)
    )
    assert cell_of(quarter.figures, "cases_flow", "gestart", 0) == 55
    assert cell_of(july.figures, "cases_flow", "gestart", 0) == SECONDARY
    assert july.title == "juli 2026" and any("'x'" in sentence for sentence in july.figures["summary"])
    # The state tables are the same in both: drawn up on the same day from the same data.
    assert table_of(july.figures, "cases_by_status_team") == table_of(quarter.figures, "cases_by_status_team")
