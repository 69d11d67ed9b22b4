"""Sessions and personal data in the complainant's browser, over HTTP.

A reader gets no session; a complaint being written lives in a cookie that ends with the browser
session and is cleared, with its files, after DRAFT_IDLE_MINUTES unused (on the next request, or
by the scheduled purge); 'Delete my answers' clears it at once; pages with answers are never
cached; officers' sessions keep their own length.
"""

import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from complaints import roles
from complaints.models import Complaint, Evidence
from complaints.services.drafts import ACTIVE_KEY, CLEARED_KEY, CONFIRMATION_KEY, DRAFT_KEY
from complaints.sessions import SessionStore
from guidance.services import guidance_load
from tests.complaints.journey import Journey
from tests.complaints.officer.signin import sign_in
from tests.factories import make_code, make_councillor, make_district, png_bytes

pytestmark = pytest.mark.django_db

COOKIE = django_settings.SESSION_COOKIE_NAME


@pytest.fixture
def council():
    district = make_district()
    make_code(district)
    return district


@pytest.fixture
def councillor(council):
    return make_councillor(council, "Jo Bloggs")


@pytest.fixture
def journey(client):
    return Journey(client)


@pytest.fixture
def with_files(journey, council, councillor):
    """A draft answered up to the evidence page, with two files uploaded."""
    journey.about()
    journey.council(council)
    journey.councillors([councillor])
    journey.add_post()
    journey.no_more_posts()
    journey.clauses()
    assert journey.upload("first.png", png_bytes(colour=(1, 2, 3))).status_code == 302
    assert journey.upload("second.png", png_bytes(colour=(4, 5, 6))).status_code == 302
    return journey


def _stored_paths(client) -> list[str]:
    files = client.session[DRAFT_KEY]["evidence"]
    paths = [f["original_path"] for f in files] + [f["display_path"] for f in files if f["display_path"]]
    assert paths and all(default_storage.exists(path) for path in paths)
    return paths


def _idle_for(session_key: str, minutes: float) -> None:
    """Time travel: the draft was last used ``minutes`` ago."""
    store = SessionStore(session_key)
    store[ACTIVE_KEY] = int(time.time() - minutes * 60)
    store.save()


def _session_data(session_key: str) -> dict:
    return SessionStore().decode(Session.objects.get(session_key=session_key).session_data)


# --- 1. Readers get no session ------------------------------------------------------------------

READ_PAGES = [
    "/",
    "/guidance/",
    "/guidance/code/northmoor-code-2021/",
    "/guidance/code/lga-model-code-2020/",
    "/guidance/social-media/ashford-social-media-guidance/",
    "/privacy/",
    "/accessibility/",
    "/complain/",
    "/complain/about-you/",
    "/complain/about-you/?change=1",
    "/complain/council/",
    "/complain/council/?q=north",
    "/complain/councillors/",
    "/complain/posts/",
    "/complain/posts/add/",
    "/complain/posts/0/",
    "/complain/code/",
    "/complain/evidence/",
    "/complain/evidence/0123456789abcdef0123456789abcdef/remove/",
    "/complain/evidence/0123456789abcdef0123456789abcdef/thumbnail/",
    "/complain/outcome/",
    "/complain/check/",
    "/complain/confirmation/",
    "/complain/delete-answers/",
    "/complain/answers-deleted/",
    "/complain/answers-cleared/",
    "/no-such-page/",
    "/officer/",
    "/admin/login/",
    "/evidence/0b3f1e6c-2a5d-4f7e-9c1a-3d2e4f5a6b7c/display/",
]


def test_a_visitor_who_only_reads_pages_gets_no_session_row_and_no_session_cookie(council):
    guidance_load()
    for number in range(12):  # enough councils for the council page to offer its search
        make_district(name=f"Council {number}", slug=f"council-{number}")
    given_a_session = []
    for path in READ_PAGES:
        response = Client().get(path)  # a fresh visitor each time
        assert response.status_code in (200, 302, 404), path
        if COOKIE in response.cookies or Session.objects.exists():
            given_a_session.append(path)
    assert given_a_session == []


def test_searching_for_a_council_mid_journey_writes_nothing_new_to_the_session(journey, council, client):
    for number in range(12):
        make_district(name=f"Council {number}", slug=f"council-{number}")
    journey.about()
    before = Session.objects.get().session_data
    response = client.get(reverse("complain:council") + "?q=north")
    assert response.status_code == 200
    assert "Northmoor District Council" in response.content.decode()
    assert _session_data(client.cookies[COOKIE].value)[DRAFT_KEY] == SessionStore().decode(before)[DRAFT_KEY]


def test_a_refused_first_answer_creates_no_session(client):
    response = Journey(client).about(name="", email="")
    assert response.status_code == 400
    assert COOKIE not in response.cookies
    assert Session.objects.count() == 0


def test_the_first_answer_starts_a_session_whose_cookie_ends_with_the_browser(journey):
    response = journey.about()
    assert response.status_code == 302
    cookie = response.cookies[COOKIE]
    assert cookie["expires"] == "" and cookie["max-age"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert Session.objects.count() == 1


# --- 2. Expired sessions are purged -------------------------------------------------------------


def _session(data: dict, *, expires_in: timedelta) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    Session.objects.filter(session_key=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_clearsessions_deletes_expired_sessions_only_and_the_files_of_their_drafts(with_files, client):
    paths = _stored_paths(client)
    abandoned = client.cookies[COOKIE].value
    Session.objects.filter(session_key=abandoned).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired_officer = _session({"_auth_user_id": "1"}, expires_in=timedelta(seconds=-1))
    live_officer = _session({"_auth_user_id": "2"}, expires_in=timedelta(hours=3))
    live_draft = _session(
        {DRAFT_KEY: {"about": {"name": "Ann"}}, ACTIVE_KEY: int(time.time())}, expires_in=timedelta(hours=24)
    )

    call_command("clearsessions")

    assert set(Session.objects.values_list("session_key", flat=True)) == {live_officer, live_draft}
    assert expired_officer not in Session.objects.values_list("session_key", flat=True)
    assert not any(default_storage.exists(path) for path in paths)


def test_the_purge_never_deletes_a_file_that_belongs_to_a_sent_complaint(
    with_files, client, django_capture_on_commit_callbacks
):
    paths = _stored_paths(client)
    stale_copy = dict(client.session.items())  # the draft as it was just before it was sent
    with_files.evidence_continue()
    with_files.outcome()
    with django_capture_on_commit_callbacks(execute=True):
        assert with_files.send().status_code == 302
    assert Evidence.objects.count() == 2
    _session(stale_copy, expires_in=timedelta(seconds=-1))

    call_command("clearsessions")

    assert all(default_storage.exists(path) for path in paths)


def test_the_scheduled_purge_is_in_the_beat_schedule_and_runs_clearsessions(with_files, client):
    from config.celery import app

    entry = next(e for e in django_settings.CELERY_BEAT_SCHEDULE.values() if e["task"].endswith("sessions_purge"))
    assert entry["task"] in app.tasks
    assert entry["schedule"] == django_settings.SESSION_PURGE_MINUTES * 60
    paths = _stored_paths(client)
    key = client.cookies[COOKIE].value
    expired = _session({"_auth_user_id": "1"}, expires_in=timedelta(seconds=-1))
    _idle_for(key, minutes=61)

    app.tasks[entry["task"]].delay()

    assert not Session.objects.filter(session_key=expired).exists()
    assert not any(default_storage.exists(path) for path in paths)
    assert DRAFT_KEY not in _session_data(key)


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_the_scheduled_purge_from_redis(with_files, client, private_storage, tmp_path):
    import subprocess
    import uuid

    from celery import Celery

    from tests.test_celery import BASE_DIR, BIN_DIR, _database_url_for_worker, _forget_queue, clean_env

    paths = _stored_paths(client)
    key = client.cookies[COOKIE].value
    _idle_for(key, minutes=61)
    expired = _session({"_auth_user_id": "1"}, expires_in=timedelta(seconds=-1))
    queue = f"test-{uuid.uuid4().hex}"
    env = clean_env(
        tmp_path,
        REDIS_URL=django_settings.TEST_REDIS_URL,
        DATABASE_URL=_database_url_for_worker(tmp_path),
        PRIVATE_STORAGE_ROOT=str(private_storage),
        SECRET_KEY=django_settings.SECRET_KEY,  # the sessions were signed with it
    )
    sender = Celery("test-client", broker=django_settings.TEST_REDIS_URL, set_as_current=False)
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = subprocess.Popen(
            [str(BIN_DIR / "celery"), "-A", "config", "worker", "--pool=solo", "-Q", queue, "-n", f"{queue}@%h"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            sender.send_task("complaints.tasks.sessions_purge", queue=queue)
            deadline = time.monotonic() + 60
            while Session.objects.filter(session_key=expired).exists() or DRAFT_KEY in _session_data(key):
                if worker.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the worker did not purge; its log:\n{log_path.read_text()}")
                time.sleep(0.2)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)
            _forget_queue(queue)
            sender.close()
    assert not any(default_storage.exists(path) for path in paths)
    assert CLEARED_KEY in _session_data(key)


# --- 3. The draft's idle limit ------------------------------------------------------------------


def test_a_draft_left_unused_for_the_idle_limit_is_cleared_with_its_files_on_the_next_request(with_files, client):
    paths = _stored_paths(client)
    key = client.cookies[COOKIE].value
    _idle_for(key, minutes=61)

    response = client.get(reverse("complain:evidence"))

    assert response.status_code == 302
    assert response["Location"] == reverse("complain:cleared")
    assert not any(default_storage.exists(path) for path in paths)
    assert not Session.objects.filter(session_key=key).exists()
    assert response.cookies[COOKIE]["max-age"] == 0  # the cookie is deleted too
    page = client.get(response["Location"])
    body = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert '<h1 class="govuk-heading-l">Your answers have been cleared</h1>' in body
    assert "because there was no activity for 60 minutes" in body
    assert f'href="{reverse("complain:about")}"' in body and "Start again" in body
    assert client.get(reverse("complain:check"))["Location"] == reverse("complain:about")


def test_an_answer_sent_after_the_idle_limit_is_not_kept_and_the_complainant_is_told(with_files, client):
    _idle_for(client.cookies[COOKIE].value, minutes=61)
    response = with_files.evidence_continue()
    assert response["Location"] == reverse("complain:cleared")
    assert Session.objects.count() == 0


def test_a_draft_used_within_the_idle_limit_is_kept_and_each_use_restarts_the_clock(with_files, client):
    key = client.cookies[COOKIE].value
    _idle_for(key, minutes=59)
    response = client.get(reverse("complain:evidence"))
    assert response.status_code == 200
    assert "first.png" in response.content.decode()
    assert time.time() - _session_data(key)[ACTIVE_KEY] < 5
    _idle_for(key, minutes=59)
    assert client.get(reverse("complain:evidence")).status_code == 200


def test_reading_pages_and_thumbnails_moments_after_an_answer_does_not_save_the_session_again(with_files, client):
    # A save rewrites the whole session: a page read saving at the moment an answer is sent
    # could put back the answers as they were before it.
    key = client.cookies[COOKIE].value
    token = client.session[DRAFT_KEY]["evidence"][0]["token"]
    before = Session.objects.get(session_key=key).session_data
    assert client.get(reverse("complain:evidence")).status_code == 200
    assert client.get(reverse("complain:evidence_thumbnail", args=[token])).status_code == 200
    assert Session.objects.get(session_key=key).session_data == before


def test_fetching_a_thumbnail_does_not_keep_a_draft_alive(with_files, client):
    key = client.cookies[COOKIE].value
    token = client.session[DRAFT_KEY]["evidence"][0]["token"]
    _idle_for(key, minutes=50)
    stamped = _session_data(key)[ACTIVE_KEY]
    assert client.get(reverse("complain:evidence_thumbnail", args=[token])).status_code == 200
    assert _session_data(key)[ACTIVE_KEY] == stamped


def test_the_idle_limit_is_read_from_draft_idle_minutes(with_files, client, settings):
    settings.DRAFT_IDLE_MINUTES = 5
    _idle_for(client.cookies[COOKIE].value, minutes=6)
    page = client.get(reverse("complain:outcome"), follow=True)
    assert "because there was no activity for 5 minutes" in page.content.decode()


def test_the_purge_clears_an_abandoned_draft_and_its_files_and_a_returning_complainant_is_told(with_files, client):
    paths = _stored_paths(client)
    key = client.cookies[COOKIE].value
    _idle_for(key, minutes=61)

    call_command("clearsessions")

    assert not any(default_storage.exists(path) for path in paths)
    left = _session_data(key)
    assert DRAFT_KEY not in left and CLEARED_KEY in left  # a note without personal data
    assert "Sam Resident" not in str(left)
    response = client.get(reverse("complain:posts"))
    assert response["Location"] == reverse("complain:cleared")
    assert not Session.objects.filter(session_key=key).exists()


def test_a_sent_complaints_confirmation_is_dropped_after_the_idle_limit_without_saying_answers_were_cleared(
    with_files, client, django_capture_on_commit_callbacks
):
    with_files.evidence_continue()
    with_files.outcome()
    with django_capture_on_commit_callbacks(execute=True):
        with_files.send()
    assert client.get(reverse("complain:confirmation")).status_code == 200
    _idle_for(client.cookies[COOKIE].value, minutes=61)
    response = client.get(reverse("complain:confirmation"))
    assert response["Location"] == reverse("home")
    assert Complaint.objects.count() == 1
    assert Session.objects.count() == 0


def test_a_thumbnail_of_an_expired_draft_is_not_found(with_files, client):
    token = client.session[DRAFT_KEY]["evidence"][0]["token"]
    _idle_for(client.cookies[COOKIE].value, minutes=61)
    assert client.get(reverse("complain:evidence_thumbnail", args=[token])).status_code == 404


def test_a_draft_session_row_outlives_a_short_officer_session_length(journey, client, settings):
    settings.SESSION_COOKIE_AGE = 10 * 60  # shorter than the draft's idle limit
    journey.about()
    row = Session.objects.get()
    assert row.expire_date - timezone.now() > timedelta(minutes=settings.DRAFT_IDLE_MINUTES)


def test_a_session_holding_no_complaint_keeps_djangos_length(settings):
    # For instance the half-way state of an officer's sign-in.
    store = SessionStore()
    store["sign_in_step"] = "password checked"
    store.create()
    remaining = Session.objects.get(session_key=store.session_key).expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )


@pytest.fixture
def officer(db):
    person = User.objects.create_user("officer", password="pw-long-enough-1")
    person.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    return person


def test_an_officers_session_keeps_its_own_length_and_is_not_cleared_by_the_draft_limit(officer, settings):
    browser = sign_in(Client(), officer)
    assert browser.get(reverse("officer:dashboard")).status_code == 200
    key = browser.cookies[COOKIE].value
    row = Session.objects.get(session_key=key)
    remaining = row.expire_date - timezone.now()
    assert (
        timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
        < remaining
        <= timedelta(seconds=settings.SESSION_COOKIE_AGE)
    )
    # Two hours without a request: past the draft's limit, within the officer's session length.
    store = SessionStore(key)
    store[ACTIVE_KEY] = int(time.time() - 2 * 3600)
    store.save()

    call_command("clearsessions")

    assert Session.objects.filter(session_key=key).exists()
    assert browser.get(reverse("officer:dashboard")).status_code == 200


def test_an_officer_who_starts_a_complaint_keeps_a_session_cookie_of_the_officers_length(officer, council):
    browser = sign_in(Client(), officer)
    response = Journey(browser).about()
    assert response.status_code == 302
    assert response.cookies[COOKIE]["max-age"] == django_settings.SESSION_COOKIE_AGE
    assert browser.get(reverse("officer:dashboard")).status_code == 200


# --- 4. Delete my answers -----------------------------------------------------------------------

QUESTION_PAGES = [
    "complain:about",
    "complain:council",
    "complain:councillors",
    "complain:posts",
    "complain:post_add",
    ("complain:post_edit", 0),
    "complain:clauses",
    "complain:evidence",
    "complain:outcome",
    "complain:check",
]


def _url(page) -> str:
    name, *args = page if isinstance(page, tuple) else (page,)
    return reverse(name, args=args)


@pytest.fixture
def at_check(with_files):
    with_files.evidence_continue()
    assert with_files.outcome().status_code == 302
    return with_files


@pytest.mark.parametrize("page", QUESTION_PAGES, ids=_url)
def test_every_question_page_offers_delete_my_answers(at_check, client, page):
    response = client.get(_url(page))
    assert response.status_code == 200
    link = reverse("complain:delete") + "?back=" + _url(page).replace("/", "%2F")
    assert f'<a class="govuk-link" href="{link}">Delete my answers</a>' in response.content.decode()


def test_the_first_page_does_not_offer_to_delete_answers_before_there_are_any(client):
    assert "Delete my answers" not in client.get(reverse("complain:about")).content.decode()


def test_delete_my_answers_asks_first_then_deletes_answers_and_files_at_once(with_files, client):
    paths = _stored_paths(client)
    key = client.cookies[COOKIE].value
    back = reverse("complain:evidence")

    question = client.get(reverse("complain:delete"), {"back": back})
    body = " ".join(question.content.decode().split())
    assert question.status_code == 200
    assert "Are you sure you want to delete your answers?" in body
    assert "the 2 files you uploaded" in body
    assert f'<a href="{back}" class="govuk-back-link">Back</a>' in body
    assert f'<a class="govuk-link" href="{back}">No, keep my answers</a>' in body
    assert all(default_storage.exists(path) for path in paths)  # asking deletes nothing

    response = client.post(reverse("complain:delete"))

    assert response.status_code == 302
    assert response["Location"] == reverse("complain:deleted")
    assert not any(default_storage.exists(path) for path in paths)
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.count() == 0
    assert response.cookies[COOKIE]["max-age"] == 0
    done = " ".join(client.get(response["Location"]).content.decode().split())
    assert "Your answers have been deleted" in done
    assert "We have deleted your answers and any files you uploaded" in done
    assert client.get(reverse("complain:check"))["Location"] == reverse("complain:about")


def test_delete_my_answers_needs_the_forms_csrf_token(with_files, client):
    paths = _stored_paths(client)
    forged = Client(enforce_csrf_checks=True)
    forged.cookies[COOKIE] = client.cookies[COOKIE].value
    response = forged.post(reverse("complain:delete"))
    assert response.status_code == 403
    assert all(default_storage.exists(path) for path in paths)
    assert DRAFT_KEY in _session_data(client.cookies[COOKIE].value)


def test_delete_my_answers_keeps_an_officer_signed_in(officer, council):
    browser = sign_in(Client(), officer)
    Journey(browser).about()
    assert browser.post(reverse("complain:delete"))["Location"] == reverse("complain:deleted")
    data = _session_data(browser.cookies[COOKIE].value)
    assert DRAFT_KEY not in data and ACTIVE_KEY not in data
    assert browser.get(reverse("officer:dashboard")).status_code == 200


@pytest.mark.parametrize("back", ["https://evil.example/", "//evil.example/complain/", "/admin/", ""])
def test_the_delete_page_only_leads_back_into_the_journey(with_files, client, back):
    body = client.get(reverse("complain:delete"), {"back": back}).content.decode()
    assert 'href="/complain/about-you/" class="govuk-back-link"' in body
    assert "evil" not in body


# --- 5. No caching of pages that show answers ---------------------------------------------------


def _no_store(response) -> bool:
    return "no-store" in {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize("page", QUESTION_PAGES, ids=_url)
def test_question_pages_are_never_cached_whether_shown_or_refused(at_check, client, page):
    assert _no_store(client.get(_url(page)))
    refused = client.post(_url(page), {})
    assert refused.status_code in (302, 400)
    assert _no_store(refused)


def test_the_file_pages_confirmation_and_delete_pages_are_never_cached(
    at_check, client, django_capture_on_commit_callbacks
):
    token = client.session[DRAFT_KEY]["evidence"][0]["token"]
    for url in (
        reverse("complain:evidence_thumbnail", args=[token]),
        reverse("complain:evidence_remove", args=[token]),
        reverse("complain:delete"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert _no_store(response), url
    with django_capture_on_commit_callbacks(execute=True):
        at_check.send()
    confirmation = client.get(reverse("complain:confirmation"))
    assert confirmation.status_code == 200
    assert CONFIRMATION_KEY in client.session
    assert _no_store(confirmation)
