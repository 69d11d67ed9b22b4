"""Static pages of the public site: home, accessibility statement, privacy notice, errors."""

from datetime import date

from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def home(request):
    """The start page of the complaint service."""
    from complaints.views.public import timescales

    return render(request, "public/home.html", {"timescales": timescales()})


def accessibility(request):
    return render(
        request,
        "public/accessibility.html",
        {
            "prepared_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_PREPARED),
            "reviewed_on": date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_REVIEWED),
        },
    )


def privacy(request):
    return render(
        request,
        "public/privacy.html",
        {
            "retention_years": settings.COMPLAINT_RETENTION_YEARS,
            "draft_idle_minutes": settings.DRAFT_IDLE_MINUTES,
            "unsent_file_hours": settings.EVIDENCE_UNSENT_MAX_AGE_HOURS,
            "max_age_months": settings.COMPLAINT_MAX_AGE_MONTHS,
        },
    )


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without a request context: the context processors may be what failed.
    template = loader.get_template("500.html")
    return HttpResponseServerError(
        template.render(
            {
                "council_name": settings.COUNCIL_NAME,
                "service_name": settings.COUNCIL_SERVICE_NAME,
                "council_contact_email": settings.COUNCIL_CONTACT_EMAIL,
                "council_contact_phone": settings.COUNCIL_TELEPHONE,
            }
        )
    )
