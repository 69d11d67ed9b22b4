"""Generating, storing and sending letters and notices.

Every generated PDF is stored as a `Document` with its SHA-256, the template and the template's
version, who generated it and when. Regenerating a letter adds the next version to its series
and keeps every earlier one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max

from complaints.documents.fetcher import FetchLog, LetterURLFetcher
from complaints.documents.letters import Letter
from complaints.documents.rendering import render_html, render_pdf, template_version
from complaints.models import Case, Document, EventKind
from complaints.services.events import event_record
from complaints.services.outbox import outbox_message_create


@dataclass(frozen=True)
class Rendered:
    html: str
    pdf: bytes
    sha256: str
    fetch_log: FetchLog


def letter_render(*, letter: Letter) -> Rendered:
    """The letter as HTML and PDF, without storing anything."""
    html = render_html(letter.template, letter.context)
    fetcher = LetterURLFetcher(evidence=letter.evidence)
    pdf = render_pdf(html, fetcher=fetcher)
    return Rendered(html=html, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(), fetch_log=fetcher.log)


def document_generate(*, letter: Letter, actor=None) -> Document:
    """Render ``letter`` to PDF and store it as the next version of its series.

    The document's generation time is the letter's creation date, so rendering the same letter
    again at that time reproduces its SHA-256.
    """
    rendered = letter_render(letter=letter)
    case = letter.case
    with transaction.atomic():
        # One writer per case at a time, so two officers regenerating at once get versions n and n+1.
        Case.objects.select_for_update().only("pk").get(pk=case.pk)
        last = Document.objects.filter(series=letter.series).aggregate(last=Max("version"))["last"] or 0
        version = last + 1
        name = default_storage.save(
            f"documents/{case.reference}/{letter.kind}-{rendered.sha256[:12]}-v{version}.pdf",
            ContentFile(rendered.pdf),
        )
        try:
            document = Document.objects.create(
                case=case,
                kind=letter.kind,
                title=letter.title,
                file=name,
                sha256=rendered.sha256,
                size=len(rendered.pdf),
                template=letter.template,
                template_version=template_version(letter.template),
                series=letter.series,
                version=version,
                generated_by=actor if getattr(actor, "is_authenticated", False) else None,
                generated_at=letter.created_at,
            )
            event_record(
                case=case,
                kind=EventKind.DOCUMENT_GENERATED,
                description=f"{document.get_kind_display()} generated (version {version})",
                actor=actor,
                details={
                    "document": str(document.public_id),
                    "sha256": rendered.sha256,
                    "template": letter.template,
                    "template_version": document.template_version,
                    "version": version,
                },
            )
        except BaseException:
            default_storage.delete(name)
            raise
    return document


def document_versions(*, document: Document) -> list[Document]:
    """Every version of the document's series, newest first."""
    if not document.series:
        return [document]
    return list(Document.objects.filter(series=document.series).order_by("-version"))


@transaction.atomic
def document_send(*, document: Document, to: str, recipient_name: str, actor=None):
    """Queue the document as an e-mail attachment through the outbox (sent once this commits)."""
    if not to:
        raise ValueError("There is no e-mail address to send this document to.")
    message = outbox_message_create(
        to=to,
        subject=document.title,
        template="document",
        context={
            "name": recipient_name,
            "title": document.title,
            "reference": document.case.reference,
            "council_name": settings.COUNCIL_NAME,
        },
        case=document.case,
        attachment=document,
    )
    event_record(
        case=document.case,
        kind=EventKind.DOCUMENT_SENT,
        description=f"{document.get_kind_display()} (version {document.version}) sent to {recipient_name or to}",
        actor=actor,
        details={"document": str(document.public_id), "message": str(message.public_id), "to": to},
    )
    return message


def document_viewed(*, document: Document, actor) -> None:
    """Record that someone opened or downloaded a stored document."""
    if document.case_id is None:
        return
    event_record(
        case=document.case,
        kind=EventKind.DOCUMENT_VIEWED,
        description=f"Opened {document.get_kind_display().lower()} (version {document.version})",
        actor=actor,
        details={"document": str(document.public_id), "version": document.version, "sha256": document.sha256},
    )


def document_read(*, document: Document) -> bytes:
    with document.file.storage.open(document.file.name, "rb") as handle:
        return handle.read()
