"""Every list, count, search and queue of the dashboard goes through the access rule.

The expected cases per user are written out (conftest.py: case 1 is Northmoor's, case 2 its
parish's with an appointed investigator, case 3 Southshire's; the IP is consulted on case 1 and
the conflicted officer declared a conflict on it).
"""

from __future__ import annotations

import pytest

from complaints.models import Case
from tests.complaints.officer.dashboard_data import make_case
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db

N1, P2, S3 = "MO-2026-00001", "MO-2026-00002", "MO-2026-00003"
EXPECTED = {
    "mo": {N1, P2},
    "deputy": {N1, P2},
    "case_officer": {N1, P2},
    "conflicted_officer": {P2},
    "other_council_officer": {S3},
    "investigator": {P2},
    "unappointed_investigator": set(),
    "independent_person": {N1},
    "unconsulted_ip": set(),
    "committee_member": set(),
    "system_administrator": set(),
}


@pytest.mark.parametrize(("who", "expected"), sorted(EXPECTED.items()))
def test_the_dashboard_lists_counts_and_searches_only_what_the_user_may_see(client, world, who, expected):
    sign_in(client, world["users"][who])
    response = client.get("/officer/")
    assert response.status_code == 200
    assert {row.reference for row in response.context["rows"]} == expected
    counts = response.context["counts"]
    assert counts.open == len(expected) and counts.unassigned == len(expected)
    assert sum(stage.count for stage in counts.stages) == len(expected)
    html = response.content.decode()
    for reference in {N1, P2, S3} - expected:
        assert reference not in html
    found = client.get("/officer/", {"q": "Complainant"})
    assert {row.reference for row in found.context["rows"]} == expected
    for reference in {N1, P2, S3}:
        found = client.get("/officer/", {"q": reference})
        assert {row.reference for row in found.context["rows"]} == {reference} & expected
    queue = client.get("/officer/new/")
    assert {row.reference for row in queue.context["rows"]} == expected


@pytest.mark.parametrize(("who", "expected"), sorted(EXPECTED.items()))
def test_the_duplicates_queue_only_suggests_cases_the_user_may_see(client, world, who, expected):
    post = "https://x.com/someone/status/1"
    councils = world["councils"]
    extra = {
        "northmoor": make_case(councils["northmoor"], url=post),
        "southshire": make_case(councils["southshire"], url=post),
    }
    for reference in (N1, P2, S3):
        case = Case.objects.get(reference=reference)
        complaint = case.complaints.get()
        complaint.posts.create(
            case=case, platform="x", url=post, normalised_url=post, account_name="a", text_reported="t"
        )
    sign_in(client, world["users"][who])
    response = client.get("/officer/duplicates/")
    assert response.status_code == 200
    shown = set()
    for group in response.context["groups"]:
        shown.add(group.target.reference)
        shown |= {suggestion.complaint.case.reference for suggestion in group.suggestions}
    # The new cases belong to a council: its officers see them, investigators and IPs do not.
    council_of = {"mo": "northmoor", "deputy": "northmoor", "case_officer": "northmoor"}
    council_of |= {"conflicted_officer": "northmoor", "other_council_officer": "southshire"}
    visible_extra = {extra[council_of[who]].reference} if who in council_of else set()
    possible = expected | visible_extra
    assert shown <= possible
    if len(possible) > 1:
        assert shown == possible


def test_a_user_with_no_role_is_refused_the_dashboard_and_its_queues(client, world):
    sign_in(client, world["users"]["no_role"])
    for url in ("/officer/", "/officer/new/", "/officer/duplicates/"):
        assert client.get(url).status_code == 403
    assert client.post("/officer/assign/", {"cases": [N1], "officer": "unassigned"}).status_code == 403


def test_a_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, world):
    for url in ("/officer/", "/officer/new/", "/officer/duplicates/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
