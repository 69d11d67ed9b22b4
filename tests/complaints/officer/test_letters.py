"""The letters pages of a case over HTTP: preview, generate (a new version each time), download
through the documents access rule, send through the outbox; takedown requests from draft to sent
to removed, with GOV.UK error messages for every bad input; overdue requests on the dashboard."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Deadline,
    DeadlineKind,
    Document,
    DocumentKind,
    EventKind,
    OfficerProfile,
    OutboxMessage,
    OutboxStatus,
    TakedownRequest,
    TakedownStatus,
)
from complaints.services.takedowns import takedown_request_send
from tests.complaints.documents.builders import (
    FIRST_TEXT,
    SECRET_ADDRESS,
    SECRET_EMAIL,
    SECRET_NAME,
    make_letter_case,
    normalise,
    pdf_text,
)
from tests.complaints.officer.signin import sign_in
from tests.factories import make_district

pytestmark = pytest.mark.django_db


def _role(user, role, authority=None):
    user.groups.add(Group.objects.get(name=role))
    if authority is not None:
        OfficerProfile.objects.create(user=user, authority=authority)
    return user


@pytest.fixture
def office():
    """The letter case of the documents tests, with its officer as Monitoring Officer of the council,
    an officer of another council, a committee member and an Independent Person with no case."""
    roles.roles_apply()
    letter_case = make_letter_case()
    _role(letter_case.officer, roles.MONITORING_OFFICER, letter_case.case.authority)
    other_council = make_district(name="Southshire District Council", slug="southshire")
    return {
        "letter_case": letter_case,
        "case": letter_case.case,
        "officer": letter_case.officer,
        "other_officer": _role(User.objects.create_user("southshire"), roles.CASE_OFFICER, other_council),
        "committee": _role(User.objects.create_user("committee"), roles.COMMITTEE_MEMBER),
    }


@pytest.fixture
def officer_client(client, office):
    return sign_in(client, office["officer"])


def letters_url(case, rest=""):
    return f"/officer/cases/{case.reference}/letters/{rest}"


def invitation_path(office):
    return f"member-invitation/{office['letter_case'].councillor.public_id}/"


def generate(client, office, path=None):
    response = client.post(letters_url(office["case"], (path or invitation_path(office)) + "generate/"))
    assert response.status_code == 302
    return response


# --- the index and the previews ----------------------------------------------------------------


def test_the_letters_page_lists_every_letter_the_case_can_produce(officer_client, office):
    decision = office["letter_case"].decision()
    response = officer_client.get(letters_url(office["case"]))

    assert response.status_code == 200
    page = response.content.decode()
    for complaint in (office["letter_case"].confidential, office["letter_case"].open):
        assert f"Acknowledgement of {complaint.reference}" in page
    assert "Invitation to comment" in page
    assert f"decision-notice/{decision.public_id}/" in page
    assert f"decision-notice-public/{decision.public_id}/" in page
    assert "Request removal of posts" in page


@pytest.mark.parametrize("kind", ["acknowledgement", "member-invitation", "decision-notice", "decision-notice-public"])
def test_each_letter_previews_as_html_in_the_workspace(officer_client, office, kind):
    letter_case = office["letter_case"]
    decision = letter_case.decision()
    subject = {
        "acknowledgement": letter_case.open.reference,
        "member-invitation": str(letter_case.councillor.public_id),
        "decision-notice": str(decision.public_id),
        "decision-notice-public": str(decision.public_id),
    }[kind]

    response = officer_client.get(letters_url(office["case"], f"{kind}/{subject}/preview/"))

    assert response.status_code == 200
    page = response.content.decode()
    assert '<section class="app-letter"' in page
    assert page.count("<main") == 1 and page.count("<h1") == 1  # the letter's own landmarks are folded in
    assert "static:" not in page and "evidence:" not in page and ' style="' not in page
    assert not Document.objects.exists()  # a preview stores nothing


def test_the_councillors_preview_shows_the_post_but_never_the_confidential_complainant(officer_client, office):
    response = officer_client.get(letters_url(office["case"], invitation_path(office) + "preview/"))

    page = response.content.decode()
    assert "Planning officers are idiots" in page
    assert SECRET_NAME not in page and SECRET_EMAIL not in page
    assert SECRET_ADDRESS.splitlines()[0] not in page


def test_an_unknown_letter_or_subject_is_not_found(officer_client, office):
    case = office["case"]
    assert officer_client.get(letters_url(case, "takedowns-please/x/")).status_code == 404
    assert officer_client.get(letters_url(case, "acknowledgement/MO-1999-00001/preview/")).status_code == 404
    assert officer_client.get(letters_url(case, "decision-notice/not-a-uuid/")).status_code == 404


# --- generating and downloading ----------------------------------------------------------------


def test_generating_stores_a_new_version_each_time_and_keeps_the_old(officer_client, office):
    generate(officer_client, office)
    first = Document.objects.get()
    response = generate(officer_client, office)
    assert response.url == letters_url(office["case"], invitation_path(office))

    documents = list(Document.objects.order_by("version"))
    assert [d.version for d in documents] == [1, 2]
    assert documents[0].pk == first.pk and documents[0].file.name == first.file.name
    for document in documents:
        content = document.file.read()
        assert hashlib.sha256(content).hexdigest() == document.sha256
        assert document.generated_by == office["officer"]
        assert document.kind == DocumentKind.MEMBER_INVITATION
        assert document.template == "documents/member_invitation.html" and document.template_version
    assert office["case"].events.filter(kind=EventKind.DOCUMENT_GENERATED).count() == 2

    page = officer_client.get(response.url).content.decode()
    assert "Generate a new version" in page
    for document in documents:
        assert document.sha256 in page
        assert f"/letters/documents/{document.public_id}/" in page


def test_generate_only_answers_a_post_with_a_csrf_token(office):
    from django.test import Client

    client = sign_in(Client(enforce_csrf_checks=True), office["officer"])
    url = letters_url(office["case"], invitation_path(office) + "generate/")

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not Document.objects.exists()


def test_any_version_can_be_downloaded_and_each_download_is_recorded(officer_client, office):
    generate(officer_client, office)
    generate(officer_client, office)
    old = Document.objects.get(version=1)

    response = officer_client.get(letters_url(office["case"], f"documents/{old.public_id}/"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{office["case"].reference}-member-invitation-v1.pdf"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == old.sha256
    viewed = office["case"].events.get(kind=EventKind.DOCUMENT_VIEWED)
    assert viewed.actor == office["officer"] and viewed.details["document"] == str(old.public_id)


@pytest.mark.parametrize("who", ["other_officer", "committee"])
def test_a_case_document_is_not_found_for_anyone_outside_the_case(client, office, who):
    sign_in(client, office["officer"])
    generate(client, office)
    document = Document.objects.get()
    client.logout()
    sign_in(client, office[who])

    assert client.get(letters_url(office["case"], f"documents/{document.public_id}/")).status_code == 404
    assert client.get(letters_url(office["case"])).status_code == 404
    assert client.get(letters_url(office["case"], invitation_path(office) + "preview/")).status_code == 404
    assert client.post(letters_url(office["case"], invitation_path(office) + "generate/")).status_code == 404
    assert Document.objects.count() == 1
    assert not office["case"].events.filter(kind=EventKind.DOCUMENT_VIEWED).exists()


def test_a_document_cannot_be_fetched_through_another_cases_address(officer_client, office):
    generate(officer_client, office)
    document = Document.objects.get()
    from complaints.models import Case

    other = Case.objects.create(reference="MO-2026-09999", authority=office["case"].authority, opened_at=timezone.now())
    assert officer_client.get(letters_url(other, f"documents/{document.public_id}/")).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, office):
    response = client.get(letters_url(office["case"]))
    assert response.status_code == 302 and "login" in response.url


# --- sending -----------------------------------------------------------------------------------


def send_url(office, document):
    return letters_url(office["case"], invitation_path(office) + f"versions/{document.public_id}/send/")


def test_the_send_form_offers_the_councillors_address(officer_client, office):
    generate(officer_client, office)
    response = officer_client.get(send_url(office, Document.objects.get()))

    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="cllr.jo.bloggs@northmoor.example.gov.uk"' in page
    assert 'value="Councillor Jo Bloggs"' in page


def test_sending_queues_an_outbox_message_with_the_pdf_attached(
    officer_client, office, django_capture_on_commit_callbacks
):
    generate(officer_client, office)
    document = Document.objects.get()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer_client.post(
            send_url(office, document), {"to": "jo.bloggs@home.example", "name": "Councillor Jo Bloggs"}
        )

    assert response.status_code == 302
    message = OutboxMessage.objects.get(attachment=document)
    assert message.to == "jo.bloggs@home.example"
    assert message.status == OutboxStatus.SENT
    (email,) = [m for m in mail.outbox if m.to == ["jo.bloggs@home.example"]]
    ((name, content, mimetype),) = email.attachments
    assert mimetype == "application/pdf" and hashlib.sha256(content).hexdigest() == document.sha256
    sent = office["case"].events.get(kind=EventKind.DOCUMENT_SENT)
    assert sent.actor == office["officer"] and sent.details["document"] == str(document.public_id)


@pytest.mark.parametrize(
    ("to", "message"),
    [
        ("", "Enter the e-mail address to send the letter to"),
        ("not an address", "Enter an e-mail address in the correct format, like name@example.com"),
    ],
)
def test_sending_without_a_good_address_is_refused_with_a_govuk_error(officer_client, office, to, message):
    generate(officer_client, office)
    document = Document.objects.get()

    response = officer_client.post(send_url(office, document), {"to": to, "name": ""})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'<a href="#id_to">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in page
    assert page.startswith("<!DOCTYPE html>") and "<title>Error: " in page
    assert not OutboxMessage.objects.filter(attachment=document).exists()
    assert not office["case"].events.filter(kind=EventKind.DOCUMENT_SENT).exists()


def test_a_version_of_another_letter_cannot_be_sent_as_this_one(officer_client, office):
    generate(officer_client, office, f"acknowledgement/{office['letter_case'].open.reference}/")
    acknowledgement = Document.objects.get()
    response = officer_client.post(send_url(office, acknowledgement), {"to": "x@example.com"})
    assert response.status_code == 404
    assert not OutboxMessage.objects.filter(attachment=acknowledgement).exists()


# --- takedown requests -------------------------------------------------------------------------


def draft_takedown(client, office) -> TakedownRequest:
    posts = [str(pk) for pk in office["case"].posts.values_list("pk", flat=True)]
    response = client.post(letters_url(office["case"], "takedowns/new/"), {"posts": posts})
    assert response.status_code == 302
    takedown = TakedownRequest.objects.get()
    assert response.url == letters_url(office["case"], f"takedowns/{takedown.public_id}/")
    return takedown


def sent_takedown(client, office) -> TakedownRequest:
    takedown = draft_takedown(client, office)
    response = client.post(letters_url(office["case"], f"takedowns/{takedown.public_id}/send/"))
    assert response.status_code == 302
    takedown.refresh_from_db()
    return takedown


def test_a_takedown_request_without_a_post_selected_is_refused(officer_client, office):
    response = officer_client.post(letters_url(office["case"], "takedowns/new/"), {})

    assert response.status_code == 400
    page = response.content.decode()
    assert '<a href="#id_posts_0">Select the posts the councillor should remove</a>' in page
    assert 'id="id_posts_0"' in page
    assert not TakedownRequest.objects.exists()


def test_a_draft_takedown_request_can_be_previewed_before_it_is_sent(officer_client, office):
    takedown = draft_takedown(officer_client, office)

    page = officer_client.get(letters_url(office["case"], f"takedowns/{takedown.public_id}/preview/")).content.decode()

    assert "Request to remove social media content" in page
    assert normalise(FIRST_TEXT) in normalise(page.replace("&#x27;", "'"))
    assert not Deadline.objects.filter(kind=DeadlineKind.TAKEDOWN).exists()


def test_sending_a_takedown_request_starts_its_clock_and_mails_the_letter(
    officer_client, office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        takedown = sent_takedown(officer_client, office)

    assert takedown.status == TakedownStatus.SENT
    clock = Deadline.objects.get(kind=DeadlineKind.TAKEDOWN)
    assert takedown.deadline == clock and clock.met_at is None and clock.starts_on == timezone.localdate()
    assert takedown.letter.kind == DocumentKind.TAKEDOWN_REQUEST
    message = OutboxMessage.objects.get(attachment=takedown.letter)
    assert message.to == office["letter_case"].councillor.email and message.status == OutboxStatus.SENT
    events = set(office["case"].events.values_list("kind", flat=True))
    assert {EventKind.TAKEDOWN_REQUESTED, EventKind.DOCUMENT_SENT, EventKind.DEADLINE_SET} <= events
    text = normalise(pdf_text(takedown.letter.file.read()))
    assert f"{takedown.due_on:%-d %B %Y}" in text

    page = officer_client.get(letters_url(office["case"], f"takedowns/{takedown.public_id}/")).content.decode()
    assert f"{takedown.due_on:%-d %B %Y}" in page
    assert "Record that the posts were removed" in page
    assert f"/letters/takedown-request/{takedown.public_id}/" in page  # regenerate or resend
    # The sent letter is now one of the case's letters.
    assert f"takedown-request/{takedown.public_id}/" in officer_client.get(letters_url(office["case"])).content.decode()


def test_a_takedown_request_to_a_councillor_without_an_address_is_refused_and_no_clock_starts(client):
    roles.roles_apply()
    letter_case = make_letter_case(councillor_email="")
    _role(letter_case.officer, roles.MONITORING_OFFICER, letter_case.case.authority)
    sign_in(client, letter_case.officer)
    office = {"case": letter_case.case}
    takedown = draft_takedown(client, office)

    response = client.post(letters_url(letter_case.case, f"takedowns/{takedown.public_id}/send/"))

    assert response.status_code == 400
    assert "The councillor has no e-mail address on record, so the request cannot be sent." in response.content.decode()
    assert not Deadline.objects.filter(kind=DeadlineKind.TAKEDOWN).exists()


def removed_url(office, takedown):
    return letters_url(office["case"], f"takedowns/{takedown.public_id}/removed/")


def test_recording_removed_with_the_date_seen_gone_stops_the_clock(officer_client, office):
    takedown = sent_takedown(officer_client, office)
    today = timezone.localdate()

    response = officer_client.post(
        removed_url(office, takedown), {"day": str(today.day), "month": str(today.month), "year": str(today.year)}
    )

    assert response.status_code == 302
    takedown.refresh_from_db()
    assert takedown.status == TakedownStatus.COMPLIED and takedown.removed_on == today
    assert Deadline.objects.get(kind=DeadlineKind.TAKEDOWN).met_at is not None
    removed = office["case"].events.get(kind=EventKind.TAKEDOWN_REMOVED)
    assert removed.actor == office["officer"] and removed.details["removed_on"] == today.isoformat()


def _date(day):
    return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}


@pytest.mark.parametrize(
    ("data", "message", "marked"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date the post was seen gone", ("day", "month", "year")),
        (
            {"day": "3", "month": "", "year": ""},
            "The date the post was seen gone must include a month and year",
            ("month", "year"),
        ),
        ({"day": "31", "month": "2", "year": "2026"}, "The date the post was seen gone must be a real date", None),
        ({"day": "1", "month": "1", "year": "26"}, "The date the post was seen gone must be a real date", None),
        ({"day": "x", "month": "1", "year": "2026"}, "The date the post was seen gone must be a real date", None),
        ("tomorrow", "The date the post was seen gone must be today or in the past", None),
        (
            "yesterday",
            "The date the post was seen gone must be the same as or after {sent}, when the request was sent",
            None,
        ),
    ],
)
def test_a_bad_removal_date_is_refused_with_the_govuk_message(officer_client, office, data, message, marked):
    takedown = sent_takedown(officer_client, office)
    today = timezone.localdate()
    if data == "tomorrow":
        data = _date(today + timedelta(days=1))
    elif data == "yesterday":
        data = _date(today - timedelta(days=1))
    message = message.format(sent=f"{today:%-d %B %Y}")

    response = officer_client.post(removed_url(office, takedown), data)

    assert response.status_code == 400
    page = response.content.decode()
    anchor = (marked or ("day",))[0]
    assert f'<a href="#seen_gone_on-{anchor}">{message}</a>' in page
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    for part in ("day", "month", "year"):
        error_class = f'govuk-date-input__input govuk-input--width-{4 if part == "year" else 2} govuk-input--error"'
        field = page.split(f'id="seen_gone_on-{part}"')[0].rsplit("<input", 1)[1]
        assert (error_class in field) == (marked is None or part in marked), part
    takedown.refresh_from_db()
    assert takedown.status == TakedownStatus.SENT
    assert Deadline.objects.get(kind=DeadlineKind.TAKEDOWN).met_at is None


def test_a_request_already_marked_removed_cannot_be_marked_again(officer_client, office):
    takedown = sent_takedown(officer_client, office)
    officer_client.post(removed_url(office, takedown), _date(timezone.localdate()))

    response = officer_client.post(removed_url(office, takedown), _date(timezone.localdate()))

    assert response.status_code == 302
    assert office["case"].events.filter(kind=EventKind.TAKEDOWN_REMOVED).count() == 1


def test_overdue_takedown_requests_are_counted_on_the_dashboard_and_listed(officer_client, office):
    letter_case = office["letter_case"]
    takedown = takedown_request_send(request=letter_case.takedown(), actor=office["officer"])
    page = officer_client.get("/officer/").content.decode()
    assert '0</span> <span class="app-count__label">takedown requests overdue' in page

    TakedownRequest.objects.filter(pk=takedown.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    page = officer_client.get("/officer/").content.decode()
    assert '<span class="app-count__number">1</span> <span class="app-count__label">takedown request overdue' in page
    assert 'href="/officer/takedowns/overdue/"' in page

    listing = officer_client.get("/officer/takedowns/overdue/").content.decode()
    assert f"/officer/cases/{office['case'].reference}/letters/takedowns/{takedown.public_id}/" in listing


def test_another_councils_officer_does_not_see_the_overdue_request(client, office):
    letter_case = office["letter_case"]
    takedown = takedown_request_send(request=letter_case.takedown(), actor=office["officer"])
    TakedownRequest.objects.filter(pk=takedown.pk).update(due_on=timezone.localdate() - timedelta(days=1))
    sign_in(client, office["other_officer"])

    assert '<span class="app-count__number">0</span> <span class="app-count__label">takedown requests overdue' in (
        client.get("/officer/").content.decode()
    )
    assert office["case"].reference not in client.get("/officer/takedowns/overdue/").content.decode()
    assert client.get(letters_url(office["case"], f"takedowns/{takedown.public_id}/")).status_code == 404


def test_an_independent_person_consulted_on_the_case_may_read_its_documents_but_not_prepare_letters(client, office):
    from complaints.models import Consultation

    sign_in(client, office["officer"])
    generate(client, office)
    document = Document.objects.get()
    client.logout()
    person = _role(User.objects.create_user("ip"), roles.INDEPENDENT_PERSON)
    Consultation.objects.create(case=office["case"], independent_person=person, requested_at=timezone.now())
    sign_in(client, person)

    index = client.get(letters_url(office["case"]))
    assert index.status_code == 200
    page = index.content.decode()
    assert f"/letters/documents/{document.public_id}/" in page
    assert "Request removal of posts" not in page and "Preview" not in page
    assert client.get(letters_url(office["case"], f"documents/{document.public_id}/")).status_code == 200
    assert client.get(letters_url(office["case"], invitation_path(office) + "preview/")).status_code == 403
    assert client.post(letters_url(office["case"], invitation_path(office) + "generate/")).status_code == 403
    assert client.post(letters_url(office["case"], "takedowns/new/"), {}).status_code == 403
    assert Document.objects.count() == 1


def test_hostile_text_in_a_preview_is_shown_as_text_and_loads_nothing(client):
    from tests.complaints.documents.test_hostile_text import HOSTILE

    roles.roles_apply()
    letter_case = make_letter_case(hostile=HOSTILE, confidential=False)
    _role(letter_case.officer, roles.MONITORING_OFFICER, letter_case.case.authority)
    sign_in(client, letter_case.officer)
    takedown = letter_case.takedown()
    paths = [
        f"member-invitation/{letter_case.councillor.public_id}/preview/",
        f"acknowledgement/{letter_case.confidential.reference}/preview/",
        f"takedowns/{takedown.public_id}/preview/",
    ]
    for path in paths:
        page = client.get(letters_url(letter_case.case, path)).content.decode()
        letter = page.split('<section class="app-letter"', 1)[1].split("</section>", 1)[0]
        assert "&lt;img src=&quot;http://attacker.example/pixel.png&quot;&gt;" in letter, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in letter, path
        for marker in ('<img src="http', "<script", "<style", "<link", "<iframe", 'href="file:'):
            assert marker not in letter, (path, marker)
        # The only images are the council's crest and this case's screenshots, from our own addresses.
        for source in letter.split('<img src="')[1:]:
            assert source.startswith(("/static/", "/evidence/")), (path, source[:80])


# --- every view of a letters page is on the case's timeline --------------------------------------


def _views(case):
    return list(case.events.filter(kind=EventKind.CASE_VIEWED).order_by("sequence"))


def test_every_letters_page_an_officer_opens_is_recorded_on_the_timeline_without_names(officer_client, office):
    case, letter_case = office["case"], office["letter_case"]
    generate(officer_client, office)  # a POST: it records the document, not a view
    document = Document.objects.get()
    takedown = sent_takedown(officer_client, office)
    assert _views(case) == []
    invitation = invitation_path(office)

    pages = [
        (letters_url(case), "letters", "Viewed the letters"),
        (letters_url(case, invitation), "letter", "Viewed a letter"),
        (letters_url(case, invitation + "preview/"), "letter_preview", "Viewed a letter's preview"),
        (send_url(office, document), "letter_send", "Viewed a letter's sending form"),
        (letters_url(case, "takedowns/new/"), "takedown_new", "Viewed the posts for a new takedown request"),
        (letters_url(case, f"takedowns/{takedown.public_id}/"), "takedown", "Viewed a takedown request"),
        (
            letters_url(case, f"takedowns/{takedown.public_id}/preview/"),
            "takedown_preview",
            "Viewed a takedown request's letter",
        ),
        (removed_url(office, takedown), "takedown_removed", "Viewed a takedown request's removal form"),
    ]
    for url, _, _ in pages:
        assert officer_client.get(url).status_code == 200, url

    views = _views(case)
    assert [(event.details["page"], event.description) for event in views] == [
        (page, description) for _, page, description in pages
    ]
    assert [event.details["path"] for event in views] == [url for url, _, _ in pages]
    assert {event.actor for event in views} == {office["officer"]}
    councillor_id = str(letter_case.councillor.public_id)
    assert [(event.details["letter"], event.details["subject"]) for event in views[1:4]] == [
        ("member-invitation", councillor_id)
    ] * 3
    assert views[3].details["version"] == document.version
    assert {event.details["takedown"] for event in views[5:]} == {str(takedown.public_id)}
    # The timeline keeps no complainant's or councillor's name (letters' labels carry them).
    for event in views:
        for complaint in (letter_case.open, letter_case.confidential):
            assert complaint.complainant_name not in str(event.description) + str(event.details)
        assert letter_case.councillor.name not in str(event.description) + str(event.details)


def test_a_letters_page_refused_to_a_user_records_no_view(client, office):
    case = office["case"]
    sign_in(client, office["other_officer"])
    assert client.get(letters_url(case)).status_code == 404
    sign_in(client, office["committee"])
    assert client.get(letters_url(case, invitation_path(office))).status_code == 404
    assert _views(case) == []
