"""Consulting an Independent Person: the MO chooses one of the council's IPs and asks a question;
the IP then sees that case only, and records their view on a page of their own."""

from __future__ import annotations

import pytest

from complaints.models import Consultation, Event, EventKind, OutboxMessage, Stage
from tests.complaints.officer.signin import sign_in
from tests.complaints.process.intake_data import action_url, at_stage, independent_persons

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(world):
    return at_stage(world["cases"]["northmoor"], Stage.ASSESSMENT)


def consultation_url(case):
    return f"/officer/cases/{case.reference}/consultation/"


def test_the_mo_consults_an_independent_person_of_the_council_who_then_sees_only_that_case(client, world, case):
    first, second = independent_persons(world)
    mo = world["users"]["mo"]
    sign_in(client, mo)
    page = client.get(action_url(case, "consult_ip")).content.decode()
    assert "section 28(7)" in page
    assert "Colin Garside" in page and "Ip Test (already consulted)" in page
    assert "Other_Ip" not in page  # an IP of no council here is not offered
    response = client.post(
        action_url(case, "consult_ip"),
        {"version": 0, "independent_person": "ip2", "question": "Should this be investigated?"},
    )
    assert response.status_code == 302
    consultation = Consultation.objects.get(case=case, independent_person=second)
    assert consultation.requested_by == mo and consultation.question == "Should this be investigated?"
    event = Event.objects.get(case=case, kind=EventKind.IP_CONSULTED)
    assert event.actor == mo and event.description == "Colin Garside (Independent Person) consulted"
    [message] = OutboxMessage.objects.filter(case=case, template="ip_consultation")
    assert message.to == "ip2@example.org"
    assert message.context["url"].endswith(consultation_url(case))

    client.logout()
    sign_in(client, second)
    assert client.get(f"/officer/cases/{case.reference}/").status_code == 200
    assert client.get(f"/officer/cases/{world['cases']['parish'].reference}/").status_code == 404


def test_an_independent_person_already_consulted_cannot_be_consulted_again(client, world, case):
    independent_persons(world)
    sign_in(client, world["users"]["mo"])
    response = client.post(
        action_url(case, "consult_ip"), {"version": 0, "independent_person": "ip", "question": "Again?"}
    )
    assert response.status_code == 400
    assert "Ip Test has already been consulted on this case" in response.content.decode()
    assert Consultation.objects.filter(case=case).count() == 1


def test_the_consulted_ip_records_their_view_and_the_case_page_shows_when_it_arrived(client, world, case):
    ip = world["users"]["independent_person"]
    sign_in(client, ip)
    case_page = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert f'href="{consultation_url(case)}"' in case_page
    page = client.get(consultation_url(case))
    assert page.status_code == 200 and "Your view as Independent Person" in page.content.decode()
    response = client.post(consultation_url(case), {"view": "It is not serious enough to investigate."})
    assert response.status_code == 302
    consultation = Consultation.objects.get(case=case, independent_person=ip)
    assert consultation.view == "It is not serious enough to investigate."
    assert consultation.view_recorded_at is not None
    event = Event.objects.get(case=case, kind=EventKind.IP_VIEW_RECORDED)
    assert event.actor == ip

    again = client.post(consultation_url(case), {"view": "Changed my mind."})
    assert again.status_code == 200 and "It is not serious enough to investigate." in again.content.decode()
    assert Event.objects.filter(case=case, kind=EventKind.IP_VIEW_RECORDED).count() == 1

    client.logout()
    sign_in(client, world["users"]["mo"])
    html = client.get(f"/officer/cases/{case.reference}/").content.decode()
    assert "Independent Person" in html and "View received" in html
    assert "It is not serious enough to investigate." in html


def test_an_empty_view_is_an_error_and_nothing_is_recorded(client, world, case):
    sign_in(client, world["users"]["independent_person"])
    response = client.post(consultation_url(case), {"view": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html and "Enter your view" in html
    assert Consultation.objects.get(case=case).view_recorded_at is None


@pytest.mark.parametrize("who", ["unconsulted_ip", "case_officer", "mo", "committee_member", "conflicted_officer"])
def test_only_the_consulted_ip_has_the_consultation_page(client, world, case, who):
    sign_in(client, world["users"][who])
    assert client.get(consultation_url(case)).status_code == 404
    assert client.post(consultation_url(case), {"view": "Mine."}).status_code == 404
    assert not Event.objects.filter(case=case, kind=EventKind.IP_VIEW_RECORDED).exists()
