"""One decision for a pile-on: every complainant of the case is told by their own e-mail, no
complainant is named to another, and the case page shows who has been told."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from complaints.models import Councillor, Event, EventKind, OutboxMessage, OutboxStatus, Stage
from complaints.process import Action
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.decisions_data import action_url, add_complaint, at_stage

pytestmark = pytest.mark.django_db

FIRST = ["Amelia", "Bashir", "Ceridwen", "Dmitri", "Eleanor", "Farouk", "Gwendolyn", "Hamish", "Ifeoma", "Jolyon"]
LAST = ["Ashworth", "Brightwater", "Cavendish", "Dunmore", "Ellingham", "Fairweather"]


def people() -> list[tuple[str, str]]:
    return [(f"{first} {last}", f"{first.lower()}.{last.lower()}@example.org") for last in LAST for first in FIRST]


COUNCILLOR_EMAIL = "cllr.jo.bloggs@northmoor.example.gov.uk"


@pytest.fixture
def pile_on(world):
    """The Northmoor case with 60 complaints about one post by Cllr Jo Bloggs, every third confidential."""
    case = at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)
    case.complaints.all().delete()
    councillor = Councillor.objects.create(
        authority=case.authority, name="Jo Bloggs", email=COUNCILLOR_EMAIL, term_start="2023-05-04"
    )
    for number, (name, email) in enumerate(people(), start=1):
        add_complaint(case, number, name=name, email=email, confidential=number % 3 == 0).councillors.add(councillor)
    return case


def decide(client, case, reasons):
    return client.post(
        action_url(case, Action.DECIDE),
        {"version": case.version, "outcome": "no_further_action", "no_further_action_reason": "trivial",
         "reasons": reasons},
    )  # fmt: skip


def body(message: OutboxMessage) -> str:
    return f"{message.to}\n{message.subject}\n" + render_to_string(f"emails/{message.template}.txt", message.context)


def test_sixty_complainants_are_each_told_on_their_own_and_none_is_named_to_another(client, world, pile_on):
    case = pile_on
    everyone = people()
    # The officer's reasons mention two complainants by name, one of them confidential.
    reasons = f"{everyone[0][0]} and {everyone[2][0]} say the post was offensive; it was a joke, badly made."
    sign_in(client, world["users"]["mo"])
    assert decide(client, case, reasons).status_code == 302
    messages = list(OutboxMessage.objects.filter(case=case, template="decision_outcome").select_related("complaint"))
    assert len(messages) == 60
    assert len({message.to for message in messages}) == 60
    for message in messages:
        text = body(message)
        assert message.to == message.complaint.complainant_email
        assert f"Dear {message.complaint.complainant_name}," in text
        assert message.complaint.reference in text
        others = [(name, email) for name, email in everyone if email != message.to]
        for name, email in others:
            assert name not in text and email not in text
            for part in name.split():
                assert not re.search(rf"\b{part}\b", text.replace(message.complaint.complainant_name, "")), (
                    f"{part} leaked into the e-mail to {message.to}"
                )
        assert "no further action" in text
    # Each complainant named in the reasons sees their own name, and nobody else's.
    to_first = next(m for m in messages if m.to == everyone[0][1])
    assert everyone[0][0] in body(to_first) and "[withheld]" in body(to_first)
    event = Event.objects.get(case=case, kind=EventKind.MESSAGE_QUEUED, details__to__isnull=True)
    assert event.actor == world["users"]["mo"]
    assert "e-mailed to 60 complainants, each separately" in event.description
    # The councillor is told too, once, and no confidential complainant is named to them.
    councillor = OutboxMessage.objects.get(case=case, template="decision_outcome_member")
    assert councillor.to == COUNCILLOR_EMAIL
    text = body(councillor)
    assert "Dear Councillor Jo Bloggs," in text and "no further action" in text
    assert "[withheld]" in text
    for number, (name, email) in enumerate(everyone, start=1):
        if number % 3 == 0:
            assert name not in text and email not in text
            assert not re.search(rf"\b{name.split()[0]}\b", text), f"{name} leaked into the councillor's e-mail"
    assert OutboxMessage.objects.filter(case=case).count() == 61


def test_a_complainant_with_several_complaints_is_told_once_per_address(client, world, pile_on):
    case = pile_on
    add_complaint(case, 61, name="Amelia Ashworth", email="AMELIA.ashworth@example.org ")
    add_complaint(case, 62, name="Amelia Ashworth", email="amelia.other@example.org")
    sign_in(client, world["users"]["mo"])
    assert decide(client, case, "Trivial.").status_code == 302
    messages = OutboxMessage.objects.filter(case=case, template="decision_outcome")
    assert messages.count() == 61
    amelia = messages.get(to="amelia.ashworth@example.org")
    assert amelia.context["references"] == [f"{case.reference}-C1", f"{case.reference}-C61"]
    assert f"{case.reference}-C1, {case.reference}-C61" in amelia.subject
    assert messages.filter(to="amelia.other@example.org").count() == 1


def test_the_case_page_shows_who_has_been_told_without_naming_confidential_complainants(client, world, pile_on):
    case = pile_on
    sign_in(client, world["users"]["mo"])
    assert decide(client, case, "Trivial.").status_code == 302
    sent = OutboxMessage.objects.get(to="amelia.ashworth@example.org")
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
    OutboxMessage.objects.filter(to="bashir.ashworth@example.org").update(
        status=OutboxStatus.FAILED, claimed_at=timezone.now()
    )
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    told = html.split('id="told"')[1].split('id="complaints"')[0]
    assert "Decision on your complaint" in told
    assert "Queued: 58" in told and "Sent: 1" in told and "Failed: 1" in told
    complainants, councillors = told.split("Councillors told")
    assert complainants.count("govuk-table__row") == 61  # a header and one row per complaint
    assert "Amelia Ashworth" in told and "Ceridwen Ashworth" not in told
    assert told.count("Confidential complainant") == 20
    assert councillors.count("govuk-table__row") == 2 and "Cllr Jo Bloggs" in councillors
    assert "Queued" in councillors


def test_the_case_page_reads_its_decisions_and_notices_in_a_fixed_number_of_queries(client, world, pile_on):
    case = pile_on
    sign_in(client, world["users"]["mo"])
    url = f"/officer/cases/{case.reference}/"
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    assert decide(client, case, "Trivial.").status_code == 302
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert response.status_code == 200 and "Who has been told" in response.content.decode()
    for number in range(63, 83):
        add_complaint(case, number, name=f"Extra {number}", email=f"extra{number}@example.org")
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(after)
    # Before any decision nothing of them is read (the case has no decision); after it, the
    # decisions, the clauses engaged and breached, steps, reports, reviews, who was told and the
    # public notices: eight more, whatever the number of rows.
    assert len(after) - len(before) == 8
