"""Every free-text answer of the complaint journey refuses characters that change the direction
of text (U+202A-U+202E, U+2066-U+2069) and hidden control characters, with a message naming the
answer, so that 'Jane <U+202E>exe.live Smith' can never be stored; one-line answers refuse line
breaks. Checked over HTTP, page by page."""

from datetime import timedelta

import pytest
from django import forms
from django.utils import timezone

from complaints.forms import public as journey_forms
from complaints.models import Complaint, SocialMediaPost
from tests.complaints.journey import ABOUT, OUTCOME, POST, Journey, error_messages
from tests.factories import make_code, make_councillor, make_district

pytestmark = pytest.mark.django_db

BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"]
DISGUISED = "Jane \u202eexe.live Smith"
OLD = timezone.localdate() - timedelta(days=400)

# (form, field): (page, the other answers the page needs, the answer's name in messages)
TEXT_ANSWERS = {
    ("AboutYouForm", "name"): ("about", ABOUT, "Full name"),
    ("AboutYouForm", "email"): ("about", ABOUT, "Email address"),
    ("AboutYouForm", "phone"): ("about", ABOUT, "Phone number"),
    ("AboutYouForm", "address"): ("about", ABOUT, "Postal address"),
    ("AboutYouForm", "complainant_type_other"): (
        "about",
        {**ABOUT, "complainant_type": "other"},
        "How you would describe yourself",
    ),
    ("CouncillorsForm", "unlisted"): ("councillors", {}, "The councillor's name"),
    ("PostForm", "platform_other"): ("post_add", {**POST, "platform": "other"}, "The name of the website or app"),
    ("PostForm", "url"): ("post_add", POST, "The link"),
    ("PostForm", "account_name"): ("post_add", POST, "The name of the account"),
    ("PostForm", "text_reported"): ("post_add", POST, "What the post said"),
    ("PostForm", "capacity_other"): (
        "post_add",
        {**POST, "capacity_indicators": ["other"]},
        "What else made you think so",
    ),
    ("PostForm", "capacity_explanation"): ("post_add", POST, "Your explanation"),
    ("AddAnotherPostForm", "late_reason"): ("posts", {"add_another": "no"}, "Your reason"),
    ("EvidenceUploadForm", "no_evidence_reason"): (
        "evidence",
        {"action": "continue"},
        "Your reason for not sending a screenshot",
    ),
    ("OutcomeForm", "outcome_sought"): ("outcome", OUTCOME, "What you would like to happen"),
    ("OutcomeForm", "previous_complaint_details"): (
        "outcome",
        {**OUTCOME, "previous_complaint": "yes"},
        "Who you complained to and when",
    ),
    ("OutcomeForm", "confidentiality_reason"): (
        "outcome",
        {**OUTCOME, "confidentiality_requested": "yes"},
        "Your reason for confidentiality",
    ),
}
ONE_LINE = {"name", "email", "phone", "complainant_type_other", "unlisted", "platform_other", "url", "account_name"}
# Never stored: a hidden field that only robots fill in.
NOT_ANSWERS = {("DeclarationForm", "website")}
JOURNEY_FORMS = [
    journey_forms.AboutYouForm,
    journey_forms.CouncilForm,
    journey_forms.CouncillorsForm,
    journey_forms.PostForm,
    journey_forms.AddAnotherPostForm,
    journey_forms.ClausesForm,
    journey_forms.EvidenceUploadForm,
    journey_forms.OutcomeForm,
    journey_forms.DeclarationForm,
]


@pytest.fixture
def council():
    district = make_district()
    make_code(district)
    return district


@pytest.fixture
def councillor(council):
    return make_councillor(council, "Jo Bloggs")


@pytest.fixture
def journey(client):
    return Journey(client)


def _reach(journey, page, council, councillor):
    """Answer every page before ``page``; the post is old, so the posts page asks why now."""
    steps = [
        ("about", journey.about),
        ("council", lambda: journey.council(council)),
        ("councillors", lambda: journey.councillors([councillor])),
        (
            "post_add",
            lambda: journey.add_post(posted_on_0=str(OLD.day), posted_on_1=str(OLD.month), posted_on_2=str(OLD.year)),
        ),
        ("posts", journey.no_more_posts),
        ("clauses", journey.clauses),
        ("evidence", lambda: (journey.upload(), journey.evidence_continue())[-1]),
    ]
    for name, answer in steps:
        if name == page:
            return
        assert answer().status_code == 302, name


def test_every_free_text_answer_of_the_journey_is_checked_here():
    answers = {
        (form.__name__, name)
        for form in JOURNEY_FORMS
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField)
    }
    assert answers - NOT_ANSWERS == set(TEXT_ANSWERS)


@pytest.mark.parametrize("answer", TEXT_ANSWERS, ids=lambda answer: answer[1])
def test_each_text_answer_refuses_a_direction_override_with_a_message_naming_it(journey, council, councillor, answer):
    page, others, noun = TEXT_ANSWERS[answer]
    _reach(journey, page, council, councillor)
    response = journey.post(page, {**others, answer[1]: DISGUISED})
    summary, inline = error_messages(response)
    expected = f"{noun} must not include characters that change the direction of text"
    assert response.status_code == 400
    assert summary == [expected] and inline == [expected]


@pytest.mark.parametrize("answer", TEXT_ANSWERS, ids=lambda answer: answer[1])
def test_each_text_answer_refuses_hidden_control_characters(journey, council, councillor, answer):
    page, others, noun = TEXT_ANSWERS[answer]
    _reach(journey, page, council, councillor)
    response = journey.post(page, {**others, answer[1]: "Jane\x1bSmith"})
    assert response.status_code == 400
    assert error_messages(response)[0] == [f"{noun} must not include hidden control characters"]


@pytest.mark.parametrize("answer", [a for a in TEXT_ANSWERS if a[1] in ONE_LINE], ids=lambda answer: answer[1])
def test_each_one_line_answer_refuses_line_breaks(journey, council, councillor, answer):
    page, others, noun = TEXT_ANSWERS[answer]
    _reach(journey, page, council, councillor)
    response = journey.post(page, {**others, answer[1]: "Jane\r\nSmith"})
    assert response.status_code == 400
    assert error_messages(response)[0] == [f"{noun} must be on one line"]


@pytest.mark.parametrize("character", BIDI, ids=lambda c: f"U+{ord(c):04X}")
def test_the_name_refuses_every_direction_changing_character(journey, character):
    response = journey.about(name=f"Jane {character}Smith")
    assert error_messages(response)[0] == ["Full name must not include characters that change the direction of text"]


def test_no_direction_changing_character_reaches_the_stored_complaint(
    journey, client, council, councillor, django_capture_on_commit_callbacks
):
    for (_form, name), (page, others, _noun) in TEXT_ANSWERS.items():
        if page == "about":
            assert journey.post(page, {**others, name: DISGUISED}).status_code == 400
    journey.about()
    journey.council(council)
    for (_form, name), (page, others, _noun) in TEXT_ANSWERS.items():
        if page == "councillors":
            assert journey.post(page, {**others, name: DISGUISED}).status_code == 400
    journey.councillors([councillor])
    for (_form, name), (page, others, _noun) in TEXT_ANSWERS.items():
        if page == "post_add":
            assert journey.post(page, {**others, name: DISGUISED}).status_code == 400
    journey.add_post()
    journey.no_more_posts()
    journey.clauses()
    journey.upload()
    journey.evidence_continue()
    for (_form, name), (page, others, _noun) in TEXT_ANSWERS.items():
        if page == "outcome":
            assert journey.post(page, {**others, name: DISGUISED}).status_code == 400
    journey.outcome()
    with django_capture_on_commit_callbacks(execute=True):
        assert journey.send().status_code == 302

    complaint = Complaint.objects.get()
    assert complaint.complainant_name == ABOUT["name"]
    for record in (complaint, SocialMediaPost.objects.get()):
        for field in record._meta.concrete_fields:
            value = getattr(record, field.attname)
            if isinstance(value, str):
                assert not any(character in value for character in BIDI), field.name
