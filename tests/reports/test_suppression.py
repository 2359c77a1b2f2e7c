"""Small-cell suppression (``reports.suppression``): primary ("<5"), secondary ("x") wherever a published
total would let a hidden cell be computed back, across rows, columns and subtotal rows, linked cells, and
shares and averages that would reveal a small complement.

Pure functions: no database.
"""

from __future__ import annotations

import random

import pytest

from reports.constants import HIDDEN_MARKS, SECONDARY, SUPPRESSED
from reports.suppression import average, publish_table, share, suppress

# --- Primary and secondary suppression of one relation ----------------------------------------------------


def test_counts_under_five_are_shown_as_less_than_five_and_five_stays():
    published = suppress({"zero": 0, "one": 1, "four": 4, "five": 5, "many": 120})
    assert published == {"zero": SUPPRESSED, "one": SUPPRESSED, "four": SUPPRESSED, "five": 5, "many": 120}


def test_a_shown_total_with_one_hidden_part_gets_a_second_part_hidden():
    # Without the second cell, 3 = 30 - 12 - 15 could be computed back.
    values = {"a": 3, "b": 12, "c": 15, "total": 30}
    published = suppress(values, [("total", ["a", "b", "c"])])
    assert published == {"a": SUPPRESSED, "b": SECONDARY, "c": 15, "total": 30}


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Two hidden zeros: "<5" + "<5" = 15 - 6 - 9 would say both are 0.
        ({"a": 0, "b": 0, "c": 6, "d": 9, "t": 15}, {"a": SUPPRESSED, "b": SUPPRESSED, "c": SECONDARY, "d": 9}),
        # 1 + 2 = 3: the hidden pair would be known to hold 3 people.
        ({"a": 1, "b": 2, "c": 8, "d": 9, "t": 20}, {"a": SUPPRESSED, "b": SUPPRESSED, "c": SECONDARY, "d": 9}),
    ],
)
def test_hidden_parts_that_add_up_to_less_than_five_hide_another_part(values, expected):
    published = suppress(values, [("t", ["a", "b", "c", "d"])])
    assert published == {**expected, "t": values["t"]}


def test_a_hidden_total_with_every_part_shown_gets_a_part_hidden():
    # "t" is hidden as a part of "grand"; with a and b shown it would be their sum again.
    values = {"a": 6, "b": 7, "t": 13, "u": 2, "grand": 15}
    published = suppress(values, [("t", ["a", "b"]), ("grand", ["t", "u"])])
    assert published["u"] == SUPPRESSED and published["t"] == SECONDARY
    assert SECONDARY in (published["a"], published["b"])


def test_forced_cells_are_hidden_whatever_their_value_and_protected_like_the_others():
    values = {"a": 10, "b": 20, "t": 30}
    published = suppress(values, [("t", ["a", "b"])], force={"a", "not-a-cell"})
    assert published == {"a": SECONDARY, "b": SECONDARY, "t": 30}


# --- Tables: rows, columns, subtotals -----------------------------------------------------------------------


def test_hiding_in_a_row_exposes_a_column_and_the_iteration_closes_it():
    table = {
        "columns": ["Wmo", "Jeugdwet", "Participatiewet"],
        "rows": [{"label": "Noord", "values": [2, 10, 10]}, {"label": "Zuid", "values": [10, 10, 10]}],
        "totals": "both",
    }
    published, hidden = publish_table(table, total_label="Totaal")
    # The 2 hides a 10 in its row; that row's pair then leaves both columns with one hidden cell, so the
    # iteration hides the two cells of Zuid below them, although Zuid had no small count.
    assert [row["values"] for row in published["rows"]] == [
        [SUPPRESSED, SECONDARY, 10, 22],
        [SECONDARY, SECONDARY, 10, 30],
        [12, 20, 20, 52],
    ]
    assert hidden == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert published["columns"][-1] == "Totaal" and published["rows"][-1] == {
        "label": "Totaal",
        "values": [12, 20, 20, 52],
        "total": True,
    }


def test_a_subtotal_row_and_the_rest_of_the_total_are_closed_too():
    # Open = aangemeld + actief; closed is the rest. Total 15 - open 13 would reveal closed = 2.
    table = {
        "columns": ["aantal"],
        "rows": [
            {"label": "aangemeld", "values": [6]},
            {"label": "actief", "values": [7]},
            {"label": "afgesloten", "values": [2]},
            {"label": "lopend", "values": [13], "subtotal": True},
        ],
        "relations": [(3, [0, 1])],
        "totals": "columns",
    }
    published, _hidden = publish_table(table, total_label="Totaal")
    values = {row["label"]: row["values"][0] for row in published["rows"][:4]}
    assert values == {"aangemeld": SECONDARY, "actief": SECONDARY, "afgesloten": SUPPRESSED, "lopend": SECONDARY}
    # The subtotal is not counted twice in the total.
    assert published["rows"][-1] == {"label": "Totaal", "values": [15], "total": True}
    assert published["rows"][3]["subtotal"] is True


# --- Shares and averages ------------------------------------------------------------------------------------


def test_shares_and_averages_are_shown_only_over_five_or_more_on_both_sides():
    assert (share(5, 10), share(7, 21)) == (50.0, 33.3)
    assert share(4, 10) is None  # the part is small
    assert share(6, 10) is None  # the complement (4) is small
    assert share(10, 10) is None  # 100 % says that the rest is zero
    assert share(0, 0) is None
    assert average(50, 4) is None
    assert average(51, 5) == 10.2


# --- Property: no hidden cell can be recomputed by subtraction ----------------------------------------------


def _relations(n_rows: int, n_cols: int, sub: int | None, sub_parts: list[int]) -> list[tuple[tuple, list[tuple]]]:
    """Every sum a reader sees in the published table, rebuilt independently of ``publish_table``:
    rows, columns, the grand total, and for a subtotal row ``sub`` both sub = its parts and
    total = sub + the other rows."""
    counted = [r for r in range(n_rows) if r != sub]
    columns = [*range(n_cols), "T"]
    relations = [((r, "T"), [(r, c) for c in range(n_cols)]) for r in range(n_rows)]
    relations += [(("T", c), [(r, c) for r in counted]) for c in columns]
    relations.append((("T", "T"), [("T", c) for c in range(n_cols)]))
    if sub is not None:
        rest = [r for r in counted if r not in sub_parts]
        relations += [((sub, c), [(r, c) for r in sub_parts]) for c in columns]
        relations += [(("T", c), [(sub, c), *[(r, c) for r in rest]]) for c in columns]
    return relations


def _check_random_table(seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - reproducible test tables, not secrets
    n_counted, n_cols = rng.randint(2, 5), rng.randint(2, 4)
    raw = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 8, 13, 40]) for _c in range(n_cols)] for _r in range(n_counted)]
    rows = [{"label": f"r{r}", "values": raw[r]} for r in range(n_counted)]
    table = {"columns": [f"k{c}" for c in range(n_cols)], "rows": rows, "totals": "both"}
    sub, sub_parts = None, []
    if n_counted >= 3 and rng.random() < 0.5:  # a subtotal row like "lopend (alle open statussen)"
        sub, sub_parts = n_counted, sorted(rng.sample(range(n_counted), rng.randint(2, n_counted - 1)))
        raw.append([sum(raw[r][c] for r in sub_parts) for c in range(n_cols)])
        rows.append({"label": "sub", "values": raw[sub], "subtotal": True})
        table["relations"] = [(sub, sub_parts)]
    n_rows = len(raw)
    counted = [r for r in range(n_rows) if r != sub]
    published, _hidden = publish_table(table, total_label="Totaal")
    keys_r, keys_c = [*range(n_rows), "T"], [*range(n_cols), "T"]
    cells = {(kr, kc): published["rows"][r]["values"][c] for r, kr in enumerate(keys_r) for c, kc in enumerate(keys_c)}
    exact = {(r, c): raw[r][c] for r in range(n_rows) for c in range(n_cols)}
    exact |= {(r, "T"): sum(raw[r]) for r in range(n_rows)}
    exact |= {("T", c): sum(raw[r][c] for r in counted) for c in range(n_cols)}
    exact[("T", "T")] = sum(sum(raw[r]) for r in counted)
    where = f"seed {seed}, table {raw}, subtotal {sub} of {sub_parts}"

    for key, value in cells.items():
        if value in HIDDEN_MARKS:
            assert value == (SUPPRESSED if exact[key] < 5 else SECONDARY), (key, where)
        else:
            assert exact[key] >= 5 and value == exact[key], (key, where)
    for total, parts in _relations(n_rows, n_cols, sub, sub_parts):
        hidden_parts = [p for p in parts if cells[p] in HIDDEN_MARKS]
        if cells[total] in HIDDEN_MARKS:
            assert hidden_parts, f"hidden total {total} is the sum of its shown parts; {where}"
        else:
            assert len(hidden_parts) != 1, f"{hidden_parts} = {total} minus the shown parts; {where}"
            if hidden_parts:
                assert sum(exact[p] for p in hidden_parts) >= 5, f"hidden parts of {total} add up to < 5; {where}"


def test_no_hidden_cell_of_a_random_table_can_be_computed_back():
    for seed in range(300):
        _check_random_table(seed)
