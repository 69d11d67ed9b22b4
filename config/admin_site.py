"""The Django admin with the officer workspace's two-factor requirement.

The admin has no sign-in form of its own: its login page sends people to the one officer
sign-in (/officer/login/), which asks for a password and then a code, and is where failures are
counted and locked out. Only a session verified with a code is let into the admin.
"""

from __future__ import annotations

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.admin import OTPAdminSite

from complaints.views.officer.auth import signin_step_url


class StandardsAdminSite(OTPAdminSite):
    site_header = "Standards Desk administration"
    site_title = "Standards Desk"

    def __init__(self, name: str = "admin"):
        super().__init__(name)

    def login(self, request, extra_context=None):
        next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = reverse("admin:index", current_app=self.name)
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url, reverse("officer:login"))
        if not user.is_verified():
            return redirect(signin_step_url(request, next_url))
        # Fully signed in but not allowed in the admin: sending them to sign in again would only
        # bring them back here.
        raise PermissionDenied("Your account cannot use the administration site.")
