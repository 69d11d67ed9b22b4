"""The public register at /decisions/: published notices only, newest first, filters in the
address (checked, with GOV.UK messages for bad values), pages, and 404 for anything unpublished."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from complaints.models import DecisionNotice, Outcome
from complaints.services.notices import notice_publish, notice_withdraw
from tests.complaints.notices.conftest import make_decision

pytestmark = pytest.mark.django_db


def published(case, user, **fields) -> DecisionNotice:
    return notice_publish(decision=make_decision(case, user, **fields), actor=user)


def listed(client, query: str = "") -> tuple[int, str]:
    response = client.get(f"/decisions/{query}")
    return response.status_code, response.content.decode()


def test_unpublished_and_withdrawn_notices_answer_404_by_their_address(client, world, northmoor):
    mo = world["users"]["mo"]
    draft = make_decision(northmoor, mo)
    DecisionNotice.objects.create(decision=draft, statement_of_facts="Not yet.")
    withdrawn = published(northmoor, mo, outcome=Outcome.NO_BREACH)
    notice_withdraw(decision=withdrawn.decision, reason="Published too early.", actor=mo)

    for public_id in (draft.notice.public_id, withdrawn.public_id, draft.public_id, uuid.uuid4()):
        assert client.get(f"/decisions/{public_id}/").status_code == 404
        assert client.get(f"/decisions/{public_id}/notice.pdf").status_code == 404
    assert client.get("/decisions/not-a-uuid/").status_code == 404
    status, html = listed(client)
    assert status == 200 and "No decision notices have been published yet." in html


def test_it_lists_published_notices_newest_decision_first(client, world, northmoor):
    mo = world["users"]["mo"]
    older = published(northmoor, mo, decided_on=date(2025, 11, 3))
    newer = published(northmoor, mo, outcome=Outcome.NO_BREACH, decided_on=date(2026, 5, 6))

    status, html = listed(client)

    assert status == 200
    assert "2 decision notices" in html
    assert html.index(str(newer.public_id)) < html.index(str(older.public_id))
    assert "No breach found: a member of Northmoor District Council" in html
    assert "Breach found: Councillor Jo Bloggs" in html


@pytest.fixture
def three(world, northmoor, parish_case):
    mo = world["users"]["mo"]
    return {
        "district_2025": published(northmoor, mo, outcome=Outcome.BREACH, decided_on=date(2025, 10, 1)),
        "district_2026": published(northmoor, mo, outcome=Outcome.NO_BREACH, decided_on=date(2026, 2, 1)),
        "parish_2026": published(parish_case, mo, outcome=Outcome.BREACH, decided_on=date(2026, 3, 1), reasons="Rude."),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"district_2025", "district_2026", "parish_2026"}),
        ("?council=northmoor", {"district_2025", "district_2026", "parish_2026"}),  # with its parishes
        ("?council=ashby-lane", {"parish_2026"}),
        ("?year=2025", {"district_2025"}),
        ("?year=2026&outcome=breach", {"parish_2026"}),
        ("?outcome=no_breach", {"district_2026"}),
        ("?council=ashby-lane&outcome=no_breach", set()),
    ],
)
def test_the_filters_narrow_the_register(client, three, query, expected):
    status, html = listed(client, query)
    assert status == 200
    assert {name for name, notice in three.items() if str(notice.public_id) in html} == expected
    if not expected:
        assert "No published decision notices match these filters." in html


def test_the_council_list_offers_parish_councils_under_their_principal_council(client, three):
    _, html = listed(client)
    assert '<optgroup label="Northmoor District Council and its parish and town councils">' in html
    assert '<option value="ashby-lane">Ashby Lane Parish Council</option>' in html
    _, chosen = listed(client, "?council=ashby-lane&year=2026")
    assert '<option value="ashby-lane" selected>' in chosen and '<option value="2026" selected>' in chosen


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?council=atlantis", "Select a council from the list"),
        ("?year=1066", "Select a year from the list"),
        ("?year=twenty", "Select a year from the list"),
        ("?outcome=hanged", "Select an outcome from the list"),
        ("?page=abc", "The page number must be a whole number, like 2"),
        ("?page=-1", "The page number must be a whole number, like 2"),
        ("?page=99", "There is no page 99: the register has 1 page"),
        ("?council=%C3%A9&year=%F0%9F%98%80&outcome=" + "x" * 5000, "Select a council from the list"),
    ],
)
def test_a_bad_filter_value_gets_a_message_and_never_a_500(client, three, query, message):
    status, html = listed(client, query)
    assert status == 400
    assert "There is a problem" in html and message in html
    assert str(three["district_2025"].public_id) in html  # the bad value is left out, the rest still shown


def test_a_good_filter_still_applies_next_to_a_bad_one(client, three):
    status, html = listed(client, "?council=ashby-lane&year=1999")
    assert status == 400 and "Select a year from the list" in html
    assert {name for name, notice in three.items() if str(notice.public_id) in html} == {"parish_2026"}


def test_the_register_has_pages_that_keep_the_filters(client, world, northmoor):
    mo = world["users"]["mo"]
    for day in range(1, 23):
        published(northmoor, mo, outcome=Outcome.NO_BREACH, decided_on=date(2026, 1, day))

    _, first = listed(client, "?outcome=no_breach")
    status, second = listed(client, "?outcome=no_breach&page=2")

    assert "22 decision notices found" in first
    assert "showing 1 to 20" in first and 'href="?outcome=no_breach&amp;page=2"' in first
    assert status == 200 and "showing 21 to 22" in second


def test_the_start_page_the_footer_and_the_guidance_link_to_the_register(client, db):
    for path in ("/", "/guidance/", "/privacy/"):
        assert 'href="/decisions/"' in client.get(path).content.decode(), path
