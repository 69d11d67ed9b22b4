"""The privacy notice and accessibility statement say what the service really does."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_notice_names_everything_kept_how_long_and_who_sees_it(client, settings):
    settings.COMPLAINT_RETENTION_YEARS = 3
    settings.EVIDENCE_UNSENT_MAX_AGE_HOURS = 24
    settings.DRAFT_IDLE_MINUTES = 45
    body = " ".join(client.get(reverse("privacy")).content.decode().split())
    assert "the internet (IP) address your complaint was sent from" in body
    assert "the files you upload, <strong>exactly as you send them</strong>, including the information hidden" in body
    assert "We keep the original files unchanged because they are evidence" in body
    assert "a cookie in your browser that is deleted when you close it" in body
    assert "If you do nothing on the form for 45 minutes, we delete your answers and files" in body
    assert "&lsquo;Delete my answers&rsquo; on each page of the form" in body
    assert "Files you upload but never send are deleted within 24 hours" in body
    assert "for 3 years after the final decision" in body
    for reader in (
        "Independent Person",
        "the councillor you complain about",
        "investigator",
        "the clerk of that council",
    ):
        assert reader in body


def test_the_accessibility_statement_gives_the_contacts_dates_and_testing_from_settings(client, settings):
    settings.COUNCIL_CONTACT_EMAIL = "standards@southvale.example.gov.uk"
    settings.COUNCIL_NAME = "Southvale Borough Council"
    settings.COUNCIL_TELEPHONE = "01632 960 123"
    settings.COUNCIL_ADDRESS = ["Southvale House", "Southvale", "SV1 2AB"]
    settings.ACCESSIBILITY_STATEMENT_PREPARED = "2026-03-02"
    settings.ACCESSIBILITY_STATEMENT_REVIEWED = "2026-11-20"
    body = " ".join(client.get(reverse("accessibility")).content.decode().split())
    assert 'href="mailto:standards@southvale.example.gov.uk"' in body
    assert "call 01632 960 123" in body
    assert "write to Monitoring Officer, Southvale Borough Council, Southvale House, Southvale, SV1 2AB" in body
    assert "This statement was prepared on 2 March 2026. It was last reviewed on 20 November 2026." in body
    assert "axe-core, an automated accessibility checker, running in the Chromium browser" in body


def test_a_bad_statement_date_stops_the_app_with_the_variable_named(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_date

    monkeypatch.setenv("ACCESSIBILITY_STATEMENT_REVIEWED", "20/11/2026")
    with pytest.raises(ImproperlyConfigured, match="ACCESSIBILITY_STATEMENT_REVIEWED must be an ISO date"):
        env_date("ACCESSIBILITY_STATEMENT_REVIEWED", "2026-11-21")


def test_each_log_line_of_the_development_server_is_printed_once():
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('django.request').warning('Not Found: /nope'); "
        "logging.getLogger('django.server').info('\"GET / HTTP/1.1\" 200 1'); "
        "logging.getLogger('complaints').warning('Complaint refused')"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "LOG_LEVEL": "INFO"}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /nope") == 1, result.stderr
    assert len([line for line in lines if line.endswith('"GET / HTTP/1.1" 200 1')]) == 1, result.stderr
    assert [line for line in lines if '"GET / HTTP/1.1"' in line][0].startswith("[")  # with the server's time
    assert lines.count("Complaint refused") == 1, result.stderr


def test_runserver_prints_each_request_and_warning_once(tmp_path):
    """`make run`'s server, reloader and all: every request line and warning appears once."""
    import os
    import signal
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request
    from pathlib import Path

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "1", "VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    log = (tmp_path / "server.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # the reloader's child is in the same group, stopped with it
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/privacy/", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None and time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.3)
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=5)
        except urllib.error.HTTPError as error:
            assert error.code == 404
        time.sleep(1)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()
    lines = (tmp_path / "server.log").read_text().splitlines()
    assert lines.count("Not Found: /no-such-page/") == 1, lines
    assert len([line for line in lines if '"GET /no-such-page/ HTTP/1.1" 404' in line]) == 1, lines
    assert len([line for line in lines if '"GET /privacy/ HTTP/1.1" 200' in line]) == 1, lines
    assert len([line for line in lines if line.startswith("Starting development server at")]) == 1, lines
