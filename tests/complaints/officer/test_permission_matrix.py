# ruff: noqa: E501 (the matrix below is a table, one row per role)
"""Who may do what in the officer workspace, written out as tables: every role against every
officer URL, file download, list, search and count.

The cases (conftest.py `world`): N1 is Northmoor District Council's, P2 is its parish's (with the
appointed investigator), S3 is Southshire's. The Independent Person is consulted on N1 and the
conflicted officer declared a conflict on N1. Each case has one complaint and one screenshot.

The expected answers are typed in, not derived from the code: change a rule and these tables
must be changed with it, on purpose.
"""

from __future__ import annotations

import pytest
from django.test import Client

from complaints.models import EventKind
from tests.complaints.officer.case_data import screenshot_png, store_screenshot
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db

N1, P2, S3 = "MO-2026-00001", "MO-2026-00002", "MO-2026-00003"

# The requests, in the order they are made (the ones that change something come last).
COLUMNS = (
    "dashboard",  # GET /officer/
    "new",  # GET /officer/new/
    "duplicates",  # GET /officer/duplicates/
    "case N1",  # GET /officer/cases/N1/
    "case P2",
    "case S3",
    "complaints N1",  # GET /officer/cases/N1/complaints/
    "complaints P2",
    "complaints S3",
    "evidence N1",  # GET /officer/cases/N1/evidence/ (posts and evidence)
    "evidence P2",
    "evidence S3",
    "timeline N1",  # GET /officer/cases/N1/timeline/?kind=note
    "timeline P2",
    "timeline S3",
    "code N1",  # GET /officer/cases/N1/code/
    "code P2",
    "code S3",
    "original N1",  # GET /evidence/<id>/original/
    "display N1",  # GET /evidence/<id>/display/
    "original P2",
    "display P2",
    "original S3",
    "display S3",
    "assign N1",  # POST /officer/assign/
    "dismiss P2 from N1",  # POST /officer/duplicates/dismiss/
    "link P2 into N1",  # POST /officer/duplicates/link/
)

# 302 = sent to sign in (anonymous) or back to the list after a change; 400 = the form refuses a
# case the user cannot see; 403 = no role in the workspace, or a role that may not change cases;
# 404 = a record the user may not know exists.
# fmt: off
MATRIX = {
    #                           dsh new dup cN1 cP2 cS3 pN1 pP2 pS3 eN1 eP2 eS3 tN1 tP2 tS3 kN1 kP2 kS3 oN1 dN1 oP2 dP2 oS3 dS3 asg dis lnk
    "mo":                      (200,200,200,200,200,404,200,200,404,200,200,404,200,200,404,200,200,404,200,200,200,200,404,404,302,302,302),
    "deputy":                  (200,200,200,200,200,404,200,200,404,200,200,404,200,200,404,200,200,404,200,200,200,200,404,404,302,302,302),
    "case_officer":            (200,200,200,200,200,404,200,200,404,200,200,404,200,200,404,200,200,404,200,200,200,200,404,404,302,302,302),
    "investigator":            (200,200,200,404,200,404,404,200,404,404,200,404,404,200,404,404,200,404,404,404,200,200,404,404,403,403,403),
    "unappointed_investigator":(200,200,200,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,403,403,403),
    "independent_person":      (200,200,200,200,404,404,200,404,404,200,404,404,200,404,404,200,404,404,200,200,404,404,404,404,403,403,403),
    "unconsulted_ip":          (200,200,200,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,403,403,403),
    "committee_member":        (200,200,200,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,403,403,403),
    "system_administrator":    (200,200,200,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,404,403,403,403),
    "no_role":                 (403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,403,404,404,404,404,404,404,403,403,403),
    "other_council_officer":   (200,200,200,404,404,200,404,404,200,404,404,200,404,404,200,404,404,200,404,404,404,404,200,200,400,404,404),
    "conflicted_officer":      (200,200,200,404,200,404,404,200,404,404,200,404,404,200,404,404,200,404,404,404,200,200,404,404,400,404,404),
    "anonymous":               (302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302,302),
}
# fmt: on

# What each user's dashboard lists, finds and counts (open cases), and which case references
# appear anywhere in its HTML.
VISIBLE = {
    "mo": {N1, P2},
    "deputy": {N1, P2},
    "case_officer": {N1, P2},
    "investigator": {P2},
    "unappointed_investigator": set(),
    "independent_person": {N1},
    "unconsulted_ip": set(),
    "committee_member": set(),
    "system_administrator": set(),
    "other_council_officer": {S3},
    "conflicted_officer": {P2},
}


@pytest.fixture
def office(world):
    cases = world["cases"]
    evidence = {}
    for name, reference in (("northmoor", N1), ("parish", P2), ("southshire", S3)):
        case = cases[name]
        evidence[reference] = store_screenshot(
            case, case.complaints.get(), None, f"{reference}.png", screenshot_png(shade=len(evidence))
        )
    return {**world, "evidence": evidence}


def _requests(office):
    evidence = office["evidence"]
    gets = {
        "dashboard": "/officer/",
        "new": "/officer/new/",
        "duplicates": "/officer/duplicates/",
        "case N1": f"/officer/cases/{N1}/",
        "case P2": f"/officer/cases/{P2}/",
        "case S3": f"/officer/cases/{S3}/",
        "complaints N1": f"/officer/cases/{N1}/complaints/",
        "complaints P2": f"/officer/cases/{P2}/complaints/",
        "complaints S3": f"/officer/cases/{S3}/complaints/",
        "evidence N1": f"/officer/cases/{N1}/evidence/",
        "evidence P2": f"/officer/cases/{P2}/evidence/",
        "evidence S3": f"/officer/cases/{S3}/evidence/",
        "timeline N1": f"/officer/cases/{N1}/timeline/?kind={EventKind.NOTE}",
        "timeline P2": f"/officer/cases/{P2}/timeline/",
        "timeline S3": f"/officer/cases/{S3}/timeline/",
        "code N1": f"/officer/cases/{N1}/code/",
        "code P2": f"/officer/cases/{P2}/code/",
        "code S3": f"/officer/cases/{S3}/code/",
    }
    for short, reference in (("N1", N1), ("P2", P2), ("S3", S3)):
        gets[f"original {short}"] = f"/evidence/{evidence[reference].public_id}/original/"
        gets[f"display {short}"] = f"/evidence/{evidence[reference].public_id}/display/"
    posts = {
        "assign N1": ("/officer/assign/", {"cases": [N1], "officer": "unassigned"}),
        "dismiss P2 from N1": ("/officer/duplicates/dismiss/", {"complaint": f"{P2}-C1", "case": N1}),
        "link P2 into N1": ("/officer/duplicates/link/", {"complaints": f"{P2}-C1", "into": N1}),
    }
    for column in COLUMNS:
        if column in gets:
            yield column, "GET", gets[column], None
        else:
            yield column, "POST", *posts[column]


def test_the_matrix_covers_every_role_and_column():
    assert len(MATRIX) == 13
    assert all(len(row) == len(COLUMNS) for row in MATRIX.values())
    assert set(VISIBLE) == set(MATRIX) - {"no_role", "anonymous"}


@pytest.mark.parametrize("who", MATRIX)
def test_each_role_gets_exactly_the_answers_in_the_table(office, who):
    client = Client()
    if who != "anonymous":
        sign_in(client, office["users"][who])
    answers = {}
    for column, method, url, data in _requests(office):
        response = client.get(url) if method == "GET" else client.post(url, data)
        answers[column] = response.status_code
        if who == "anonymous":
            assert "login" in response["Location"], column
    assert answers == dict(zip(COLUMNS, MATRIX[who], strict=True))


@pytest.mark.parametrize("who", VISIBLE)
def test_lists_searches_counts_and_pages_show_only_the_cases_in_the_table(client, office, who):
    expected = VISIBLE[who]
    sign_in(client, office["users"][who])
    for url, params in (
        ("/officer/", {}),
        ("/officer/", {"q": "Complainant"}),
        ("/officer/new/", {}),
        ("/officer/duplicates/", {}),
    ):
        response = client.get(url, params)
        html = response.content.decode()
        for reference in {N1, P2, S3} - expected:
            assert reference not in html, (url, params, reference)
        if "rows" in response.context:
            assert {row.reference for row in response.context["rows"]} == expected
            assert response.context["counts"].open == len(expected)
    for reference in expected:
        for sub_page in ("", "complaints/", "evidence/", "timeline/", "code/"):
            html = client.get(f"/officer/cases/{reference}/{sub_page}").content.decode()
            for other in {N1, P2, S3} - {reference}:
                assert other not in html, (reference, sub_page, other)
        html = client.get(f"/officer/cases/{reference}/complaints/").content.decode()
        assert f"Complainant {int(reference[-1])}" in html
