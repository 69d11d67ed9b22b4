"""Static pages of the public site: home, accessibility statement, privacy notice, errors."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def home(request):
    """The start page of the complaint service."""
    from complaints.views.public import timescales

    return render(request, "public/home.html", {"timescales": timescales()})


def accessibility(request):
    return render(request, "public/accessibility.html")


def privacy(request):
    return render(request, "public/privacy.html", {"retention_years": 6, "settings": settings})


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the context processors may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render({"council_name": settings.COUNCIL_NAME, "service_name": settings.COUNCIL_SERVICE_NAME})
    )
