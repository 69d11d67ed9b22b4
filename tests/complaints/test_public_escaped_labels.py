"""The public complaint form and the register build choices from the council's data (council,
councillor and clause names): a name like <script>alert(1)</script> shows as text, escaped once."""

import pytest
from django.urls import reverse

from guidance.models import Clause
from tests.complaints.journey import POST, Journey
from tests.factories import make_code, make_councillor, make_district, make_parish

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_escaped(html: str, *, where: str):
    assert XSS not in html, f"markup from data reached {where} unescaped"
    assert "&amp;lt;script" not in html, f"data was escaped twice on {where}"
    assert ESCAPED in html, f"{where} does not show the hostile name"


@pytest.fixture
def council():
    district = make_district(name=f"Northmoor {XSS} Council")
    make_parish(district, name=f"Ashby {XSS} Parish Council")
    code = make_code(district)
    Clause.objects.filter(code=code).update(heading=f"Respect {XSS}")
    make_councillor(district, f"Jo {XSS}", ward=f"Ward {XSS}")
    return district


@pytest.mark.parametrize("many", [False, True], ids=["radios", "select"])
def test_the_council_question_shows_council_names_escaped(client, council, many):
    if many:
        for number in range(12):
            make_parish(council, name=f"Parish {number} {XSS}", slug=f"parish-{number}")
    journey = Journey(client)
    assert journey.about().status_code == 302

    assert_escaped(client.get(reverse("complain:council")).content.decode(), where="the council question")


def test_the_councillor_and_clause_questions_show_names_and_headings_escaped(client, council):
    journey = Journey(client)
    assert journey.about().status_code == 302
    assert journey.council(council).status_code == 302

    assert_escaped(client.get(reverse("complain:councillors")).content.decode(), where="the councillor question")

    assert journey.councillors(unlisted="Someone else").status_code == 302
    assert journey.add_post(**{**POST, "posted_on_2": "2026"}).status_code == 302
    assert journey.no_more_posts().status_code == 302
    assert_escaped(client.get(reverse("complain:clauses")).content.decode(), where="the clause question")


def test_the_registers_council_filter_shows_council_names_escaped(client, council):
    assert_escaped(client.get("/decisions/").content.decode(), where="the register of decision notices")
