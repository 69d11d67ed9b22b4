"""Names typed by people (councillors, councils, complainants, officers, clause headings, the
public interest test, posts, questions) reach form labels, hints and choices on the officer's
pages. The GOV.UK template pack prints labels and hints without escaping, so each form escapes
what comes from data: a name like <script>alert(1)</script> shows as text, never as markup, and
is never escaped twice."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from complaints.models import (
    Authority,
    Case,
    Councillor,
    InformationRequest,
    MemberInvitation,
    Outcome,
    PublicInterestQuestion,
    SocialMediaPost,
    Stage,
)
from complaints.process import Action
from guidance.models import Clause, CodeOfConduct
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import (
    action_url,
    add_complaint,
    at_stage,
    closed_with_no_further_action,
    under_informal_resolution,
    under_review,
    with_clauses,
)

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
TWICE = "&amp;lt;script"


# The actions whose forms build labels, hints or choices from data (the others ask fixed questions).
FROM_DATA = {
    Action.ASSIGN,  # officers' names
    Action.REQUEST_INFORMATION,  # complainants' names
    Action.RECORD_INFORMATION,  # the question asked
    Action.INVITE_MEMBER,  # councillors' names
    Action.RECORD_MEMBER_RESPONSE,  # the councillor's name in the label
    Action.CONSULT_IP,  # Independent Persons' names
    Action.RECORD_ASSESSMENT,  # the council's public interest questions
    Action.DECIDE,  # clause headings, code titles, investigators' names
    Action.RECORD_HEARING,  # the parish council's name, clause headings
    Action.REQUEST_REVIEW,  # complainants' names
    Action.UNLINK,  # complainants' names
}


def assert_escaped(html: str, *, where: str, shown: bool = True):
    assert XSS not in html, f"markup from data reached {where} unescaped"
    assert TWICE not in html, f"data was escaped twice on {where}"
    if shown:
        assert ESCAPED in html, f"{where} does not show the hostile name at all (the test proves nothing)"


@pytest.fixture
def hostile(world):
    """The world with a hostile name in every piece of data a form label or choice is built from."""
    northmoor, parish = world["councils"]["northmoor"], world["cases"]["parish"].authority
    Authority.objects.filter(pk=northmoor.pk).update(name=f"Northmoor {XSS} District Council")
    Authority.objects.filter(pk=parish.pk).update(
        name=f"Ashby {XSS} Parish Council", clerk_name=XSS, clerk_email="clerk@ashby.example.gov.uk"
    )
    User.objects.filter(groups__isnull=False).update(first_name=XSS)
    for name in ("northmoor", "parish"):
        case = world["cases"][name]
        case.refresh_from_db()
        clauses = with_clauses(case)
        Clause.objects.filter(pk__in=[clause.pk for clause in clauses]).update(heading=XSS)
        CodeOfConduct.objects.filter(clauses__in=clauses).update(title=f"Code {XSS}")
        councillor = Councillor.objects.create(
            authority=case.authority, name=f"Jo {XSS}", email="jo@example.gov.uk", term_start=date(2022, 5, 5)
        )
        first = case.complaints.first()
        first.complainant_name = f"Alex {XSS}"
        first.save(update_fields=["complainant_name"])
        first.councillors.add(councillor)
        second = add_complaint(case, 2, name=f"Sam {XSS}", email="sam@example.org")
        second.councillors.add(councillor)
        SocialMediaPost.objects.create(
            complaint=first, case=case, platform="x", account_name=XSS, text_reported=f"Post {XSS}",
            url="https://x.com/jo/status/1", posted_on=date(2026, 3, 1),
        )  # fmt: skip
    PublicInterestQuestion.objects.create(authority=northmoor, position=1, text=f"Is it {XSS}?")
    return world


def _prepare(world, action: str) -> Case:
    """The Northmoor case (the parish one for the hearing) at a stage that offers the action."""
    mo = world["users"]["mo"]
    case = world["cases"]["northmoor"]
    if action in (Action.ACKNOWLEDGE,):
        return at_stage(case, Stage.RECEIVED)
    if action == Action.RECORD_INFORMATION:
        at_stage(case, Stage.FURTHER_INFORMATION)
        InformationRequest.objects.create(
            case=case, complaint=case.complaints.first(), question=f"Which {XSS}?", requested_at=timezone.now()
        )
        return case
    if action == Action.RECORD_MEMBER_RESPONSE:
        at_stage(case, Stage.MEMBER_COMMENT)
        MemberInvitation.objects.create(
            case=case, councillor=Councillor.objects.get(authority=case.authority), invited_at=timezone.now()
        )
        return case
    if action == Action.RECORD_INFORMAL_STEP:
        under_informal_resolution(case, mo)
        return case
    if action == Action.RECORD_INVESTIGATION_REPORT:
        return at_stage(case, Stage.INVESTIGATION)
    if action == Action.RECORD_HEARING:
        parish = world["cases"]["parish"]
        Case.objects.filter(pk=parish.pk).update(outcome=Outcome.INVESTIGATION)
        return at_stage(parish, Stage.HEARING)
    if action in (Action.REQUEST_REVIEW, Action.REOPEN):
        closed_with_no_further_action(case, mo)
        return case
    if action == Action.DECIDE_REVIEW:
        under_review(case, mo)
        return case
    return at_stage(case, Stage.ASSESSMENT)


@pytest.mark.parametrize("action", list(Action))
def test_each_action_page_shows_names_from_data_escaped(client, hostile, action):
    case = _prepare(hostile, action)
    sign_in(client, hostile["users"]["mo"])

    response = client.get(action_url(case, action))

    assert response.status_code == 200
    assert_escaped(response.content.decode(), where=f"the {action} page", shown=action in FROM_DATA)


@pytest.mark.parametrize("action", list(Action))
def test_each_action_page_refused_with_errors_still_shows_names_escaped(client, hostile, action):
    """A form sent back with its errors (labels repeated in the messages) escapes them once."""
    case = _prepare(hostile, action)
    sign_in(client, hostile["users"]["mo"])
    too_long = "x" * 30000
    data = {"version": case.version, **dict.fromkeys(_text_fields(client, case, action), too_long)}

    response = client.post(action_url(case, action), data)

    assert response.status_code in (200, 400)
    assert_escaped(response.content.decode(), where=f"the {action} page with errors", shown=action in FROM_DATA)


def _text_fields(client, case, action) -> list[str]:
    html = client.get(action_url(case, action)).content.decode()
    return re.findall(r'<textarea[^>]*name="([^"]+)"', html)


def test_the_hearing_page_of_a_parish_case_names_its_council_escaped(client, hostile):
    case = _prepare(hostile, Action.RECORD_HEARING)
    sign_in(client, hostile["users"]["mo"])

    html = client.get(action_url(case, Action.RECORD_HEARING)).content.decode()

    assert f"which sanctions does the panel recommend to Ashby {ESCAPED} Parish Council?" in html
    assert f"Ashby {ESCAPED} Parish Council decides; its clerk is told by e-mail." in html


def test_the_councillors_response_box_is_labelled_with_their_name_escaped_once(client, hostile):
    case = _prepare(hostile, Action.RECORD_MEMBER_RESPONSE)
    sign_in(client, hostile["users"]["mo"])

    html = client.get(action_url(case, Action.RECORD_MEMBER_RESPONSE)).content.decode()

    assert f"Cllr Jo {ESCAPED}'s response" in html


@pytest.mark.parametrize(
    "page",
    ["restrict", "takedown", "dashboard", "new", "reports", "working_days", "notice"],
)
def test_other_officer_forms_show_names_from_data_escaped(client, hostile, page):
    world = hostile
    case = world["cases"]["northmoor"]
    user = world["users"]["mo"]
    if page == "restrict":
        url = f"/officer/cases/{case.reference}/complainants/restrict/"
    elif page == "takedown":
        url = f"/officer/cases/{case.reference}/letters/takedowns/new/"
    elif page == "dashboard":
        url = "/officer/"
    elif page == "new":
        url = "/officer/new/"
    elif page == "reports":
        url = "/officer/reports/"
    elif page == "working_days":
        url = "/officer/tools/working-days/"
    else:
        decision = closed_with_no_further_action(case, user)
        url = f"/officer/cases/{case.reference}/decisions/{decision.public_id}/notice/"
    sign_in(client, user)

    response = client.get(url)

    assert response.status_code == 200
    assert_escaped(response.content.decode(), where=url)
