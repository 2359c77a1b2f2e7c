"""The report's SVG charts: well-formed, accessible, escaped, to scale, and never drawing a suppressed count.

Pure functions: no database. Geometry is read back from the parsed svg, not from the markup text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from django.utils.safestring import SafeString

from reports import charts

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script>"
SERIES = ["verbeterd", "gelijk", "verslechterd"]
LAWS = ["Wmo 2015", "Jeugdwet"]


def all_charts(label: str = "Wmo 2015", value: int | str = 12, ident: str = "grafiek") -> dict[str, SafeString]:
    return {
        "bar": charts.bar_chart(ident, label, [(label, value), ("Jeugdwet", 3)]),
        "grouped": charts.grouped_bar_chart(ident, label, [*SERIES[:2], label], [(label, [value, 4, "<5"])]),
        "upset": charts.upset_chart(
            ident, label, [label, "Jeugdwet"], [value, 30], [((True, False), value), ((True, True), 2)]
        ),
        "distribution": charts.distribution_chart(ident, label, [(label, value), ("10–19", 7)]),
    }


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # noqa: S314 - our own output under test, not untrusted input


def texts(root: ET.Element) -> list[str]:
    return [el.text for el in root.iter(f"{NS}text")]


def bars(root: ET.Element) -> list[ET.Element]:
    """The data bars: direct rect children (pattern tiles live in <defs>), without the upset zebra rows."""
    return [el for el in root.findall(f"{NS}rect") if el.get("fill") != charts.ZEBRA]


@pytest.mark.parametrize("kind", ["bar", "grouped", "upset", "distribution"])
def test_chart_is_one_accessible_scalable_svg(kind):
    markup = all_charts()[kind]
    root = parse(markup)

    assert isinstance(markup, SafeString)
    assert root.tag == f"{NS}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{NS}title").get("id") == title_id == "grafiek-title"
    assert root.find(f"{NS}desc").get("id") == desc_id == "grafiek-desc"
    assert root.get("width") == "100%"
    assert root.get("height") is None
    assert root.get("viewBox").startswith("0 0 640 ")


def test_hostile_text_is_escaped_everywhere():
    for kind, markup in all_charts(label=HOSTILE).items():
        root = parse(markup)
        assert "<script>" not in markup, kind
        assert "&lt;script&gt;" in markup, kind
        assert not list(root.iter(f"{NS}script")), kind
        assert root.find(f"{NS}title").text == HOSTILE, kind


@pytest.mark.parametrize("value", ["<5", "geheim"])
def test_suppressed_value_is_a_hatched_stub_labelled_lt5(value):
    for kind, markup in all_charts(value=value).items():
        root = parse(markup)
        pattern_ids = {p.get("id") for p in root.iter(f"{NS}pattern")}
        hatched = [r for r in bars(root) if r.get("fill", "").startswith("url(#")]

        assert hatched, kind
        assert all(r.get("fill")[5:-1] in pattern_ids for r in hatched), kind
        assert all(pid.startswith("grafiek-") for pid in pattern_ids), kind
        assert "<5" in texts(root), kind
        assert "&lt;5" in markup, kind
        assert "geheim" not in markup, kind


def test_suppressed_stub_is_short_and_not_to_scale():
    root = parse(charts.bar_chart("b", "t", [("a", 1000), ("b", "<5"), ("c", 1)]))

    widths = [float(r.get("width")) for r in bars(root)]

    assert widths[1] == charts.STUB
    assert widths[1] < widths[0] / 10


def test_bar_lengths_are_proportional_to_the_largest_count():
    root = parse(charts.bar_chart("b", "t", [("a", 5), ("b", 10), ("c", 0)]))

    a, b, c = (float(r.get("width")) for r in bars(root))

    assert b == pytest.approx(2 * a)
    assert c == 0


def test_columns_are_proportional_and_grouped_bars_share_one_scale():
    columns = bars(parse(charts.distribution_chart("d", "t", [("0–9", 5), ("10–19", 10)])))
    grouped = bars(parse(charts.grouped_bar_chart("g", "t", SERIES, [("a", [10, 5, 1]), ("b", [2, 0, 5])])))
    grouped = grouped[len(SERIES) :]  # after the legend swatches
    heights = [float(r.get("height")) for r in columns]
    widths = [float(r.get("width")) for r in grouped]

    assert heights[1] == pytest.approx(2 * heights[0])
    assert widths[0] == pytest.approx(2 * widths[1]) == pytest.approx(2 * widths[5])


def test_no_counts_means_scale_one_and_no_division_error():
    root = parse(charts.bar_chart("b", "t", [("a", 0), ("b", "<5")]))

    assert [r.get("width") for r in bars(root)] == ["0.0", str(charts.STUB)]


@pytest.mark.parametrize(
    "draw",
    [
        lambda: charts.bar_chart("e", "t", []),
        lambda: charts.grouped_bar_chart("e", "t", SERIES, []),
        lambda: charts.upset_chart("e", "t", LAWS, [1, 2], [((False, False), 9)]),
        lambda: charts.distribution_chart("e", "t", []),
    ],
    ids=["bar", "grouped", "upset", "distribution"],
)
def test_empty_data_says_geen_gegevens(draw):
    root = parse(draw())

    assert texts(root) == ["Geen gegevens"]
    assert root.find(f"{NS}desc").text == "Geen gegevens"
    assert root.get("role") == "img"


def test_desc_lists_the_data_unless_a_description_is_given():
    generated = parse(charts.bar_chart("b", "t", [("Wmo 2015", 1234), ("Jeugdwet", "<5")]))
    given = parse(charts.bar_chart("b", "t", [("Wmo 2015", 1)], description="Zie tabel 3."))
    grouped = parse(charts.grouped_bar_chart("g", "t", SERIES[:2], [("Wonen", [3, "<5"])]))

    assert generated.find(f"{NS}desc").text == "Wmo 2015: 1.234; Jeugdwet: <5"
    assert given.find(f"{NS}desc").text == "Zie tabel 3."
    assert grouped.find(f"{NS}desc").text == "Wonen: verbeterd 3, gelijk <5"


def test_grouped_chart_has_a_colour_per_series_and_a_legend():
    root = parse(charts.grouped_bar_chart("g", "t", SERIES, [("a", [3, 2, 1]), ("b", [1, 2, 3])]))
    fills = [r.get("fill") for r in bars(root)]

    assert fills[:3] == list(charts.PALETTE[:3])  # legend swatches
    assert fills[3:] == list(charts.PALETTE[:3]) * 2
    assert texts(root)[:3] == SERIES
    with pytest.raises(ValueError):
        charts.grouped_bar_chart("g", "t", SERIES, [("a", [1, 2])])


def test_upset_sorts_columns_by_count_and_skips_the_empty_combination():
    root = parse(
        charts.upset_chart(
            "u",
            "Overlap",
            LAWS,
            [100, 50],
            [((True, False), 3), ((False, False), 99), ((True, True), "<5"), ((False, True), 20)],
        )
    )
    column_x = sorted({float(c.get("cx")) for c in root.iter(f"{NS}circle")})
    counts = {el.text: float(el.get("x")) for el in root.iter(f"{NS}text") if el.get("text-anchor") == "middle"}
    joins = [line for line in root.findall(f"{NS}line") if line.get("stroke-width") == "3"]

    assert len(column_x) == 3
    assert sorted(counts, key=counts.get) == ["20", "3", "<5"]
    assert "99" not in texts(root)
    assert len(joins) == 1 and float(joins[0].get("x1")) == column_x[2]  # only the column with two members
    assert root.find(f"{NS}desc").text == (
        "Wmo 2015: 100; Jeugdwet: 50. Combinaties: alleen Jeugdwet: 20; alleen Wmo 2015: 3; Wmo 2015 + Jeugdwet: <5"
    )
    with pytest.raises(ValueError):
        charts.upset_chart("u", "t", LAWS, [1], [((True, False), 1)])


def test_two_charts_on_one_page_share_no_ids():
    def ids(markup: str) -> set[str]:
        return {el.get("id") for el in parse(markup).iter() if el.get("id")}

    for kind, first in all_charts(value="<5", ident="Wetten 2024").items():
        second = all_charts(value="<5", ident="wetten-2025")[kind]
        assert ids(first), kind
        assert all(i.startswith("wetten-2024-") for i in ids(first)), kind
        assert not ids(first) & ids(second), kind
