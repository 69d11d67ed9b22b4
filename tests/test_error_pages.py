"""Styled GOV.UK error pages for a bad request, a refused permission, a failed CSRF check and a
server error, each saying how to reach the Monitoring Officer. All through HTTP."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from complaints.views import pages
from tests.complaints.officer.signin import sign_in


def assert_styled(response, heading: str, settings):
    content = response.content.decode()
    assert '<html lang="en" class="govuk-template">' in content
    assert "/static/css/app.css" in content
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in content
    assert settings.COUNCIL_NAME in content
    assert f'href="mailto:{settings.COUNCIL_CONTACT_EMAIL}"' in content
    assert "Contact the Monitoring Officer" in content
    return content


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_gets_the_styled_400_page(client, settings):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert_styled(response, "Sorry, there is a problem with your request", settings)


@pytest.mark.django_db
def test_a_refused_permission_gets_the_styled_403_page(client, settings):
    # Staff, but without permission to see cases: the admin refuses.
    sign_in(client, User.objects.create_user("nobody", password="pw", is_staff=True))
    response = client.get(reverse("admin:complaints_case_changelist"))
    assert response.status_code == 403
    assert_styled(response, "You do not have permission to view this page", settings)


@pytest.mark.django_db
def test_a_failed_csrf_check_explains_cookies_on_a_styled_page(settings):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("complain:about"))
    response = client.post(reverse("complain:about"), {"name": "Sam Resident"})  # no CSRF token
    assert response.status_code == 403
    content = assert_styled(response, "Sorry, your answers could not be sent", settings)
    assert "Make sure cookies are turned on for this website" in content
    assert "reload it and send the form again" in content
    assert "CSRF" not in content, "no jargon or Django's reason shown to the public"


@pytest.mark.django_db
def test_a_server_error_gets_a_styled_page_saying_how_to_reach_the_monitoring_officer(settings, monkeypatch):
    settings.COUNCIL_TELEPHONE = "01632 960 777"

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(pages, "render", broken)
    response = Client(raise_request_exception=False).get(reverse("home"))
    assert response.status_code == 500
    content = assert_styled(response, "Sorry, there is a problem with the service", settings)
    assert "Telephone: 01632 960 777" in content
    assert "the database went away" not in content
