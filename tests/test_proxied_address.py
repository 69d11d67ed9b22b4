"""Behind the full stack's proxy, the client's address is the one the proxy saw (X-Real-IP)."""

import json
import sys

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config.middleware import ProxiedClientAddressMiddleware
from tests.test_settings import clean_env, run


def _remote_addr(request):
    return HttpResponse(request.META["REMOTE_ADDR"])


@pytest.mark.parametrize(
    ("header", "seen"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8::1", "2001:db8::1"),
        ("", "10.0.0.2"),
        ("203.0.113.9, 10.0.0.1", "10.0.0.2"),
        ("<script>", "10.0.0.2"),
    ],
)
def test_it_takes_the_address_the_proxy_saw_and_ignores_anything_malformed(header, seen):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_REAL_IP=header)
    assert ProxiedClientAddressMiddleware(_remote_addr)(request).content.decode() == seen


def test_it_is_installed_first_only_behind_the_proxy(tmp_path):
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps(s.MIDDLEWARE))"
    )
    for flag, expected in (("1", True), ("0", False)):
        result = run([sys.executable, "-c", script], clean_env(tmp_path, DEBUG="1", BEHIND_TLS_PROXY=flag))
        assert result.returncode == 0, result.stderr
        middleware = json.loads(result.stdout.strip().splitlines()[-1])
        installed = middleware[0] == "config.middleware.ProxiedClientAddressMiddleware"
        assert installed is expected
        assert middleware.count("config.middleware.ProxiedClientAddressMiddleware") == int(expected)


@pytest.mark.django_db
def test_a_complaint_sent_through_the_proxy_records_the_complainants_address(settings):
    from django.test import Client

    from complaints.models import Complaint
    from tests.complaints.journey import Journey
    from tests.factories import make_code, make_councillor, make_district

    settings.MIDDLEWARE = ["config.middleware.ProxiedClientAddressMiddleware", *settings.MIDDLEWARE]
    council = make_district()
    make_code(council)
    journey = Journey(Client(REMOTE_ADDR="172.18.0.5", HTTP_X_REAL_IP="203.0.113.9"))
    journey.complete_up_to_check(council, [make_councillor(council)])
    assert journey.send().status_code == 302
    assert Complaint.objects.get().submitted_from_ip == "203.0.113.9"
