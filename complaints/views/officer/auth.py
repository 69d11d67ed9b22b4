"""Who may enter the officer workspace.

Every officer view is wrapped in `officer_required`. What a signed-in officer then sees is decided
by `complaints.access`, never here.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from complaints.roles import is_officer


def officer_required(view):
    """Signed in, and in one of the workspace's roles."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not is_officer(request.user):
            raise PermissionDenied("Your account has no role in the officer workspace.")
        return view(request, *args, **kwargs)

    return wrapper
