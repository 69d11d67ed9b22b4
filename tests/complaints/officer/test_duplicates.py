"""The possible-duplicates queue through HTTP: matching by post URL and screenshot, link, dismiss."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from complaints.models import Case, Complaint, DuplicateDismissal, Event, Stage
from complaints.selectors.duplicates import near_pairs, similar_pairs
from tests.complaints.officer.dashboard_data import make_case
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db
URL = "/officer/duplicates/"
POST = "https://x.com/cllrexample/status/123"
HASH = "c3c3c3c33c3c3c3c"


def flip(value: str, bits: int, *, high: bool = False) -> str:
    """The hash with its lowest (or highest) `bits` bits flipped: exactly `bits` bits differ."""
    mask = (1 << bits) - 1
    return f"{int(value, 16) ^ (mask << (64 - bits) if high else mask):016x}"


@pytest.fixture
def northmoor(world):
    return world["councils"]["northmoor"]


@pytest.fixture
def mo(client, world):
    sign_in(client, world["users"]["mo"])
    return client


def groups(response):
    assert response.status_code == 200
    return {group.target.reference: group.complaint_references for group in response.context["groups"]}


def test_it_suggests_complaints_about_the_same_post_url_for_the_oldest_open_case(mo, northmoor):
    first = make_case(northmoor, url=POST, opened=date(2026, 11, 1))
    # The same post written another way: twitter.com, tracking parameters, trailing slash.
    second = make_case(northmoor, url="https://twitter.com/cllrexample/status/123/?s=20", opened=date(2026, 11, 2))
    make_case(northmoor, url="https://x.com/cllrexample/status/999", opened=date(2026, 11, 3))
    response = mo.get(URL)
    assert groups(response) == {first.reference: [f"{second.reference}-C1"]}
    assert "Same post: https://x.com/cllrexample/status/123" in response.content.decode()


def test_it_suggests_near_identical_screenshots_within_the_threshold_and_not_beyond(mo, northmoor, settings):
    settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE = 6
    first = make_case(northmoor, phash=HASH, opened=date(2026, 11, 1))
    near = make_case(northmoor, phash=flip(HASH, 6), opened=date(2026, 11, 2))
    # 7 bits from the first and 13 from the second: no chain of near matches reaches it.
    far = make_case(northmoor, phash=flip(HASH, 7, high=True), opened=date(2026, 11, 3))
    found = groups(mo.get(URL))
    assert found == {first.reference: [f"{near.reference}-C1"]}
    assert f"{far.reference}-C1" not in str(found)
    assert "Similar screenshot (6 bits differ)" in mo.get(URL).content.decode()


def test_closed_cases_and_other_councils_cases_are_never_suggested(mo, world, northmoor):
    make_case(northmoor, url=POST, stage=Stage.CLOSED)
    make_case(world["councils"]["southshire"], url=POST)
    make_case(northmoor, url=POST)
    assert groups(mo.get(URL)) == {}


def test_linking_one_suggestion_moves_the_complaint_into_the_case_with_events(mo, world, northmoor):
    first = make_case(northmoor, url=POST, opened=date(2026, 11, 1))
    second = make_case(northmoor, url=POST, opened=date(2026, 11, 2))
    response = mo.post(URL + "link/", {"into": first.reference, "complaints": f"{second.reference}-C1"})
    assert response.status_code == 302
    complaint = Complaint.objects.get(reference=f"{second.reference}-C1")
    assert complaint.case == first
    second.refresh_from_db()
    assert second.stage == Stage.CLOSED and second.merged_into == first
    assert Event.objects.filter(case=first, description__contains="linked into this case").exists()
    assert "1 complaint linked into case" in mo.get(URL).content.decode()
    assert groups(mo.get(URL)) == {}


def test_a_viral_post_with_sixty_complaints_becomes_one_case_in_one_post(mo, northmoor, django_assert_max_num_queries):
    cases = [
        make_case(northmoor, url=f"{POST}?utm_source={n}", phash=flip(HASH, n % 3), opened=date(2026, 10, 1))
        for n in range(60)
    ]
    Case.objects.filter(pk=cases[0].pk).update(opened_at=cases[0].opened_at - timedelta(hours=1))
    page = mo.get(URL)
    target = cases[0].reference
    assert list(groups(page)) == [target]
    suggested = groups(page)[target]
    assert len(suggested) == 59
    assert f"Link all 59 suggested complaints into case {target}" in page.content.decode()

    response = mo.post(URL + "link/", {"into": target, "complaints": " ".join(suggested)})
    assert response.status_code == 302
    assert Case.objects.get(reference=target).complaints.count() == 60
    assert Case.objects.filter(merged_into__reference=target).count() == 59
    assert groups(mo.get(URL)) == {}


def test_dismissing_a_suggestion_hides_it_and_records_who_and_when(mo, world, northmoor):
    first = make_case(northmoor, url=POST, opened=date(2026, 11, 1))
    second = make_case(northmoor, url=POST, opened=date(2026, 11, 2))
    response = mo.post(URL + "dismiss/", {"complaint": f"{second.reference}-C1", "case": first.reference})
    assert response.status_code == 302
    dismissal = DuplicateDismissal.objects.get()
    assert dismissal.dismissed_by == world["users"]["mo"] and dismissal.case == first
    assert Event.objects.filter(case=second, description__contains="not a duplicate").exists()
    assert groups(mo.get(URL)) == {}
    # A third complaint about the same post is still suggested.
    third = make_case(northmoor, url=POST, opened=date(2026, 11, 3))
    assert groups(mo.get(URL)) == {first.reference: [f"{third.reference}-C1"]}


def test_linking_into_or_from_another_councils_case_answers_404(mo, world, northmoor):
    ours = make_case(northmoor, url=POST)
    theirs = world["cases"]["southshire"]
    assert mo.post(URL + "link/", {"into": theirs.reference, "complaints": f"{ours.reference}-C1"}).status_code == 404
    assert mo.post(URL + "link/", {"into": ours.reference, "complaints": f"{theirs.reference}-C1"}).status_code == 404
    assert mo.post(URL + "dismiss/", {"complaint": f"{theirs.reference}-C1", "case": ours.reference}).status_code == 404
    assert Complaint.objects.get(reference=f"{theirs.reference}-C1").case == theirs


def test_linking_into_a_closed_case_is_refused_with_a_message(mo, northmoor):
    closed = make_case(northmoor, stage=Stage.CLOSED)
    other = make_case(northmoor)
    response = mo.post(URL + "link/", {"into": closed.reference, "complaints": f"{other.reference}-C1"}, follow=True)
    assert "is closed" in response.content.decode()
    assert Complaint.objects.get(reference=f"{other.reference}-C1").case == other


def test_a_link_with_nothing_chosen_says_so(mo):
    response = mo.post(URL + "link/", {"into": "", "complaints": ""}, follow=True)
    assert "Choose the complaints to link" in response.content.decode()


def test_similar_pairs_compares_every_pair_once_across_blocks():
    hashes = [int(HASH, 16)] * 3 + [int(flip(HASH, 20), 16)] + [int(HASH, 16)] * 600
    pairs = similar_pairs(hashes, 4)
    assert len(pairs) == 603 * 602 // 2
    assert all(i < j for i, j, _ in pairs)
    assert not any(3 in (i, j) for i, j, _ in pairs)


@pytest.mark.parametrize("threshold", [0, 3, 8, 11, 16])
def test_screenshots_exactly_the_threshold_apart_are_suggested_and_one_bit_more_are_not(
    mo, northmoor, settings, threshold
):
    # 8 is the default; 16 is past the thresholds compared band by band, so every pair is compared.
    settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE = threshold
    first = make_case(northmoor, phash=HASH, opened=date(2026, 11, 1))
    near = make_case(northmoor, phash=flip(HASH, threshold), opened=date(2026, 11, 2))
    far = make_case(northmoor, phash=flip(HASH, threshold + 1, high=True), opened=date(2026, 11, 3))
    page = mo.get(URL)
    assert groups(page) == {first.reference: [f"{near.reference}-C1"]}
    reason = "Identical screenshot" if threshold == 0 else f"Similar screenshot ({threshold} bits differ)"
    assert page.context["groups"][0].suggestions[0].reasons == [reason]
    assert f"{far.reference}-C1" not in page.content.decode()


def test_screenshots_of_one_case_alone_suggest_nothing(mo, northmoor):
    make_case(northmoor, phash=HASH, complaints=3)
    make_case(northmoor, phash=flip(HASH, 40))
    assert groups(mo.get(URL)) == {}


def test_a_case_matched_by_post_and_by_screenshot_gives_every_reason_once(mo, northmoor):
    first = make_case(northmoor, url=POST, phash=HASH, opened=date(2026, 11, 1))
    second = make_case(northmoor, url=POST, phash=HASH, complaints=2, opened=date(2026, 11, 2))
    # Linked to the second only through a near screenshot: still offered for the oldest case.
    third = make_case(northmoor, phash=flip(HASH, 2), opened=date(2026, 11, 3))
    page = mo.get(URL)
    [group] = page.context["groups"]
    assert group.target == first
    assert [(s.complaint.reference, s.reasons) for s in group.suggestions] == [
        (
            f"{second.reference}-C1",
            ["Identical screenshot", f"Same post: {POST}", "Similar screenshot (2 bits differ)"],
        ),
        (
            f"{second.reference}-C2",
            ["Identical screenshot", f"Same post: {POST}", "Similar screenshot (2 bits differ)"],
        ),
        (f"{third.reference}-C1", ["Similar screenshot (2 bits differ)"]),
    ]


def test_groups_come_largest_first_then_oldest_case_first(mo, northmoor):
    def pair(url, opened, complaints):
        target = make_case(northmoor, url=url, opened=opened)
        make_case(northmoor, url=url, opened=opened + timedelta(days=1), complaints=complaints)
        return target.reference

    later = pair(f"{POST}1", date(2026, 11, 5), 1)
    larger = pair(f"{POST}2", date(2026, 11, 9), 2)
    earlier = pair(f"{POST}3", date(2026, 11, 1), 1)
    assert list(groups(mo.get(URL))) == [larger, earlier, later]


def test_the_page_asks_the_same_number_of_queries_however_many_cases_and_suggestions(mo, world, northmoor):
    rng = random.Random(7)
    screenshots = [f"{rng.getrandbits(64):016x}" for _ in range(7)]
    assert min((int(a, 16) ^ int(b, 16)).bit_count() for a, b in itertools.combinations(screenshots, 2)) > 8

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert mo.get(URL).status_code == 200
        return len(queries)

    def add_group(n, size):
        return [
            make_case(northmoor, url=f"{POST}{n}", phash=screenshots[n], opened=date(2026, 10, 1), complaints=2)
            for _ in range(size)
        ]

    first = add_group(0, 2)
    few = count()
    for n in range(1, 7):
        add_group(n, 4)
    DuplicateDismissal.objects.create(
        complaint=first[1].complaints.first(),
        case=first[0],
        dismissed_by=world["users"]["mo"],
        dismissed_at=timezone.now(),
    )
    many = count()
    assert sorted(map(len, groups(mo.get(URL)).values())) == [1] + [6] * 6
    assert many == few


def hashes_near(rng, count, spread):
    """`count` different hashes in clusters, each within `spread` bits of its cluster's first."""
    values = set()
    while len(values) < count:
        base = rng.getrandbits(64)
        values.add(base)
        for _ in range(rng.randint(0, 6)):
            value = base
            for _ in range(rng.randint(1, spread)):
                value ^= 1 << rng.randrange(64)
            values.add(value)
    return list(values)[:count]


@pytest.mark.parametrize("max_distance", [0, 1, 4, 8, 10, 11, 12, 20, 63, 64])
def test_near_pairs_finds_what_comparing_every_pair_finds(max_distance):
    rng = random.Random(max_distance)
    hashes = hashes_near(rng, 300, 14) + [0, 2**64 - 1]
    expected = [
        (i, j, (hashes[i] ^ hashes[j]).bit_count())
        for i, j in itertools.combinations(range(len(hashes)), 2)
        if (hashes[i] ^ hashes[j]).bit_count() <= max_distance
    ]
    assert near_pairs(hashes, max_distance) == expected
    assert similar_pairs(hashes, max_distance) == expected


def test_near_pairs_compares_every_pair_when_a_band_would_hold_too_many_pairs():
    # 1,100 hashes differing only in their lowest 11 bits: the other bands are one key shared by
    # 604,450 pairs, more than a block of every pair at a time (1,100 x 512), so none is used.
    hashes = [int(HASH, 16) ^ n for n in range(1100)]
    assert near_pairs(hashes, 8) == similar_pairs(hashes, 8)


# The rows as the template language printed them before complaints/templatetags/duplicates.py.
ROWS_IN_TEMPLATE_LANGUAGE = """{% for suggestion in group.suggestions %}{% with complaint=suggestion.complaint %}
        <tr class="govuk-table__row">
          <td class="govuk-table__cell app-nowrap">{{ complaint.reference }}{% if complaint.confidentiality_requested %}<br><strong class="govuk-tag govuk-tag--purple app-tag--small">Confidential complainant</strong>{% endif %}</td>
          <td class="govuk-table__cell app-nowrap"><a class="govuk-link" href="{% url 'officer:dashboard' %}cases/{{ complaint.case.reference }}/">{{ complaint.case.reference }}</a></td>
          <td class="govuk-table__cell"><ul class="govuk-list app-list--compact">{% for reason in suggestion.reasons %}<li class="app-break-anywhere">{{ reason }}</li>{% endfor %}</ul></td>
          <td class="govuk-table__cell app-nowrap">{{ complaint.submitted_at|date:"j M Y" }}</td>
          {% if can_link %}
          <td class="govuk-table__cell">
            <div class="govuk-button-group app-button-group--compact">
              <form method="post" action="{% url 'officer:duplicates_link' %}" novalidate>
                {{ csrf_input }}
                <input type="hidden" name="into" value="{{ group.target.reference }}">
                <input type="hidden" name="complaints" value="{{ complaint.reference }}">
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">Link<span class="govuk-visually-hidden"> {{ complaint.reference }} into case {{ group.target.reference }}</span></button>
              </form>
              <form method="post" action="{% url 'officer:duplicates_dismiss' %}" novalidate>
                {{ csrf_input }}
                <input type="hidden" name="complaint" value="{{ complaint.reference }}">
                <input type="hidden" name="case" value="{{ group.target.reference }}">
                <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button">Not a duplicate<span class="govuk-visually-hidden">: {{ complaint.reference }} and case {{ group.target.reference }}</span></button>
              </form>
            </div>
          </td>
          {% endif %}
        </tr>
        {% endwith %}{% endfor %}"""  # noqa: E501
ROWS_BY_TAG = (
    "{% load duplicates %}{% duplicate_rows group can_link=can_link csrf_input=csrf_input"
    " dashboard_url=dashboard_url link_url=link_url dismiss_url=dismiss_url %}"
)


@pytest.mark.parametrize("can_link", [True, False])
def test_the_rows_are_what_the_template_language_prints_character_for_character(mo, northmoor, can_link):
    odd = 'https://x.com/<b>&"quoted"\'s/status/1'
    make_case(northmoor, url=odd, phash=HASH, opened=date(2026, 7, 1))
    make_case(northmoor, url=odd, confidential=True, complaints=2, opened=date(2026, 7, 2))
    # Received at 23:30 UTC on 31 July: 1 August in London, as the page prints it.
    late = make_case(northmoor, phash=flip(HASH, 3), opened=date(2026, 7, 31))
    Complaint.objects.filter(case=late).update(submitted_at=datetime(2026, 7, 31, 23, 30, tzinfo=UTC))
    [group] = mo.get(URL).context["groups"]
    assert len(group.suggestions) == 3
    context = {
        "group": group,
        "can_link": can_link,
        "csrf_input": mark_safe('<input type="hidden" name="csrfmiddlewaretoken" value="token">'),  # noqa: S308
        "dashboard_url": reverse("officer:dashboard"),
        "link_url": reverse("officer:duplicates_link"),
        "dismiss_url": reverse("officer:duplicates_dismiss"),
    }
    engine = engines["django"]
    expected = engine.from_string(ROWS_IN_TEMPLATE_LANGUAGE).render(context)
    assert "&lt;b&gt;&amp;&quot;quoted&quot;&#x27;s" in expected and "1 Aug 2026" in expected
    assert engine.from_string(ROWS_BY_TAG).render(context) == expected
