"""Reports journey (issue #8): beleid opens the latest progress report, sees the charts and downloads the PDF
and the CSV; the teamleider opens the team dashboard. And a scan of the demo report for personal data.

Shared data (the journeys share one seeded database): read only. The report seed_demo draws up for the
last full quarter is frozen, and no obstacle is approved or withdrawn here.
"""

import csv
import io
import json
import re
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.conftest import DOWNLOAD_TIMEOUT, assert_accessible, login

pytestmark = pytest.mark.usefixtures("demo_data")

# Family names of the demo's name pool (cases/demo.py FAMILY_NAMES) that are ordinary Dutch words, so a label,
# a summary sentence or an approved obstacle description may contain them as a word. "meer" is in the demo
# report today ("meer dan 10 dagen", "geen lid meer van het casusteam"); "groot", "jong", "lange" (adjectives)
# and "wijk" (a district, "per wijk") are not yet, but are words a new table or description may well use.
# These clients are still scanned for by full name and by prefix + family name ("van der Meer", "de Jong",
# "van Wijk"), which no label holds. Family names that are rarer words ("Groen", "Prins", "Beek", "Bosch")
# are scanned for: a hit there deserves a look.
COMMON_WORDS = frozenset({"meer", "groot", "jong", "lange", "wijk"})
# Shorter family names ("Kok", "Vos", "Wit", "Dijk") are still scanned as part of the full name.
MIN_FAMILY_NAME = 4


def _normalised(text: str) -> str:
    """One space for every run of whitespace, so a name wrapped over two lines in the PDF is still found."""
    return re.sub(r"\s+", " ", text)


def _pdf_text(pdf: bytes, tmp_path: Path, name: str = "rapportage.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def _latest_report():
    from django.utils import timezone

    from reports.models import ProgressReport
    from reports.periods import last_full_quarter

    report = ProgressReport.objects.first()  # ordered by period, latest first
    assert report is not None, "seed_demo draws up the report of the last full quarter"
    assert (report.period_start, report.period_end) == last_full_quarter(timezone.localdate(report.generated_at))
    return report


# --- The browser journeys ---------------------------------------------------------------------------------------


def test_beleid_opens_the_latest_report_sees_the_charts_and_downloads_pdf_and_csv(page, tmp_path):
    report = _latest_report()
    label = report.figures["period"]["label"]

    login(page, "beleid")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Rapportages", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voortgangsrapportages")
    archive = page.locator("section[aria-labelledby='h-archive'] tbody tr")
    expect(archive.filter(has_text=label)).to_have_count(1)
    expect(page.get_by_role("heading", name="Rapportage opstellen")).to_be_visible()  # beleid may draw one up
    # A calendar month, quarter or year; no free dates (ADR 0003).
    expect(page.get_by_label("Soort periode")).to_have_value("quarter")
    expect(page.locator("input[type=date]")).to_have_count(0)
    assert_accessible(page)

    # The obstacle descriptions waiting for approval (read only: the shared data stays as it is).
    page.get_by_role("navigation", name="Rapportage-onderdelen").get_by_role(
        "link", name="Belemmeringen voor publicatie"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Belemmeringen voor publicatie")
    expect(page.get_by_role("button", name=re.compile(r"^Goedkeuren")).first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Rapportage-onderdelen").get_by_role("link", name="Rapportages").click()
    page.get_by_role("link", name=f"Laatste rapportage: {label}").click()
    expect(page).to_have_url(re.compile(re.escape(reverse("reports:detail", args=[report.uuid])) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Voortgangsrapportage {label}")

    # The summary in plain Dutch, as frozen in the figures.
    summary = page.locator("section[aria-labelledby='h-summary']")
    expect(summary.get_by_role("heading", name="Samenvatting")).to_be_visible()
    expect(summary.locator("p")).to_have_count(len(report.figures["summary"]))
    expect(summary).to_contain_text(report.figures["summary"][0])

    # The charts: one inline svg per section with a chart, the UpSet chart of the laws among them.
    charted = [s["key"] for s in report.figures["sections"] if s.get("chart")]
    assert len(charted) >= 5
    charts = page.locator("main svg[role=img]")
    expect(charts).to_have_count(len(charted))
    for key in charted:
        expect(page.locator(f"section[aria-labelledby='h-{key}'] figure svg[role=img]")).to_be_visible()
    upset = page.locator("section[aria-labelledby='h-laws'] svg[role=img]")
    expect(upset).to_have_attribute("aria-labelledby", "chart-laws-title chart-laws-desc")
    expect(upset.locator("desc")).to_contain_text("Combinaties")
    expect(upset.locator("circle").first).to_be_attached()  # the membership matrix of the UpSet plot
    expect(page.get_by_role("heading", name="Samenloop van wetten")).to_be_visible()
    assert_accessible(page)

    # The PDF: a document for the college, with the period on it.
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        page.get_by_role("link", name="Download PDF").click(timeout=DOWNLOAD_TIMEOUT)
    assert info.value.suggested_filename == (
        f"voortgangsrapportage-{report.period_start:%Y%m%d}-{report.period_end:%Y%m%d}.pdf"
    )
    pdf_file = tmp_path / "download.pdf"
    info.value.save_as(pdf_file)
    pdf = pdf_file.read_bytes()
    assert pdf.startswith(b"%PDF")
    pdf_text = _normalised(_pdf_text(pdf, tmp_path, "check.pdf"))
    assert "Voortgangsrapportage" in pdf_text
    assert label in pdf_text
    assert "Samenloop van wetten" in pdf_text

    # The CSV: UTF-8 with a byte-order mark and semicolons, as a Dutch spreadsheet expects.
    with page.expect_download(timeout=DOWNLOAD_TIMEOUT) as info:
        page.get_by_role("link", name="Download CSV").click(timeout=DOWNLOAD_TIMEOUT)
    assert info.value.suggested_filename.endswith(".csv")
    csv_file = tmp_path / "download.csv"
    info.value.save_as(csv_file)
    raw = csv_file.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Voortgangsrapportage", label]
    assert ["Samenloop van wetten"] in rows
    assert max(len(row) for row in rows) > 2  # tables with several columns, split on ";"


def test_teamleider_sees_the_professionals_of_their_team_on_the_dashboard(page):
    login(page, "teamleider")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Teamdashboard").click()
    # The teamleider leads two teams; the first by name is shown first.
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamdashboard: Werk en Inkomen")
    people = page.locator("section[aria-labelledby='h-people'] tbody th[scope='row']")
    for name in ("Petra Jansen", "Daan Bakker"):
        expect(people.filter(has_text=name)).to_have_count(1)
    # beleid works in the team too, but is no professional with a caseload; Zuid is not the teamleider's.
    expect(people.filter(has_text="Linda Visser")).to_have_count(0)
    expect(people.filter(has_text="Youssef El Amrani")).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("navigation", name="Teams").get_by_role("link", name="Wijkteam Noord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teamdashboard: Wijkteam Noord")
    for name in ("Sanne de Vries", "Marieke van den Berg"):
        expect(people.filter(has_text=name)).to_have_count(1)
    expect(people.filter(has_text="Petra Jansen")).to_have_count(0)
    assert_accessible(page)


# --- No person in the report ------------------------------------------------------------------------------------


def _personal_data_patterns() -> list[tuple[str, re.Pattern]]:
    """(what, pattern) for every demo client's names, BSN, address and postcode, and every case number."""
    from cases.models import Case, Client

    def word(text: str) -> str:
        # Whole words only, with any whitespace between the parts of a name or an address.
        return r"(?<!\w)" + r"\s+".join(re.escape(part) for part in text.split()) + r"(?!\w)"

    patterns: dict[str, str] = {}
    for client in Client.objects.only(
        "given_names", "prefix", "family_name", "bsn", "street", "house_number", "postcode"
    ):
        patterns[f"name {client.full_name}"] = word(client.full_name)
        if client.prefix:
            patterns[f"family name {client.prefix} {client.family_name}"] = word(
                f"{client.prefix} {client.family_name}"
            )
        family = client.family_name.strip()
        if len(family) >= MIN_FAMILY_NAME and family.lower() not in COMMON_WORDS:
            patterns[f"family name {family}"] = word(family)
        if client.bsn:
            patterns[f"BSN {client.bsn}"] = rf"(?<!\d){re.escape(client.bsn)}(?!\d)"
        if client.street and client.house_number:
            patterns[f"address {client.street} {client.house_number}"] = word(f"{client.street} {client.house_number}")
        if client.postcode:
            digits, letters = client.postcode[:4], client.postcode[4:].strip()
            patterns[f"postcode {client.postcode}"] = rf"(?<!\d){digits}\s?{letters}(?![A-Za-z])"
    for number in Case.objects.values_list("number", flat=True):
        patterns[f"case number {number}"] = rf"(?<![\d-]){re.escape(number)}(?!\d)"
    return [(what, re.compile(pattern, re.IGNORECASE)) for what, pattern in patterns.items()]


def test_the_demo_report_names_nobody_and_publishes_only_approved_obstacles(tmp_path):
    from cases.models import Client
    from reports.export import report_csv
    from workplans.models import Obstacle

    report = _latest_report()
    outputs = {
        "JSON": _normalised(json.dumps(report.figures, ensure_ascii=False)),
        "CSV": _normalised(report_csv(report)),
        "PDF": _normalised(_pdf_text(bytes(report.pdf), tmp_path)),
    }
    patterns = _personal_data_patterns()
    assert Client.objects.count() >= 88  # the 40 households' clients and the 48 of the demo quarter
    # The scan can find what it looks for: a client's data written the way a leak would write it.
    client = Client.objects.exclude(bsn__isnull=True).exclude(street="").exclude(postcode="").first()
    planted = _normalised(
        f"{client.full_name};{client.bsn};{client.street}\n{client.house_number};{client.postcode.replace(' ', '')}"
    )
    kinds = {what.split(" ")[0] for what, pattern in patterns if pattern.search(planted)}
    assert {"name", "BSN", "address", "postcode"} <= kinds
    assert all("Samenloop van wetten" in text for text in outputs.values())  # every output was read
    found = [
        f"{output}: {what} ({pattern.search(text).group(0)!r})"
        for output, text in outputs.items()
        for what, pattern in patterns
        if pattern.search(text)
    ]
    assert not found, "personal data in the report:\n" + "\n".join(found)

    # Obstacle descriptions are free text: only the masked text beleid approved may be published.
    approved = set(
        Obstacle.objects.filter(approved_for_publication=True).values_list("published_description", flat=True)
    )
    unapproved = (
        set(Obstacle.objects.filter(approved_for_publication=False).values_list("description", flat=True)) - approved
    )
    assert unapproved, "the demo has descriptions waiting for approval"
    leaked = [
        f"{output}: {description!r}"
        for output, text in outputs.items()
        for description in unapproved
        if _normalised(description) in text
    ]
    assert not leaked, "unapproved obstacle descriptions in the report:\n" + "\n".join(leaked)

    published = [
        description
        for section in report.figures["sections"]
        for top in section.get("top_categories", ())
        for description in top["descriptions"]
    ]
    assert published, "the demo quarter has approved descriptions in its most frequent categories"
    assert set(published) <= approved
    for output, text in outputs.items():
        assert all(_normalised(description) in text for description in published), output
