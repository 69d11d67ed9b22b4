"""Linking complaints about the same post into one case."""

from datetime import date

import pytest

from complaints.models import Case, Evidence, SocialMediaPost, Stage
from complaints.services.cases import case_link
from complaints.services.complaints import ComplainantDetails, PostDetails, complaint_submit
from tests.factories import make_councillor, make_district

pytestmark = pytest.mark.django_db


def _complaint(authority, councillor, email):
    return complaint_submit(
        complainant=ComplainantDetails(name="Resident", email=email, complainant_type="public"),
        authority=authority,
        councillors=[councillor],
        unlisted_councillor_names="",
        posts=[
            PostDetails(
                platform="x",
                account_name="@cllr",
                text_reported="Viral post",
                posted_on=date(2026, 11, 1),
                url="https://twitter.com/cllr/status/1",
            )
        ],
        clauses_not_sure=True,
        evidence=[],
        no_evidence_reason="Deleted",
        outcome_sought="An apology",
        previous_complaint="no",
        confidentiality_requested=False,
    )


def test_linking_moves_the_complaint_with_its_posts_and_closes_the_emptied_case_as_merged():
    authority = make_district()
    councillor = make_councillor(authority)
    first = _complaint(authority, councillor, "a@example.com")
    second = _complaint(authority, councillor, "b@example.com")
    emptied = second.case

    case_link(complaint=second, into=first.case)

    second.refresh_from_db()
    emptied.refresh_from_db()
    assert second.case == first.case
    assert set(first.case.complaints.all()) == {first, second}
    assert SocialMediaPost.objects.filter(case=first.case).count() == 2
    assert not SocialMediaPost.objects.filter(case=emptied).exists()
    assert not Evidence.objects.filter(case=emptied).exists()
    assert emptied.stage == Stage.CLOSED
    assert emptied.merged_into == first.case
    assert first.case.events.filter(description__contains=f"{second.reference} linked into this case").exists()
    assert emptied.events.filter(description__contains=f"merged into case {first.case.reference}").exists()
    assert Case.objects.filter(merged_into__isnull=True).count() == 1


def test_a_case_that_keeps_other_complaints_stays_open():
    authority = make_district()
    councillor = make_councillor(authority)
    target = _complaint(authority, councillor, "a@example.com")
    one = _complaint(authority, councillor, "b@example.com")
    two = _complaint(authority, councillor, "c@example.com")
    case_link(complaint=two, into=one.case)
    source = one.case
    case_link(complaint=two, into=target.case)
    source.refresh_from_db()
    assert source.stage == Stage.RECEIVED
    assert source.merged_into is None
    assert list(source.complaints.all()) == [one]
