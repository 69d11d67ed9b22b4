"""The case page: what it shows, what it hides, what it records, and that it costs a fixed number
of queries however big the case is."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint, ConflictOfInterest, Event, EventKind, SocialMediaPost
from complaints.services.events import event_record
from complaints.services.posts import url_normalise
from tests.complaints.officer.case_data import case_with_history, screenshot_png, store_screenshot
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_case(world):
    case = case_with_history(world["councils"]["northmoor"])
    ConflictOfInterest.objects.create(
        case=case, officer=world["users"]["conflicted_officer"], reason="Neighbour", declared_at=case.opened_at
    )
    return case


def page(client, case, **params):
    return client.get(f"/officer/cases/{case.reference}/", params)


def complaints(client, case):
    return client.get(f"/officer/cases/{case.reference}/complaints/")


def evidence_page(client, case):
    return client.get(f"/officer/cases/{case.reference}/evidence/")


def timeline(client, case, **params):
    return client.get(f"/officer/cases/{case.reference}/timeline/", params)


def test_it_marks_a_confidential_complainant_and_never_names_them(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    summary = page(client, big_case).content.decode()
    assert "2 complaints</a>, 1 from a complainant who asked for confidentiality" in summary
    assert "Secret Complainant" not in summary and "secret@example.com" not in summary
    response = complaints(client, big_case)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Complainant" in html
    assert "Secret Complainant" not in html
    assert "secret@example.com" not in html
    assert "Confidential complainant" in html
    assert "Name withheld" in html


def test_it_says_whether_the_councillor_was_in_office_on_the_date_of_each_post(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    html = page(client, big_case).content.decode()
    assert "Term: 2 May 2019 to 6 May 2026" in html
    assert "In office</strong> on 2 June 2025, the date of the post in MO-2026-00500-C1" in html
    assert "Not in office</strong> on 20 September 2026, the date of the post in MO-2026-00500-C2" in html


def test_the_code_page_shows_the_code_in_force_on_each_posts_date_with_the_clauses_alleged(client, world, big_case):
    sign_in(client, world["users"]["case_officer"])
    case_page = page(client, big_case).content.decode()
    assert f'href="/officer/cases/{big_case.reference}/code/"' in case_page

    response = client.get(f"/officer/cases/{big_case.reference}/code/")
    assert response.status_code == 200
    codes = response.context["codes"]
    assert [(item.post.posted_on.isoformat(), item.code.version) for item in codes] == [
        ("2025-06-02", "2020"),
        ("2026-09-20", "2026 revision"),
    ]
    assert [(c.number, c.heading) for c in codes[0].clauses] == [("1", "Respect")]
    assert [(c.number, c.heading) for c in codes[1].clauses] == [
        ("1", "Respect and courtesy online"),
        ("11", "Social media"),
    ]
    html = response.content.decode()
    assert "From 1 May 2020 to 31 December 2025" in html
    assert "From 1 January 2026" in html
    assert html.count(">Alleged</strong>") == 3


def test_a_post_whose_date_falls_in_the_other_version_gets_that_version(client, world, big_case):
    SocialMediaPost.objects.filter(complaint__reference="MO-2026-00500-C2").update(posted_on="2025-12-31")
    sign_in(client, world["users"]["mo"])
    codes = client.get(f"/officer/cases/{big_case.reference}/code/").context["codes"]
    assert [item.code.version for item in codes] == ["2020", "2020"]
    # Clause 1 alleged against the 2026 text is clause 1 of the 2020 text; clause 11 did not exist then.
    assert [c.heading for c in codes[1].clauses] == ["Respect"]
    assert [c.number for c in codes[1].other_clauses] == ["11"]


def test_the_evidence_gallery_shows_file_name_hash_upload_time_and_download_links(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    html = evidence_page(client, big_case).content.decode()
    for evidence in big_case.evidence.all():
        assert evidence.original_name in html
        assert evidence.sha256 in html
        assert f"/evidence/{evidence.public_id}/original/" in html
        assert f"/evidence/{evidence.public_id}/display/" in html
    assert "1 October 2026, 11:00" in html or "1 October 2026, 10:00" in html


def test_near_duplicate_screenshots_are_marked(client, world, big_case):
    complaint = big_case.complaints.first()
    store_screenshot(big_case, complaint, None, "same-again.png", screenshot_png(shade=1))
    sign_in(client, world["users"]["mo"])
    response = evidence_page(client, big_case)
    gallery = {item.evidence.original_name: item for item in response.context["data"].gallery}
    assert "same-again.png" in [e.original_name for e in gallery["screenshot-1.png"].similar_to]
    assert "Near-duplicate" in response.content.decode()


def test_deadlines_show_how_the_due_date_was_computed(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    html = page(client, big_case).content.decode()
    assert "Due 29 October 2026" in html
    assert "20 working days from Thursday 1 October 2026, skipping weekends and bank holidays in England." in html


def test_every_view_of_the_case_page_is_recorded_with_who_and_what(client, world, big_case):
    mo = world["users"]["mo"]
    sign_in(client, mo)
    before = Event.objects.filter(case=big_case, kind=EventKind.CASE_VIEWED).count()
    page(client, big_case)
    timeline(client, big_case, kind=EventKind.NOTE)
    evidence_page(client, big_case)
    complaints(client, big_case)
    client.get(f"/officer/cases/{big_case.reference}/code/")
    views = list(Event.objects.filter(case=big_case, kind=EventKind.CASE_VIEWED).order_by("sequence"))
    assert len(views) == before + 5
    assert {event.actor for event in views} == {mo}
    assert [event.details["page"] for event in views] == ["case", "timeline", "evidence", "complaints", "code"]
    assert views[1].details["timeline_kind"] == EventKind.NOTE
    assert [event.description for event in views] == [
        "Viewed the case page",
        "Viewed the timeline",
        "Viewed the posts and evidence",
        "Viewed the complaints",
        "Viewed the code of conduct for the case",
    ]


def test_the_timeline_is_newest_first_and_filters_by_kind(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    events = list(timeline(client, big_case).context["timeline"])
    assert [event.kind for event in events] == [EventKind.CASE_VIEWED, EventKind.NOTE, EventKind.CASE_OPENED]

    response = timeline(client, big_case, kind=EventKind.NOTE)
    assert [event.description for event in response.context["timeline"]] == ["Telephoned the clerk about the post"]
    html = response.content.decode()
    assert 'class="moj-timeline"' in html
    assert '<option value="note" selected>Note</option>' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "not-a-kind"}, "Choose a kind of event from the list"),
        ({"page": "two"}, "The timeline page must be a whole number, like 2"),
        ({"page": "0"}, "The timeline page must be 1 or more"),
        ({"page": "9"}, "There is no page 9 of the timeline: it has 1 page"),
    ],
)
def test_a_bad_timeline_filter_is_an_error_message_not_a_500(client, world, big_case, params, message):
    sign_in(client, world["users"]["mo"])
    response = timeline(client, big_case, **params)
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "<title>Error: Timeline: case MO-2026-00500" in html


def test_the_timeline_is_paginated_fifty_events_a_page(client, world, big_case):
    for number in range(60):
        event_record(case=big_case, kind=EventKind.NOTE, description=f"Note {number}")
    sign_in(client, world["users"]["mo"])
    first = timeline(client, big_case, kind=EventKind.NOTE)
    assert len(first.context["timeline"]) == 50
    assert first.context["timeline"][0].description == "Note 59"
    assert "page=2#timeline" in first.content.decode()
    second = timeline(client, big_case, kind=EventKind.NOTE, page=2)
    assert [e.description for e in second.context["timeline"]][-1] == "Telephoned the clerk about the post"


@pytest.mark.parametrize(
    "who", ["other_council_officer", "unappointed_investigator", "unconsulted_ip", "conflicted_officer"]
)
def test_a_case_the_user_may_not_see_answers_404_and_records_nothing(client, world, big_case, who):
    sign_in(client, world["users"][who])
    count = Event.objects.filter(case=big_case).count()
    assert page(client, big_case).status_code == 404
    assert complaints(client, big_case).status_code == 404
    assert evidence_page(client, big_case).status_code == 404
    assert timeline(client, big_case).status_code == 404
    assert client.get(f"/officer/cases/{big_case.reference}/code/").status_code == 404
    assert Event.objects.filter(case=big_case).count() == count


def test_another_councils_case_answers_404_like_a_case_that_does_not_exist(client, world):
    sign_in(client, world["users"]["mo"])
    southshire = world["cases"]["southshire"]
    assert client.get(f"/officer/cases/{southshire.reference}/").status_code == 404
    assert client.get("/officer/cases/MO-2026-99999/").status_code == 404


def test_the_dashboard_links_each_reference_to_its_case_page(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    html = client.get("/officer/").content.decode()
    assert f'href="/officer/cases/{big_case.reference}/"' in html


def _queries(client, case) -> dict[str, int]:
    counts = {}
    for name, get in (("case", page), ("complaints", complaints), ("evidence", evidence_page), ("timeline", timeline)):
        with CaptureQueriesContext(connection) as captured:
            response = get(client, case)
        assert response.status_code == 200
        counts[name] = len(captured)
    return counts


def test_the_number_of_queries_does_not_grow_with_complaints_evidence_or_events(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    small = _queries(client, big_case)
    authority = world["councils"]["northmoor"]
    for index in range(3, 23):
        complaint = Complaint.objects.create(
            reference=f"{big_case.reference}-C{index}",
            case=big_case,
            authority=authority,
            complainant_name=f"Person {index}",
            complainant_email=f"p{index}@example.com",
            complainant_type="public",
            outcome_sought="An apology.",
            submitted_at=big_case.opened_at + timedelta(hours=index),
            confidentiality_requested=index % 3 == 0,
            confidentiality_reason="Fear" if index % 3 == 0 else "",
        )
        complaint.councillors.set(big_case.complaints.first().councillors.all())
        post = SocialMediaPost.objects.create(
            complaint=complaint, case=big_case, platform="x", account_name="@jo", text_reported="Again."
        )
        if index < 8:
            store_screenshot(big_case, complaint, post, f"shot-{index}.png", screenshot_png(shade=index))
    for number in range(80):
        event_record(case=big_case, kind=EventKind.NOTE, description=f"Note {number}")
    assert _queries(client, big_case) == small


def test_the_case_page_links_to_its_letters_and_each_stored_document(client, world, big_case):
    """From the case page an officer reaches the case's letters and downloads any stored PDF."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from complaints.models import Document, DocumentKind

    document = Document.objects.create(
        case=big_case,
        kind=DocumentKind.TAKEDOWN_REQUEST,
        title="Takedown request",
        sha256="0" * 64,
        template="documents/takedown_request.html",
        generated_at=timezone.now(),
        file=ContentFile(b"%PDF-1.7 test", name="takedown.pdf"),
    )
    sign_in(client, world["users"]["mo"])
    html = page(client, big_case).content.decode()
    assert f'href="/officer/cases/{big_case.reference}/letters/"' in html
    download = f"/officer/cases/{big_case.reference}/letters/documents/{document.public_id}/"
    assert f'href="{download}"' in html
    assert client.get(download).status_code == 200


def _report_again(case, number: int, *, of_url: str, indicators: list[str], why: str = "") -> Complaint:
    complaint = Complaint.objects.create(
        reference=f"{case.reference}-R{number}",
        case=case,
        authority=case.authority,
        complainant_name=f"Repeat Reporter {number}",
        complainant_email=f"repeat{number}@example.com",
        complainant_type="public",
        outcome_sought="Removal.",
        submitted_at=case.opened_at + timedelta(hours=number),
    )
    SocialMediaPost.objects.create(
        complaint=complaint,
        case=case,
        platform="facebook",
        url=of_url,
        normalised_url=url_normalise(of_url),
        account_name="Cllr Jo Bloggs",
        text_reported="the residents of Elm Road are vermin",
        capacity_indicators=indicators,
        capacity_explanation=why,
    )
    return complaint


def test_one_post_reported_by_several_complaints_is_shown_once_with_every_report(client, world, big_case):
    url = "https://www.facebook.com/jo.bloggs/posts/1"
    _report_again(big_case, 1, of_url=url, indicators=["account_name"], why="He signs off as Cllr.")
    _report_again(big_case, 2, of_url=url, indicators=["branding"])
    sign_in(client, world["users"]["mo"])
    html = evidence_page(client, big_case).content.decode()
    posts = html.split('id="posts"')[1].split('id="evidence"')[0]
    assert posts.count("post by Cllr Jo Bloggs") == 2  # post 1 (reported three times) and post 2
    assert "3 complaints: MO-2026-00500-C1, MO-2026-00500-R1, MO-2026-00500-R2" in posts
    assert "The account name uses &#x27;Cllr&#x27; or &#x27;Councillor&#x27; (2 of 3 complaints)" in posts
    assert "It uses the council&#x27;s logo or branding (1 of 3 complaints)" in posts
    assert "What 1 complainant said about it" in posts and "He signs off as Cllr." in posts


def test_near_duplicate_screenshots_are_listed_under_the_first_with_their_hashes_and_downloads(client, world, big_case):
    complaint = big_case.complaints.first()
    copies = [
        store_screenshot(big_case, complaint, None, f"copy-{number}.png", screenshot_png(shade=1))
        for number in range(3)
    ]
    sign_in(client, world["users"]["mo"])
    response = evidence_page(client, big_case)
    lead, others = response.context["data"].gallery_groups[0]
    assert lead.evidence.original_name == "screenshot-1.png"
    assert {copy.pk for copy in copies} <= {other.evidence.pk for other in others}
    gallery = response.content.decode().split('id="evidence"')[1]
    first_item = gallery.split('<li class="app-gallery__item"')[1]
    assert "screenshot-1.png" in first_item
    assert f"{len(others)} near-duplicates of this screenshot" in first_item
    for copy in copies:
        assert f'id="evidence-{copy.public_id}"' in first_item
        assert copy.sha256 in first_item
        assert f"/evidence/{copy.public_id}/original/" in first_item
    groups = len(response.context["data"].gallery_groups)
    assert gallery.count("<img ") == groups < big_case.evidence.count()  # one picture per group


def test_the_case_pages_share_a_sub_navigation_marking_the_page_shown(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    base = f"/officer/cases/{big_case.reference}/"
    for get, current in (
        (page, f'href="{base}" aria-current="page">Case<'),
        (complaints, f'href="{base}complaints/" aria-current="page">Complaints<'),
        (evidence_page, f'href="{base}evidence/" aria-current="page">Posts and evidence<'),
        (timeline, f'href="{base}timeline/" aria-current="page">Timeline<'),
    ):
        html = get(client, big_case).content.decode()
        navigation = html.split('class="moj-sub-navigation"')[1].split("</nav>")[0]
        assert current in navigation
        assert navigation.count('aria-current="page"') == 1
        for sub_page in ("", "complaints/", "evidence/", "timeline/", "code/", "letters/"):
            assert f'href="{base}{sub_page}"' in navigation


def test_the_case_page_leaves_complaints_posts_evidence_and_timeline_to_their_own_pages(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    html = page(client, big_case).content.decode()
    assert 'id="summary"' in html and 'id="deadlines"' in html
    for section in ('id="complaints"', 'id="posts"', 'id="evidence"', 'class="moj-timeline"'):
        assert section not in html


def test_a_bookmarked_timeline_address_on_the_case_page_goes_to_the_timeline(client, world, big_case):
    sign_in(client, world["users"]["mo"])
    response = page(client, big_case, kind=EventKind.NOTE, page=1)
    assert response.status_code == 302
    assert response["Location"] == f"/officer/cases/{big_case.reference}/timeline/?kind=note&page=1"
    views = Event.objects.filter(case=big_case, kind=EventKind.CASE_VIEWED)
    assert not views.exists()  # the timeline records the view it shows, not the redirect
