"""Every change made to a case's records in the admin is written into the case's history with the
old and new values, and none of those records can be deleted there. All through HTTP."""

import io
from datetime import UTC

import pytest
from django import forms
from django.core.management import call_command
from django.utils import timezone

from complaints.models import (
    Assessment,
    Case,
    Complaint,
    Deadline,
    Decision,
    Document,
    Event,
    EventKind,
    Evidence,
    OutboxMessage,
    SocialMediaPost,
    Stage,
    TakedownRequest,
    TakedownStatus,
)
from tests.complaints.conftest import admin_url

CASE_RECORDS = [
    Case,
    Complaint,
    SocialMediaPost,
    Evidence,
    Deadline,
    Assessment,
    Decision,
    Document,
    TakedownRequest,
    OutboxMessage,
]


def _form_data(form) -> dict:
    """What a browser would post back for a form left as it was shown."""
    data = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form[name].value()
        if isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{key}_{index}"] = "" if part is None else str(part)
        elif isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[key] = "on"
        elif isinstance(value, list | tuple):
            data[key] = [str(item) for item in value]
        else:
            data[key] = "" if value is None else str(value)
    return data


def change_form_data(client, obj) -> dict:
    response = client.get(admin_url(type(obj), "change", obj.pk))
    assert response.status_code == 200
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
        for form in formset.forms:
            data.update(_form_data(form))
    return data


def post_change(client, obj, **changes):
    data = change_form_data(client, obj)
    data.update(changes)
    response = client.post(admin_url(type(obj), "change", obj.pk), data)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    return response


def admin_events(case):
    return list(case.events.filter(details__via="admin").order_by("sequence"))


@pytest.mark.django_db
def test_changing_a_complainants_email_in_the_admin_records_old_and_new(demo, admin_client):
    complaint = Complaint.objects.exclude(complainant_email="").first()
    old = complaint.complainant_email
    before = complaint.case.events.count()

    post_change(admin_client, complaint, complainant_email="new.address@example.com")

    complaint.refresh_from_db()
    assert complaint.complainant_email == "new.address@example.com"
    assert complaint.case.events.count() == before + 1
    event = admin_events(complaint.case)[-1]
    assert event.kind == EventKind.CASE_UPDATED
    assert event.actor.username == "admin" and event.actor_label.endswith("(admin)")
    assert event.details["model"] == "complaints.complaint"
    assert event.details["object"] == str(complaint.public_id)
    assert event.details["changes"] == {"complainant_email": {"old": old, "new": "new.address@example.com"}}
    assert "complainant_email" in event.description


@pytest.mark.django_db
def test_saving_an_unchanged_record_in_the_admin_writes_no_event(demo, admin_client):
    complaint = Complaint.objects.first()
    before = Event.objects.count()
    post_change(admin_client, complaint)
    assert Event.objects.count() == before


@pytest.mark.django_db
def test_editing_a_post_inline_on_its_complaint_records_the_post_change(demo, admin_client):
    post = SocialMediaPost.objects.filter(complaint__isnull=False).first()
    complaint = post.complaint
    data = change_form_data(admin_client, complaint)
    key = next(k for k, v in data.items() if k.endswith("-id") and v == str(post.pk)).removesuffix("-id")
    old = post.text_reported
    data[f"{key}-text_reported"] = "What the post really said"

    response = admin_client.post(admin_url(Complaint, "change", complaint.pk), data)

    assert response.status_code == 302
    event = admin_events(post.case)[-1]
    assert event.details["model"] == "complaints.socialmediapost"
    assert event.details["changes"]["text_reported"] == {"old": old, "new": "What the post really said"}


RECORD_EDITS = [
    (SocialMediaPost, "account_name", "Cllr Renamed"),
    (Evidence, "description", "Screenshot, cropped by the complainant"),
    (Document, "title", "Acknowledgement letter (corrected)"),
    (Decision, "reasons", "Reasons, as amended."),
    (TakedownRequest, "status", TakedownStatus.DECLINED),
    (Assessment, "public_interest_view", "Not in the public interest."),
]


@pytest.mark.django_db
def test_each_case_record_changed_in_the_admin_writes_its_old_and_new_value(demo, admin_client):
    # One demo set for all the record types: loading it is the slow part.
    for model, field, new in RECORD_EDITS:
        obj = model.objects.exclude(**{field: new}).filter(case__isnull=False).first()
        assert obj is not None, f"the demo has a {model.__name__} to edit"
        old = getattr(obj, field)

        post_change(admin_client, obj, **{field: new})

        obj.refresh_from_db()
        assert getattr(obj, field) == new
        event = admin_events(obj.case)[-1]
        assert event.details["model"] == model._meta.label_lower
        assert event.details["changes"][field] == {"old": old, "new": new}, model.__name__


@pytest.mark.django_db
def test_meeting_a_deadline_in_the_admin_records_when(demo, admin_client):
    deadline = Deadline.objects.filter(met_at__isnull=True).first()
    when = timezone.localtime().replace(microsecond=0, second=0)

    post_change(admin_client, deadline, met_at_0=when.date().isoformat(), met_at_1=when.strftime("%H:%M:%S"))

    event = admin_events(deadline.case)[-1]
    change = event.details["changes"]["met_at"]
    assert change["old"] is None
    assert change["new"].startswith(when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M"))


@pytest.mark.django_db
def test_changing_clauses_of_a_decision_records_the_lists(demo, admin_client):
    decision = Decision.objects.first()
    clause = decision.case.complaints.first().code.clauses.exclude(
        pk__in=decision.clauses_engaged.values("pk")
    ).first()
    old = sorted(str(c) for c in decision.clauses_engaged.all())
    data = change_form_data(admin_client, decision)
    data["clauses_engaged"] = [str(c.pk) for c in decision.clauses_engaged.all()] + [str(clause.pk)]

    assert admin_client.post(admin_url(Decision, "change", decision.pk), data).status_code == 302

    change = admin_events(decision.case)[-1].details["changes"]["clauses_engaged"]
    assert change == {"old": old, "new": sorted([*old, str(clause)])}


@pytest.mark.django_db
def test_changing_a_case_stage_records_old_and_new_stage(demo, admin_client):
    case = Case.objects.filter(stage=Stage.RECEIVED).first()
    post_change(admin_client, case, stage=Stage.ACKNOWLEDGED, title="Renamed case")
    event = admin_events(case)[-1]
    assert event.kind == EventKind.STAGE_CHANGED
    assert event.details["changes"]["stage"] == {"old": Stage.RECEIVED, "new": Stage.ACKNOWLEDGED}
    assert event.details["changes"]["title"]["new"] == "Renamed case"


@pytest.mark.django_db
def test_adding_a_deadline_in_the_admin_records_the_new_values(demo, admin_client):
    case = Case.objects.exclude(stage=Stage.CLOSED).first()
    response = admin_client.post(
        admin_url(Deadline, "add"),
        {"case": case.pk, "kind": "member_response", "starts_on": "2026-03-02", "working_days": 10, "paused_days": 0},
    )
    assert response.status_code == 302, response.context and response.context["adminform"].form.errors
    event = case.events.order_by("sequence").last()
    assert event.kind == EventKind.DEADLINE_SET
    assert event.details["action"] == "added"
    assert event.details["changes"]["due_on"] == {"old": None, "new": "2026-03-16"}


@pytest.mark.django_db
def test_case_records_cannot_be_deleted_in_the_admin(demo, admin_client):
    for model in CASE_RECORDS:
        obj = model.objects.first()
        count = model.objects.count()

        assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 403, model.__name__
        assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
        changelist = admin_client.get(admin_url(model, "changelist"))
        assert b'value="delete_selected"' not in changelist.content, model.__name__
        admin_client.post(
            admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )

        assert model.objects.count() == count
        assert model.objects.filter(pk=obj.pk).exists()


@pytest.mark.django_db
def test_posts_cannot_be_removed_through_the_complaint_page(demo, admin_client):
    post = SocialMediaPost.objects.filter(complaint__isnull=False).first()
    response = admin_client.get(admin_url(Complaint, "change", post.complaint.pk))
    assert b"-DELETE" not in response.content
    data = change_form_data(admin_client, post.complaint)
    key = next(k for k, v in data.items() if k.endswith("-id") and v == str(post.pk)).removesuffix("-id")
    data[f"{key}-DELETE"] = "on"
    admin_client.post(admin_url(Complaint, "change", post.complaint.pk), data)
    assert SocialMediaPost.objects.filter(pk=post.pk).exists()


@pytest.mark.django_db
def test_admin_edits_keep_the_history_chain_intact(demo, admin_client):
    complaint = Complaint.objects.first()
    post_change(admin_client, complaint, complainant_name="A. N. Other")
    post_change(admin_client, complaint.case, title="Renamed")
    out = io.StringIO()
    call_command("verify_history", stdout=out)
    assert "History intact" in out.getvalue()
