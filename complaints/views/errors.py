"""Styled error pages: a bad request, a refused permission and a failed CSRF check."""

from django.shortcuts import render


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def csrf_failure(request, reason=""):
    # The reason is for the logs (Django logs it as a warning), not for the visitor.
    return render(request, "403_csrf.html", status=403)
