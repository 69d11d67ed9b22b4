"""The committee report pages in Chromium: axe-core's WCAG 2.2 AA checks on the form (with and
without errors), the self-refreshing status page and the ready page, and the whole journey with
JavaScript off: ask for a report, watch its progress as the page refreshes itself while a real
Celery worker draws it, download it and publish it."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.models import Group, User
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, CommitteeReportRun, OfficerProfile, ReportRunStatus
from config.celery import app as celery_app
from tests.browser.test_letters_pages import signed_in_page
from tests.services import RedisServer, start_worker, stop_process, worker_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# How long a worker may take to start and draw the (small) report before the journey fails.
READY_WITHIN_MS = 120_000


@pytest.fixture
def officer(transactional_db):
    roles.roles_apply()
    council = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    user = User.objects.create_user("mo-browser", first_name="Mo", last_name="Officer")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


def test_the_report_form_and_its_errors_pass_axe(new_context, live_server, officer, axe):
    page = signed_in_page(new_context, live_server, officer)
    page.goto(f"{live_server.url}/officer/reports/")
    expect(page.get_by_role("heading", name="Standards Committee reports", level=1)).to_be_visible()
    axe(page, label="committee report form")

    page.get_by_label("Other dates").check()
    page.locator("#start_day").fill("31")
    page.locator("#start_month").fill("2")
    page.locator("#start_year").fill("2026")
    page.get_by_label("Purpose").fill("")
    page.get_by_role("button", name="Generate the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    axe(page, label="committee report form with errors")
    assert page.problems == []


def test_the_status_page_while_running_passes_axe(new_context, live_server, officer, axe):
    run = CommitteeReportRun.objects.create(
        start="2026-04-01", end="2027-03-31", scope="all", status=ReportRunStatus.RUNNING, progress=40, step="Drawing"
    )
    page = signed_in_page(new_context, live_server, officer)
    page.goto(f"{live_server.url}/officer/reports/{run.public_id}/?refresh=off")
    expect(page.get_by_role("heading", name="Preparing the report")).to_be_visible()
    axe(page, label="report status")


@pytest.fixture
def redis_server(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def celery_on(redis_server):
    """The live server sends tasks to a real broker instead of running them in the request, so the
    status page is seen while the report is still waiting for a worker."""
    keys = ("task_always_eager", "broker_url", "result_backend")
    saved = {key: celery_app.conf[key] for key in keys}
    celery_app.conf.update(task_always_eager=False, broker_url=redis_server.url, result_backend=redis_server.url)
    celery_app._after_fork()  # drop pooled connections so the new broker is used
    yield redis_server
    celery_app.conf.update(**saved)
    celery_app._after_fork()


@pytest.mark.redis
@pytest.mark.postgres
def test_the_whole_journey_works_without_javascript(
    new_context, live_server, officer, celery_on, tmp_path, settings, axe
):
    page = signed_in_page(new_context, live_server, officer, javascript=False)
    status_loads = []
    page.on("response", lambda r: status_loads.append(r.url) if "/officer/reports/" in r.url and r.ok else None)
    page.goto(f"{live_server.url}/officer/reports/")
    page.get_by_label("A year (April to March)").check()
    page.get_by_role("button", name="Generate the report").click()

    # No worker yet: the request is queued and the page says so, and refreshes itself.
    expect(page.get_by_role("heading", name="Preparing the report")).to_be_visible()
    expect(page.locator("#progress")).to_have_text("Waiting for a worker: 0% done.")
    assert page.locator('meta[http-equiv="refresh"]').get_attribute("content") == "3"
    run = CommitteeReportRun.objects.get()
    assert run.status == ReportRunStatus.QUEUED
    status_url = page.url
    loads_before = status_loads.count(status_url)

    log = tmp_path / "documents-worker.log"
    env = worker_env(tmp_path, broker_url=celery_on.url, private_root=settings.PRIVATE_STORAGE_ROOT)
    worker = start_worker(tmp_path, env, name="documents", queues="documents", log_path=log)
    try:
        # The meta refresh reloads the page (no JavaScript) until the report is ready.
        deadline = time.monotonic() + READY_WITHIN_MS / 1000
        ready = page.get_by_role("heading", name="The report is ready")
        while not ready.is_visible():
            assert worker.poll() is None, f"the worker stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no report within {READY_WITHIN_MS // 1000} s:\n{log.read_text()}"
            page.wait_for_timeout(500)
    finally:
        stop_process(worker)
    assert status_loads.count(status_url) > loads_before, "the page refreshed itself to show the result"
    run.refresh_from_db()
    assert run.status == ReportRunStatus.READY and run.document is not None

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (PDF, version 1)").click()
    assert download.value.suggested_filename == "standards-committee-report-v1.pdf"
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    with page.expect_download() as figures:
        page.get_by_role("link", name="Download the figures (CSV)").click()
    assert figures.value.suggested_filename.endswith(".csv")
    page.get_by_role("button", name="Publish to the committee").click()
    expect(page.get_by_text("Published to the Standards Committee on")).to_be_visible()
    assert page.problems == []

    # axe-core runs inside the page, so the ready page is checked again with JavaScript on.
    checked = signed_in_page(new_context, live_server, officer)
    checked.goto(status_url)
    expect(checked.get_by_role("heading", name="The report is ready")).to_be_visible()
    axe(checked, label="report ready")
