"""Every figure of the Standards Committee report, counted again from the rows the test made, is
the figure in the CSV and in the PDF's text."""

import io
import re

import pytest
from pypdf import PdfReader

from complaints.selectors.committee_report import committee_report_figures
from complaints.services.committee_report import ReportText, parse_csv, report_csv, report_render
from tests.complaints.reports.dataset import END, PREVIOUS_END, PREVIOUS_START, START, build
from tests.complaints.reports.expected import expected_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build()


def _compare_csv(scope, threshold=3):
    figures = committee_report_figures(start=START, end=END, scope=scope, threshold=threshold)
    sections = parse_csv(report_csv(figures))
    expected = expected_tables(scope, START, END, (PREVIOUS_START, PREVIOUS_END), threshold)
    assert set(expected) <= set(sections)
    for title, rows in expected.items():
        got = sections[title]
        if title.startswith("Cases open on"):
            assert [row[:3] for row in got] == [row[:3] for row in rows], title
        else:
            assert got == rows, title
    return figures, expected


def test_the_csv_for_a_principal_council_holds_every_figure_counted_from_the_rows(world):
    _compare_csv("northmoor")


def test_the_csv_for_all_councils_holds_every_figure_counted_from_the_rows(world):
    _compare_csv("all")


def test_linked_complaints_count_once_as_a_case_and_a_merged_case_is_skipped(world):
    figures, expected = _compare_csv("northmoor")
    summary = {row[0]: row[1:] for row in expected["Complaints and cases received"][1:]}
    # A (3 complaints), B (parish), C (town, 2 complaints), G, H: 8 complaints, 5 cases; E is merged.
    assert summary["Complaints received"] == ["8", "1"]
    assert summary["Cases (incidents) received"] == ["5", "1"]
    assert "RPT-E" not in {row[0] for row in figures.table("open_cases").rows}


def test_parish_and_town_complaints_are_counted_under_their_principal_council(world):
    northmoor = committee_report_figures(start=START, end=END, scope="northmoor").table("by_council").rows
    assert [row[:2] for row in northmoor] == [
        ["Northmoor District Council", "Principal council (district council)"],
        ["Ashby Lane Parish Council", "Parish or town council"],
        ["Kingsford Town Council", "Parish or town council"],
    ]
    parish_only = committee_report_figures(start=START, end=END, scope="ashby").table("summary").rows
    assert parish_only[0][1:] == [1, 0] and parish_only[1][1:] == [1, 0]


def test_counts_below_the_threshold_are_suppressed_in_the_training_needs(world):
    figures, _ = _compare_csv("northmoor", threshold=3)
    party = {(row[0], row[1]): row[2] for row in figures.table("training_by_party").rows}
    assert party[("Green Party", "1 Respect")] == 4
    assert party[("Independent", "2 Bullying, harassment and discrimination")] == "fewer than 3"
    figures, _ = _compare_csv("northmoor", threshold=5)
    party = {(row[0], row[1]): row[2] for row in figures.table("training_by_party").rows}
    assert party[("Green Party", "1 Respect")] == "fewer than 5"


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_prints_the_same_figures(world):
    figures = committee_report_figures(start=START, end=END, scope="northmoor")
    text = _pdf_text(report_render(figures, ReportText.defaults(figures)).pdf)
    expected = expected_tables("northmoor", START, END, (PREVIOUS_START, PREVIOUS_END))
    summary = expected["Complaints and cases received"]
    assert (
        f"received {summary[1][1]} complaints about {summary[2][1]} cases (incidents)" in text
        and f"there were {summary[1][2]} complaints about {summary[2][2]} cases" in text
    )
    simple = (
        "Cases by platform",
        "Cases closed by outcome",
        "Requests to remove posts",
        "Timeliness against targets",
        "Cases by provision found breached",
        "Twelve-month trend",
        "Complaints by type of complainant",
    )
    for title in simple:
        for row in expected[title][1:]:
            assert " ".join(row) in text, (title, row)
    for row in expected["Cases open on 31 March 2027"][1:]:
        assert row[0] in text and row[1] in text
    for row in expected["Training needs by party"][1:]:
        assert " ".join(row) in text, row
