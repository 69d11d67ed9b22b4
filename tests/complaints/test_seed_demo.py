"""The demo data command: what it creates, and that running it again changes nothing."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import RequestFactory

from complaints.models import (
    LOCAL_KINDS,
    Authority,
    AuthorityKind,
    Case,
    Complaint,
    Councillor,
    Event,
    EventKind,
    OutboxMessage,
    OutboxStatus,
    SocialMediaAccount,
    Stage,
)
from guidance.selectors import code_in_force

# authenticate() is given the sign-in request, as the lockout backend requires.
SIGN_IN = RequestFactory().post("/officer/login/")
USERNAMES = ["mo", "deputy", "officer", "ip1", "ip2", "investigator", "committee"]


def seed(*args) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def row_counts() -> dict[str, int]:
    models = [
        *apps.get_app_config("complaints").get_models(),
        *apps.get_app_config("guidance").get_models(),
        *apps.get_app_config("auth").get_models(),
    ]
    counts = {model._meta.label: model._default_manager.count() for model in models}
    for model in models:
        for m2m in model._meta.many_to_many:
            counts[m2m.remote_field.through._meta.label] = m2m.remote_field.through.objects.count()
    return counts


@pytest.fixture
def seeded(db):
    return seed()


@pytest.mark.django_db
def test_running_it_twice_changes_no_row_counts_and_no_references(seeded):
    counts = row_counts()
    complaints = sorted(Complaint.objects.values_list("reference", "case__reference", "complainant_email"))
    cases = sorted(Case.objects.values_list("reference", "stage", "outcome"))
    password_hashes = dict(get_user_model().objects.values_list("username", "password"))
    event_ids = list(Event.objects.values_list("pk", flat=True))

    output = seed()

    assert row_counts() == counts
    assert sorted(Complaint.objects.values_list("reference", "case__reference", "complainant_email")) == complaints
    assert sorted(Case.objects.values_list("reference", "stage", "outcome")) == cases
    assert dict(get_user_model().objects.values_list("username", "password")) == password_hashes
    assert list(Event.objects.values_list("pk", flat=True)) == event_ids
    assert "0 complaint(s) added" in output


@pytest.mark.django_db
def test_it_creates_a_district_with_three_local_councils(seeded):
    district = Authority.objects.get(name="Northmoor District Council")
    assert district.kind == AuthorityKind.DISTRICT
    assert district.nation == "ENG"
    assert district.parent is None
    local = Authority.objects.filter(kind__in=LOCAL_KINDS)
    assert local.count() == 3
    assert set(local.values_list("parent", flat=True)) == {district.pk}
    assert all(council.clerk_name and council.clerk_email for council in local)
    assert Authority.objects.count() == 4


@pytest.mark.django_db
def test_it_creates_about_twenty_councillors_with_terms_and_accounts(seeded):
    assert 18 <= Councillor.objects.count() <= 24
    assert set(Councillor.objects.values_list("authority__name", flat=True)) == set(
        Authority.objects.values_list("name", flat=True)
    )
    ended = Councillor.objects.filter(term_end__isnull=False)
    assert ended.count() >= 2
    assert not ended.first().in_office_on(date(2026, 6, 1))
    assert SocialMediaAccount.objects.filter(presents_as_councillor=True).count() >= 3
    assert SocialMediaAccount.objects.filter(presents_as_councillor=False).count() >= 3
    assert Councillor.objects.exclude(ward="").exclude(party="").count() >= 10


@pytest.mark.django_db
def test_the_district_adopts_the_lga_code_and_parishes_follow_it(seeded):
    district = Authority.objects.get(slug="northmoor")
    code = code_in_force(authority=district, on=date(2026, 1, 1))
    assert code.authority == district
    assert code.based_on.slug == "lga-model-code-2020"
    assert code.effective_from == date(2021, 5, 20)
    assert code.clauses.count() == 10
    parish = Authority.objects.get(slug="little-wetherby")
    assert code_in_force(authority=parish, on=date(2026, 1, 1)) == code
    assert code_in_force(authority=district, on=date(2021, 5, 19)) is None


@pytest.mark.django_db
def test_it_creates_a_login_for_each_role_in_the_right_group(seeded):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=USERNAMES)}
    assert set(users) == set(USERNAMES)
    expected = {
        "mo": "Monitoring Officer",
        "deputy": "Deputy Monitoring Officer",
        "officer": "Case officer",
        "ip1": "Independent Person",
        "ip2": "Independent Person",
        "investigator": "Investigator",
        "committee": "Standards Committee member",
    }
    for username, group in expected.items():
        assert list(users[username].groups.values_list("name", flat=True)) == [group]
        assert users[username].get_full_name()
        assert users[username].email
        assert authenticate(SIGN_IN, username=username, password="demo-password-2026") is not None
    assert users["mo"].is_superuser and users["mo"].is_staff
    assert users["deputy"].is_staff and users["officer"].is_staff
    assert not users["ip1"].is_staff and not users["ip2"].is_staff
    assert not any(users[name].is_superuser for name in USERNAMES if name != "mo")


@pytest.mark.django_db
def test_officers_see_their_council_and_independent_persons_only_consulted_cases(seeded):
    officer = get_user_model().objects.get(username="officer")
    ip = get_user_model().objects.get(username="ip1")
    assert officer.has_perms(["complaints.view_evidence", "complaints.view_case", "complaints.change_case"])
    assert not officer.has_perm("complaints.delete_case")
    assert not officer.has_perm("complaints.change_event")
    assert ip.has_perms(["complaints.view_case", "complaints.view_complaint", "complaints.view_assessment"])
    assert ip.has_perm("complaints.view_consulted_cases") and not ip.has_perm("complaints.view_council_cases")
    assert not ip.has_perm("complaints.change_case")
    assert Group.objects.filter(name__in=["Monitoring Officer", "Deputy Monitoring Officer"]).count() == 2


@pytest.mark.django_db
def test_the_demo_council_has_two_independent_persons_to_consult(seeded):
    from complaints.services.consultations import independent_persons_for

    case = Case.objects.filter(authority__slug="northmoor").first() or Case.objects.first()
    assert {user.username for user in independent_persons_for(case)} == {"ip1", "ip2"}


@pytest.mark.django_db
def test_complaints_are_spread_over_stages_and_time(seeded):
    complaints = Complaint.objects.all()
    assert 40 <= complaints.count() <= 50
    active_cases = Case.objects.filter(complaints__isnull=False).distinct()
    stages = set(active_cases.values_list("stage", flat=True))
    assert len(stages) >= 5
    assert {Stage.RECEIVED, Stage.ACKNOWLEDGED, Stage.ASSESSMENT, Stage.INVESTIGATION, Stage.CLOSED} <= stages
    dates = sorted(complaints.values_list("submitted_at", flat=True))
    assert (dates[-1] - dates[0]).days >= 240
    for case in active_cases.filter(stage=Stage.CLOSED):
        assert case.closed_at is not None
        assert case.outcome
        assert case.events.filter(kind=EventKind.STAGE_CHANGED, details__to=Stage.CLOSED).exists()
    for case in active_cases.exclude(stage=Stage.RECEIVED):
        assert case.events.filter(kind=EventKind.STAGE_CHANGED).exists()
        assert case.assigned_officer is not None


@pytest.mark.django_db
def test_one_viral_post_brings_several_complaints_into_one_case(seeded):
    case = max(Case.objects.all(), key=lambda c: c.complaints.count())
    complaints = list(case.complaints.all())
    assert len(complaints) >= 3
    assert case.posts.count() == len(complaints)
    assert len(set(case.posts.values_list("normalised_url", flat=True))) == 1
    for complaint in complaints:
        assert set(complaint.posts.values_list("case", flat=True)) == {case.pk}
        assert set(complaint.evidence.values_list("case", flat=True)) <= {case.pk}
    assert (
        case.events.filter(kind=EventKind.CASE_UPDATED, description__contains="linked").count() == len(complaints) - 1
    )


@pytest.mark.django_db
def test_seeding_sends_no_email_and_leaves_the_outbox_as_history(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
    assert mail.outbox == []
    assert OutboxMessage.objects.exists()
    assert not OutboxMessage.objects.exclude(status=OutboxStatus.SENT).exists()
    assert len(output.strip().splitlines()) <= 10


@pytest.mark.django_db
def test_evidence_screenshots_are_stored_through_the_evidence_service(seeded):
    from complaints.models import Evidence

    evidence = Evidence.objects.all()
    assert evidence.count() >= 5
    for item in evidence:
        assert item.content_type == "image/png"
        assert len(item.sha256) == 64
        assert item.width and item.height
        assert item.display
        assert item.original.storage.exists(item.original.name)


@pytest.mark.django_db
def test_logins_only_prints_the_logins_and_writes_nothing():
    output = seed("--logins-only")
    for username in USERNAMES:
        assert username in output
    assert "demo-password-2026" in output
    assert not Authority.objects.exists()
    assert not get_user_model().objects.exists()


@pytest.mark.django_db
def test_the_password_option_sets_every_login_password():
    output = seed("--password", "another-demo-pass-99")
    assert "another-demo-pass-99" in output
    for username in USERNAMES:
        assert authenticate(SIGN_IN, username=username, password="another-demo-pass-99") is not None


@pytest.mark.django_db
def test_each_demo_login_says_what_it_is_for():
    from complaints.management.commands.seed_demo import LOGIN_PURPOSES

    output = seed("--logins-only")
    for username in USERNAMES:
        line = next(line for line in output.splitlines() if line.split()[:1] == [username])
        assert LOGIN_PURPOSES[username] in line


@pytest.mark.django_db
def test_there_are_enough_open_cases_to_fill_two_pages_of_the_dashboard(seeded, settings):
    open_cases = Case.objects.exclude(stage=Stage.CLOSED).filter(merged_into__isnull=True)
    assert open_cases.count() > settings.DASHBOARD_PAGE_SIZE
    assert open_cases.filter(assigned_officer__isnull=True).exists()
    assert open_cases.filter(complaints__confidentiality_requested=True).exists()


@pytest.mark.django_db
def test_the_investigator_is_appointed_to_one_case_and_sees_only_that_one(seeded):
    from complaints import access

    investigator = get_user_model().objects.get(username="investigator")
    [case] = Case.objects.filter(investigator=investigator)
    assert case.stage == Stage.INVESTIGATION
    assert list(access.cases_for(investigator)) == [case]
    assert case.events.filter(kind=EventKind.CASE_ASSIGNED, details__investigator="investigator").count() == 1
    committee = get_user_model().objects.get(username="committee")
    assert not access.cases_for(committee).exists()


@pytest.mark.django_db
def test_a_viral_post_brings_a_dozen_near_duplicate_screenshots(seeded, settings):
    from complaints.models import Evidence
    from complaints.selectors.duplicates import duplicate_groups, hash_to_int

    url = "https://x.com/RobHaleNorthmoor/status/1988123456789"
    shots = Evidence.objects.filter(complaint__posts__url=url)
    assert shots.count() == 12
    assert len(set(shots.values_list("sha256", flat=True))) == 12
    hashes = [hash_to_int(value) for value in shots.values_list("perceptual_hash", flat=True)]
    assert max((a ^ b).bit_count() for a in hashes for b in hashes) <= settings.DUPLICATE_SCREENSHOT_MAX_DISTANCE
    # Six were linked into one case; the other six wait in the possible-duplicates queue for it.
    viral_case = Case.objects.get(reference=shots.order_by("uploaded_at").first().case.reference)
    assert viral_case.complaints.count() == 6
    [group] = [g for g in duplicate_groups(Case.objects.all()) if g.target == viral_case]
    assert len(group.suggestions) == 6


@pytest.mark.django_db
def test_the_register_of_decision_notices_is_not_empty_and_names_no_complainant(seeded, client):
    from complaints.models import DecisionNotice

    notices = list(DecisionNotice.objects.filter(published_at__isnull=False, withdrawn_at__isnull=True))
    assert len(notices) == 3
    assert sorted(n.content["councillor_named"] for n in notices) == [False, False, True]
    names = list(Complaint.objects.values_list("complainant_name", flat=True))
    for notice in notices:
        html = client.get(f"/decisions/{notice.public_id}/").content.decode()
        assert [name for name in names if name in html] == []
    assert "3 decision notices" in client.get("/decisions/").content.decode()
