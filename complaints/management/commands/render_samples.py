"""Render one of each letter from the data in the database (the demo data after `make run`).

    python manage.py render_samples --output DIR [--html]

Writes takedown-request.pdf, acknowledgement.pdf, member-invitation.pdf, decision-notice.pdf and
decision-notice-public.pdf. Nothing is stored as a Document and no e-mail is queued. Where it can,
it picks a case whose complainant was granted confidentiality, since that is the case where the
letters must withhold the most.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from complaints.documents.letters import (
    acknowledgement_letter,
    decision_notice,
    member_invitation_letter,
    takedown_request_letter,
)
from complaints.models import Complaint, Councillor, Decision, TakedownRequest
from complaints.services.documents import letter_render

_CONFIDENTIAL = Q(case__complaints__confidentiality_requested=True) & ~Q(
    case__complaints__confidentiality_granted=False
)


class Command(BaseCommand):
    help = "Render one of each letter and notice to PDF from the database's data (the demo data)."

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="Folder to write the PDFs to (created if missing).")
        parser.add_argument("--html", action="store_true", help="Also write the HTML each PDF was made from.")

    def handle(self, *args, output: str, html: bool, **options):
        folder = Path(output)
        folder.mkdir(parents=True, exist_ok=True)
        letters = self._letters()
        for name, letter in letters:
            started = time.perf_counter()
            rendered = letter_render(letter=letter)
            elapsed = time.perf_counter() - started
            (folder / f"{name}.pdf").write_bytes(rendered.pdf)
            if html:
                (folder / f"{name}.html").write_text(rendered.html, encoding="utf-8")
            self.stdout.write(
                f"{folder / (name + '.pdf')}  {letter.case.reference}  {len(rendered.pdf):,} bytes  "
                f"{elapsed:.2f} s  sha256 {rendered.sha256[:16]}  refused {len(rendered.fetch_log.refused)}"
            )

    def _letters(self):
        takedown = _first(TakedownRequest.objects.exclude(status="draft"), prefer=_CONFIDENTIAL, order="-requested_at")
        decision = _first(Decision.objects.all(), prefer=_CONFIDENTIAL, order="-decided_on")
        complaint = (
            _first(Complaint.objects.exclude(complainant_address=""), prefer=Q(), order="-submitted_at")
            or Complaint.objects.order_by("-submitted_at").first()
        )
        invited = _first(
            Complaint.objects.filter(councillors__isnull=False),
            prefer=Q(confidentiality_requested=True) & ~Q(confidentiality_granted=False),
            order="-submitted_at",
        )
        missing = [
            label
            for label, found in (
                ("a sent takedown request", takedown),
                ("a decision", decision),
                ("a complaint", complaint),
                ("a complaint about a listed councillor", invited),
            )
            if found is None
        ]
        if missing:
            raise CommandError(f"No {', '.join(missing)} in the database: run `manage.py seed_demo` first.")
        councillor = Councillor.objects.filter(complaints=invited).order_by("name").first()
        return [
            ("takedown-request", takedown_request_letter(takedown)),
            ("acknowledgement", acknowledgement_letter(complaint)),
            ("member-invitation", member_invitation_letter(invited.case, councillor)),
            ("decision-notice", decision_notice(decision, public=False)),
            ("decision-notice-public", decision_notice(decision, public=True)),
        ]


def _first(queryset, *, prefer: Q, order: str):
    return queryset.filter(prefer).distinct().order_by(order).first() or queryset.order_by(order).first()
