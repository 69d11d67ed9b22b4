"""Officer sign-in through HTTP: password, then a code from an authenticator app (computed here
with django_otp.oath.totp, as the phone would) or a backup code; enrolment on first sign-in;
lockout; the idle timeout; re-authentication before a sensitive action; sign-out; the admin."""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from complaints import roles
from complaints.middleware import LAST_SEEN
from complaints.models import Authority, Case, OfficerProfile
from complaints.services.two_factor import backup_codes_issue
from tests.complaints.officer.signin import sign_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # noqa: S105
LOGIN = "/officer/login/"
VERIFY = "/officer/login/code/"
ENROL = "/officer/login/set-up-app/"


@pytest.fixture
def officer(db):
    council = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    user = User.objects.create_user("amira", password=PASSWORD, first_name="Amira", last_name="Hussain")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


@pytest.fixture
def app(officer):
    """The officer's enrolled authenticator app."""
    return TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)


def code_for(device: TOTPDevice) -> str:
    """The code the phone shows now; the next step's when this one was already used."""
    device.refresh_from_db()
    now_step = int(time.time() - device.t0) // device.step + device.drift
    drift = device.drift + max(0, device.last_t + 1 - now_step)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):06d}"


def wrong_code_for(device: TOTPDevice) -> str:
    near = {code_for(device)} | {
        f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=d):06d}" for d in range(-2, 3)
    }
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def password_step(client, username="amira", password=PASSWORD, next_url=""):
    url = LOGIN + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def page(response) -> str:
    return response.content.decode()


def error_summary(response) -> list[str]:
    summary = re.search(r'<div class="govuk-error-summary".*?</ul>', page(response), re.S)
    return re.findall(r"<li><a [^>]*>(.*?)</a></li>", summary.group(0)) if summary else []


def inline_errors(response) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", m).replace("Error:", "").strip()
        for m in re.findall(r'<span id="[^"]*" class="govuk-error-message">(.*?)</span>\s*<', page(response), re.S)
    ]


def is_signed_in(client) -> bool:
    response = client.get("/officer/")
    return response.status_code == 200


# -- first sign-in: enrolment ----------------------------------------------------------------------


def test_first_sign_in_sets_up_an_app_from_a_local_qr_code_and_shows_backup_codes_once(client, officer):
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)

    response = client.get(response["Location"])
    assert response.status_code == 200
    html = page(response)
    assert '<svg role="img" aria-label="QR code to scan with your authenticator app"' in html
    assert "<img" not in html.split('id="main-content"')[1], "the QR code is drawn inline, not fetched"
    device = TOTPDevice.objects.get(user=officer)
    assert not device.confirmed
    secret = re.search(r'<span class="app-secret" id="totp-secret">([A-Z2-7 ]+)</span>', html).group(1)
    assert device.config_url.split("secret=")[1].split("&")[0] == secret.replace(" ", "")
    assert not is_signed_in(client), "no access before the app is confirmed"

    response = client.post(ENROL, {"code": code_for(device)})
    assert response.status_code == 302
    assert response["Location"].startswith("/officer/backup-codes/")
    device.refresh_from_db()
    assert device.confirmed

    shown = client.get(response["Location"])
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", page(shown))
    assert len(codes) == 10
    assert sorted(codes) == sorted(StaticToken.objects.filter(device__user=officer).values_list("token", flat=True))
    assert "no-store" in shown["Cache-Control"]
    again = client.get("/officer/backup-codes/")
    assert not set(codes) & set(re.findall(r"[a-z2-7]{8}", page(again))), "backup codes are shown only once"
    assert "You have 10 unused backup codes" in page(again)
    assert is_signed_in(client)


def test_reloading_the_set_up_page_keeps_the_same_qr_code(client, officer):
    password_step(client)
    first = page(client.get(ENROL))
    second = page(client.get(ENROL))
    assert TOTPDevice.objects.filter(user=officer).count() == 1
    assert re.search(r"<svg.*?</svg>", first, re.S).group(0) == re.search(r"<svg.*?</svg>", second, re.S).group(0)


def test_a_wrong_code_at_set_up_is_refused_and_the_app_stays_unconfirmed(client, officer):
    password_step(client)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer)

    response = client.post(ENROL, {"code": wrong_code_for(device)})

    assert response.status_code == 400
    message = "The code is not correct. Enter the 6-digit code your authenticator app shows now"
    assert error_summary(response) == [message]
    assert inline_errors(response) == [message]
    assert not TOTPDevice.objects.get(user=officer).confirmed
    assert not is_signed_in(client)


def test_someone_with_an_app_cannot_enrol_another_one_with_the_password_alone(client, app):
    password_step(client)
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert TOTPDevice.objects.count() == 1


# -- signing in with a code -----------------------------------------------------------------------


def test_sign_in_takes_a_password_and_then_a_code_from_the_app(client, app):
    response = password_step(client, next_url="/officer/new/")
    assert response.status_code == 302
    assert response["Location"] == f"{VERIFY}?next=%2Fofficer%2Fnew%2F"
    # The password alone opens nothing: every officer page sends them to the code step.
    assert client.get("/officer/")["Location"].startswith(VERIFY)

    response = client.post(response["Location"], {"code": code_for(app)})

    assert response.status_code == 302
    assert response["Location"] == "/officer/new/"
    assert is_signed_in(client)


def test_a_code_cannot_be_used_twice(client, app):
    code = code_for(app)
    password_step(client)
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post("/officer/logout/")
    password_step(client)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 400
    assert not is_signed_in(client)


def test_a_wrong_code_is_refused_with_a_message_on_the_page(client, app):
    password_step(client)
    response = client.post(VERIFY, {"code": wrong_code_for(app)})
    assert response.status_code == 400
    message = "The code is not correct. Enter the code your authenticator app shows now, or a backup code"
    assert error_summary(response) == [message]
    assert inline_errors(response) == [message]
    assert "<title>Error: " in page(response)
    assert not is_signed_in(client)


def test_an_empty_code_is_asked_for(client, app):
    password_step(client)
    response = client.post(VERIFY, {"code": "  "})
    assert response.status_code == 400
    assert error_summary(response) == ["Enter the code from your authenticator app or a backup code"]


def test_a_backup_code_signs_in_once(client, officer, app, settings):
    settings.OTP_STATIC_THROTTLE_FACTOR = 0  # a used code straight after a refused one
    codes = backup_codes_issue(user=officer)
    password_step(client)
    response = client.post(VERIFY, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert "You have 9 backup codes left" in page(client.get("/officer/"))

    client.post("/officer/logout/")
    password_step(client)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 400
    assert not is_signed_in(client)
    assert client.post(VERIFY, {"code": codes[1]}).status_code == 302
    assert StaticToken.objects.filter(device__user=officer).count() == 8


def test_a_wrong_password_does_not_say_which_of_the_two_was_wrong(client, app):
    for username, password in (("amira", "wrong password"), ("nobody-here", PASSWORD)):
        response = password_step(client, username, password)
        assert response.status_code == 400
        assert error_summary(response) == ["Enter a correct username and password"]
        assert inline_errors(response) == ["Enter a correct username and password"]
        assert PASSWORD not in page(response)


def test_empty_fields_each_get_a_message(client):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert error_summary(response) == ["Enter your username", "Enter your password"]
    assert inline_errors(response) == ["Enter your username", "Enter your password"]


def test_the_sign_in_page_sends_nobody_to_another_site(client, app):
    password_step(client, next_url="https://attacker.example/")
    response = client.post(VERIFY + "?next=https://attacker.example/", {"code": code_for(app)})
    assert response["Location"] == "/officer/"


# -- who gets in ----------------------------------------------------------------------------------


def test_a_signed_in_user_without_a_role_is_refused(client):
    nobody = User.objects.create_user("nobody", password=PASSWORD)
    sign_in(client, nobody)
    assert client.get("/officer/").status_code == 403


def test_officer_pages_send_visitors_to_the_officer_sign_in(client):
    response = client.get("/officer/?stage=received")
    assert response.status_code == 302
    assert response["Location"] == "/officer/login/?next=/officer/%3Fstage%3Dreceived"


# -- lockout --------------------------------------------------------------------------------------


def test_sign_in_locks_after_five_wrong_passwords_even_for_the_right_one(client, app, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert password_step(client, password="wrong password").status_code == 400
    response = password_step(client, password="wrong password")
    assert response.status_code == 429
    assert "Sign-in is locked" in page(response)
    assert "You can try again in 15 minutes" in page(response)

    response = password_step(client)
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_wrong_codes_count_towards_the_lockout_and_sign_the_session_out(client, app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the app's own back-off is tested separately
    password_step(client)
    for _ in range(4):
        assert client.post(VERIFY, {"code": wrong_code_for(app)}).status_code == 400
    response = client.post(VERIFY, {"code": wrong_code_for(app)})
    assert response.status_code == 429
    assert "Sign-in is locked" in page(response)
    assert client.get(VERIFY)["Location"].startswith(LOGIN), "the half-signed-in session is gone"
    assert password_step(client).status_code == 429


def test_repeated_wrong_codes_ask_the_user_to_wait(client, app, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    password_step(client)
    client.post(VERIFY, {"code": wrong_code_for(app)})
    response = client.post(VERIFY, {"code": code_for(app)})
    assert response.status_code == 400
    assert re.match(
        r"You entered a wrong code more than once\. Wait \d+ seconds?, then try again", error_summary(response)[0]
    )


def test_the_limit_and_the_lockout_time_are_settings(client, app, settings):
    settings.AXES_FAILURE_LIMIT = 2
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(minutes=40)
    password_step(client, password="wrong password")
    response = password_step(client, password="wrong password")
    assert response.status_code == 429
    assert "You can try again in 40 minutes" in page(response)


def test_a_full_sign_in_clears_earlier_failures(client, app):
    for _ in range(4):
        password_step(client, password="wrong password")
    password_step(client)
    client.post(VERIFY, {"code": code_for(app)})
    client.post("/officer/logout/")
    for _ in range(4):
        assert password_step(client, password="wrong password").status_code == 400


# -- the admin ------------------------------------------------------------------------------------


@pytest.fixture
def admin(db):
    user = User.objects.create_superuser("root", "root@example.gov.uk", PASSWORD)
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return user


def test_the_admin_sends_visitors_to_the_officer_sign_in(client):
    response = client.get("/admin/")
    assert response["Location"] == "/admin/login/?next=/admin/"
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/officer/login/?next=/admin/"


def test_the_admin_has_no_password_only_sign_in(client, admin):
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/admin/").status_code == 302


def test_the_admin_requires_a_code_after_the_password(client, admin):
    password_step(client, "root", next_url="/admin/")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == f"{VERIFY}?next=%2Fadmin%2F"

    device = TOTPDevice.objects.get(user=admin)
    response = client.post(f"{VERIFY}?next=/admin/", {"code": code_for(device)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_a_session_signed_in_without_a_code_is_not_let_into_the_admin(client, admin):
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/complaints/case/").status_code == 302


def test_admin_sign_in_locks_after_five_failures(client, admin):
    for _ in range(4):
        assert password_step(client, "root", "wrong password", next_url="/admin/").status_code == 400
    assert password_step(client, "root", "wrong password", next_url="/admin/").status_code == 429
    assert password_step(client, "root", next_url="/admin/").status_code == 429
    assert client.get("/admin/").status_code == 302


# -- idle timeout ---------------------------------------------------------------------------------


def _idle(client, minutes: float):
    session = client.session
    session[LAST_SEEN] = time.time() - minutes * 60
    session.save()


def test_an_officer_idle_for_thirty_minutes_is_signed_out(client, officer, settings):
    assert settings.OFFICER_IDLE_MINUTES == 30
    sign_in(client, officer)
    _idle(client, 29)
    assert client.get("/officer/").status_code == 200

    _idle(client, 31)
    response = client.get("/officer/new/")
    assert response.status_code == 302
    assert response["Location"] == "/officer/login/?next=/officer/new/"
    shown = client.get(response["Location"])
    assert "You were signed out because you had not used the service for 30 minutes" in page(shown)
    assert not is_signed_in(client)


def test_the_idle_timeout_is_a_setting(client, officer, settings):
    settings.OFFICER_IDLE_MINUTES = 5
    sign_in(client, officer)
    _idle(client, 6)
    assert client.get("/officer/").status_code == 302


def test_the_admin_times_out_too(client, admin):
    sign_in(client, admin)
    _idle(client, 31)
    assert client.get("/admin/").status_code == 302
    assert not client.session.get("_auth_user_id")


# -- re-authentication before a sensitive action --------------------------------------------------


@pytest.fixture
def unassigned_case(officer):
    return Case.objects.create(
        reference="MO-2026-00001", authority=officer.officer_profile.authority, opened_at="2026-11-02T10:00:00Z"
    )


def _assign(client, case, officer):
    return client.post("/officer/assign/", {"cases": [case.reference], "officer": officer.username})


def test_bulk_assign_asks_for_the_password_again_after_ten_minutes(client, officer, unassigned_case, settings):
    assert settings.OFFICER_REAUTH_MINUTES == 10
    sign_in(client, officer, authenticated_ago=11 * 60)

    response = client.post(
        "/officer/assign/",
        {"cases": [unassigned_case.reference], "officer": officer.username},
        HTTP_REFERER="http://testserver/officer/?stage=received",
    )

    assert response.status_code == 302
    assert response["Location"] == "/officer/reauthenticate/?next=%2Fofficer%2F%3Fstage%3Dreceived"
    unassigned_case.refresh_from_db()
    assert unassigned_case.assigned_officer is None

    wrong = client.post(response["Location"], {"secret": "not my password"})
    assert wrong.status_code == 400
    assert error_summary(wrong) == ["Enter your correct password, or the code your authenticator app shows now"]

    again = client.post(response["Location"], {"secret": PASSWORD})
    assert again.status_code == 302
    assert again["Location"] == "/officer/?stage=received"
    assert _assign(client, unassigned_case, officer).status_code == 302
    unassigned_case.refresh_from_db()
    assert unassigned_case.assigned_officer == officer


def test_a_code_from_the_app_also_re_authenticates(client, officer, unassigned_case):
    sign_in(client, officer, authenticated_ago=11 * 60)
    device = TOTPDevice.objects.get(user=officer)
    assert _assign(client, unassigned_case, officer)["Location"].startswith("/officer/reauthenticate/")
    assert client.post("/officer/reauthenticate/", {"secret": code_for(device)}).status_code == 302
    assert _assign(client, unassigned_case, officer).status_code == 302


def test_bulk_assign_goes_straight_through_soon_after_sign_in(client, officer, unassigned_case):
    sign_in(client, officer, authenticated_ago=9 * 60)
    assert _assign(client, unassigned_case, officer)["Location"] == "/officer/"


def test_wrong_re_authentication_counts_towards_the_lockout(client, officer, settings):
    settings.AXES_FAILURE_LIMIT = 2
    sign_in(client, officer, authenticated_ago=11 * 60)
    assert client.post("/officer/reauthenticate/", {"secret": "wrong one"}).status_code == 400
    response = client.post("/officer/reauthenticate/", {"secret": "wrong two"})
    assert response.status_code == 429
    assert not is_signed_in(client)


def test_new_backup_codes_need_re_authentication_and_replace_the_old_ones(client, officer):
    old = backup_codes_issue(user=officer)
    sign_in(client, officer, authenticated_ago=11 * 60)
    response = client.post("/officer/backup-codes/new/")
    assert response["Location"].startswith("/officer/reauthenticate/")
    client.post(response["Location"], {"secret": PASSWORD})
    response = client.post("/officer/backup-codes/new/")
    new = re.findall(r"<li>([a-z2-7]{8})</li>", page(client.get(response["Location"])))
    assert len(new) == 10 and not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)


# -- sign-out -------------------------------------------------------------------------------------


def test_sign_out_is_a_button_in_the_navigation_and_ends_the_session(client, officer):
    sign_in(client, officer)
    html = page(client.get("/officer/"))
    assert re.search(r'<form class="app-sign-out" method="post" action="/officer/logout/">', html)
    assert client.get("/officer/logout/").status_code == 405, "signing out is a POST, never a link"

    response = client.post("/officer/logout/")

    assert response["Location"] == LOGIN
    assert "You have signed out" in page(client.get(LOGIN))
    assert not is_signed_in(client)


# -- the log --------------------------------------------------------------------------------------


def test_sign_ins_are_logged_without_passwords_and_with_addresses_masked(client, app, caplog, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    caplog.set_level(logging.INFO, logger="complaints.signin")
    password_step(client, "jane.doe@example.com", "s3cret-Wrong-pass")
    password_step(client, "amira", "another-Wrong-pass")
    password_step(client)
    client.post(VERIFY, {"code": wrong_code_for(app)})
    client.post(VERIFY, {"code": code_for(app)})
    client.post("/officer/logout/")

    lines = [record.getMessage() for record in caplog.records if record.name == "complaints.signin"]
    assert lines == [
        "Sign-in failed for j***@example.com from 127.0.0.1: wrong username or password",
        "Sign-in failed for amira from 127.0.0.1: wrong username or password",
        "Password accepted for amira from 127.0.0.1; a code is needed next",
        "Sign-in failed for amira from 127.0.0.1: wrong code",
        "Signed in amira from 127.0.0.1 with a code",
        "Signed out amira from 127.0.0.1",
    ]
    assert "jane.doe@" not in "\n".join(lines)
    # No logger at all, the lockout library's included, is given a password.
    everything = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("s3cret-Wrong-pass", "another-Wrong-pass", PASSWORD):
        assert secret not in everything


def test_the_admin_never_shows_anyones_authenticator_secret(admin_client, app):
    from django.urls import reverse

    response = admin_client.get(reverse("admin:otp_totp_totpdevice_change", args=[app.pk]))
    assert response.status_code == 200
    assert app.key not in page(response)
    assert admin_client.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[app.pk])).status_code in (403, 404)


def test_signing_out_of_the_admin_is_logged_too(admin_client, caplog):
    caplog.set_level(logging.INFO, logger="complaints.signin")
    admin_client.post("/admin/logout/")
    assert [r.getMessage() for r in caplog.records if r.name == "complaints.signin"] == [
        "Signed out admin from 127.0.0.1"
    ]
