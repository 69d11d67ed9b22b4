"""The officer workspace end to end in Chromium, against complaints sent through `complaint_submit`.

A Monitoring Officer signs in for the first time (password, then an authenticator app set up from
the QR code page, with the code computed here from the key shown), finds a case by words of its
post (PostgreSQL full-text search), narrows the dashboard by stage and council, links a second
complaint about the same post (same normalised URL, another open case) from the possible
duplicates queue, opens the case page and its evidence (display copy and original), with axe-core's
WCAG 2.2 A/AA checks on every page on the way; then the same dashboard and case page with
JavaScript off.
"""

from __future__ import annotations

import hashlib
import io
import re
from base64 import b32decode
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, Case, Complaint, Councillor, EventKind, OfficerProfile, Stage
from complaints.services.cases import case_stage_set
from complaints.services.complaints import ComplainantDetails, PostDetails, complaint_submit
from complaints.services.evidence_files import evidence_file_store
from tests.browser.conftest import shoot
from tests.browser.test_officer_signin import PASSWORD, SignInPage, phone_code
from tests.complaints.officer.case_data import screenshot_png

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ORIGINAL_TEXT = "The allotment holders on Mill Lane are freeloading parasites."
# The same post as the complainants typed its address: one from the desktop site, one shared from
# the app with tracking noise. Both normalise to https://facebook.com/jo.bloggs/posts/777.
POST_URL = "https://www.facebook.com/jo.bloggs/posts/777"
SAME_POST_SHARED = "https://m.facebook.com/jo.bloggs/posts/777/?mibextid=abc123&fbclid=xyz#comments"


def _complaint(authority, councillor, *, name, email, url, text, evidence=(), days_ago):
    return complaint_submit(
        complainant=ComplainantDetails(name=name, email=email, complainant_type="public"),
        authority=authority,
        councillors=[councillor],
        unlisted_councillor_names="",
        posts=[
            PostDetails(
                platform="facebook",
                account_name="Cllr Jo Bloggs",
                text_reported=text,
                url=url,
                posted_on=date.today() - timedelta(days=days_ago + 2),
                capacity_indicators=["account_name", "council_business"],
            )
        ],
        clauses_not_sure=True,
        evidence=list(evidence),
        no_evidence_reason="" if evidence else "It was deleted before I could take a screenshot.",
        outcome_sought="An apology.",
        previous_complaint="no",
        confidentiality_requested=False,
        now=timezone.now() - timedelta(days=days_ago),
    )


@pytest.fixture
def office(transactional_db):
    """A Monitoring Officer of Northmoor (no authenticator app yet) and three complaints sent online:
    two about the same Ashby Lane parish post in two open cases, one about another Northmoor post."""
    roles.roles_apply()
    northmoor = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    parish = Authority.objects.create(
        name="Ashby Lane Parish Council", slug="ashby-lane", kind="parish", parent=northmoor
    )
    officer = User.objects.create_user("amira", password=PASSWORD, first_name="Amira", last_name="Hussain")
    officer.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=officer, authority=northmoor)

    bloggs = Councillor.objects.create(authority=parish, name="Jo Bloggs", term_start=date(2022, 5, 5))
    smith = Councillor.objects.create(authority=northmoor, name="Alex Smith", term_start=date(2022, 5, 5))
    png = screenshot_png(text="Cllr Jo Bloggs: allotment holders are freeloading parasites")
    stored = evidence_file_store(upload=SimpleUploadedFile("mill-lane-post.png", png, content_type="image/png"))
    first = _complaint(
        parish, bloggs, name="Sam Resident", email="sam@example.com", url=POST_URL, text=ORIGINAL_TEXT,
        evidence=[stored], days_ago=3,
    )  # fmt: skip
    second = _complaint(
        parish, bloggs, name="Dee Neighbour", email="dee@example.com", url=SAME_POST_SHARED,
        text="He insulted the people who rent plots by the railway.", days_ago=1,
    )  # fmt: skip
    other = _complaint(
        northmoor, smith, name="Pat Example", email="pat@example.com", url="https://x.com/cllrsmith/status/42",
        text="A post about the bins being collected late.", days_ago=2,
    )  # fmt: skip
    case_stage_set(case=other.case, stage=Stage.ASSESSMENT, actor=officer)
    assert first.case_id != second.case_id
    assert first.posts.get().normalised_url == second.posts.get().normalised_url
    return {"officer": officer, "first": first, "second": second, "other": other, "png": png}


def _enrol(page, axe) -> bytes:
    """First sign-in: password, then set up the app from the enrolment page; returns the app's key."""
    page.goto("/officer/")
    expect(page).to_have_url(re.compile(r"/officer/login/\?next=/officer/$"))
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    axe(page, label="sign-in")
    SignInPage(page).sign_in("amira", PASSWORD)

    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    axe(page, label="enrolment")
    secret = page.locator("dd", has_text=re.compile(r"^[A-Z2-7 ]{16,}$")).inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Code from your authenticator app").fill(phone_code(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your backup codes")).to_be_visible()
    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    return key


def _case_rows(page):
    return page.get_by_role("table").get_by_role("row").filter(has=page.get_by_role("cell"))


def test_an_officer_signs_in_finds_a_case_by_its_post_links_a_duplicate_and_opens_its_evidence(page, office, axe):
    first, second, other = office["first"], office["second"], office["other"]
    case, duplicate_case = first.case, second.case

    # Sign in for the first time, with a real code from the key on the enrolment page.
    key = _enrol(page, axe)
    assert TOTPDevice.objects.get(user=office["officer"]).confirmed
    assert key

    # The dashboard with no filters: every open case of the council and its parishes.
    assert page.url.endswith("/officer/")
    expect(_case_rows(page)).to_have_count(3)
    for open_case in (case, duplicate_case, other.case):
        expect(page.get_by_role("link", name=open_case.reference, exact=True)).to_be_visible()
    axe(page, label="dashboard without filters")
    shoot(page, "workspace-01-dashboard")

    # Search by a word of the post: full-text search finds "parasites" from "parasite".
    assert connection.vendor == "postgresql"
    expect(page.get_by_text('finds forms of a word too: "racist" finds "racists"')).to_be_visible()
    page.get_by_role("searchbox", name="Search cases").fill("parasite")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 case matching “parasite”")).to_be_visible()
    expect(_case_rows(page)).to_have_count(1)
    expect(_case_rows(page).get_by_role("link", name=case.reference, exact=True)).to_be_visible()
    assert "q=parasite" in page.url

    # Filters (stage and council, here the parish) live in the URL.
    page.get_by_role("searchbox", name="Search cases").fill("")
    page.get_by_role("group", name="Stage").get_by_label("Received", exact=True).check()
    page.get_by_label("Council", exact=True).select_option(label="Ashby Lane Parish Council")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="Selected filters")).to_be_visible()
    assert "stage=received" in page.url and "council=ashby-lane" in page.url
    expect(_case_rows(page)).to_have_count(2)
    expect(page.get_by_role("link", name=other.case.reference, exact=True)).to_have_count(0)
    axe(page, label="dashboard with stage and council filters")
    shoot(page, "workspace-02-dashboard-filtered")

    # The possible duplicates queue suggests the later complaint for the older case; link it.
    page.get_by_role("link", name="Possible duplicates").click()
    expect(page.get_by_role("heading", name="Possible duplicates", level=1)).to_be_visible()
    expect(page.get_by_text("Same post: https://facebook.com/jo.bloggs/posts/777")).to_be_visible()
    axe(page, label="possible duplicates")
    page.get_by_role("button", name=f"Link {second.reference} into case {case.reference}").click()
    expect(page.get_by_text(f"1 complaint linked into case {case.reference}")).to_be_visible()
    expect(page.get_by_text("No possible duplicates among the open cases.")).to_be_visible()
    second.refresh_from_db()
    duplicate_case.refresh_from_db()
    assert second.case_id == case.pk
    assert duplicate_case.stage == Stage.CLOSED
    assert duplicate_case.merged_into_id == case.pk

    # Back on the dashboard, the case now holds both complaints and the emptied case has gone.
    page.goto("/officer/")
    expect(_case_rows(page)).to_have_count(2)
    row = _case_rows(page).filter(has=page.get_by_role("link", name=case.reference, exact=True))
    expect(row.get_by_role("cell").filter(has_text=re.compile(r"^\s*2\s*$"))).to_have_count(1)

    # The case page: both complaints, the post, the evidence gallery; axe on it.
    row.get_by_role("link", name=case.reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/officer/cases/{case.reference}/$"))
    expect(page.get_by_role("link", name="2 complaints")).to_be_visible()
    axe(page, label="case page")
    shoot(page, "workspace-03-case")

    # Its complaints: both of them, each with its complainant; axe on it.
    page.get_by_role("link", name="2 complaints").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: complaints")).to_be_visible()
    expect(page.get_by_text(first.reference).first).to_be_visible()
    expect(page.get_by_text(second.reference).first).to_be_visible()
    axe(page, label="complaints")

    # Its posts and evidence: the post as reported and the gallery; axe on it.
    page.get_by_role("link", name="Posts and evidence").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: posts and evidence")).to_be_visible()
    expect(page.get_by_text(ORIGINAL_TEXT).first).to_be_visible()
    evidence = case.evidence.get()
    expect(page.get_by_text(evidence.sha256)).to_be_visible()
    expect(page.get_by_role("img", name="Display copy of mill-lane-post.png")).to_be_visible()
    axe(page, label="posts and evidence")
    shoot(page, "workspace-03-evidence")

    # The display copy opens as an image; the original downloads byte for byte.
    with page.expect_response(lambda r: "/display/" in r.url and r.request.resource_type == "document") as shown:
        page.get_by_role("link", name="Open the display copy of mill-lane-post.png").click()
    response = shown.value
    assert response.status == 200
    assert response.headers["content-type"].startswith("image/")
    with Image.open(io.BytesIO(response.body())) as image:
        assert image.size == (evidence.width, evidence.height)
    page.go_back()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: posts and evidence")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the original of mill-lane-post.png").click()
    original = Path(download.value.path()).read_bytes()
    assert original == office["png"]
    assert hashlib.sha256(original).hexdigest() == evidence.sha256

    # Each look was recorded against the officer.
    kinds = set(case.events.filter(actor=office["officer"]).values_list("kind", flat=True))
    assert {EventKind.CASE_VIEWED, EventKind.EVIDENCE_VIEWED} <= kinds


def test_the_dashboard_filters_and_the_case_timeline_work_without_javascript(nojs_page, office):
    page = nojs_page
    case, other = office["first"].case, office["other"].case
    device = TOTPDevice.objects.create(user=office["officer"], name="Authenticator app", confirmed=True)
    page.goto("/officer/")
    SignInPage(page).sign_in("amira", PASSWORD)
    page.get_by_label("Code").fill(phone_code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    expect(_case_rows(page)).to_have_count(3)

    # Filters are applied by submitting the form, as GET parameters.
    page.get_by_role("group", name="Stage").get_by_label("Initial assessment", exact=True).check()
    page.get_by_label("Council", exact=True).select_option(
        label="Northmoor District Council, with its parish and town councils"
    )
    page.get_by_role("button", name="Apply filters").click()
    assert "stage=assessment" in page.url and "council=northmoor" in page.url
    expect(page.get_by_role("heading", name="Selected filters")).to_be_visible()
    expect(_case_rows(page)).to_have_count(1)
    expect(page.get_by_role("link", name=other.reference, exact=True)).to_be_visible()

    # Removing a filter is a link; the search submits the same form.
    page.get_by_role("link", name="Remove this filter Initial assessment").click()
    expect(_case_rows(page)).to_have_count(3)
    page.get_by_role("searchbox", name="Search cases").fill("allotment parasites")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 case matching “allotment parasites”")).to_be_visible()
    shoot(page, "workspace-04-dashboard-nojs")

    # The case page, its timeline and the timeline's filter.
    page.get_by_role("link", name=case.reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}", exact=True)).to_be_visible()
    page.get_by_role("link", name="Timeline").click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}: timeline")).to_be_visible()
    page.get_by_label("Show").select_option(label="Case opened")
    page.get_by_role("button", name="Show events").click()
    expect(page.get_by_text("1 event of the kind “Case opened”")).to_be_visible()
    expect(page.locator(".moj-timeline__item")).to_have_count(1)
    expect(page.locator(".moj-timeline__item")).to_contain_text(f"Case {case.reference} opened")
    page.get_by_role("link", name="Show every kind of event").click()
    expect(page.get_by_text(re.compile(r"^\s*\d+ events, newest first"))).to_be_visible()
    shoot(page, "workspace-05-case-nojs")
    assert Complaint.objects.filter(case=case).count() == 1
    assert Case.objects.filter(pk=other.pk, stage=Stage.ASSESSMENT).exists()
