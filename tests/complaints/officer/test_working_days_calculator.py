"""The working-day calculator at /officer/tools/working-days/ over HTTP: the due date and its
sentence, a council's closure days, GOV.UK error messages for every bad value, and who may use it."""

from datetime import date

import pytest

from complaints.models import ClosureDay
from tests.complaints.officer.signin import sign_in

URL = "/officer/tools/working-days/"


def ask(client, **values):
    params = {"start_day": "23", "start_month": "12", "start_year": "2026", "days": "5", "nation": "ENG"}
    params.update(values)
    return client.get(URL, {k: v for k, v in params.items() if v is not None})


@pytest.fixture
def officer_client(client, world):
    sign_in(client, world["users"]["case_officer"])
    return client


def test_the_empty_form_has_no_errors(officer_client):
    response = officer_client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Working-day calculator" in text
    assert "There is a problem" not in text
    assert 'aria-current="page"' in text  # the navigation marks where the officer is


def test_it_gives_the_due_date_and_the_sentence(officer_client):
    response = ask(officer_client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Due Monday 4 January 2027" in text
    assert (
        "5 working days from Wed 23 Dec 2026, excluding weekends and England and Wales bank holidays:"
        " due Mon 4 Jan 2027." in text
    )


def test_scotland_counts_its_own_bank_holidays(officer_client):
    response = ask(officer_client, start_day="27", start_month="11", days="1", nation="SCT")
    assert "Due Tuesday 1 December 2026" in response.content.decode()
    assert "Saint Andrew&#x27;s Day (Mon 30 Nov 2026)" in response.content.decode()


def test_a_chosen_council_adds_its_closure_days(officer_client, world):
    ClosureDay.objects.create(
        authority=world["councils"]["northmoor"], day=date(2026, 12, 24), reason="Christmas shutdown"
    )
    response = ask(officer_client, council="northmoor")
    text = response.content.decode()
    assert "Due Tuesday 5 January 2027" in text
    assert "and the council&#x27;s closure days" in text
    assert "Due Monday 4 January 2027" in ask(officer_client, council="southshire").content.decode()


@pytest.mark.parametrize(
    ("values", "message", "anchor"),
    [
        ({"start_day": "", "start_month": "", "start_year": ""}, "Enter the start date", "id_start_day"),
        ({"start_month": ""}, "The start date must include a month", "id_start_month"),
        ({"start_day": "31", "start_month": "2"}, "The start date must be a real date", "id_start_day"),
        ({"start_year": "twenty"}, "The start date must be a real date", "id_start_year"),
        ({"start_year": "1999"}, "The start date must be between 2000 and 2060", "id_start_year"),
        ({"days": ""}, "Enter the number of working days", "id_days"),
        ({"days": "-3"}, "The number of working days must be 0 or more", "id_days"),
        ({"days": "2.5"}, "The number of working days must be a whole number, like 20", "id_days"),
        ({"days": "100000"}, "The number of working days must be 1,000 or fewer", "id_days"),
        ({"nation": None}, "Select whose bank holidays apply", "id_nation_1"),
        ({"nation": "XYZ"}, "Select whose bank holidays apply", "id_nation_1"),
        ({"council": "atlantis"}, "Select a council from the list", "id_council"),
        ({"council": "ashby-lane"}, "Select a council from the list", "id_council"),  # parishes follow theirs
        (
            {"council": "northmoor", "nation": "SCT"},
            "Northmoor District Council is in England: select England or no council",
            "id_council",
        ),
    ],
)
def test_every_bad_value_gets_a_gov_uk_error_message(officer_client, values, message, anchor):
    response = ask(officer_client, **values)
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is a problem" in text
    assert f'<a href="#{anchor}">{message}</a>' in text.replace("&#x27;", "'")
    assert '<span class="govuk-visually-hidden">Error:</span>' in text
    assert "<title>Error: " in text
    assert "Due " not in text.split("There is a problem")[1].split("<form")[0]


def test_signed_out_visitors_are_sent_to_sign_in_and_people_without_a_role_are_refused(client, world):
    assert client.get(URL).status_code == 302
    sign_in(client, world["users"]["no_role"])
    assert client.get(URL).status_code == 403


def test_it_only_answers_get(officer_client):
    assert officer_client.post(URL, {"days": "5"}).status_code == 405
