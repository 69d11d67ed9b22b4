"""The Standards Committee report pages over HTTP: choosing a period, editing the words, generating
in the background with a self-refreshing status page, publishing, and who may download what."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from complaints.models import CommitteeReportRun, Document, DocumentKind, ReportRunStatus
from complaints.services.committee_report import parse_csv
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db

URL = "/officer/reports/"


def _form(**overrides):
    data = {
        "period_kind": "custom",
        "start_day": "1",
        "start_month": "4",
        "start_year": "2026",
        "end_day": "31",
        "end_month": "3",
        "end_year": "2027",
        "scope": "northmoor",
        "committee": "Standards Committee",
        "meeting_day": "18",
        "meeting_month": "6",
        "meeting_year": "2027",
        "title": "",
        "officer_contact": "Rachel Adeyemi, Monitoring Officer",
        "purpose": "To inform the Committee of the complaints received.",
        "recommendations": "That the Committee notes the report.\nThat training on respect is offered.",
        "paragraphs": "The first paragraph of the introduction.\n\nThe second paragraph.",
        "implication_legal": "These are set out in the report.",
        "implication_financial": "",
        "background_papers": "",
    }
    data.update(overrides)
    return data


def _generate(client, django_capture_on_commit_callbacks, **overrides):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, _form(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def _pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_an_officer_generates_a_report_with_their_words_and_downloads_pdf_and_csv(
    client, world, django_capture_on_commit_callbacks
):
    sign_in(client, world["users"]["mo"])
    status_url = _generate(client, django_capture_on_commit_callbacks)

    page = client.get(status_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "The report is ready" in html
    assert 'http-equiv="refresh"' not in html
    run = CommitteeReportRun.objects.get()
    assert run.status == ReportRunStatus.READY and run.progress == 100
    document = run.document
    assert document.kind == DocumentKind.COMMITTEE_REPORT and document.case is None
    assert len(document.sha256) == 64

    pdf = b"".join(client.get(reverse("officer:report_download", args=[document.public_id])).streaming_content)
    text = _pdf_text(pdf)
    assert "Report of the Monitoring Officer" in text
    assert "18 June 2027" in text
    assert "1.1 The first paragraph of the introduction." in text and "1.2 The second paragraph." in text
    assert "That training on respect is offered." in text
    assert "Financial None" in text and "Legal and constitutional These are set out in the report." in text
    # The world has one Northmoor case and one parish case, received on 2 November 2026.
    assert "received 2 complaints about 2 cases (incidents)" in text

    csv_response = client.get(reverse("officer:report_csv", args=[run.public_id]))
    assert csv_response["Content-Type"].startswith("text/csv")
    sections = parse_csv(csv_response.content)
    assert sections["Complaints and cases received"][1] == ["Complaints received", "2", "0"]


def test_the_status_page_refreshes_itself_while_the_report_is_being_prepared(client, world):
    sign_in(client, world["users"]["deputy"])
    run = CommitteeReportRun.objects.create(
        start="2026-04-01", end="2027-03-31", scope="all", status=ReportRunStatus.RUNNING, progress=40, step="Drawing"
    )
    html = client.get(reverse("officer:report_status", args=[run.public_id])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "Drawing: 40% done." in html
    stopped = client.get(reverse("officer:report_status", args=[run.public_id]) + "?refresh=off").content.decode()
    assert 'http-equiv="refresh"' not in stopped and "Check again" in stopped


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"period_kind": ""}, "Choose the period the report covers"),
        ({"start_day": "31", "start_month": "2"}, "The start date must be a real date"),
        ({"end_year": ""}, "The end date must include a year"),
        ({"end_year": "2025"}, "The end date must be the same as or after the start date"),
        ({"end_year": "2030"}, "The period can be at most 3 years long"),
        ({"scope": "atlantis"}, "Choose the councils"),
        ({"period_kind": "quarter", "quarter": "1999-01-01:1999-03-31"}, "Choose a quarter from the list"),
        ({"purpose": ""}, "Enter the purpose"),
        ({"purpose": "x" * 2001}, "The purpose must be 2,000 characters or fewer"),
        ({"meeting_month": "13"}, "The meeting date must be a real date"),
    ],
)
def test_bad_answers_are_shown_in_an_error_summary_and_nothing_is_generated(client, world, overrides, message):
    sign_in(client, world["users"]["mo"])
    response = client.post(URL, _form(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert html.count(message) >= 2  # in the summary and beside the answer
    assert "<title>Error:" in html
    assert not CommitteeReportRun.objects.exists()


def test_a_quarter_or_a_year_can_be_chosen_from_the_lists(client, world, django_capture_on_commit_callbacks):
    sign_in(client, world["users"]["mo"])
    page = client.get(URL).content.decode()
    year = re.search(r'<option value="(\d{4}-04-01:\d{4}-03-31)"', page).group(1)
    _generate(client, django_capture_on_commit_callbacks, period_kind="year", year=year, start_day="")
    run = CommitteeReportRun.objects.get()
    assert f"{run.start}:{run.end}" == year


def _report(world, django_capture_on_commit_callbacks, client):
    sign_in(client, world["users"]["mo"])
    _generate(client, django_capture_on_commit_callbacks)
    client.logout()
    return CommitteeReportRun.objects.get()


def test_committee_members_download_published_reports_and_nothing_else(
    client, world, django_capture_on_commit_callbacks
):
    run = _report(world, django_capture_on_commit_callbacks, client)
    download = reverse("officer:report_download", args=[run.document.public_id])
    member = world["users"]["committee_member"]
    sign_in(client, member)

    assert client.get(download).status_code == 404  # not yet published
    assert "No reports have been published yet." in client.get(URL).content.decode()
    assert client.get(reverse("officer:report_status", args=[run.public_id])).status_code == 404
    assert client.get(reverse("officer:report_csv", args=[run.public_id])).status_code == 404
    assert client.post(URL, _form()).status_code == 200  # the list of published reports, no form
    assert CommitteeReportRun.objects.count() == 1

    client.logout()
    sign_in(client, world["users"]["mo"])
    response = client.post(reverse("officer:report_publish", args=[run.public_id]), follow=True)
    assert "The report is published" in response.content.decode()
    client.logout()

    sign_in(client, member)
    listing = client.get(URL).content.decode()
    assert download in listing
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")

    # A case letter stays out of reach.
    case = world["cases"]["northmoor"]
    letter = Document.objects.create(
        case=case,
        kind=DocumentKind.ACKNOWLEDGEMENT,
        title="Acknowledgement",
        file=ContentFile(b"%PDF-1.7 letter", name="letter.pdf"),
        sha256="a" * 64,
        template="documents/acknowledgement.html",
        generated_at=timezone.now(),
    )
    assert client.get(reverse("officer:report_download", args=[letter.public_id])).status_code == 404
    assert client.get(reverse("officer:document_download", args=[case.reference, letter.public_id])).status_code == 404


def test_a_case_officer_neither_prepares_nor_sees_unpublished_reports(
    client, world, django_capture_on_commit_callbacks
):
    run = _report(world, django_capture_on_commit_callbacks, client)
    sign_in(client, world["users"]["case_officer"])
    assert "Generate the report" not in client.get(URL).content.decode()
    assert client.post(URL, _form()).status_code == 200
    assert CommitteeReportRun.objects.count() == 1
    assert client.get(reverse("officer:report_status", args=[run.public_id])).status_code == 404
    assert client.post(reverse("officer:report_publish", args=[run.public_id])).status_code == 404
    assert client.get(reverse("officer:report_download", args=[run.document.public_id])).status_code == 404
    run.document.refresh_from_db()
    assert run.document.published_at is None


def test_people_without_a_council_scope_see_no_report_requests(client, world, django_capture_on_commit_callbacks):
    run = _report(world, django_capture_on_commit_callbacks, client)
    for name in ("case_officer", "investigator", "independent_person", "system_administrator"):
        sign_in(client, world["users"][name])
        assert client.get(reverse("officer:report_status", args=[run.public_id])).status_code == 404
        download = reverse("officer:report_download", args=[run.document.public_id])
        assert client.get(download).status_code == 404
        client.logout()


def test_the_open_cases_appendix_names_nobody(client, world, django_capture_on_commit_callbacks):
    run = _report(world, django_capture_on_commit_callbacks, client)
    sections = parse_csv(bytes(run.csv))
    open_cases = next(rows for title, rows in sections.items() if title.startswith("Cases open on"))
    assert len(open_cases) == 3
    flat = " ".join(" ".join(row) for row in open_cases)
    assert "Complainant" not in flat and "complainant1@example.com" not in flat
