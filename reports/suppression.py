"""Small-cell suppression: every published count under 5 becomes "<5", also where arithmetic would reveal it.

Primary suppression shows every count below ``SUPPRESSION_THRESHOLD`` as "<5" (zero included: "nobody" is
also a fact about a small group). Secondary suppression closes the complement: wherever a published total
is the sum of published parts, one hidden part could be computed back as total minus the others. So
whenever a relation (total = sum of parts) with a published total has exactly one hidden part, or hidden
parts that add up to less than 5, the smallest other non-zero part is hidden too ("x", since it is not
under 5); a hidden total whose parts are all shown gets its smallest part hidden. This repeats until no
relation is exposed (hiding a part can expose another relation, a column after a row). This is the usual
heuristic of statistical offices for tables of this size, not a full linear-programming audit.

Shares and averages are derived from raw counts but published only when both the counted group and its
complement are published-size, otherwise a share of 100 % would tell that the rest is zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from .constants import HIDDEN_MARKS, SECONDARY, SUPPRESSED, SUPPRESSION_THRESHOLD

Value = int | str

# Keys of a raw table that describe how to compute and protect it, not what is published.
RAW_ONLY_KEYS = ("rows", "relations", "totals", "measure", "column_measures", "row_measures", "rows_by_presence")


def is_small(value: int) -> bool:
    return value < SUPPRESSION_THRESHOLD


def suppress(
    values: dict[Hashable, int],
    relations: Iterable[tuple[Hashable, Sequence[Hashable]]] = (),
    *,
    force: Iterable[Hashable] = (),
    keep: dict[Hashable, int] | None = None,
    known: Iterable[Hashable] = (),
) -> dict:
    """Publish ``values``: small counts hidden, and the complement of every relation (total, parts) closed.

    Keys of ``relations`` refer to keys of ``values``. Returns a dict with the same keys and ``int`` values,
    ``SUPPRESSED`` ("<5") for a hidden small count and ``SECONDARY`` ("x") for a count hidden to protect one.
    ``keep`` gives cells a priority (higher: hidden later): totals and subtotals the reader needs are hidden
    only when no ordinary part can cover. ``force`` hides keys whatever their value (a cell linked to a hidden
    one, or one that subtracting another report would reveal). ``known`` are keys whose value a reader can
    work out from other reports whether they are shown here or not: hiding one covers nothing, so they are
    never chosen to cover a small cell and count as shown when a relation is checked.
    """
    relations = [(total, list(parts)) for total, parts in relations]
    keep = keep or {}
    known = set(known)
    hidden = {key for key, value in values.items() if is_small(value)} | (set(force) & set(values))

    def revealed(key: Hashable) -> bool:
        return key not in hidden or key in known

    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            hidden_parts = [p for p in parts if not revealed(p)]
            candidates = [p for p in parts if p not in hidden and p not in known]
            if not candidates:
                continue
            # A shown total with one hidden part reveals that part, and hidden parts that add up to less
            # than the threshold reveal too much (two hidden zeros are two zeros); a hidden total (hidden as
            # another relation's part) with every part shown is their sum.
            if not revealed(total):
                exposed = not hidden_parts
            else:
                exposed = len(hidden_parts) == 1 or (
                    bool(hidden_parts) and is_small(sum(values[p] for p in hidden_parts))
                )
            if not exposed:
                continue
            # Hide the smallest other part that is not zero (a hidden zero adds no cover), sparing subtotals.
            victim = min(candidates, key=lambda p: (keep.get(p, 0), values[p] == 0, values[p], parts.index(p)))
            hidden.add(victim)
            changed = True
    return {key: _mark(value) if key in hidden else value for key, value in values.items()}


def _mark(value: int) -> str:
    return SUPPRESSED if is_small(value) else SECONDARY


def share(part: int, whole: int) -> float | None:
    """A percentage (one decimal), or ``None`` when the part or its complement is a small count."""
    if whole <= 0 or is_small(part) or is_small(whole - part):
        return None
    return round(100.0 * part / whole, 1)


def average(total: float, count: int) -> float | None:
    """A mean over ``count`` units (one decimal), or ``None`` when fewer than the threshold."""
    if is_small(count):
        return None
    return round(total / count, 1)


@dataclass
class Grid:
    """A raw table as cells: ``values`` by (row, column) key with the totals added, the ``relations``
    (total, parts) a reader can add up, the ``keep`` priorities, and each key's (row label, column label)."""

    values: dict[tuple, int]
    relations: list[tuple[tuple, list[tuple]]]
    keep: dict[tuple, int]
    labels: dict[tuple, tuple[str, str]]
    columns: list


def grid(table: dict, *, total_label: str) -> Grid:
    """The cells and relations of a raw table (see ``publish_table`` for its shape)."""
    rows = table["rows"]
    n_cols = len(table["columns"])
    mode = table.get("totals", "none")
    row_totals = mode in ("rows", "both")
    col_totals = mode in ("columns", "both")
    counted = [r for r, row in enumerate(rows) if not row.get("subtotal")]
    columns: list = list(range(n_cols)) + (["T"] if row_totals else [])
    values: dict[tuple, int] = {}
    relations: list[tuple[tuple, list[tuple]]] = []
    for r, row in enumerate(rows):
        for col, value in enumerate(row["values"]):
            values[(r, col)] = int(value)
    if row_totals:
        for r, row in enumerate(rows):
            values[(r, "T")] = sum(int(v) for v in row["values"])
            relations.append(((r, "T"), [(r, col) for col in range(n_cols)]))
    if col_totals:
        for col in columns:
            values[("T", col)] = sum(values[(r, col)] for r in counted)
            relations.append((("T", col), [(r, col) for r in counted]))
        if row_totals:
            relations.append((("T", "T"), [("T", col) for col in range(n_cols)]))
    for total_row, part_rows in table.get("relations", ()):
        for col in columns:
            relations.append(((total_row, col), [(r, col) for r in part_rows]))
            if col_totals:
                # The total is also this subtotal plus the rows outside it.
                rest = [(r, col) for r in counted if r not in part_rows]
                relations.append((("T", col), [(total_row, col), *rest]))
    subtotals = {r for r, row in enumerate(rows) if row.get("subtotal")}
    # Subtotal rows and the total row matter most to a reader, then the total column, then ordinary cells.
    keep = {key: 2 if key[0] in subtotals or key[0] == "T" else 1 for key in values if key[1] == "T"} | {
        key: 2 for key in values if key[0] in subtotals or key[0] == "T"
    }
    column_labels = [str(c) for c in table["columns"]]
    labels = {
        (r, col): (
            total_label if r == "T" else rows[r]["label"],
            total_label if col == "T" else column_labels[col],
        )
        for r, col in values
    }
    return Grid(values=values, relations=relations, keep=keep, labels=labels, columns=columns)


def publish_table(
    table: dict, *, total_label: str, force: Iterable[Hashable] = (), known: Iterable[Hashable] = ()
) -> tuple[dict, set]:
    """A raw table (integer cells) turned into its published form, and the set of its hidden cells.

    Cells are addressed as (row index, column index); ``"T"`` is the total row or column. ``table["totals"]``
    says which totals are added: ``"rows"`` (a total column), ``"columns"`` (a total row), ``"both"`` or
    ``"none"``. Totals are computed from the raw counts first, so they are exact, and every row, column and
    the grand total is a relation for the secondary suppression. A row marked ``subtotal`` is the sum of
    other rows (``table["relations"]``: (subtotal row index, [part row indices])), is left out of the
    column totals, and its relation holds in every column. ``force`` hides cells that another table
    links to (the same number published twice must be hidden in both places) or that subtracting another
    report would reveal; ``known`` are cells other reports give away (``suppress``).
    """
    cells = grid(table, total_label=total_label)
    published = suppress(cells.values, cells.relations, force=force, keep=cells.keep, known=known)
    hidden = {key for key, value in published.items() if value in HIDDEN_MARKS}

    rows = table["rows"]
    out_rows = []
    for r, row in enumerate(rows):
        out = {"label": row["label"], "values": [published[(r, col)] for col in cells.columns]}
        if row.get("subtotal"):
            out["subtotal"] = True
        out_rows.append(out)
    row_totals = table.get("totals", "none") in ("rows", "both")
    if table.get("totals", "none") in ("columns", "both"):
        out_rows.append(
            {"label": total_label, "values": [published[("T", col)] for col in cells.columns], "total": True}
        )
    published_table = {key: value for key, value in table.items() if key not in RAW_ONLY_KEYS}
    published_table.update(
        columns=list(table["columns"]) + ([total_label] if row_totals else []),
        rows=out_rows,
        has_total_column=row_totals,
    )
    return published_table, hidden
