"""`manage.py committee_report` writes the PDF or CSV for a period and scope, and refuses bad
arguments with exit status 2 and a one-line message; the PDF is tagged, titled, in English, with
numbered pages and charts that carry a text alternative."""

import io
import re
import subprocess
import sys

import pytest
from django.core.management import call_command
from pypdf import PdfReader
from pypdf.generic import IndirectObject

from complaints.selectors.committee_report import committee_report_figures
from complaints.services.committee_report import ReportText, parse_csv, report_render
from tests.complaints.reports.dataset import END, PREVIOUS_END, PREVIOUS_START, START, build
from tests.complaints.reports.expected import expected_tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build()


def test_the_command_writes_the_csv_with_the_figures(world, tmp_path):
    output = tmp_path / "report.csv"
    call_command(
        "committee_report",
        "--start=2026-04-01",
        "--end=2027-03-31",
        "--scope=northmoor",
        "--format=csv",
        f"--output={output}",
        stdout=io.StringIO(),
    )
    sections = parse_csv(output.read_bytes())
    expected = expected_tables("northmoor", START, END, (PREVIOUS_START, PREVIOUS_END))
    assert sections["Cases by platform"] == expected["Cases by platform"]
    assert sections["Timeliness against targets"] == expected["Timeliness against targets"]


def test_the_command_writes_a_pdf(world, tmp_path):
    output = tmp_path / "report.pdf"
    call_command(
        "committee_report",
        "--start=2026-04-01",
        "--end=2027-03-31",
        "--scope=all",
        "--format=pdf",
        f"--output={output}",
        stdout=io.StringIO(),
    )
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert "Report of the Monitoring Officer" in reader.pages[0].extract_text()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--start=2026-02-30", "--end=2027-03-31"], "--start must be a date written YYYY-MM-DD"),
        (["--start=2026-04-01", "--end=31/03/2027"], "--end must be a date written YYYY-MM-DD"),
        (["--start=2026-04-01", "--end=2026-03-31"], "--end (2026-03-31) is before --start (2026-04-01)."),
        (["--start=2026-04-01", "--end=2027-03-31", "--scope=atlantis"], "There is no council with the slug"),
        (["--start=2026-04-01", "--end=2027-03-31", "--format=docx"], "--format must be pdf or csv"),
    ],
)
def test_bad_arguments_end_with_status_2_and_one_line(world, tmp_path, capsys, arguments, message):
    with pytest.raises(SystemExit) as stopped:
        call_command("committee_report", *arguments, f"--output={tmp_path / 'x'}")
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.strip().count("\n") == 0
    assert not (tmp_path / "x").exists()


def test_a_bad_argument_gives_exit_status_2_from_the_shell(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "committee_report",
            "--start=2026-04-01",
            "--end=2026-01-01",
            f"--output={tmp_path / 'x.pdf'}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "committee_report: --end (2026-01-01) is before --start (2026-04-01)."


def test_the_pdf_is_tagged_titled_in_english_numbered_and_its_charts_have_text(world):
    figures = committee_report_figures(start=START, end=END, scope="all")
    text = ReportText.defaults(figures)
    rendered = report_render(figures, text)
    reader = PdfReader(io.BytesIO(rendered.pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata.title == text.title == "Code of Conduct complaints: 1 April 2026 to 31 March 2027"
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part[^0-9]*1", xmp)
    total = len(reader.pages)
    assert total >= 3
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()
    # The charts are vectors with a title and a description in the HTML they are drawn from.
    assert rendered.html.count('role="img"') >= 8
    assert "<desc id=" in rendered.html and "Facebook: This period 3, Previous period 0" in rendered.html
    assert not any("/Image" in str(page.get("/Resources", {}).get("/XObject", {})) for page in reader.pages)
    alternatives = _figure_alternatives(root["/StructTreeRoot"])
    assert len(alternatives) >= 8
    assert "Bar chart: cases by platform, this period and the previous period; the figures are in the table below" in (
        alternatives
    )


def _figure_alternatives(node) -> list[str]:
    found = []
    node = node.get_object()
    if hasattr(node, "get"):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in (kids if isinstance(kids, list) else [kids]) if kids is not None else []:
            if isinstance(kid, IndirectObject) or hasattr(kid, "get"):
                found += _figure_alternatives(kid)
    return found


def test_a_table_running_onto_the_next_page_repeats_its_header(world):
    figures = committee_report_figures(start=START, end=END, scope="all")
    table = figures.table("open_cases")
    table.rows = [[f"RPT-{n:04d}", "April 2026", "Received", "A councillor; posts on X"] for n in range(120)]
    reader = PdfReader(io.BytesIO(report_render(figures, ReportText.defaults(figures)).pdf))
    pages = [page.extract_text() for page in reader.pages if "RPT-0" in page.extract_text()]
    assert len(pages) >= 2
    for text in pages:
        assert "Reference Received Stage Summary" in re.sub(r"\s+", " ", text)
