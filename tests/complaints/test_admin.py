"""The admin: every page opens for a superuser, and history and evidence cannot be rewritten there."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.core import mail
from django.core.files.base import ContentFile
from django.utils import timezone

from complaints.models import (
    Case,
    Complaint,
    Document,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    OutboxStatus,
    ReferenceCounter,
    Stage,
)
from tests.complaints.conftest import admin_url
from tests.complaints.test_admin_history import change_form_data, post_change


@pytest.mark.django_db
def test_every_changelist_and_change_page_opens_for_a_superuser(demo, admin_client):
    checked = []
    for model, model_admin in admin.site._registry.items():
        response = admin_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, f"{model._meta.label} changelist"
        response = admin_client.get(admin_url(model, "changelist"), {"q": "Northmoor"})
        assert response.status_code == 200, f"{model._meta.label} search"
        obj = model._default_manager.first()
        if obj is None:
            assert model._meta.app_label != "complaints", f"no demo {model._meta.label} to open"
            continue
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, f"{model._meta.label} change page"
        if model_admin.has_add_permission(response.wsgi_request):
            response = admin_client.get(admin_url(model, "add"))
            assert response.status_code == 200, f"{model._meta.label} add page"
        checked.append(model._meta.label)
    assert {"complaints.Case", "complaints.Complaint", "complaints.Evidence", "complaints.Event"} <= set(checked)
    assert len([label for label in checked if label.startswith("complaints.")]) >= 13


@pytest.mark.django_db
def test_list_filters_open(demo, admin_client):
    for model, params in [
        (Case, {"stage__exact": Stage.CLOSED}),
        (Case, {"outcome__exact": "breach"}),
        (Event, {"kind__exact": EventKind.STAGE_CHANGED}),
        (OutboxMessage, {"status__exact": OutboxStatus.SENT}),
        (Complaint, {"case__stage__exact": Stage.ASSESSMENT}),
    ]:
        assert admin_client.get(admin_url(model, "changelist"), params).status_code == 200


@pytest.mark.django_db
def test_case_search_finds_a_case_by_one_of_its_complaints(demo, admin_client):
    complaint = Complaint.objects.order_by("submitted_at").first()
    response = admin_client.get(admin_url(Case, "changelist"), {"q": complaint.reference})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [complaint.case]


@pytest.mark.django_db
def test_case_changelist_does_not_query_per_row(demo, admin_client, django_assert_max_num_queries):
    admin_client.get(admin_url(Case, "changelist"))
    with django_assert_max_num_queries(15):
        response = admin_client.get(admin_url(Case, "changelist"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_event_admin_refuses_add_change_and_delete(demo, admin_client):
    event = Event.objects.first()
    model_admin = admin.site._registry[Event]
    request = admin_client.get(admin_url(Event, "changelist")).wsgi_request
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)

    assert admin_client.get(admin_url(Event, "add")).status_code == 403
    assert admin_client.post(admin_url(Event, "add"), {"description": "forged"}).status_code == 403
    response = admin_client.post(admin_url(Event, "change", event.pk), {"description": "rewritten"})
    assert response.status_code == 403
    assert admin_client.post(admin_url(Event, "delete", event.pk), {"post": "yes"}).status_code == 403
    response = admin_client.post(
        admin_url(Event, "changelist"), {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    )
    event.refresh_from_db()
    assert event.description != "rewritten"
    assert Event.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db
def test_case_inlines_show_history_read_only(demo, admin_client):
    case = Case.objects.filter(stage=Stage.CLOSED, complaints__isnull=False).first()
    response = admin_client.get(admin_url(Case, "change", case.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert case.events.first().description in content
    assert 'name="events-0-description"' not in content
    assert 'name="complaints-0-complainant_name"' not in content


@pytest.mark.django_db
def test_evidence_admin_offers_no_file_upload_and_links_to_the_checked_view(demo, admin_client):
    evidence = Evidence.objects.first()
    response = admin_client.get(admin_url(Evidence, "change", evidence.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'type="file"' not in content
    assert f"/evidence/{evidence.public_id}/original/" in content
    assert evidence.original.name not in content
    assert evidence.sha256 in content
    assert admin_client.get(admin_url(Evidence, "add")).status_code == 403


@pytest.mark.django_db
def test_evidence_admin_cannot_replace_the_original(demo, admin_client):
    evidence = Evidence.objects.first()
    original = (evidence.original.name, evidence.sha256, evidence.size)
    admin_client.post(
        admin_url(Evidence, "change", evidence.pk),
        {
            "description": "Screenshot of the post",
            "original": ContentFile(b"\x89PNG\r\n\x1a\nforged", name="forged.png"),
            "sha256": "0" * 64,
            "size": 1,
        },
    )
    evidence.refresh_from_db()
    assert (evidence.original.name, evidence.sha256, evidence.size) == original
    assert evidence.description == "Screenshot of the post"


@pytest.mark.django_db
def test_document_admin_shows_the_hash_read_only(demo, admin_client):
    document = Document.objects.get(kind="acknowledgement")  # the demo also has its notices' PDFs
    response = admin_client.get(admin_url(Document, "change", document.pk))
    content = response.content.decode()
    assert document.sha256 in content
    assert 'name="sha256"' not in content
    assert 'type="file"' not in content


@pytest.mark.django_db
def test_reference_counters_are_read_only(demo, admin_client):
    counter = ReferenceCounter.objects.first()
    response = admin_client.post(admin_url(ReferenceCounter, "change", counter.pk), {"last_number": 1})
    assert response.status_code == 403
    last = counter.last_number
    counter.refresh_from_db()
    assert counter.last_number == last


@pytest.mark.django_db
def test_send_now_queues_pending_messages_for_the_worker_and_sends_nothing_in_the_request(
    demo, admin_client, django_capture_on_commit_callbacks
):
    template = OutboxMessage.objects.first()
    pending = OutboxMessage.objects.create(
        to="someone@example.com",
        subject="We have received your complaint",
        template=template.template,
        context=template.context,
        case=template.case,
        complaint=template.complaint,
        next_attempt_at=timezone.now() + timedelta(hours=1),
    )
    already_sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT).first()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = admin_client.post(
            admin_url(OutboxMessage, "changelist"),
            {"action": "send_now", "_selected_action": [pending.pk, already_sent.pk]},
            follow=True,
        )
    assert response.status_code == 200
    assert "Queued 1 message(s) to be sent now." in response.content.decode()
    assert mail.outbox == []  # nothing sent inside the request
    pending.refresh_from_db()
    assert pending.status == OutboxStatus.PENDING and pending.next_attempt_at is None

    for callback in queued:  # what the worker does with the queued task
        callback()
    pending.refresh_from_db()
    assert pending.status == OutboxStatus.SENT
    assert [message.to for message in mail.outbox] == [["someone@example.com"]]
    assert pending.case.events.filter(kind=EventKind.MESSAGE_SENT, details__message=str(pending.public_id)).exists()


@pytest.mark.django_db
def test_an_admin_can_try_a_failed_message_again_and_it_is_recorded(
    demo, admin_client, django_capture_on_commit_callbacks
):
    failed = OutboxMessage.objects.filter(case__isnull=False).first()
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED, attempts=5, last_error="smtp down")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            admin_url(OutboxMessage, "changelist"),
            {"action": "retry_failed", "_selected_action": [failed.pk]},
            follow=True,
        )
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT
    assert failed.attempts == 1
    assert failed.case.events.filter(kind=EventKind.MESSAGE_RETRIED, details__message=str(failed.public_id)).exists()


@pytest.mark.django_db
def test_a_legal_hold_set_and_released_in_the_admin_is_recorded_and_needs_a_reason(demo, admin_client):
    case = Case.objects.filter(stage=Stage.RECEIVED).first()
    data = change_form_data(admin_client, case)
    data.pop("legal_hold", None)

    refused = admin_client.post(admin_url(Case, "change", case.pk), {**data, "legal_hold": "on"})
    assert refused.status_code == 200
    assert "Give the reason for the legal hold." in refused.content.decode()

    post_change(admin_client, case, legal_hold="on", legal_hold_reason="Ombudsman review")
    case.refresh_from_db()
    assert case.legal_hold
    assert case.events.get(kind=EventKind.LEGAL_HOLD_SET).details == {"reason": "Ombudsman review"}

    data = change_form_data(admin_client, case)
    data.pop("legal_hold")
    assert admin_client.post(admin_url(Case, "change", case.pk), data).status_code == 302
    case.refresh_from_db()
    assert not case.legal_hold
    assert case.events.filter(kind=EventKind.LEGAL_HOLD_RELEASED).count() == 1


@pytest.mark.django_db
def test_changing_a_case_stage_in_the_admin_is_recorded(demo, admin_client):
    case = Case.objects.filter(stage=Stage.RECEIVED).first()
    response = admin_client.get(admin_url(Case, "change", case.pk))
    form = response.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"stage": Stage.ACKNOWLEDGED})
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})

    response = admin_client.post(admin_url(Case, "change", case.pk), data)

    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    case.refresh_from_db()
    assert case.stage == Stage.ACKNOWLEDGED
    event = case.events.filter(kind=EventKind.STAGE_CHANGED).last()
    assert event.actor.username == "admin"
    assert "Acknowledged" in event.description


@pytest.mark.django_db
def test_moving_a_complaint_to_another_case_takes_its_posts_and_evidence_and_is_recorded(demo, admin_user, rf):
    complaint = Complaint.objects.filter(case__stage=Stage.RECEIVED, evidence__isnull=False).first()
    source = complaint.case
    target = Case.objects.filter(stage=Stage.ASSESSMENT, complaints__isnull=False).first()
    request = rf.post("/")
    request.user = admin_user
    complaint.case = target

    admin.site._registry[Complaint].save_model(
        request, complaint, SimpleNamespace(changed_data=["case"], cleaned_data={}), True
    )

    assert set(complaint.posts.values_list("case", flat=True)) == {target.pk}
    assert set(complaint.evidence.values_list("case", flat=True)) == {target.pk}
    assert target.events.filter(kind=EventKind.CASE_UPDATED, details__from_case=source.reference).exists()
    assert source.events.filter(kind=EventKind.CASE_UPDATED, details__to_case=target.reference).exists()
