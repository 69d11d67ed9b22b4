"""Write the Standards Committee report for a period and scope, as PDF or CSV, e.g. for a schedule.

    python manage.py committee_report --start 2026-04-01 --end 2027-03-31 --scope all \\
        --format pdf --output report.pdf

Bad arguments (a date that is not YYYY-MM-DD, an end before the start, an unknown council slug,
an unknown format) end with exit status 2 and a one-line message. The PDF written here is not
stored as a document; the officer page stores and publishes reports.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand

from complaints.selectors.committee_report import (
    SUPPRESSION_THRESHOLD,
    ScopeError,
    committee_report_figures,
    scope_for,
)
from complaints.services.committee_report import ReportText, report_csv, report_render

FORMATS = ("pdf", "csv")


class BadArguments(Exception):
    pass


def _date(value: str, name: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise BadArguments(f"--{name} must be a date written YYYY-MM-DD, not '{value}'.") from None


class Command(BaseCommand):
    help = "Write the Monitoring Officer's report to the Standards Committee as PDF or CSV."
    # A scheduled run only reads; the project's system checks (about half a second of CPU) are
    # for deployments and `manage.py check`, not for every report written.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="First day of the period, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day of the period, YYYY-MM-DD.")
        parser.add_argument("--scope", default="all", help="'all' or a council's slug (with its parish councils).")
        parser.add_argument("--format", default="pdf", help="pdf or csv.")
        parser.add_argument("--output", required=True, help="The file to write ('-' for standard output).")
        parser.add_argument("--threshold", type=int, default=SUPPRESSION_THRESHOLD, help="Suppress smaller counts.")
        parser.add_argument("--meeting-date", default=None, help="The committee meeting's date, YYYY-MM-DD.")

    def handle(self, *args, **options):
        try:
            start = _date(options["start"], "start")
            end = _date(options["end"], "end")
            if end < start:
                raise BadArguments(f"--end ({end}) is before --start ({start}).")
            if options["format"] not in FORMATS:
                raise BadArguments(f"--format must be pdf or csv, not '{options['format']}'.")
            if options["threshold"] < 1:
                raise BadArguments("--threshold must be 1 or more.")
            meeting = _date(options["meeting_date"], "meeting-date") if options["meeting_date"] else None
            try:
                scope = scope_for(options["scope"])
            except ScopeError as error:
                raise BadArguments(str(error)) from None
        except BadArguments as error:
            self.stderr.write(f"committee_report: {error}")
            sys.exit(2)
        figures = committee_report_figures(start=start, end=end, scope=scope, threshold=options["threshold"])
        if options["format"] == "csv":
            data = report_csv(figures)
        else:
            text = ReportText.defaults(figures)
            text.meeting_date = meeting
            data = report_render(figures, text).pdf
        if options["output"] == "-":
            sys.stdout.buffer.write(data)
            sys.stdout.flush()
        else:
            Path(options["output"]).write_bytes(data)
            self.stdout.write(f"Wrote {options['output']} ({len(data)} bytes).")
