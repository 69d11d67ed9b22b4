"""`manage.py demo_code USERNAME`: the demo login's current code in the embedded mode, and a
refusal (exit status 2, one line) with DEBUG off or without an authenticator app."""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.complaints.officer.signin import sign_in

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_login(db):
    user = User.objects.create_user("officer", password="demo-password-2026")
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def demo_code(username: str) -> str:
    out = io.StringIO()
    call_command("demo_code", username, stdout=out)
    return out.getvalue().strip()


def test_it_prints_a_code_that_signs_the_demo_login_in(client, demo_login, settings):
    settings.DEBUG = True
    code = demo_code("officer")
    assert len(code) == 6 and code.isdigit()

    client.post("/officer/login/", {"username": "officer", "password": "demo-password-2026"})
    assert client.post("/officer/login/code/", {"code": code}).status_code == 302
    assert client.get("/officer/login/code/")["Location"] == "/officer/", "signed in"


def test_after_a_code_is_used_it_prints_the_next_one(client, demo_login, settings):
    settings.DEBUG = True
    client.post("/officer/login/", {"username": "officer", "password": "demo-password-2026"})
    client.post("/officer/login/code/", {"code": demo_code("officer")})
    client.post("/officer/logout/")

    client.post("/officer/login/", {"username": "officer", "password": "demo-password-2026"})
    assert client.post("/officer/login/code/", {"code": demo_code("officer")}).status_code == 302


def test_it_refuses_with_debug_off(demo_login, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        demo_code("officer")
    assert refused.value.returncode == 2
    assert "DEBUG=1" in str(refused.value)


def test_it_refuses_a_login_without_an_app(settings):
    settings.DEBUG = True
    User.objects.create_user("nobody")
    for username in ("nobody", "no-such-user"):
        with pytest.raises(CommandError) as refused:
            demo_code(username)
        assert refused.value.returncode == 2


def test_an_unconfirmed_app_is_not_enough(demo_login, settings, client):
    settings.DEBUG = True
    TOTPDevice.objects.filter(user=demo_login).update(confirmed=False)
    with pytest.raises(CommandError):
        demo_code("officer")


def test_with_debug_off_the_command_exits_2_with_one_line_on_stderr():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", "DEBUG": "0"}
    result = subprocess.run(
        [sys.executable, "manage.py", "demo_code", "mo"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "demo_code only works in the embedded demo (DEBUG=1)" in result.stderr


def test_the_demo_data_gives_every_demo_login_an_app(settings, client):
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    usernames = ["mo", "deputy", "officer", "ip1", "ip2", "investigator", "committee"]
    for username in usernames:
        assert TOTPDevice.objects.filter(user__username=username, confirmed=True).count() == 1, username
    call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert TOTPDevice.objects.count() == len(usernames), "a second run adds no device"
    sign_in(client, User.objects.get(username="mo"))
    assert client.get("/officer/").status_code == 200
