"""Officer sign-in: a password, then a code from an authenticator app (or a backup code).

The first sign-in of an account walks through enrolling an app (a QR code drawn here, and the
secret as text) and shows the backup codes once. Wrong passwords and wrong codes count towards
the lockout (django-axes): after SIGNIN_FAILURE_LIMIT of them sign-in is refused for
SIGNIN_LOCKOUT_MINUTES. Every success and failure is logged on the "complaints.signin" logger,
without passwords or codes, and with e-mail addresses masked.
"""

from __future__ import annotations

import logging
import math
import re
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, user_login_failed
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from complaints.forms.signin import CodeForm, EnrolForm, PasswordSignInForm, ReauthenticateForm
from complaints.services.two_factor import (
    APP_CODE_DIGITS,
    backup_codes_issue,
    backup_codes_remaining,
    code_verify,
    has_authenticator,
    normalise_code,
    totp_device_confirm,
    totp_device_for_enrolment,
    totp_qr_svg,
    totp_secret_text,
)
from complaints.views.officer.auth import (
    mark_authenticated,
    reauth_required,
    safe_next,
    signin_step_url,
)
from config.log_privacy import mask_emails

logger = logging.getLogger("complaints.signin")

# Session key holding the backup codes just issued, until the page that shows them once.
NEW_BACKUP_CODES = "officer_new_backup_codes"
_UNPRINTABLE = re.compile(r"[^\x20-\x7e\u00a0-\uffff]")

WRONG_CODE = "The code is not correct. Enter the code your authenticator app shows now, or a backup code"
WRONG_ENROL_CODE = "The code is not correct. Enter the 6-digit code your authenticator app shows now"
WRONG_SECRET = "Enter your correct password, or the code your authenticator app shows now"  # noqa: S105  (a message, not a secret)


def client_address(request) -> str:
    """The client's address for lockouts (settings.AXES_CLIENT_IP_CALLABLE)."""
    return request.META.get("REMOTE_ADDR", "")


def _who(username: str) -> str:
    """A username fit for a log line: e-mail addresses masked, no line breaks or control characters."""
    return _UNPRINTABLE.sub("?", mask_emails(username or ""))[:150] or "(none)"


def _log(message: str, request, username: str) -> None:
    logger.info(message, _who(username), client_address(request))


def _next(request) -> str:
    return safe_next(request, request.POST.get("next") or request.GET.get("next"))


def _render(request, template: str, context: dict, *, form=None):
    status = 400 if form is not None and form.errors else 200
    context = {**context, "form": form, "form_has_errors": bool(form is not None and form.errors)}
    response = render(request, template, context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _wait_message(wait_until) -> str:
    seconds = max(1, math.ceil((wait_until - timezone.now()).total_seconds()))
    return (
        f"You entered a wrong code more than once. Wait {seconds} second{'s' if seconds != 1 else ''}, then try again"
    )


def locked_out(request, original_response=None, credentials=None):
    """The GOV.UK page shown while sign-in is locked (settings.AXES_LOCKOUT_CALLABLE)."""
    cool_off = settings.AXES_COOLOFF_TIME
    minutes = max(1, round(cool_off.total_seconds() / 60))
    response = render(
        request,
        "officer/signin/locked_out.html",
        {"minutes": minutes, "failure_limit": settings.AXES_FAILURE_LIMIT},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    response["Cache-Control"] = "no-store"
    return response


def _refuse_locked(request, username: str):
    """Sign the half-signed-in session out and show the lockout page."""
    _log("Sign-in refused for %s from %s: locked out after repeated failures", request, username)
    if request.user.is_authenticated:
        auth_logout(request)
    return locked_out(request)


def _is_locked(request, username: str) -> bool:
    return AxesProxyHandler.is_locked(request, {"username": username})


def _count_failure(request, username: str) -> bool:
    """Count a wrong code as a failed sign-in; True when that locks the account or client out."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)
    return bool(getattr(request, "axes_locked_out", False))


def _complete_sign_in(request, device, *, how: str) -> None:
    otp_login(request, device)
    # A new session key now that the session carries more privilege.
    request.session.cycle_key()
    mark_authenticated(request)
    username = request.user.get_username()
    # A full sign-in clears the account's earlier failures (a correct password alone does not).
    AxesProxyHandler.reset_attempts(username=username)
    _log(f"Signed in %s from %s with {how}", request, username)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login(request):
    next_url = _next(request)
    user = request.user
    if user.is_authenticated:
        return redirect(next_url if user.is_verified() else signin_step_url(request, next_url))
    form = PasswordSignInForm(request.POST if request.method == "POST" else None, request=request)
    if request.method == "POST":
        valid = form.is_valid()
        username = form.cleaned_data.get("username", "")
        if getattr(request, "axes_locked_out", False):
            return _refuse_locked(request, username)
        if valid:
            auth_login(request, form.user)
            _log("Password accepted for %s from %s; a code is needed next", request, username)
            return redirect(signin_step_url(request, next_url))
        if form.refused:
            _log("Sign-in failed for %s from %s: wrong username or password", request, username)
    return _render(request, "officer/signin/login.html", {"next": next_url}, form=form)


def _half_signed_in(request, next_url: str):
    """None when the user has given a password but no code yet; otherwise where they belong."""
    if not request.user.is_authenticated:
        return redirect_to_login(next_url, reverse("officer:login"))
    if request.user.is_verified():
        return redirect(next_url)
    return None


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    next_url = _next(request)
    if (elsewhere := _half_signed_in(request, next_url)) is not None:
        return elsewhere
    user = request.user
    username = user.get_username()
    if not has_authenticator(user):
        return redirect(signin_step_url(request, next_url))
    if _is_locked(request, username):
        return _refuse_locked(request, username)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = code_verify(user=user, code=form.cleaned_data["code"])
        if check.accepted:
            _complete_sign_in(request, check.device, how="a backup code" if check.used_backup_code else "a code")
            if check.used_backup_code:
                left = backup_codes_remaining(user=user)
                messages.warning(
                    request,
                    f"You signed in with a backup code, which cannot be used again. You have {left} "
                    f"backup code{'s' if left != 1 else ''} left.",
                )
            return redirect(next_url)
        if check.wait_until is not None:
            form.add_error("code", _wait_message(check.wait_until))
        else:
            form.add_error("code", WRONG_CODE)
            _log("Sign-in failed for %s from %s: wrong code", request, username)
            if _count_failure(request, username):
                return _refuse_locked(request, username)
    return _render(
        request, "officer/signin/verify.html", {"next": next_url, "issuer": settings.OTP_TOTP_ISSUER}, form=form
    )


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    next_url = _next(request)
    if (elsewhere := _half_signed_in(request, next_url)) is not None:
        return elsewhere
    user = request.user
    username = user.get_username()
    if has_authenticator(user):
        return redirect(signin_step_url(request, next_url))
    if _is_locked(request, username):
        return _refuse_locked(request, username)
    device = totp_device_for_enrolment(user=user)
    form = EnrolForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        check = totp_device_confirm(device=device, code=form.cleaned_data["code"])
        if check.accepted:
            _complete_sign_in(request, check.device, how="a newly set up authenticator app")
            request.session[NEW_BACKUP_CODES] = backup_codes_issue(user=user)
            return redirect(f"{reverse('officer:backup_codes')}?{urlencode({'next': next_url})}")
        form.add_error("code", _wait_message(check.wait_until) if check.wait_until else WRONG_ENROL_CODE)
        _log("Authenticator app set-up for %s from %s: wrong code", request, username)
    context = {
        "next": next_url,
        "qr_svg": totp_qr_svg(device, label="QR code to scan with your authenticator app"),
        "secret": totp_secret_text(device),
        "issuer": settings.OTP_TOTP_ISSUER,
        "username": username,
        "digits": APP_CODE_DIGITS,
    }
    return _render(request, "officer/signin/enrol.html", context, form=form)


def _verified_or_redirect(request, next_url: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("officer:login"))
    if not request.user.is_verified():
        return redirect(signin_step_url(request, request.get_full_path()))
    return None


@never_cache
@require_http_methods(["GET", "HEAD"])
def backup_codes(request):
    """The new backup codes, shown once; afterwards, how many are left and a way to replace them."""
    next_url = _next(request)
    if (elsewhere := _verified_or_redirect(request, next_url)) is not None:
        return elsewhere
    codes = request.session.pop(NEW_BACKUP_CODES, None)
    context = {
        "codes": codes,
        "next": next_url,
        "remaining": backup_codes_remaining(user=request.user),
    }
    return _render(request, "officer/signin/backup_codes.html", context)


@never_cache
@require_POST
def backup_codes_replace(request):
    if (elsewhere := _verified_or_redirect(request, reverse("officer:backup_codes"))) is not None:
        return elsewhere
    return _backup_codes_replace(request)


@reauth_required
def _backup_codes_replace(request):
    request.session[NEW_BACKUP_CODES] = backup_codes_issue(user=request.user)
    _log("New backup codes issued to %s from %s", request, request.user.get_username())
    return redirect("officer:backup_codes")


def log_sign_out(sender, request, user, **kwargs):
    """Every sign-out is logged, the admin's and the idle timeout's included (user_logged_out)."""
    if user is not None and request is not None:
        _log("Signed out %s from %s", request, user.get_username())


@never_cache
@require_POST
def logout(request):
    auth_logout(request)
    messages.success(request, "You have signed out")
    return redirect("officer:login")


@sensitive_post_parameters("secret")
@never_cache
@require_http_methods(["GET", "POST"])
def reauthenticate(request):
    """The password or a code again, before a sensitive action."""
    next_url = _next(request)
    if (elsewhere := _verified_or_redirect(request, next_url)) is not None:
        return elsewhere
    user = request.user
    username = user.get_username()
    if _is_locked(request, username):
        return _refuse_locked(request, username)
    form = ReauthenticateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        code = normalise_code(secret)
        accepted = (
            code.isdigit()
            and len(code) == APP_CODE_DIGITS
            and code_verify(user=user, code=code, allow_backup=False).accepted
        )
        if not accepted:
            # authenticate() with the request counts a wrong password towards the lockout.
            again = authenticate(request, username=username, password=secret)
            accepted = again is not None and again.pk == user.pk
        if getattr(request, "axes_locked_out", False):
            return _refuse_locked(request, username)
        if accepted:
            mark_authenticated(request)
            _log("Re-authenticated %s from %s", request, username)
            return redirect(next_url)
        form.add_error("secret", WRONG_SECRET)
        _log("Re-authentication failed for %s from %s", request, username)
    return _render(
        request,
        "officer/signin/reauthenticate.html",
        {"next": next_url, "minutes": settings.OFFICER_REAUTH_MINUTES},
        form=form,
    )
