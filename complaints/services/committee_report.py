"""The Monitoring Officer's report to the Standards Committee: CSV, tagged PDF and its storage.

The figures come from complaints.selectors.committee_report; the officer edits only the words
around them (narrative paragraphs, recommendations, implications, background papers).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from complaints.documents.charts import bar_chart, line_chart
from complaints.documents.fetcher import LetterURLFetcher
from complaints.documents.rendering import created_meta, render_html, render_pdf, template_version
from complaints.models import Document, DocumentKind
from complaints.selectors.committee_report import ReportFigures, Table

logger = logging.getLogger(__name__)

TEMPLATE = "documents/committee_report.html"

IMPLICATIONS = (
    ("legal", "Legal and constitutional"),
    ("financial", "Financial"),
    ("climate", "Potential impact on climate change and the environment"),
    ("personnel", "Personnel"),
    ("risk", "Risk management"),
    ("equality", "Equality and diversity"),
    ("data_protection", "Data protection"),
    ("health_safety", "Health and safety"),
    ("digital", "Digital"),
    ("other", "Other"),
)


def default_paragraphs(figures: ReportFigures) -> str:
    return (
        f"This report gives the Committee an overview of the complaints received under the Code of Conduct "
        f"for councillors for {_in_sentence(figures.scope.name)} in the period {figures.period.label()}, how they were "
        f"dealt with and how long that took.\n\n"
        "Complaints are counted as received and also by incident: several complaints about the same post or "
        "event are dealt with together as one case. No councillor or complainant is named in this report."
    )


def _in_sentence(name: str) -> str:
    return "all councils" if name == "All councils" else name


@dataclass
class ReportText:
    """The words the officer may edit before the report is generated."""

    committee: str = "Standards Committee"
    meeting_date: date | None = None
    title: str = ""
    officer_contact: str = ""
    purpose: str = ""
    recommendations: str = ""
    paragraphs: str = ""
    implications: dict[str, str] = field(default_factory=dict)
    background_papers: str = ""

    @classmethod
    def defaults(cls, figures: ReportFigures) -> ReportText:
        return cls(
            title=f"Code of Conduct complaints: {figures.period.label()}",
            officer_contact=(
                f"{settings.COUNCIL_SIGNATORY_NAME}, {settings.COUNCIL_SIGNATORY_TITLE}, "
                f"email: {settings.COUNCIL_CONTACT_EMAIL}, tel: {settings.COUNCIL_TELEPHONE}"
            ),
            purpose=(
                "To inform the Committee of the complaints received about the conduct of councillors and how "
                "they were dealt with."
            ),
            recommendations="That the Committee notes the report.",
            paragraphs=default_paragraphs(figures),
            implications={"legal": "These are set out in the report."},
            background_papers="None",
        )

    def as_json(self) -> dict:
        data = asdict(self)
        data["meeting_date"] = self.meeting_date.isoformat() if self.meeting_date else None
        return data

    @classmethod
    def from_json(cls, data: dict) -> ReportText:
        data = dict(data)
        if data.get("meeting_date"):
            data["meeting_date"] = date.fromisoformat(data["meeting_date"])
        return cls(**data)


# --- CSV -----------------------------------------------------------------------------------


def report_csv(figures: ReportFigures) -> bytes:
    """One file; each section is a heading row, a header row and its rows, then a blank row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Standards Committee report", figures.scope.name])
    writer.writerow(["Period", figures.period.start.isoformat(), figures.period.end.isoformat()])
    writer.writerow(["Previous period", figures.previous.start.isoformat(), figures.previous.end.isoformat()])
    writer.writerow([])
    for table in figures.tables:
        writer.writerow([f"# {table.title}"])
        writer.writerow(table.columns)
        for row in table.rows:
            writer.writerow([_csv_safe(value) for value in row])
        writer.writerow([])
    return out.getvalue().encode("utf-8-sig")


def _csv_safe(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def parse_csv(data: bytes) -> dict[str, list[list[str]]]:
    """The CSV's sections by title (header row first), as written by ``report_csv``."""
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))):
        if row and row[0].startswith("# "):
            current = sections.setdefault(row[0][2:], [])
        elif not row:
            current = None
        elif current is not None:
            current.append(row)
    return sections


# --- PDF -------------------------------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in (text or "").replace("\r\n", "\n").split("\n\n") if block.strip()]


def _chart(table: Table):
    if table.chart == "line":
        labels = [row[0] for row in table.rows]
        return line_chart(
            title=(
                f"Line chart: {table.title.lower()}, complaints and cases received in the twelve months to each "
                "month end; the figures are in the table below"
            ),
            labels=labels,
            series=[
                ("Complaints, 12 months", [row[3] for row in table.rows]),
                ("Cases, 12 months", [row[4] for row in table.rows]),
            ],
        )
    if table.chart != "bar" or not table.rows:
        return None
    if table.key == "by_council":
        labels = [row[0] for row in table.rows]
        series = [
            ("Cases, this period", [row[3] for row in table.rows]),
            ("Previous period", [row[5] for row in table.rows]),
        ]
    elif table.key == "by_complainant_type":
        labels = [row[0] for row in table.rows]
        series = [
            ("Complaints, this period", [row[1] for row in table.rows]),
            ("Previous period", [row[3] for row in table.rows]),
        ]
    else:
        labels = [row[0] for row in table.rows]
        series = [("This period", [row[1] for row in table.rows]), ("Previous period", [row[2] for row in table.rows])]
    return bar_chart(
        title=(
            f"Bar chart: {table.title.lower()}, this period and the previous period; the figures are in the table below"
        ),
        labels=labels,
        series=series,
    )


def _sentence_summary(figures: ReportFigures) -> list[str]:
    summary = figures.table("summary").rows
    complaints, cases = summary[0], summary[1]
    takedowns = figures.table("takedowns").rows
    timeliness = {row[0]: row for row in figures.table("timeliness").rows}
    return [
        f"In the period {figures.period.label()} the Monitoring Officer received {complaints[1]} complaints about "
        f"{cases[1]} cases (incidents). In the previous period of the same length ({figures.previous.label()}) "
        f"there were {complaints[2]} complaints about {cases[2]} cases.",
        f"{takedowns[0][1]} requests to remove posts were made, of which {takedowns[1][1]} were complied with "
        f"(previous period: {takedowns[0][2]} made, {takedowns[1][2]} complied with).",
        f"Acknowledged within target: {timeliness['Acknowledged within target'][1]}. Initial assessment within "
        f"target: {timeliness['Initial assessment within target'][1]}. Median working days to decision: "
        f"{timeliness['Median working days to decision'][1]}; 90th percentile: "
        f"{timeliness['90th percentile working days to decision'][1]}.",
    ]


SECTIONS = (
    ("Complaints and cases received", ("summary", "by_council")),
    ("Who complained", ("by_complainant_type",)),
    ("Platforms", ("by_platform",)),
    ("Provisions of the Code of Conduct", ("by_provision_alleged", "by_provision_breached")),
    ("Outcomes", ("by_outcome", "takedowns")),
    ("Timeliness", ("timeliness",)),
    ("Trends", ("trend",)),
)
APPENDICES = (
    ("A", "Cases open at the end of the period (anonymised)", ("open_cases",)),
    ("B", "Training needs by council and by party", ("training_by_council", "training_by_party")),
)


def report_context(figures: ReportFigures, text: ReportText, *, created: datetime) -> dict:
    intro = _paragraphs(text.paragraphs)
    sections = [{"number": 1, "heading": "Introduction", "paragraphs": intro, "tables": []}]
    sections.append({"number": 2, "heading": "Summary", "paragraphs": _sentence_summary(figures), "tables": []})
    for index, (heading, keys) in enumerate(SECTIONS, start=3):
        tables = [{"table": figures.table(k), "chart": _chart(figures.table(k))} for k in keys]
        sections.append({"number": index, "heading": heading, "paragraphs": [], "tables": tables})
    appendices = [
        {"letter": letter, "heading": heading, "tables": [{"table": figures.table(k)} for k in keys]}
        for letter, heading, keys in APPENDICES
    ]
    return {
        "title": text.title,
        "author": settings.COUNCIL_SIGNATORY_NAME,
        "created": created_meta(created),
        "council_name": settings.COUNCIL_NAME,
        "text": text,
        "figures": figures,
        "recommendations": _lines(text.recommendations),
        "sections": sections,
        "appendices": appendices,
        "implications": [(label, (text.implications.get(key) or "").strip() or "None") for key, label in IMPLICATIONS],
        "background_papers": _lines(text.background_papers) or ["None"],
        "report_date": created.date(),
    }


@dataclass(frozen=True)
class RenderedReport:
    html: str
    pdf: bytes
    sha256: str


def report_render(figures: ReportFigures, text: ReportText, *, created: datetime | None = None) -> RenderedReport:
    created = created or timezone.localtime()
    html = render_html(TEMPLATE, report_context(figures, text, created=created))
    pdf = render_pdf(html, fetcher=LetterURLFetcher(evidence=()))
    return RenderedReport(html=html, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest())


def report_series(figures: ReportFigures) -> str:
    return f"committee-report:{figures.scope.slug}:{figures.period.start}:{figures.period.end}"


def report_store(figures: ReportFigures, rendered: RenderedReport, *, title: str, actor=None) -> Document:
    """Store the PDF as the next version of the report for this scope and period."""
    series = report_series(figures)
    with transaction.atomic():
        # Serialise writers of one series: lock the series' rows (none yet for the first version).
        list(Document.objects.select_for_update().filter(series=series).values_list("pk", flat=True))
        version = (Document.objects.filter(series=series).aggregate(last=Max("version"))["last"] or 0) + 1
        name = default_storage.save(
            f"documents/committee-reports/{figures.period.start}-{figures.period.end}-{figures.scope.slug}"
            f"-{rendered.sha256[:12]}-v{version}.pdf",
            ContentFile(rendered.pdf),
        )
        try:
            return Document.objects.create(
                case=None,
                kind=DocumentKind.COMMITTEE_REPORT,
                title=title,
                file=name,
                sha256=rendered.sha256,
                size=len(rendered.pdf),
                template=TEMPLATE,
                template_version=template_version(TEMPLATE),
                series=series,
                version=version,
                generated_by=actor if getattr(actor, "is_authenticated", False) else None,
                generated_at=timezone.now(),
            )
        except BaseException:
            default_storage.delete(name)
            raise


def report_publish(*, document: Document) -> Document:
    if document.published_at is None:
        document.published_at = timezone.now()
        document.save(update_fields=["published_at"])
    return document


# --- generation in the background ------------------------------------------------------------


def report_run_request(*, start: date, end: date, scope: str, text: ReportText, actor, threshold: int = 3):
    """Record the request and hand it to a worker once this transaction commits."""
    from complaints.models import CommitteeReportRun

    run = CommitteeReportRun.objects.create(
        start=start,
        end=end,
        scope=scope,
        threshold=threshold,
        text=text.as_json(),
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        step="Waiting for a worker",
    )
    transaction.on_commit(lambda: report_run_enqueue(run_id=run.pk))
    return run


def report_run_enqueue(*, run_id: int) -> bool:
    from complaints.models import CommitteeReportRun, ReportRunStatus
    from complaints.tasks import committee_report_generate

    try:
        committee_report_generate.delay(run_id)  # on the "documents" queue (CELERY_TASK_ROUTES)
    except Exception:
        logger.warning("Could not queue committee report run %s", run_id, exc_info=True)
        CommitteeReportRun.objects.filter(pk=run_id, status=ReportRunStatus.QUEUED).update(
            status=ReportRunStatus.FAILED,
            step="",
            error="The report could not be started because the task queue is unavailable. Try again in a few minutes.",
            finished_at=timezone.now(),
        )
        return False
    return True


def _progress(run, percent: int, step: str) -> None:
    from complaints.models import CommitteeReportRun, ReportRunStatus

    CommitteeReportRun.objects.filter(pk=run.pk).update(status=ReportRunStatus.RUNNING, progress=percent, step=step)


def report_run_execute(*, run_id: int) -> str:
    """Compute the figures, render and store the PDF and CSV, recording progress as it goes."""
    from complaints.models import CommitteeReportRun, ReportRunStatus
    from complaints.selectors.committee_report import committee_report_figures

    claimed = CommitteeReportRun.objects.filter(pk=run_id, status=ReportRunStatus.QUEUED).update(
        status=ReportRunStatus.RUNNING, progress=5, step="Counting complaints and cases"
    )
    if not claimed:
        return "skipped"
    run = CommitteeReportRun.objects.get(pk=run_id)
    try:
        figures = committee_report_figures(start=run.start, end=run.end, scope=run.scope, threshold=run.threshold)
        _progress(run, 40, "Drawing the charts and the PDF")
        text = ReportText.from_json(run.text)
        rendered = report_render(figures, text)
        _progress(run, 85, "Storing the report")
        csv_bytes = report_csv(figures)
        with transaction.atomic():
            document = report_store(figures, rendered, title=text.title, actor=run.requested_by)
            CommitteeReportRun.objects.filter(pk=run.pk).update(
                status=ReportRunStatus.READY,
                progress=100,
                step="Ready",
                document=document,
                csv=csv_bytes,
                finished_at=timezone.now(),
            )
    except Exception:
        logger.exception("Committee report run %s failed", run_id)
        CommitteeReportRun.objects.filter(pk=run.pk).update(
            status=ReportRunStatus.FAILED,
            error="The report could not be generated. Try again; if it fails again, contact support.",
            finished_at=timezone.now(),
        )
        return "failed"
    return "ready"
