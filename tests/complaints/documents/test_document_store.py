"""Generated PDFs are stored as Documents with their hash, template and version; regenerating
keeps the old version; a document is sent through the outbox as an attachment."""

import hashlib

import pytest
from django.core import mail

from complaints.documents.letters import decision_notice, member_invitation_letter
from complaints.documents.rendering import template_version
from complaints.models import Document, DocumentKind, EventKind, OutboxMessage, OutboxStatus
from complaints.services.documents import document_generate, document_read, document_send, document_versions
from tests.complaints.documents.builders import make_letter_case

pytestmark = pytest.mark.django_db


def test_it_stores_the_pdf_with_its_sha256_template_version_author_and_time():
    letter_case = make_letter_case()
    letter = member_invitation_letter(letter_case.case, letter_case.councillor)

    document = document_generate(letter=letter, actor=letter_case.officer)

    stored = document_read(document=document)
    assert stored.startswith(b"%PDF-1.7")
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    assert document.kind == DocumentKind.MEMBER_INVITATION
    assert document.template == "documents/member_invitation.html"
    assert document.template_version == template_version("documents/member_invitation.html")
    assert len(document.template_version) == 16
    assert document.generated_by == letter_case.officer
    assert document.generated_at == letter.created_at
    assert document.version == 1
    event = letter_case.case.events.get(kind=EventKind.DOCUMENT_GENERATED)
    assert event.actor == letter_case.officer
    assert event.details["sha256"] == document.sha256


def test_regenerating_makes_a_new_version_and_keeps_the_old_one():
    letter_case = make_letter_case()
    decision = letter_case.decision()
    first = document_generate(letter=decision_notice(decision, public=False), actor=letter_case.officer)
    decision.reasons = "Revised reasons after the Independent Person's further comments."
    decision.save()

    second = document_generate(letter=decision_notice(decision, public=False), actor=letter_case.officer)

    assert (first.version, second.version) == (1, 2)
    assert first.series == second.series
    assert first.sha256 != second.sha256
    assert document_versions(document=first) == [second, first]
    assert document_read(document=first) != document_read(document=second)
    assert hashlib.sha256(document_read(document=first)).hexdigest() == first.sha256
    # The public version is a series of its own.
    public = document_generate(letter=decision_notice(decision, public=True), actor=letter_case.officer)
    assert public.version == 1 and public.series != first.series
    assert Document.objects.filter(case=letter_case.case).count() == 3


def test_a_template_change_changes_the_template_version(settings, tmp_path):
    from complaints.documents import rendering

    before = template_version("documents/takedown_request.html")
    copy = tmp_path / "templates" / "documents"
    copy.mkdir(parents=True)
    for path in (settings.BASE_DIR / "templates" / "documents").iterdir():
        (copy / path.name).write_bytes(path.read_bytes())
    (copy / "takedown_request.html").write_text((copy / "takedown_request.html").read_text() + "\n<!-- v2 -->\n")
    settings.BASE_DIR = tmp_path
    rendering.template_version.cache_clear()
    try:
        assert template_version("documents/takedown_request.html") != before
    finally:
        rendering.template_version.cache_clear()


def test_sending_queues_an_email_with_the_pdf_attached_and_the_worker_sends_it(django_capture_on_commit_callbacks):
    letter_case = make_letter_case()
    document = document_generate(
        letter=member_invitation_letter(letter_case.case, letter_case.councillor), actor=letter_case.officer
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message = document_send(
            document=document, to=letter_case.councillor.email, recipient_name="Councillor Jo Bloggs", actor=None
        )

    message.refresh_from_db()
    assert message.attachment == document
    assert message.status == OutboxStatus.SENT  # eager Celery in tests: dispatched on commit by the worker task
    sent = [m for m in mail.outbox if m.to == [letter_case.councillor.email]]
    assert len(sent) == 1
    ((name, content, mimetype),) = sent[0].attachments
    assert name == f"{letter_case.case.reference}-member-invitation-v1.pdf"
    assert mimetype == "application/pdf"
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert "Dear Councillor Jo Bloggs" in sent[0].body
    assert OutboxMessage.objects.filter(attachment=document).count() == 1


def test_it_refuses_to_send_without_an_address():
    letter_case = make_letter_case(councillor_email="")
    document = document_generate(
        letter=member_invitation_letter(letter_case.case, letter_case.councillor), actor=letter_case.officer
    )
    with pytest.raises(ValueError, match="no e-mail address"):
        document_send(document=document, to="", recipient_name="Councillor Jo Bloggs")
    assert not OutboxMessage.objects.filter(attachment=document).exists()
