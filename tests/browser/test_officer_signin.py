"""Officer sign-in in Chromium: a first sign-in that sets up an authenticator app from the QR code
page (the code computed here from the key shown, as a phone would), the backup codes, sign-out,
and signing in again with a real code; axe-core's WCAG 2.2 AA checks (and the `region` rule) on
the sign-in, enrolment, code, backup codes, re-authentication and lockout pages; and signing in
with JavaScript off."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth.models import Group, User
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from complaints import roles
from complaints.models import Authority, OfficerProfile
from tests.browser.conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture
def officer(transactional_db):
    roles.roles_apply()
    council = Authority.objects.create(name="Northmoor District Council", slug="northmoor", kind="district")
    user = User.objects.create_user("amira", password=PASSWORD, first_name="Amira", last_name="Hussain")
    user.groups.add(Group.objects.get(name=roles.MONITORING_OFFICER))
    OfficerProfile.objects.create(user=user, authority=council)
    return user


def phone_code(key: bytes, *, after_step: int = -1) -> str:
    """What an authenticator app shows now, or the next code when this step's was already used."""
    step_now = int(time.time()) // 30
    drift = max(0, after_step + 1 - step_now)
    return f"{totp(key, drift=drift):06d}"


class SignInPage:
    def __init__(self, page):
        self.page = page

    def sign_in(self, username: str, password: str):
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(password)
        self.page.get_by_role("button", name="Continue").click()


def _error_summary(page):
    return page.get_by_role("alert").filter(has_text="There is a problem")


def test_a_first_sign_in_sets_up_an_app_then_signs_in_with_a_real_code(page, officer, axe):
    page.goto("/officer/")
    expect(page).to_have_url(re.compile(r"/officer/login/\?next=/officer/$"))
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()
    axe(page, label="sign-in")
    shoot(page, "signin-01-password")

    page.get_by_role("button", name="Continue").click()
    expect(_error_summary(page)).to_contain_text("Enter your username")
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    axe(page, label="sign-in with errors")

    SignInPage(page).sign_in("amira", PASSWORD)
    expect(page.get_by_role("heading", name="Set up your authenticator app")).to_be_visible()
    expect(page.get_by_role("img", name="QR code to scan with your authenticator app")).to_be_visible()
    axe(page, label="enrolment")
    shoot(page, "signin-02-enrol")

    secret = page.locator("dd", has_text=re.compile(r"^[A-Z2-7 ]{16,}$")).inner_text()
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))

    page.get_by_label("Code from your authenticator app").fill("000000" if phone_code(key) != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(_error_summary(page)).to_contain_text("The code is not correct")
    axe(page, label="enrolment with an error")

    time.sleep(1.1)  # the app refuses a second code within a second of a wrong one
    page.get_by_label("Code from your authenticator app").fill(phone_code(key))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Save your backup codes")).to_be_visible()
    codes = page.get_by_role("list", name="Your backup codes").get_by_role("listitem").all_inner_texts()
    assert len(codes) == 10
    axe(page, label="backup codes")
    shoot(page, "signin-03-backup-codes")

    page.get_by_role("link", name="I have saved my backup codes").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page.get_by_text("You have signed out")).to_be_visible()

    SignInPage(page).sign_in("amira", PASSWORD)
    expect(page.get_by_role("heading", name="Enter the code from your authenticator app")).to_be_visible()
    axe(page, label="code")
    shoot(page, "signin-04-code")
    page.get_by_label("Code").fill("12")
    page.get_by_role("button", name="Sign in").click()
    expect(_error_summary(page)).to_contain_text("The code is not correct")
    axe(page, label="code with an error")

    device = TOTPDevice.objects.get(user=officer)
    time.sleep(1.1)  # the app refuses a second code within a second of a wrong one
    page.get_by_label("Code").fill(phone_code(key, after_step=device.last_t))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    assert page.url.endswith("/officer/")


def test_signing_in_with_a_code_works_without_javascript(nojs_page, officer):
    page = nojs_page
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    page.goto("/officer/login/")
    SignInPage(page).sign_in("amira", PASSWORD)
    page.get_by_label("Code").fill(phone_code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()
    page.get_by_role("button", name=re.compile("^Sign out")).click()
    expect(page.get_by_text("You have signed out")).to_be_visible()


def test_the_re_authentication_and_lockout_pages_pass_axe(page, officer, axe):
    device = TOTPDevice.objects.create(user=officer, name="Authenticator app", confirmed=True)
    page.goto("/officer/login/")
    SignInPage(page).sign_in("amira", PASSWORD)
    page.get_by_label("Code").fill(phone_code(device.bin_key))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()

    page.goto("/officer/reauthenticate/?next=/officer/")
    expect(page.get_by_role("heading", name="Confirm it is you")).to_be_visible()
    axe(page, label="re-authentication")
    page.get_by_role("button", name="Continue").click()
    expect(_error_summary(page)).to_contain_text("Enter your password or a code from your authenticator app")
    axe(page, label="re-authentication with an error")
    page.get_by_label("Password, or a code from your authenticator app").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Cases", exact=True)).to_be_visible()

    page.get_by_role("button", name=re.compile("^Sign out")).click()
    for _ in range(5):
        SignInPage(page).sign_in("amira", "not the password")
    expect(page.get_by_role("heading", name="Sign-in is locked")).to_be_visible()
    axe(page, label="lockout")
    shoot(page, "signin-05-locked")
